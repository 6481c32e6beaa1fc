import * as assert from 'node:assert/strict';
import type { AuthCodeConnection } from '../../src/model/connection';
import { decodeJwtClaims } from '../../src/model/claims';
import { ConnectionError } from '../../src/engine/failures';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import type { InteractionUi, TokenResult } from '../../src/engine/tokenClient';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, authCodeConnection, browserAs, makeClient } from './support';

const ALEX = { upn: 'alex@contoso.test', password: 'Passw0rd!alex' };

/** The user a token was issued to, from the token itself (not from what MSAL says about the account). */
function userOf(result: TokenResult): unknown {
  return decodeJwtClaims(result.accessToken.reveal())?.upn;
}

/** The usernames of the accounts a serialized MSAL cache holds. */
function accountsIn(store: MemoryTokenCacheStore): string[] {
  const cache = JSON.parse(store.value ?? '{}') as { Account?: Record<string, { username: string }> };
  return Object.values(cache.Account ?? {})
    .map((a) => a.username)
    .sort();
}

describe('engine: signing a connection in again as another user', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const config = (extra: Partial<AuthCodeConnection> = {}) => authCodeConnection({ name: 'switch', ...extra });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addUser({ upn: ALEX.upn, password: ALEX.password, displayName: 'Alex Wilber' });
  });
  after(() => emulator.stop());

  it('replaces the account: silent calls, a new client over the same cache and a client after a reload all get the new user', async () => {
    const store = new MemoryTokenCacheStore();
    const connection = config();
    const client = makeClient(emulator, connection, {}, store);
    const first = await client.signIn({ ui: browserAs(ADELE) });
    assert.equal(userOf(first), ADELE.upn);
    const second = await client.signIn({ ui: browserAs(ALEX), selectAccount: true });
    assert.equal(userOf(second), ALEX.upn);
    assert.deepEqual(accountsIn(store), [ALEX.upn], 'the first user left the connection’s cache');

    assert.equal(userOf(await client.getToken()), ALEX.upn, 'silent, from the cache');
    assert.equal(userOf(await client.getToken({ forceRefresh: true })), ALEX.upn, 'silent, with the refresh token');
    assert.equal(
      userOf(await makeClient(emulator, connection, {}, store).getToken({ forceRefresh: true })),
      ALEX.upn,
      'a new client over the same cache',
    );
    // After a reload: only what was stored (the serialized cache and the recorded home account id).
    const reloaded = new MemoryTokenCacheStore(store.value);
    const fresh = makeClientWithAccount(connection, reloaded, second.account!.id);
    assert.equal(userOf(await fresh.getToken({ forceRefresh: true })), ALEX.upn, 'a fresh client after a reload');
    assert.equal(userOf(await fresh.getToken()), ALEX.upn, 'and from its cache');
  });

  it('silent calls take the recorded account from a cache that holds two, and none when nothing is recorded', async () => {
    // A cache with both users, as one written before accounts were replaced on sign-in could be.
    const connection = config();
    const adeleStore = new MemoryTokenCacheStore();
    const alexStore = new MemoryTokenCacheStore();
    const adele = await makeClient(emulator, connection, {}, adeleStore).signIn({ ui: browserAs(ADELE) });
    const alex = await makeClient(emulator, connection, {}, alexStore).signIn({ ui: browserAs(ALEX) });
    const both = mergeCaches(alexStore.value!, adeleStore.value!);
    assert.deepEqual(accountsIn(new MemoryTokenCacheStore(both)), [ADELE.upn, ALEX.upn]);

    for (const [recorded, upn] of [
      [alex.account!.id, ALEX.upn],
      [adele.account!.id, ADELE.upn],
    ]) {
      const client = makeClientWithAccount(connection, new MemoryTokenCacheStore(both), recorded);
      assert.equal(userOf(await client.getToken({ forceRefresh: true })), upn, `recorded ${upn}`);
    }
    const unrecorded = makeClient(emulator, connection, {}, new MemoryTokenCacheStore(both));
    const err = await unrecorded.getToken().then(
      () => assert.fail('two accounts and none recorded must not pick one'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectionError && err.failure.status === 'reconnectRequired', String(err));
  });

  it('Sign In with Another Account opens Entra’s account picker; a reconnect starts with the known account or the connection’s hint', async () => {
    const urls: string[] = [];
    const recording = (ui: InteractionUi): InteractionUi => ({
      ...ui,
      openBrowser: async (url) => (urls.push(url), ui.openBrowser(url)),
    });
    const hinted = config({ loginHint: ALEX.upn });
    const client = makeClient(emulator, hinted);
    await client.signIn({ ui: recording(browserAs(ALEX)) });
    await client.signIn({ ui: recording(browserAs(ALEX)), loginHint: ADELE.upn });
    await client.signIn({ ui: recording(browserAs(ADELE)), loginHint: ADELE.upn, selectAccount: true });
    await makeClient(emulator, config()).signIn({ ui: recording(browserAs(ADELE)) });
    const asked = urls
      .map((u) => new URL(u).searchParams)
      .map((q) => ({ prompt: q.get('prompt'), login_hint: q.get('login_hint') }));
    assert.deepEqual(asked, [
      { prompt: null, login_hint: ALEX.upn }, // the connection's Account (UPN)
      { prompt: null, login_hint: ADELE.upn }, // the account signed in before (the caller's hint wins)
      { prompt: 'select_account', login_hint: null }, // another account
      { prompt: 'select_account', login_hint: null }, // a first sign-in without a hint
    ]);
  });

  function makeClientWithAccount(connection: AuthCodeConnection, store: MemoryTokenCacheStore, homeAccountId: string) {
    return makeClient(emulator, connection, {}, store, { homeAccountId });
  }
});

/** Two serialized MSAL caches as one (their entries are keyed by account, so they do not collide). */
function mergeCaches(a: string, b: string): string {
  const x = JSON.parse(a) as Record<string, Record<string, unknown>>;
  const y = JSON.parse(b) as Record<string, Record<string, unknown>>;
  const merged: Record<string, Record<string, unknown>> = {};
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) merged[key] = { ...x[key], ...y[key] };
  return JSON.stringify(merged);
}
