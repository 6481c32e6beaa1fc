/**
 * The admin consent endpoint (`/{tenant}/v2.0/adminconsent`) and its sign-in page: an administrator
 * grants the app's permissions for the organization.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { loginPage, messagePage } from '../pages';
import type { EmulatorContext } from './context';
import { appForPage, parseScopes } from './directory';
import { sendHtml } from './http';

export function adminConsent(
  { emulator, state }: EmulatorContext,
  res: ServerResponse,
  url: URL,
  tenantSegment: string,
): void {
  const q = Object.fromEntries(url.searchParams);
  const app = appForPage({ emulator, state }, res, q.client_id, 'Permissions requested');
  if (!app) return;
  const txn = randomBytes(16).toString('base64url');
  state.pending.set(txn, { ...q, tenantSegment });
  sendHtml(
    res,
    200,
    loginPage({
      action: `/${tenantSegment}/v2.0/adminconsent/login`,
      hidden: { txn },
      title: 'Permissions requested',
      subtitle: `${app.displayName} needs: ${q.scope ?? ''}. Sign in as an administrator to accept for your organization.`,
    }),
  );
}

export function adminConsentLogin(
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
      messagePage('Permissions requested', 'AADSTS90014: The consent request has expired.', 'error'),
    );
  }
  const user = emulator.users.get((body.username ?? '').toLowerCase());
  const redirect = (fields: Record<string, string>) => {
    state.pending.delete(body.txn);
    if (!q.redirect_uri) {
      return sendHtml(
        res,
        200,
        messagePage(
          'Permissions requested',
          fields.error ? fields.error_description : 'Consent granted for your organization.',
        ),
      );
    }
    const target = new URL(q.redirect_uri);
    for (const [k, v] of Object.entries({ ...fields, ...(q.state ? { state: q.state } : {}) })) {
      target.searchParams.set(k, v);
    }
    res.writeHead(302, { Location: target.href });
    res.end();
  };
  if (body.action === 'decline') {
    return redirect({ error: 'access_denied', error_description: 'AADSTS65004: The admin declined to consent.' });
  }
  if (!user || user.password !== body.password || !user.admin) {
    return redirect({ error: 'access_denied', error_description: 'AADSTS90094: The grant requires admin permission.' });
  }
  const scopes = parseScopes(ctx, q.scope);
  const app = emulator.apps.get(q.client_id)!;
  const graph = scopes.filter((s) => s.kind === 'graph').map((s) => s.name);
  emulator.grantConsent(app.clientId, graph);
  redirect({ admin_consent: 'True', tenant: tid, scope: q.scope ?? '' });
}
