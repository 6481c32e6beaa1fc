/** Signing and issuing tokens: delegated (access, ID and refresh tokens) and app-only. */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { App, RequestedScope, User } from '../model';
import type { EmulatorContext } from './context';

async function sign(
  { emulator, state }: EmulatorContext,
  claims: JWTPayload,
  lifetimeSeconds: number,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: emulator.kid })
    .setIssuedAt()
    .setNotBefore(Math.floor(Date.now() / 1000) - 60)
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
    .sign(state.privateKey!);
}

export async function issueDelegated(
  ctx: EmulatorContext,
  app: App,
  user: User,
  scopes: RequestedScope[],
  tid: string,
  nonce?: string,
  /** Claims the token request asked for (its `claims` parameter): `acrs`. */
  extra: JWTPayload = {},
): Promise<Record<string, unknown>> {
  const { emulator, state } = ctx;
  // A delegated `/.default` gets the permissions configured (here: consented) on the app registration;
  // the answer names them as URIs, with `/.default` itself (so MSAL finds the token for `/.default` again).
  const byDefault = scopes.find((s) => s.kind === 'default');
  const asked = byDefault
    ? app.consentedScopes.map((name): RequestedScope => ({
        asked: `${emulator.graphEndpoint}/${name}`,
        name,
        kind: 'graph',
      }))
    : scopes;
  const graph = asked.filter((s) => s.kind === 'graph' && !state.withheld.has(s.name.toLowerCase()));
  const oidc = new Set(scopes.filter((s) => s.kind === 'oidc').map((s) => s.name));
  const lifetime = state.lifetimes.accessTokenSeconds;
  const common = {
    tid,
    oid: user.oid,
    sub: createHash('sha256')
      .update(user.oid + app.clientId)
      .digest('base64url')
      .slice(0, 43),
    name: user.displayName,
    preferred_username: user.upn,
  };
  const accessToken = await sign(
    ctx,
    {
      ...common,
      aud: emulator.graphEndpoint,
      iss: `${emulator.loginEndpoint}/${tid}/v2.0`,
      upn: user.upn,
      scp: graph.map((s) => s.name).join(' '),
      appid: app.clientId,
      azp: app.clientId,
      ver: '2.0',
      uti: randomBytes(8).toString('base64url'),
      ...extra,
    },
    lifetime,
  );
  const response: Record<string, unknown> = {
    token_type: 'Bearer',
    // Echoes the scopes in the form they were asked for, as MSAL keys its cache by them.
    scope: [
      ...graph.map((s) => s.asked),
      ...(byDefault ? [byDefault.asked] : []),
      ...[...oidc].filter((o) => o !== 'offline_access'),
    ].join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: tid })).toString('base64url'),
  };
  if (oidc.has('openid')) {
    response.id_token = await sign(
      ctx,
      {
        ...common,
        aud: app.clientId,
        iss: `${emulator.loginEndpoint}/${tid}/v2.0`,
        ver: '2.0',
        ...(nonce ? { nonce } : {}),
      },
      3600,
    );
  }
  if (oidc.has('offline_access')) {
    const refreshToken = `rt.${randomBytes(32).toString('base64url')}`;
    state.refreshTokens.set(refreshToken, {
      user,
      clientId: app.clientId,
      scopes,
      expiresAt: Date.now() + state.lifetimes.refreshTokenSeconds * 1000,
      revoked: false,
      mfa: user.mfaRequired,
    });
    response.refresh_token = refreshToken;
  }
  return response;
}

export async function issueAppOnly(
  ctx: EmulatorContext,
  app: App,
  scopes: RequestedScope[],
  tid: string,
  extra: JWTPayload = {},
): Promise<Record<string, unknown>> {
  const { emulator, state } = ctx;
  const lifetime = state.lifetimes.accessTokenSeconds;
  const accessToken = await sign(
    ctx,
    {
      aud: emulator.graphEndpoint,
      iss: `${emulator.loginEndpoint}/${tid}/v2.0`,
      tid,
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      appid: app.clientId,
      azp: app.clientId,
      idtyp: 'app',
      ver: '2.0',
      ...(app.appRoles.length ? { roles: app.appRoles } : {}),
      ...extra,
    },
    lifetime,
  );
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    scope: scopes[0].asked,
  };
}
