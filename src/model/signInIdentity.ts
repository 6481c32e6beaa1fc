/**
 * What identifies a connection's sign-in: who signs in, to which app, tenant and cloud, with which
 * credential and for which permissions. Tokens and facts of the old values say nothing about the new
 * ones, so an edit that changes any of these drops them (the form says so before saving); a new name,
 * shared mailbox or sign-in method keeps them. The form and the extension both ask this one function.
 */
import { AUTH_TYPE_TABLE, SECRET_FIELDS, isAuthType, type SecretField } from './authTypes';
import type { ConnectionDraft, DraftField } from './draft';
import { parseOperations } from './operations';
import { isScopePresetId, parseScopeText, shortScopeName, summarizeScopes } from './scopes';

const IDENTIFYING_FIELDS = [
  'environment',
  'tenant',
  'clientId',
  'account',
  'username',
] as const satisfies readonly DraftField[];

/**
 * The fields of `next` that change the sign-in of the connection stored as `stored` (both as drafts;
 * `draftFromConfig` turns a stored configuration into one). A secret typed anew is a change: its old
 * value is never sent back to be compared.
 */
export function signInChanges(
  stored: ConnectionDraft,
  next: ConnectionDraft,
  typedSecrets: readonly SecretField[],
): DraftField[] {
  if (stored.authType !== next.authType || !isAuthType(next.authType)) {
    return ['authType'];
  }
  const spec = AUTH_TYPE_TABLE[next.authType];
  const shown = new Set<DraftField>(spec.fields);
  const normal = (draft: ConnectionDraft, field: (typeof IDENTIFYING_FIELDS)[number]): string => {
    const value = draft[field].trim();
    switch (field) {
      case 'tenant':
        return (value || spec.defaultTenant || '').toLowerCase();
      default:
        // GUIDs, UPNs and ids compare without case, as Entra does.
        return value.toLowerCase();
    }
  };
  const changed: DraftField[] = IDENTIFYING_FIELDS.filter((f) => shown.has(f) && normal(stored, f) !== normal(next, f));
  if (shown.has('scopePreset') && permissionsOf(stored) !== permissionsOf(next)) {
    const operationsChanged = parseOperations(stored.operations).join() !== parseOperations(next.operations).join();
    changed.push(
      stored.scopePreset !== next.scopePreset ? 'scopePreset' : operationsChanged ? 'operations' : 'additionalScopes',
    );
  }
  return [...changed, ...SECRET_FIELDS.filter((f) => shown.has(f) && typedSecrets.includes(f))];
}

/** The permissions a draft asks for, as one comparable string (another preset with the same union is no change). */
function permissionsOf(draft: ConnectionDraft): string {
  const additional = parseScopeText(draft.additionalScopes);
  const scopes = isScopePresetId(draft.scopePreset)
    ? summarizeScopes({ preset: draft.scopePreset, operations: parseOperations(draft.operations), additional })
    : [draft.scopePreset, ...additional];
  return [...new Set(scopes.map((s) => shortScopeName(s).toLowerCase()))].sort().join(' ');
}
