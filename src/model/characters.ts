/**
 * Characters no configuration value may hold: control characters (C0, DEL, C1), invisible format
 * characters (bidi embeddings, overrides, isolates and marks, the Arabic letter mark, zero-width spaces
 * and joiners, the byte order mark, tags...), line and paragraph separators and lone surrogates. They
 * make a value read differently from what it is (a name with U+202E, "Trojan Source", CVE-2021-42574),
 * end the line it is shown or logged on, or are never part of an identifier, address, scope or URL.
 * One rule for every text field, so fields added later are covered by the same function.
 */
import { msg, type Message } from './messages';

/** Cc = C0, DEL, C1; Cf = format (U+061C, U+200B–200F, U+202A–202E, U+2060–206F, U+FEFF, tags...). */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Allowed exceptions a field may ask for. */
export const LINE_BREAKS = '\r\n';
export const SEPARATORS = '\t\r\n';
/** Zero-width non-joiner and joiner: Persian, Indic scripts and emoji sequences need them in names. */
export const JOINERS = '\u200C\u200D';

export interface ForbiddenCharacter {
  /** `U+202E`. */
  code: string;
  /** 1-based, in characters as a person counts them (code points). */
  position: number;
}

/** The first forbidden character of `value` that is not in `allowed`, or undefined. */
export function forbiddenCharacter(value: string, allowed = ''): ForbiddenCharacter | undefined {
  for (const match of value.matchAll(FORBIDDEN)) {
    if (!allowed.includes(match[0])) {
      const codePoint = match[0].codePointAt(0)!;
      return {
        code: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`,
        position: [...value.slice(0, match.index)].length + 1,
      };
    }
  }
  return undefined;
}

/**
 * The field message for a value holding a forbidden character. A secret's message says neither which
 * character nor where (nothing about a secret goes into a message).
 */
export function characterProblem(
  value: string,
  options: { allowed?: string; secret?: boolean } = {},
): Message | undefined {
  const found = forbiddenCharacter(value, options.allowed);
  if (!found) {
    return undefined;
  }
  return options.secret
    ? msg('This contains an invisible or control character. Type it again without it.')
    : msg('Remove the invisible or control character {code} at position {position}.', {
        code: found.code,
        position: found.position,
      });
}
