/**
 * The token endpoint (`/{tenant}/oauth2/v2.0/token`): every grant MSAL sends (authorization code, refresh
 * token, client credentials, password, device code), client authentication by secret or by a certificate's
 * signed assertion, with Entra's error codes.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import type { App } from '../model';
import type { EmulatorContext } from './context';
import { checkConditionalAccess, checkConsent, findApp, parseScopes } from './directory';
import { AadError } from './http';
import { issueAppOnly, issueDelegated } from './issue';
import { accessTokenClaimsOf } from './claimsChallenge';

const NO_CLIENT_CREDENTIAL =
  "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.";

async function authenticateClient(
  ctx: EmulatorContext,
  app: App,
  body: Record<string, string>,
  tenantSegment: string,
  required: boolean,
): Promise<void> {
  if (body.client_secret !== undefined) {
    if (app.expiredSecrets.includes(body.client_secret)) {
      throw new AadError(
        401,
        'invalid_client',
        7000222,
        `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      );
    }
    if (!app.secrets.includes(body.client_secret)) {
      throw new AadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    }
    return;
  }
  if (body.client_assertion !== undefined) {
    await verifyAssertion(ctx, app, body.client_assertion, tenantSegment);
    return;
  }
  if (required) {
    throw new AadError(401, 'invalid_client', 7000218, NO_CLIENT_CREDENTIAL);
  }
}

async function verifyAssertion(
  { emulator, state }: EmulatorContext,
  app: App,
  assertion: string,
  tenantSegment: string,
): Promise<void> {
  const fail = (why: string) =>
    new AadError(401, 'invalid_client', 700027, `Client assertion failed signature validation. ${why}`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw fail('The assertion is not a JWT.');
  }
  const thumbprints = app.certificates.map((c) => {
    const x509 = new X509Certificate(c.certPem);
    const hex = (f: string) => Buffer.from(f.replace(/:/g, ''), 'hex').toString('base64url');
    return { certPem: c.certPem, sha256: hex(x509.fingerprint256), sha1: hex(x509.fingerprint) };
  });
  const x5tS256 = (header as Record<string, unknown>)['x5t#S256'];
  const match = thumbprints.find((t) => (x5tS256 && t.sha256 === x5tS256) || (header.x5t && t.sha1 === header.x5t));
  if (!match) {
    throw fail(
      `Key was not found. The certificate with the thumbprint in the assertion is not registered for app '${app.clientId}'.`,
    );
  }
  const alg = header.alg === 'RS256' ? 'RS256' : 'PS256';
  try {
    const key = await importX509(match.certPem, alg);
    const now = new Date(Date.now() + state.clockSkewSeconds * 1000);
    const { payload } = await jwtVerify(assertion, key, {
      issuer: app.clientId,
      subject: app.clientId,
      clockTolerance: 300,
      currentDate: now,
    }).catch((err: unknown) => {
      const claim = (err as { claim?: string }).claim;
      if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED' || claim === 'nbf' || claim === 'iat') {
        // Entra's answer to an assertion outside its time range (a skewed clock), e.g.
        // https://github.com/AzureAD/microsoft-authentication-library-for-java/issues/984
        throw new AadError(
          401,
          'invalid_client',
          700024,
          `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, assertion valid from ${new Date((decodeJwt(assertion).nbf ?? 0) * 1000).toISOString()}, expiry time of assertion ${new Date((decodeJwt(assertion).exp ?? 0) * 1000).toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
        );
      }
      throw err;
    });
    const aud = typeof payload.aud === 'string' ? payload.aud : payload.aud?.[0];
    if (
      !aud ||
      !aud.startsWith(emulator.loginEndpoint) ||
      !aud.endsWith('/oauth2/v2.0/token') ||
      (!aud.includes(`/${tenantSegment}/`) &&
        !aud.includes(`/${emulator.tenant.id}/`) &&
        !aud.includes(`/${emulator.tenant.domain}/`))
    ) {
      throw new Error(`audience ${aud}`);
    }
  } catch (err) {
    if (err instanceof AadError) throw err;
    throw fail(String((err as Error).message));
  }
}

/** MFA that only an interactive sign-in can do. */
function mfaRequired(graphEndpoint: string): AadError {
  return new AadError(
    400,
    'invalid_grant',
    50076,
    `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${graphEndpoint}'.`,
    { suberror: 'basic_action' },
  );
}

export async function token(
  ctx: EmulatorContext,
  body: Record<string, string>,
  tid: string,
  tenantSegment: string,
): Promise<Record<string, unknown>> {
  const { emulator, state } = ctx;
  const app = findApp(ctx, body.client_id);
  // The claims the request asked for (a claims challenge's `acrs`) go into the access token it gets.
  const extra = accessTokenClaimsOf(body.claims);
  switch (body.grant_type) {
    case 'authorization_code': {
      await authenticateClient(ctx, app, body, tenantSegment, !app.publicClient);
      const code = state.codes.get(body.code ?? '');
      if (!code || code.expiresAt < Date.now()) {
        throw new AadError(
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        );
      }
      if (code.used) {
        throw new AadError(
          400,
          'invalid_grant',
          54005,
          'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
        );
      }
      if (code.clientId !== app.clientId) {
        throw new AadError(
          400,
          'invalid_grant',
          70000,
          'The provided value for the code is not valid for this client.',
        );
      }
      if (code.redirectUri !== body.redirect_uri) {
        throw new AadError(
          400,
          'invalid_grant',
          50148,
          'The redirect_uri does not match the one of the authorization request.',
        );
      }
      if (code.codeChallenge) {
        const verifier = body.code_verifier ?? '';
        const computed =
          code.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
        if (computed !== code.codeChallenge) {
          throw new AadError(
            400,
            'invalid_grant',
            501481,
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
        }
      }
      code.used = true;
      return issueDelegated(ctx, app, code.user, code.scopes, tid, code.nonce, extra);
    }
    case 'refresh_token': {
      await authenticateClient(ctx, app, body, tenantSegment, !app.publicClient);
      const rt = state.refreshTokens.get(body.refresh_token ?? '');
      if (!rt || rt.clientId !== app.clientId) {
        throw new AadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
      }
      if (rt.revoked) {
        throw new AadError(
          400,
          'invalid_grant',
          50173,
          'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
          { suberror: 'bad_token' },
        );
      }
      if (rt.expiresAt < Date.now()) {
        throw new AadError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.', {
          suberror: 'bad_token',
        });
      }
      checkConditionalAccess(rt.user);
      // The policy changed since the sign-in: the refresh needs MFA, which only an interactive sign-in can do.
      if (rt.user.mfaRequired && !rt.mfa) throw mfaRequired(emulator.graphEndpoint);
      const scopes = body.scope ? parseScopes(ctx, body.scope) : rt.scopes;
      checkConsent(app, scopes);
      return issueDelegated(ctx, app, rt.user, scopes, tid, undefined, extra);
    }
    case 'client_credentials': {
      if (app.publicClient) throw new AadError(401, 'invalid_client', 7000218, NO_CLIENT_CREDENTIAL);
      await authenticateClient(ctx, app, body, tenantSegment, true);
      const scopes = parseScopes(ctx, body.scope);
      if (scopes.length !== 1 || scopes[0].kind !== 'default') {
        throw new AadError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${body.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      return issueAppOnly(ctx, app, scopes, tid, extra);
    }
    case 'password': {
      if (!app.allowPublicClientFlows && app.publicClient) {
        throw new AadError(400, 'invalid_client', 7000218, NO_CLIENT_CREDENTIAL);
      }
      await authenticateClient(ctx, app, body, tenantSegment, !app.publicClient);
      if (tenantSegment.toLowerCase() === 'common') {
        throw new AadError(
          400,
          'invalid_request',
          90014,
          'The request body must contain a tenant-specific endpoint for the resource owner password grant.',
        );
      }
      const user = emulator.users.get((body.username ?? '').toLowerCase());
      if (!user || user.password !== body.password) {
        throw new AadError(
          400,
          'invalid_grant',
          50126,
          'Error validating credentials due to invalid username or password.',
        );
      }
      checkConditionalAccess(user);
      if (user.mfaRequired) throw mfaRequired(emulator.graphEndpoint);
      const scopes = parseScopes(ctx, body.scope);
      checkConsent(app, scopes);
      return issueDelegated(ctx, app, user, scopes, tid, undefined, extra);
    }
    case 'device_code':
    case 'urn:ietf:params:oauth:grant-type:device_code': {
      const record = state.deviceCodes.get(body.device_code ?? '');
      if (!record || record.clientId !== app.clientId) {
        throw new AadError(400, 'bad_verification_code', 70019, 'Verification code expired or not found.');
      }
      if (record.expiresAt < Date.now()) {
        throw new AadError(
          400,
          'expired_token',
          70020,
          'The provided value for the input parameter device_code is no longer valid: it has expired.',
        );
      }
      if (record.status === 'declined') {
        state.deviceCodes.delete(record.deviceCode);
        throw new AadError(400, 'authorization_declined', 70000, 'The user declined the sign-in.');
      }
      if (record.status === 'pending') {
        throw new AadError(
          400,
          'authorization_pending',
          70016,
          'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
        );
      }
      state.deviceCodes.delete(record.deviceCode);
      checkConsent(app, record.scopes);
      return issueDelegated(ctx, app, record.user!, record.scopes, tid, undefined, extra);
    }
    default:
      throw new AadError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${body.grant_type}'.`,
      );
  }
}
