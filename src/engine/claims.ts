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

