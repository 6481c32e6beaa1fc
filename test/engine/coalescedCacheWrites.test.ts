import * as assert from 'node:assert/strict';
import { TokenCacheMap, type TokenCacheMapStorage } from '../../src/connections/tokenCacheMap';
import type { TokenCacheStore } from '../../src/engine/tokenCache';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { Secret } from '../../src/model/secret';
import { ADELE, authCodeConnection, browserAs, makeClient, newId, waitFor } from './support';

/**
 * The token caches of all connections in one SecretStorage entry, written once per burst
 * (src/connections/tokenCacheMap.ts), under real refreshes: MSAL against the emulator, which rotates
 * the refresh token on every redemption as Microsoft Entra does. The SecretStorage entry itself is a
 * stand-in whose writes land only when the test lets them (the seam these tests are not about).
 */
class HeldEntry implements TokenCacheMapStorage {
  value: string | undefined;
  /** SecretStorage writes started, and how many have landed. */
  started = 0;
  landed = 0;
  #held: { promise: Promise<void>; release: () => void; fail: (err: Error) => void } | undefined;
  #failing: Error | undefined;

  /** From now on writes wait for `release()` or `fail()`. */
  hold(): void {
    let release!: () => void;
    let fail!: (err: Error) => void;
    const promise = new Promise<void>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    promise.catch(() => undefined);
    this.#held = { promise, release, fail };
  }
  release(): void {
    this.#held?.release();
    this.#held = undefined;
  }
  /** The held writes and every later one fail (a keychain that stays locked). */
  fail(err: Error): void {
    this.#failing = err;
    this.#held?.fail(err);
    this.#held = undefined;
  }

  async get(): Promise<string | undefined> {
    return this.value;
  }
  async store(value: string): Promise<void> {
    this.started++;
    if (this.#failing) throw this.#failing;
    await this.#held?.promise;
    this.value = value;
    this.landed++;
  }
  async readLegacy(): Promise<string | undefined> {
    return undefined;
  }
  async deleteLegacy(): Promise<void> {}
  changedElsewhere(): void {}

  /** The refresh tokens stored for the connection (the secret values in MSAL's cache). */
  refreshTokens(id: string): string[] {
    const entry = (JSON.parse(this.value ?? '{"caches":{}}') as { caches: Record<string, { cache: string }> }).caches[
      id
    ];
    if (!entry) return [];
    const cache = JSON.parse(entry.cache) as { RefreshToken: Record<string, { secret: string }> };
    return Object.values(cache.RefreshToken).map((t) => t.secret);
  }
}

/** What SecretStore hands MSAL's cache plugin for one connection. */
const storeOf = (map: TokenCacheMap, id: string): TokenCacheStore => ({
  read: () => map.read(id),
  write: (serialized) => map.write(id, serialized),
});

/** Every client's answer is in: its new cache is what the map reads (pending, in flight or stored). */
const allAnswered = async (map: TokenCacheMap, before: Map<string, string | undefined>) => {
  const now = await Promise.all([...before.keys()].map((id) => map.read(id)));
  return now.every((cache, i) => cache !== [...before.values()][i]);
};
const cachesOf = async (map: TokenCacheMap, ids: string[]) =>
  new Map(await Promise.all(ids.map(async (id) => [id, await map.read(id)] as const)));

/** Lets every callback queued so far run (timers, I/O, immediates), without waiting for a condition. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('engine: token cache writes coalesced per burst, each refresh done only once its write landed', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let entry: HeldEntry;
  let map: TokenCacheMap;
  const refreshes = () => emulator.countRequests({ path: /\/token$/, grantType: 'refresh_token' });

  const CC_APP = 'c0ffee00-0000-4000-8000-00000000c0a1';
  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({
      clientId: CC_APP,
      publicClient: false,
      secrets: ['cc-secret'],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
  });
  after(() => emulator.stop());
  beforeEach(() => {
    entry = new HeldEntry();
    map = new TokenCacheMap(entry);
  });

  async function signedIn(count: number) {
    const clients = [];
    for (let i = 0; i < count; i++) {
      const config = authCodeConnection();
      const client = makeClient(emulator, config, {}, storeOf(map, config.id));
      await client.signIn({ ui: browserAs(ADELE) });
      clients.push({ id: config.id, client });
    }
    return clients;
  }

  it('a refresh that rotated the refresh token resolves only after the write that stores the new one has landed', async () => {
    const [{ id, client }] = await signedIn(1);
    const before = entry.refreshTokens(id);
    assert.equal(before.length, 1);
    entry.hold();
    const sent = refreshes();
    let settled = false;
    const refresh = client.getToken({ forceRefresh: true }).finally(() => (settled = true));
    await waitFor(
      () => refreshes() > sent && entry.started > entry.landed,
      'the refresh answered, its write under way',
    );
    await turns(20);
    assert.equal(settled, false, 'the refresh counted as done before its refresh token was stored');
    entry.release();
    const result = await refresh;
    assert.equal(result.fromCache, false);
    const after = entry.refreshTokens(id);
    assert.equal(after.length, 1);
    assert.notEqual(after[0], before[0], 'the rotated refresh token is the one stored');
  });

  it('refreshes that finish while a write is under way share the next write; a failed write fails every refresh in it', async () => {
    const clients = await signedIn(4);
    const caches = await cachesOf(
      map,
      clients.map((c) => c.id),
    );
    const landedBefore = entry.landed;
    entry.hold();
    const sent = refreshes();
    const outcomes = clients.map(({ client }) =>
      client.getToken({ forceRefresh: true }).then(
        () => 'ok',
        (err: unknown) => err,
      ),
    );
    // All four answered; the first write is held, the others wait for the next one.
    await waitFor(
      async () => refreshes() - sent === 4 && entry.started > landedBefore && (await allAnswered(map, caches)),
      'four refreshes answered, a write held',
    );
    entry.fail(new Error('keychain locked'));
    const results = await Promise.all(outcomes);
    for (const result of results) {
      assert.ok(result instanceof Error, `a refresh counted as done although its write failed: ${String(result)}`);
    }
    assert.ok(entry.started - landedBefore <= 2, `4 refreshes, ${entry.started - landedBefore} writes: not coalesced`);
    assert.equal(entry.landed, landedBefore, 'nothing landed');
  });

  it('ten connections refreshed at once: every rotated refresh token is stored, the ten in at most two writes', async () => {
    const clients = await signedIn(10);
    const before = new Map(clients.map(({ id }) => [id, entry.refreshTokens(id)[0]]));
    const caches = await cachesOf(
      map,
      clients.map((c) => c.id),
    );
    const writes = entry.started;
    entry.hold(); // SecretStorage is slow to answer: the refreshes that finish meanwhile wait for the next write
    const sent = refreshes();
    const all = Promise.all(clients.map(({ client }) => client.getToken({ forceRefresh: true })));
    await waitFor(
      async () => refreshes() - sent === 10 && entry.started > writes && (await allAnswered(map, caches)),
      'ten refreshes answered, a write held',
    );
    entry.release();
    await all;
    // The first write starts with the first answer; the nine others join the next.
    assert.ok(entry.started - writes <= 2, `${entry.started - writes} writes for 10 refreshes`);
    for (const { id } of clients) {
      const [stored] = entry.refreshTokens(id);
      assert.ok(stored && stored !== before.get(id), `${id}: the rotated refresh token is stored`);
    }
  });

  it('a client-credentials token (no refresh token in its cache) is done without waiting for its write, which still lands', async () => {
    const id = newId();
    const client = makeClient(
      emulator,
      {
        id,
        name: 'cc',
        authType: 'clientCredentials',
        environment: 'custom',
        tenant: 'contoso.test',
        clientId: CC_APP,
        account: ADELE.upn,
      },
      { clientSecret: new Secret('cc-secret') },
      storeOf(map, id),
    );
    entry.hold();
    const landed = entry.landed;
    const result = await client.getToken({ forceRefresh: true });
    assert.equal(result.fromCache, false);
    assert.equal(entry.landed, landed, 'done while its write is still held');
    entry.release();
    await waitFor(() => entry.landed > landed, 'the write to land');
    assert.ok(entry.value?.includes(result.accessToken.reveal()), 'the stored cache holds the token');
  });
});
