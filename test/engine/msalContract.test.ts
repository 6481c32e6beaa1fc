/**
 * Contract tests: msal-node behaviours the engine relies on (TESTING.md §1). An upgrade of msal-node
 * that changes one of them fails here, loudly, before it breaks a user.
 */
import * as assert from 'node:assert/strict';
import { ConfidentialClientApplication, InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-node';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, waitFor } from './support';
import { GuardedNetworkClient } from '../../src/engine/network';

const PUBLIC = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

describe('msal-node contract', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  after(() => emulator.stop());

  it('an http:// authority is refused (authority_uri_insecure)', async () => {
    const app = new PublicClientApplication({
      auth: { clientId: PUBLIC, authority: 'http://127.0.0.1:1/contoso.test', knownAuthorities: ['127.0.0.1:1'] },
    });
    await assert.rejects(
      app.getAuthCodeUrl({ scopes: ['openid'], redirectUri: 'http://localhost' }),
      /authority_uri_insecure/,
    );
  });

  it('with the login host in knownAuthorities, MSAL asks no other host (no instance discovery)', async () => {
    const network = new GuardedNetworkClient(emulator.loginEndpoint);
    const host = new URL(emulator.loginEndpoint).host;
    const app = new PublicClientApplication({
      auth: { clientId: PUBLIC, authority: `${emulator.loginEndpoint}/contoso.test`, knownAuthorities: [host] },
      system: { networkClient: network },
    });
    const url = await app.getAuthCodeUrl({ scopes: ['openid'], redirectUri: 'http://localhost' });
    assert.ok(url.startsWith(`${emulator.loginEndpoint}/contoso.test/oauth2/v2.0/authorize`), url);
  });

  it('a revoked refresh token (suberror bad_token) is an InteractionRequiredAuthError invalid_grant; client_info makes homeAccountId oid.tid', async () => {
    const host = new URL(emulator.loginEndpoint).host;
    const app = new PublicClientApplication({
      auth: { clientId: PUBLIC, authority: `${emulator.loginEndpoint}/contoso.test`, knownAuthorities: [host] },
    });
    const scopes = ['openid', 'offline_access', 'Mail.Read'];
    const signedIn = await app.acquireTokenByUsernamePassword({
      scopes,
      username: ADELE.upn,
      password: ADELE.password,
    });
    assert.ok(signedIn?.account);
    assert.match(signedIn.account.homeAccountId, /^[0-9a-f-]+\.[0-9a-f-]+$/);
    emulator.revokeRefreshTokens(ADELE.upn);
    const err = await app
      .acquireTokenSilent({ account: signedIn.account, scopes, forceRefresh: true })
      .catch((e: unknown) => e);
    assert.ok(err instanceof InteractionRequiredAuthError, String(err));
    assert.equal(err.errorCode, 'invalid_grant');
  });

  it('the device code endpoint is the token endpoint with /token → /devicecode, and it polls only after authorization_pending', async () => {
    emulator.setDeviceCode({ intervalSeconds: 1, expiresInSeconds: 30 });
    const host = new URL(emulator.loginEndpoint).host;
    const app = new PublicClientApplication({
      auth: { clientId: PUBLIC, authority: `${emulator.loginEndpoint}/contoso.test`, knownAuthorities: [host] },
    });
    const before = emulator.countRequests({ path: /\/devicecode$/ });
    const pendingBefore = emulator.countRequests({ path: /\/token$/ });
    // Approve only after MSAL has polled once and heard authorization_pending.
    const result = await app.acquireTokenByDeviceCode({
      scopes: ['Mail.Read'],
      deviceCodeCallback: (r) =>
        void waitFor(() => emulator.countRequests({ path: /\/token$/ }) > pendingBefore, 'a first poll').then(() =>
          emulator.approveDeviceCode(r.userCode, ADELE.upn),
        ),
    });
    assert.ok(result?.accessToken);
    assert.equal(emulator.countRequests({ path: /\/devicecode$/ }) - before, 1);
    assert.equal(emulator.countRequests({ path: /\/token$/ }) - pendingBefore, 2, 'one pending poll, then the token');
  });

  it('client credentials: the same app instance answers from its cache (fromCache)', async () => {
    const clientId = 'c0ffee00-0000-4000-8000-0000000000f1';
    emulator.addApp({ clientId, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
    const host = new URL(emulator.loginEndpoint).host;
    const app = new ConfidentialClientApplication({
      auth: {
        clientId,
        clientSecret: 's',
        authority: `${emulator.loginEndpoint}/contoso.test`,
        knownAuthorities: [host],
      },
    });
    const scopes = [`${emulator.graphEndpoint}/.default`];
    const first = await app.acquireTokenByClientCredential({ scopes });
    const second = await app.acquireTokenByClientCredential({ scopes });
    assert.equal(first?.fromCache, false);
    assert.equal(second?.fromCache, true);
  });
});
