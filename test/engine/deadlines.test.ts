import * as assert from 'node:assert/strict';
import type {
  AuthCodeConnection,
  ClientCredentialsConnection,
  ConnectionConfig,
  ConnectionSecrets,
} from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { probeGraph } from '../../src/engine/graphProbe';
import { formatMessage } from '../../src/model/messages';
import { Secret } from '../../src/model/secret';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import { ConnectionTokenClient } from '../../src/engine/tokenClient';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, environmentOf, newId, waitFor } from './support';

const APP = 'c0ffee00-0000-4000-8000-0000000000f1';
/** The deadline of these tests, short so they stay quick; the setting's default is 30 s. */
const DEADLINE_MS = 1000;
/** How much later than the deadline a failure may arrive on a busy machine and still count as "at the deadline". */
const SLACK_MS = 5000;
const LOGIN_SILENT = /^The login host did not answer within 1 s\./;
const GRAPH_SILENT = /^Microsoft Graph did not answer within 1 s\./;

/**
 * "Does not answer" is a server that accepts the connection and then stays silent, not a refused port
 * (TESTING.md "Hung servers"): the emulator reads the request and never answers (`hang`), or accepts
 * the TCP connection and never starts TLS (`stallConnections`). Each request ends at its deadline
 * with a network failure naming the silent host, and the next request is sent anew and succeeds.
 */
describe('engine: deadlines of requests to a host that accepts and never answers', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  const credentials = (): ClientCredentialsConnection => ({
    id: newId(),
    name: 'cc',
    authType: 'clientCredentials',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId: APP,
    account: ADELE.upn,
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
  const clientOf = (config: ConnectionConfig, secrets: ConnectionSecrets = {}) =>
    new ConnectionTokenClient({
      config,
      environment: environmentOf(emulator),
      secrets,
      cacheStore: new MemoryTokenCacheStore(),
      requestTimeoutMs: DEADLINE_MS,
    });
  const appClient = () => clientOf(credentials(), { clientSecret: new Secret('s') });
  const tokens = () => emulator.countRequests({ path: /\/oauth2\/v2\.0\/token$/ });

  /** A delegated connection whose access token has expired: its next getToken() sends a refresh. */
  async function expiredSignIn(): Promise<ConnectionTokenClient> {
    emulator.setLifetimes({ accessTokenSeconds: 1 });
    try {
      const client = clientOf(authCode());
      const first = await client.signIn({ ui: browserAs(ADELE) });
      await waitFor(() => Date.now() > first.expiresOn.getTime() + 10, 'the token to expire', 5000);
      return client;
    } finally {
      emulator.setLifetimes({ accessTokenSeconds: 3600 });
    }
  }

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({ clientId: APP, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
  });
  after(() => emulator.stop());
  afterEach(() => emulator.clearFaults());

  it('token endpoint: the refresh (and a caller sharing it) ends at the deadline; the next refresh sends a new request and succeeds', async () => {
    const client = await expiredSignIn();
    emulator.injectFault({ endpoint: 'token', kind: 'hang', times: 1 });
    const before = tokens();
    const started = Date.now();
    const [silent, forced] = await Promise.allSettled([client.getToken(), client.getToken({ forceRefresh: true })]);
    assertNoAnswer(silent, LOGIN_SILENT, started);
    assertNoAnswer(forced, LOGIN_SILENT, started);
    assert.equal(tokens() - before, 1, 'one refresh request, shared by both callers, and left unanswered');
    // The server answers again: the flight was freed, so the next refresh is a new request.
    const next = await client.getToken();
    assert.equal(next.fromCache, false);
    assert.equal(tokens() - before, 2);
  });

  it('metadata (OIDC discovery): the sign-in ends at the deadline; the next one fetches the metadata again and succeeds', async () => {
    const client = appClient();
    const metadata = () => emulator.countRequests({ path: /openid-configuration$/ });
    emulator.injectFault({ endpoint: 'metadata', kind: 'hang', times: 1 });
    const before = metadata();
    const started = Date.now();
    const [attempt] = await Promise.allSettled([client.getToken()]);
    assertNoAnswer(attempt, LOGIN_SILENT, started);
    assert.equal(metadata() - before, 1);
    const next = await client.getToken();
    assert.ok(next.accessToken.reveal());
    assert.equal(metadata() - before, 2, 'the metadata was asked for again');
  });

  it('the login host accepts the connection and never completes the TLS handshake: the refresh ends at the deadline, then works', async () => {
    const client = await expiredSignIn();
    const before = tokens();
    emulator.stallConnections('login', true);
    const started = Date.now();
    const [attempt] = await Promise.allSettled([client.getToken()]);
    assertNoAnswer(attempt, LOGIN_SILENT, started);
    assert.equal(tokens(), before, 'no request got through the handshake');
    emulator.stallConnections('login', false);
    const next = await client.getToken();
    assert.equal(next.fromCache, false);
    assert.equal(tokens() - before, 1);
  });

  it('Graph: Test Connection ends at the deadline with "Microsoft Graph did not answer"; the next test sends new requests and passes', async () => {
    const config = credentials();
    const token = await clientOf(config, { clientSecret: new Secret('s') }).signIn({ ui: browserAs(ADELE) });
    const graph = () => emulator.countRequests({ host: 'graph' });
    emulator.injectFault({ endpoint: 'graph', kind: 'hang', times: 1 });
    const before = graph();
    const started = Date.now();
    const [attempt] = await Promise.allSettled([
      probeGraph(config, environmentOf(emulator), token.accessToken, { timeoutMs: DEADLINE_MS }),
    ]);
    assertNoAnswer(attempt, GRAPH_SILENT, started);
    const next = await probeGraph(config, environmentOf(emulator), token.accessToken, { timeoutMs: DEADLINE_MS });
    assert.equal(next.ok, true, JSON.stringify(next.checks));
    assert.equal(graph() - before, 2);
  });

  /**
   * Runs `work` with a Graph host of its own whose handshakes stall: fetch keeps the Graph connections
   * of the other tests alive, and one the stall closes just as fetch reuses it fails at once ("fetch
   * failed"), before any handshake could hang.
   */
  async function withStalledGraph(
    work: (probe: (timeoutMs: number) => Promise<unknown>, cloud: Emulator) => Promise<void>,
  ): Promise<void> {
    const cloud = await startEmulator({ quiet: true });
    try {
      cloud.addApp({ clientId: APP, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
      const config = credentials();
      const environment = environmentOf(cloud);
      const token = await new ConnectionTokenClient({
        config,
        environment,
        secrets: { clientSecret: new Secret('s') },
        cacheStore: new MemoryTokenCacheStore(),
      }).signIn({ ui: browserAs(ADELE) });
      cloud.stallConnections('graph', true);
      await work((timeoutMs) => probeGraph(config, environment, token.accessToken, { timeoutMs }), cloud);
    } finally {
      await cloud.stop();
    }
  }

  it('Graph accepts the connection and never completes the TLS handshake: the test ends at the deadline, then passes', () =>
    withStalledGraph(async (probe, cloud) => {
      const started = Date.now();
      const [attempt] = await Promise.allSettled([probe(DEADLINE_MS)]);
      assertNoAnswer(attempt, GRAPH_SILENT, started);
      assert.equal(cloud.countRequests({ host: 'graph' }), 0, 'no request got through the handshake');
      cloud.stallConnections('graph', false);
      const next = (await probe(DEADLINE_MS)) as { ok: boolean; checks: unknown };
      assert.equal(next.ok, true, JSON.stringify(next.checks));
    }));

  it('Graph’s stalled handshake with a deadline longer than fetch’s own connect timeout (10 s): the same failure, with the time waited', () =>
    withStalledGraph(async (probe) => {
      const deadline = 20_000;
      const started = Date.now();
      const [attempt] = await Promise.allSettled([probe(deadline)]);
      const elapsed = Date.now() - started;
      assert.equal(attempt.status, 'rejected');
      const err = attempt.reason as unknown;
      assert.ok(err instanceof ConnectionError, String(err));
      assert.equal(err.failure.kind, 'network');
      const said = /^Microsoft Graph did not answer within (\d+) s\./.exec(formatMessage(err.failure.message));
      assert.ok(said, formatMessage(err.failure.message));
      assert.ok(Math.abs(Number(said[1]) - elapsed / 1000) <= 1, `says ${said[1]} s after ${elapsed} ms`);
      assert.ok(elapsed < deadline, `ended after ${elapsed} ms`);
    }));
});

/** A failure at the deadline (not before it, not long after): a network failure with the given sentence. */
function assertNoAnswer(outcome: PromiseSettledResult<unknown>, sentence: RegExp, started: number): void {
  const elapsed = Date.now() - started;
  assert.equal(outcome.status, 'rejected', 'the request failed');
  const err = outcome.reason as unknown;
  assert.ok(err instanceof ConnectionError, String(err));
  assert.equal(err.failure.kind, 'network');
  assert.match(formatMessage(err.failure.message), sentence);
  assert.ok(elapsed >= DEADLINE_MS - 50, `ended after ${elapsed} ms, before the deadline`);
  assert.ok(elapsed < DEADLINE_MS + SLACK_MS, `ended after ${elapsed} ms, long after the deadline`);
}
