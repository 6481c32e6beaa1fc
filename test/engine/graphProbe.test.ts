import * as assert from 'node:assert/strict';
import type { AuthCodeConnection, ClientCredentialsConnection } from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { probeGraph } from '../../src/engine/graphProbe';
import { formatMessage } from '../../src/model/messages';
import { Secret } from '../../src/model/secret';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, environmentOf, makeClient, newId } from './support';

const APP = 'c0ffee00-0000-4000-8000-0000000000e1';
const NO_ROLES = 'c0ffee00-0000-4000-8000-0000000000e2';

describe('engine: Test Connection (Graph probe) and cloud isolation', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let otherCloud: Emulator;
  const delegated = (extra: Partial<AuthCodeConnection> = {}): AuthCodeConnection => ({
    id: newId(),
    name: 'ac',
    authType: 'authCode',
    environment: 'custom',
    tenant: 'contoso.test',
    scopes: { preset: 'minimal', additional: ['User.Read'] },
    signInMethod: 'browser',
    ...extra,
  });
  const appOnly = (
    clientId: string,
    extra: Partial<ClientCredentialsConnection> = {},
  ): ClientCredentialsConnection => ({
    id: newId(),
    name: 'cc',
    authType: 'clientCredentials',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId,
    account: ADELE.upn,
    ...extra,
  });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    otherCloud = await startEmulator({ quiet: true, name: 'other cloud' });
    emulator.addApp({ clientId: APP, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
    emulator.addApp({ clientId: NO_ROLES, publicClient: false, secrets: ['s'], redirectUris: [] });
  });
  after(async () => {
    await emulator.stop();
    await otherCloud.stop();
  });

  async function tokenFor(config: AuthCodeConnection | ClientCredentialsConnection) {
    const secrets = config.authType === 'clientCredentials' ? { clientSecret: new Secret('s') } : {};
    return (await makeClient(emulator, config, secrets).signIn({ ui: browserAs(ADELE) })).accessToken;
  }

  it('delegated: /me and the user’s inbox → OK', async () => {
    const config = delegated();
    const result = await probeGraph(config, environmentOf(emulator), await tokenFor(config));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.status]),
      [
        ['me', 200],
        ['inbox', 200],
      ],
    );
  });

  it('delegated with a shared mailbox but without Mail.Read.Shared → 403 naming the permission', async () => {
    const config = delegated({ sharedMailbox: 'support@contoso.test' });
    const result = await probeGraph(config, environmentOf(emulator), await tokenFor(config));
    assert.equal(result.ok, false);
    const last = result.steps.at(-1)!;
    assert.equal(last.status, 403);
    assert.equal(last.missingPermission, 'Mail.Read.Shared');
  });

  it('delegated with Mail.Read.Shared reads the shared mailbox', async () => {
    const config = delegated({
      sharedMailbox: 'support@contoso.test',
      scopes: { preset: 'sharedMailbox', additional: ['User.Read'] },
    });
    const result = await probeGraph(config, environmentOf(emulator), await tokenFor(config));
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('app-only with Mail.Read reads the account’s inbox', async () => {
    const config = appOnly(APP);
    const result = await probeGraph(config, environmentOf(emulator), await tokenFor(config));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.steps[0].path, `/v1.0/users/${encodeURIComponent(ADELE.upn)}/mailFolders/inbox`);
  });

  it('app-only without application permissions → 403 Mail.Read (application)', async () => {
    const config = appOnly(NO_ROLES);
    const result = await probeGraph(config, environmentOf(emulator), await tokenFor(config));
    assert.equal(result.steps[0].status, 403);
    assert.equal(result.steps[0].missingPermission, 'Mail.Read (application)');
  });

  it('app-only for an unknown mailbox → 404', async () => {
    const config = appOnly(APP, { account: 'nobody@contoso.test' });
    const result = await probeGraph(config, environmentOf(emulator), await tokenFor(config));
    assert.equal(result.steps[0].status, 404);
  });

  it('a token of one cloud is never sent to another cloud’s Graph host', async () => {
    const config = delegated();
    const token = await tokenFor(config);
    const before = otherCloud.countRequests({ host: 'graph' });
    await assert.rejects(
      probeGraph(config, environmentOf(otherCloud), token),
      (err: unknown) => err instanceof ConnectionError && err.failure.kind === 'configuration',
    );
    assert.equal(otherCloud.countRequests({ host: 'graph' }), before, 'the other cloud saw no request');
  });

  it('the login traffic of a connection never leaves its own login host', async () => {
    const { GuardedNetworkClient } = await import('../../src/engine/network');
    const guard = new GuardedNetworkClient(emulator.loginEndpoint);
    await assert.rejects(
      guard.sendGetRequestAsync(`${otherCloud.loginEndpoint}/common/v2.0/.well-known/openid-configuration`),
      /refused/,
    );
    assert.equal(guard.requestCount, 0);
  });

  describe('Graph throttling and server errors (https://learn.microsoft.com/graph/throttling)', () => {
    afterEach(() => emulator.clearFaults());
    const inboxRequests = () => emulator.countRequests({ host: 'graph', path: /\/mailFolders\/inbox$/ });

    it('a 429 with a short Retry-After is waited out, then the step is sent once more', async () => {
      const config = appOnly(APP);
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'throttle', retryAfterSeconds: 1, times: 1 });
      const before = inboxRequests();
      const started = Date.now();
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.ok(Date.now() - started >= 1000, 'not sent again before Retry-After');
      assert.equal(inboxRequests() - before, 2);
    });

    it('a second 429 ends the test with the time to wait; the probe does not hammer', async () => {
      const config = appOnly(APP);
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'throttle', retryAfterSeconds: 1, times: 10 });
      const before = inboxRequests();
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, false);
      assert.equal(inboxRequests() - before, 2, 'the request and one retry');
      assert.equal(result.steps[0].status, 429);
      assert.equal(result.steps[0].retryAfterSeconds, 1);
      assert.match(formatMessage(result.summary), /throttling.*Try again in 1 seconds/);
    });

    it('a long Retry-After is reported at once, not waited for', async () => {
      const config = appOnly(APP);
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'throttle', retryAfterSeconds: 120, times: 10 });
      const before = inboxRequests();
      const started = Date.now();
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.ok(Date.now() - started < 10_000);
      assert.equal(inboxRequests() - before, 1);
      assert.match(formatMessage(result.summary), /Try again in 120 seconds/);
    });

    it('a 5xx says Microsoft Graph had a problem and to try again later', async () => {
      const config = delegated();
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'status', status: 503, times: 10 });
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, false);
      assert.equal(result.steps.length, 1, 'stops at the first 5xx, even on the optional /me step');
      assert.equal(result.steps[0].status, 503);
      assert.match(formatMessage(result.summary), /HTTP 503: Microsoft Graph had a problem.*Try again later/);
    });
  });

  it('a token revoked in Graph’s eyes (bad signature) → 401 and "sign in again"', async () => {
    const config = delegated();
    const token = await tokenFor(config);
    const tampered = new Secret(token.reveal().slice(0, -4) + 'AAAA');
    const result = await probeGraph(config, environmentOf(emulator), tampered);
    assert.equal(result.steps[0].status, 401);
    assert.equal(result.ok, false);
  });
});
