/**
 * How a session for one connection is obtained when a caller (another extension, through VS Code's
 * `createSession`) asks for it: silently first (the refresh token, the app's credential, ROPC's stored
 * password), interactively only when that needs the user or when the caller asks for permissions the
 * connection was never asked for. The interactive sign-in then requests the union. A result that lacks a
 * requested permission is never handed out: it ends in an error naming what is missing.
 * No `vscode` here, so the engine tests run it with the real token client against the emulator.
 */
import { ConnectionError, classifyFailure } from './failures';
import { msg } from '../model/messages';
import type { TokenResult } from './tokenClient';

export interface SessionAcquisition {
  /** Permissions the caller asked for (short names, no OIDC scopes). */
  requested: readonly string[];
  /** Permissions the connection's configuration asks for (short names). */
  configured: readonly string[];
  /** App-only connections have no user to ask: they get what an administrator granted, nothing more. */
  appOnly: boolean;
  /** A token without interaction (cache, refresh token, app credential, ROPC). */
  silent(): Promise<TokenResult>;
  /** The interactive sign-in, asking for the configuration's permissions plus `add`. */
  interactive(add: string[]): Promise<TokenResult>;
}

/** `requested` minus `held`, compared case-insensitively (Entra may change case). */
export function missingPermissions(requested: readonly string[], held: readonly string[]): string[] {
  const set = new Set(held.map((h) => h.toLowerCase()));
  return requested.filter((r) => !set.has(r.toLowerCase()));
}

export async function acquireSession(a: SessionAcquisition): Promise<TokenResult> {
  const notConfigured = missingPermissions(a.requested, a.configured);
  if (a.appOnly) {
    const token = await a.silent();
    const missing = missingPermissions(a.requested, token.grantedScopes);
    if (missing.length) {
      throw new ConnectionError({
        kind: 'configuration',
        status: 'error',
        message: msg(
          'This connection signs in as an app (application permissions granted by an administrator), so it cannot be given {permissions}. Ask an administrator to grant them to the app, or use a connection that signs in a user.',
          { permissions: missing.join(', ') },
        ),
      });
    }
    return token;
  }
  if (notConfigured.length === 0) {
    try {
      const token = await a.silent();
      if (missingPermissions(a.requested, token.grantedScopes).length === 0) {
        return token;
      }
      // Configured but not in the token (granted once without it): only a new sign-in can add it.
    } catch (err) {
      const kind = classifyFailure(err).kind;
      if (kind !== 'reconnect' && kind !== 'consent') {
        throw err;
      }
    }
  }
  const token = await a.interactive(notConfigured);
  const missing = missingPermissions(a.requested, token.grantedScopes);
  if (missing.length) {
    throw new ConnectionError({
      kind: 'consent',
      status: 'error',
      message: msg(
        'Microsoft Entra did not grant {permissions}. An administrator may have to consent to them (Copy Admin Consent Link).',
        {
          permissions: missing.join(', '),
        },
      ),
    });
  }
  return token;
}
