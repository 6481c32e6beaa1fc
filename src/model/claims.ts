/**
 * Reads an access token's claims without verifying it: the extension only displays what it holds
 * (granted scopes, expiry, audience); verification is the resource server's job.
 */
export type TokenClaims = Record<string, unknown>;

export function decodeJwtClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** Granted permissions: `scp` (space separated) for delegated tokens, `roles` for app-only tokens. */
export function grantedScopesOf(claims: TokenClaims | undefined): string[] {
  if (!claims) {
    return [];
  }
  if (typeof claims.scp === 'string') {
    return claims.scp.split(' ').filter(Boolean);
  }
  if (Array.isArray(claims.roles)) {
    return claims.roles.filter((r): r is string => typeof r === 'string');
  }
  return [];
}

/** Claims that are NumericDate seconds (RFC 7519 §2): shown with their local date-time. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf']);

/**
 * The claims as JSON with comments for Show Token Claims: `iat`, `exp` and `nbf` keep their numbers and get
 * the date-time in the user's locale and time zone beside them (`"exp": 1764490920, // 30.11.2026, 08:22:00 MEZ`).
 */
export function claimsDocument(claims: TokenClaims, locale = 'en', timeZone?: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...(timeZone ? { timeZone } : {}),
  });
  return JSON.stringify(claims, null, 2)
    .split('\n')
    .map((line) => {
      const match = /^ {2}"(\w+)": (\d+)(,?)$/.exec(line);
      return match && TIME_CLAIMS.has(match[1])
        ? `${line} // ${format.format(new Date(Number(match[2]) * 1000))}`
        : line;
    })
    .join('\n');
}
