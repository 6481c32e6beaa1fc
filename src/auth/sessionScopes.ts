/**
 * The scopes a caller of `vscode.authentication.getSession('outlook365', scopes)` passes, turned into a
 * value once: the pseudo-scope `connection:<id>` picks the connection; the other scopes are permissions
 * the session must have been granted. Raw scope arrays are not used beyond this place.
 */
import { shortScopeName } from '../model/scopes';

export const CONNECTION_SCOPE_PREFIX = 'connection:';

export interface SessionRequest {
  connectionId?: string;
  /** Short permission names, sorted, without OIDC scopes. */
  permissions: string[];
}

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

export function parseSessionScopes(scopes: readonly string[] | undefined): SessionRequest {
  let connectionId: string | undefined;
  const permissions = new Set<string>();
  for (const scope of scopes ?? []) {
    if (scope.startsWith(CONNECTION_SCOPE_PREFIX)) {
      connectionId = scope.slice(CONNECTION_SCOPE_PREFIX.length);
    } else if (!OIDC.has(scope.toLowerCase()) && !scope.endsWith('/.default')) {
      permissions.add(shortScopeName(scope));
    }
  }
  return { ...(connectionId ? { connectionId } : {}), permissions: [...permissions].sort() };
}

/** Whether granted permissions cover the requested ones (case-insensitively). */
export function covers(granted: readonly string[], requested: readonly string[]): boolean {
  const set = new Set(granted.map((g) => g.toLowerCase()));
  return requested.every((r) => set.has(r.toLowerCase()));
}
