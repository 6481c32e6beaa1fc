import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AuthCodeConnection, ClientCredentialsConnection } from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { Secret } from '../../src/model/secret';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, makeClient, newId, withExpiredSignIn } from './support';

const APP = 'c0ffee00-0000-4000-8000-0000000000d1';

describe('engine: faults, throttling and concurrency', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const credentials = (): ClientCredentialsConnection => ({
    id: newId(),
    name: 'cc',
    authType: 'clientCredentials',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId: APP,
    account: 'adele@contoso.test',
  });
  const authCode = (): AuthCodeConnection => ({
    id: newId(),
    name: 'ac',
    authType: 'authCode',
    environment: 'custom',
    tenant: 'contoso.test',
    scopes: { preset: 'minimal', additional: [] },
    signInMethod: 'browser',
  });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({ clientId: APP, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
  });
  after(() => emulator.stop());
  afterEach(() => emulator.clearFaults());

  it('429 with Retry-After → throttled, saying when to retry', async () => {
    emulator.injectFault({ endpoint: 'token', kind: 'throttle', retryAfterSeconds: 7, times: 5 });
    const err = await failureOf(
      makeClient(emulator, credentials(), { clientSecret: new Secret('s') }).signIn({ ui: browserAs(ADELE) }),
    );
    assert.equal(err.failure.kind, 'throttled');
    assert.equal(err.failure.retryAfterSeconds, 7);
  });

  it('a 5xx from the token endpoint → serverError', async () => {
    emulator.injectFault({ endpoint: 'token', kind: 'status', status: 503, times: 5 });
    const err = await failureOf(
      makeClient(emulator, credentials(), { clientSecret: new Secret('s') }).signIn({ ui: browserAs(ADELE) }),
    );
    assert.equal(err.failure.kind, 'serverError');
  });

  it('a dropped connection → network', async () => {
    emulator.injectFault({ endpoint: 'token', kind: 'drop', times: 5 });
    const err = await failureOf(
      makeClient(emulator, credentials(), { clientSecret: new Secret('s') }).signIn({ ui: browserAs(ADELE) }),
    );
    assert.equal(err.failure.kind, 'network');
  });

  it('a kept-alive socket the server closes when it is reused → the request is sent once more on a new one', async () => {
    const first = makeClient(emulator, credentials(), { clientSecret: new Secret('s') });
    await first.signIn({ ui: browserAs(ADELE) });
    // The next client reuses the socket of the first (one keep-alive agent); the server drops it.
    emulator.injectFault({ endpoint: 'token', kind: 'drop', times: 1 });
    const before = emulator.countRequests({ path: /\/token$/ });
    const second = await makeClient(emulator, credentials(), { clientSecret: new Secret('s') }).signIn({
      ui: browserAs(ADELE),
    });
    assert.ok(second.accessToken.reveal());
    assert.equal(
      emulator.countRequests({ path: /\/token$/ }) - before,
      2,
      'the dropped request and the one sent again',
    );
  });

  it('a login host that refuses the connection → network (a host that accepts and never answers: deadlines.test.ts)', async () => {
    const port = await closedPort();
    const client = makeClient({ ...emulator, loginEndpoint: `https://127.0.0.1:${port}` } as Emulator, credentials(), {
      clientSecret: new Secret('s'),
    });
    const err = await failureOf(client.signIn({ ui: browserAs(ADELE) }));
    assert.equal(err.failure.kind, 'network');
  });

  it('20 concurrent requests for one expired connection share one token request', () =>
    withExpiredSignIn(emulator, authCode(), async (client) => {
      const before = emulator.countRequests({ path: /\/token$/ });
      const results = await Promise.all(Array.from({ length: 20 }, () => client.getToken()));
      assert.equal(emulator.countRequests({ path: /\/token$/ }) - before, 1);
      assert.equal(new Set(results.map((r) => r.accessToken.reveal())).size, 1);
    }));
});

async function failureOf(promise: Promise<unknown>): Promise<ConnectionError> {
  const err = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectionError, String(err));
  return err;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
