/**
 * The authorization endpoint (`/{tenant}/oauth2/v2.0/authorize`) and its sign-in page: checks the app and
 * the redirect URI, signs the user in, and answers the redirect URI with a code (query or form post) or
 * with the error of RFC 6749 §4.1.2.1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { App, RequestedScope } from '../model';
import { formPostPage, loginPage, messagePage } from '../pages';
import type { EmulatorContext } from './context';
import { appForPage, checkConsent, parseScopes } from './directory';
import { type AadError, sendHtml } from './http';

function redirectAllowed(app: App, redirectUri: string): boolean {
  let asked: URL;
  try {
    asked = new URL(redirectUri);
  } catch {
    return false;
  }
  const loopback = (host: string) => host === 'localhost' || host === '127.0.0.1';
  return app.redirectUris.some((registered) => {
    const r = new URL(registered);
    // Entra ignores the port of loopback redirect URIs (RFC 8252).
    if (r.protocol === 'http:' && loopback(r.hostname) && loopback(asked.hostname)) {
      return asked.protocol === 'http:' && (r.pathname === asked.pathname || r.pathname === '/');
    }
    return r.href === asked.href;
  });
}

export function authorize(
  { emulator, state }: EmulatorContext,
  res: ServerResponse,
  url: URL,
  tenantSegment: string,
): void {
  const q = Object.fromEntries(url.searchParams);
  const app = appForPage({ emulator, state }, res, q.client_id, 'Sign in');
  if (!app) return;
  if (!q.redirect_uri || !redirectAllowed(app, q.redirect_uri)) {
    return sendHtml(
      res,
      400,
      messagePage(
        'Sign in',
        `AADSTS50011: The redirect URI '${q.redirect_uri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
        'error',
      ),
    );
  }
  if (q.code_challenge_method && !['S256', 'plain'].includes(q.code_challenge_method)) {
    return sendHtml(res, 400, messagePage('Sign in', 'AADSTS501491: Invalid code_challenge_method.', 'error'));
  }
  const txn = randomBytes(16).toString('base64url');
  state.pending.set(txn, { ...q, tenantSegment });
  sendHtml(
    res,
    200,
    loginPage({
      action: `/${tenantSegment}/oauth2/v2.0/authorize/login`,
      hidden: { txn },
      title: 'Sign in',
      subtitle: `to continue to ${app.displayName}`,
      loginHint: q.login_hint,
    }),
  );
}

export function authorizeLogin(
  ctx: EmulatorContext,
  res: ServerResponse,
  body: Record<string, string>,
  tid: string,
): void {
  const { emulator, state } = ctx;
  const q = state.pending.get(body.txn ?? '');
  if (!q) {
    return sendHtml(
      res,
      400,
      messagePage(
        'Sign in',
        'AADSTS90014: The sign-in request has expired or is unknown. Start again from the application.',
        'error',
      ),
    );
  }
  const app = emulator.apps.get(q.client_id)!;
  const answer = (fields: Record<string, string>) => {
    state.pending.delete(body.txn);
    if (q.response_mode === 'form_post') {
      return sendHtml(res, 200, formPostPage(q.redirect_uri, { ...fields, ...(q.state ? { state: q.state } : {}) }));
    }
    const target = new URL(q.redirect_uri);
    for (const [k, v] of Object.entries({ ...fields, ...(q.state ? { state: q.state } : {}) })) {
      target.searchParams.set(k, v);
    }
    res.writeHead(302, { Location: target.href });
    res.end();
  };
  if (body.action === 'decline') {
    return answer({
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app.',
    });
  }
  const user = emulator.users.get((body.username ?? '').toLowerCase());
  if (!user || user.password !== body.password) {
    return sendHtml(
      res,
      200,
      loginPage({
        action: `/${q.tenantSegment}/oauth2/v2.0/authorize/login`,
        hidden: { txn: body.txn },
        title: 'Sign in',
        subtitle: `to continue to ${app.displayName}`,
        error: 'AADSTS50126: Your account or password is incorrect.',
        loginHint: body.username,
      }),
    );
  }
  if (user.blockedByConditionalAccess) {
    // The error response of the authorization endpoint (RFC 6749 §4.1.2.1), as for a declined consent.
    return answer({
      error: 'access_denied',
      error_description:
        'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    });
  }
  let scopes: RequestedScope[];
  try {
    scopes = parseScopes(ctx, q.scope);
    checkConsent(app, scopes);
  } catch (err) {
    const e = err as AadError;
    return answer({
      error: e.code === 65001 ? 'consent_required' : e.error,
      error_description: `AADSTS${e.code}: ${e.description}`,
    });
  }
  const code = randomBytes(32).toString('base64url');
  state.codes.set(code, {
    clientId: app.clientId,
    redirectUri: q.redirect_uri,
    codeChallenge: q.code_challenge,
    codeChallengeMethod: q.code_challenge_method,
    scopes,
    user,
    nonce: q.nonce,
    expiresAt: Date.now() + 10 * 60 * 1000,
    used: false,
  });
  answer({
    code,
    client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: tid })).toString('base64url'),
    session_state: randomUUID(),
  });
}
