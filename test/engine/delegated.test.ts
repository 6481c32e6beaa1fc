import * as assert from 'node:assert/strict';
import type { ByoAppConnection, RopcConnection } from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { Secret } from '../../src/model/secret';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import { completeAuthorizeInBrowser, completeDeviceCode } from '../sandbox/browserBot';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, authCodeConnection, browserAs, makeClient, MEGAN, newId, withExpiredSignIn } from './support';

const BYO_CLIENT = 'a1b2c3d4-0000-4000-8000-00000000b0a0';
const BYO_PUBLIC = 'a1b2c3d4-0000-4000-8000-00000000b0a1';

async function expectFailure(promise: Promise<unknown>, kind: string, status?: string): Promise<ConnectionError> {
  const err = await promise.then(
    () => assert.fail(`expected a ${kind} failure`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectionError, `expected ConnectionError, got ${String(err)}`);
  assert.equal(err.failure.kind, kind, JSON.stringify(err.failure));
  if (status) assert.equal(err.failure.status, status);
  return err;
}

describe('engine: delegated grants against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const authCode = authCodeConnection;

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({
      clientId: BYO_CLIENT,
      publicClient: false,
      secrets: ['byo-secret-value'],
      redirectUris: ['http://localhost'],
      consentedScopes: ['Mail.Read', 'Mail.Read.Shared', 'User.Read'],
    });
    emulator.addApp({
      clientId: BYO_PUBLIC,
      publicClient: true,
      redirectUris: ['http://localhost'],
      allowPublicClientFlows: true,
      consentedScopes: ['Mail.Read'],
    });
  });
  after(() => emulator.stop());
  afterEach(() => emulator.clearFaults());

  it('authorization code + PKCE with the loopback redirect signs in and reads granted scopes from the token', async () => {
    const client = makeClient(emulator, authCode());
    const result = await client.signIn({ ui: browserAs(ADELE), method: 'browser' });
    assert.equal(result.account?.username, ADELE.upn);
    assert.ok(result.grantedScopes.includes('Mail.Read'), `scp: ${result.grantedScopes.join(' ')}`);
    assert.ok(result.expiresOn.getTime() > Date.now());
    assert.match(result.account.id, /^[^.]+\.[^.]+$/, 'client_info gives homeAccountId = oid.tid');
  });

  it('a second request is answered from the cache without the network; forceRefresh uses the refresh token', async () => {
    const client = makeClient(emulator, authCode());
    await client.signIn({ ui: browserAs(ADELE) });
    const before = client.requestCount;
    const cached = await client.getToken();
    assert.equal(cached.fromCache, true);
    assert.equal(client.requestCount, before);
    const refreshed = await client.getToken({ forceRefresh: true });
    assert.equal(refreshed.fromCache, false);
    assert.notEqual(refreshed.accessToken.reveal(), cached.accessToken.reveal());
  });

  it('the token cache survives in its store: a new client gets a token silently', async () => {
    const store = new MemoryTokenCacheStore();
    const config = authCode();
    await makeClient(emulator, config, {}, store).signIn({ ui: browserAs(ADELE) });
    assert.ok(store.value && !store.value.includes(ADELE.password));
    const again = await makeClient(emulator, config, {}, store).getToken();
    assert.equal(again.account?.username, ADELE.upn);
  });

  it('a revoked refresh token → reconnectRequired', async () => {
    const client = makeClient(emulator, authCode());
    await client.signIn({ ui: browserAs(ADELE) });
    emulator.revokeRefreshTokens(ADELE.upn);
    await expectFailure(client.getToken({ forceRefresh: true }), 'reconnect', 'reconnectRequired');
  });

  it('an expired access token is refreshed silently', () =>
    withExpiredSignIn(emulator, authCode(), async (client, first) => {
      const second = await client.getToken();
      assert.equal(second.fromCache, false);
      assert.ok(second.expiresOn > first.expiresOn);
    }));

  it('a permission without consent → consentRequired (AADSTS65001)', async () => {
    const client = makeClient(emulator, {
      id: newId(),
      name: 'byo',
      authType: 'byoApp',
      clientId: BYO_PUBLIC,
      confidential: false,
      environment: 'custom',
      tenant: 'contoso.test',
      scopes: { preset: 'minimal', additional: ['Mail.Send'] },
      signInMethod: 'browser',
    });
    const err = await expectFailure(client.signIn({ ui: browserAs(ADELE) }), 'consent', 'consentRequired');
    assert.equal(err.failure.code, 'AADSTS65001');
  });

  it('bring your own app with a client secret (confidential auth code) signs in', async () => {
    const config: ByoAppConnection = {
      id: newId(),
      name: 'byo',
      authType: 'byoApp',
      clientId: BYO_CLIENT,
      confidential: true,
      environment: 'custom',
      tenant: 'contoso.test',
      scopes: { preset: 'sharedMailbox', additional: [] },
      signInMethod: 'browser',
    };
    const result = await makeClient(emulator, config, { clientSecret: new Secret('byo-secret-value') }).signIn({
      ui: browserAs(ADELE),
    });
    assert.ok(result.grantedScopes.includes('Mail.Read.Shared'));
  });

  it('bring your own app with a wrong client secret → badClientSecret (AADSTS7000215)', async () => {
    const config: ByoAppConnection = {
      id: newId(),
      name: 'byo',
      authType: 'byoApp',
      clientId: BYO_CLIENT,
      confidential: true,
      environment: 'custom',
      tenant: 'contoso.test',
      scopes: { preset: 'minimal', additional: [] },
      signInMethod: 'browser',
    };
    const err = await expectFailure(
      makeClient(emulator, config, { clientSecret: new Secret('not-the-secret-7f3a') }).signIn({
        ui: browserAs(ADELE),
      }),
      'badClientSecret',
    );
    assert.equal(err.failure.code, 'AADSTS7000215');
    assert.doesNotMatch(JSON.stringify(err.failure), /not-the-secret-7f3a|byo-secret/);
  });

  it('an unknown app → unknownApp (AADSTS700016) where the server answers the app (device code)', async () => {
    const client = makeClient(emulator, authCode({ clientId: '99999999-9999-4999-8999-999999999999' }));
    await expectFailure(
      client.signIn({
        method: 'deviceCode',
        ui: { openBrowser: async () => undefined, showDeviceCode: () => assert.fail('no code for an unknown app') },
      }),
      'unknownApp',
    );
  });

  it('an unknown app in the browser: the login page shows AADSTS700016 and the app times out', async () => {
    const client = makeClient(emulator, authCode({ clientId: '99999999-9999-4999-8999-999999999999' }));
    let pageError: unknown;
    const ui = {
      openBrowser: async (url: string) =>
        void completeAuthorizeInBrowser(url, ADELE).catch((e: unknown) => (pageError = e)),
      showDeviceCode: () => undefined,
    };
    await expectFailure(client.signIn({ ui, timeoutMs: 1500 }), 'timeout');
    assert.match(String(pageError), /AADSTS700016/);
  });

  it('Cancel on the login page → declined (AADSTS65004), not a consent problem', async () => {
    const client = makeClient(emulator, authCode());
    const err = await expectFailure(client.signIn({ ui: browserAs({ decline: true }) }), 'declined');
    assert.equal(err.failure.code, 'AADSTS65004');
  });

  it('the loopback sign-in can be cancelled while waiting for the browser', async () => {
    const controller = new AbortController();
    const client = makeClient(emulator, authCode());
    const promise = client.signIn({
      signal: controller.signal,
      ui: { openBrowser: async () => void setImmediate(() => controller.abort()), showDeviceCode: () => undefined },
    });
    await expectFailure(promise, 'cancelled');
  });

  it('the loopback sign-in times out when the browser never comes back', async () => {
    const client = makeClient(emulator, authCode());
    await expectFailure(
      client.signIn({ timeoutMs: 300, ui: { openBrowser: async () => undefined, showDeviceCode: () => undefined } }),
      'timeout',
    );
  });

  describe('device code', () => {
    beforeEach(() => emulator.setDeviceCode({ intervalSeconds: 1, expiresInSeconds: 60 }));

    it('signs in once the user enters the code', async () => {
      const client = makeClient(emulator, authCode({ signInMethod: 'deviceCode' }));
      const result = await client.signIn({
        method: 'deviceCode',
        ui: {
          openBrowser: async () => assert.fail('no browser for device code'),
          showDeviceCode: (info) => void completeDeviceCode(info.verificationUri, info.userCode, ADELE),
        },
      });
      assert.equal(result.account?.username, ADELE.upn);
    });

    it('declined → declined', async () => {
      const client = makeClient(emulator, authCode());
      const promise = client.signIn({
        method: 'deviceCode',
        ui: { openBrowser: async () => undefined, showDeviceCode: (info) => emulator.declineDeviceCode(info.userCode) },
      });
      await expectFailure(promise, 'declined');
    });

    it('expired → codeExpired', async () => {
      emulator.setDeviceCode({ intervalSeconds: 1, expiresInSeconds: 1 });
      const client = makeClient(emulator, authCode());
      await expectFailure(
        client.signIn({
          method: 'deviceCode',
          ui: { openBrowser: async () => undefined, showDeviceCode: () => undefined },
        }),
        'codeExpired',
      );
    });

    it('cancelled → cancelled, after the current wait', async () => {
      const controller = new AbortController();
      const client = makeClient(emulator, authCode());
      const promise = client.signIn({
        method: 'deviceCode',
        signal: controller.signal,
        ui: { openBrowser: async () => undefined, showDeviceCode: () => controller.abort() },
      });
      await expectFailure(promise, 'cancelled');
    });
  });

  describe('ROPC', () => {
    const ropc = (username: string): RopcConnection => ({
      id: newId(),
      name: 'ropc',
      authType: 'ropc',
      environment: 'custom',
      tenant: 'contoso.test',
      username,
      scopes: { preset: 'minimal', additional: [] },
    });

    it('signs in with username and password', async () => {
      const result = await makeClient(emulator, ropc(ADELE.upn), { password: new Secret(ADELE.password) }).signIn({
        ui: browserAs(ADELE),
      });
      assert.equal(result.account?.username, ADELE.upn);
    });

    it('a wrong password → badPassword (AADSTS50126)', async () => {
      await expectFailure(
        makeClient(emulator, ropc(ADELE.upn), { password: new Secret('nope') }).signIn({ ui: browserAs(ADELE) }),
        'badPassword',
      );
    });

    it('an account that needs MFA → mfaRequired (AADSTS50076)', async () => {
      await expectFailure(
        makeClient(emulator, ropc(MEGAN.upn), { password: new Secret(MEGAN.password) }).signIn({
          ui: browserAs(MEGAN),
        }),
        'mfaRequired',
      );
    });

    it('a revoked refresh token is renewed with the stored password', async () => {
      const client = makeClient(emulator, ropc(ADELE.upn), { password: new Secret(ADELE.password) });
      await client.signIn({ ui: browserAs(ADELE) });
      emulator.revokeRefreshTokens(ADELE.upn);
      const result = await client.getToken({ forceRefresh: true });
      assert.equal(result.fromCache, false);
    });
  });
});
