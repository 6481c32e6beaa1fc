/** The character rule (./characters.ts) over a whole draft: which invisible characters each field may hold. */
import { characterProblem, JOINERS, LINE_BREAKS, SEPARATORS } from './characters';
import { SECRET_FIELDS } from './connection';
import type { ConnectionDraft, DraftField } from './draft';
import type { Message } from './messages';

type FieldMessages = Partial<Record<DraftField, Message>>;

/**
 * Invisible or control characters a field may hold: line breaks in pasted base64, separators between
 * scopes, joiners in names. Every other field, including fields added later, allows none.
 */
const ALLOWED_CHARACTERS: Partial<Record<DraftField, string>> = {
  name: JOINERS,
  certificate: LINE_BREAKS,
  additionalScopes: SEPARATORS,
};

/**
 * The character rule (./characters.ts) applied to every string field of a draft, whatever its fields
 * are: the validator runs it first and its message wins, so no other message repeats such a value.
 */
export function characterErrors(draft: ConnectionDraft): FieldMessages {
  const errors: FieldMessages = {};
  for (const [field, value] of Object.entries(draft) as [DraftField, unknown][]) {
    if (typeof value === 'string') {
      const problem = characterProblem(value, {
        allowed: ALLOWED_CHARACTERS[field],
        secret: (SECRET_FIELDS as readonly string[]).includes(field),
      });
      if (problem) {
        errors[field] = problem;
      }
    }
  }
  return errors;
}
