import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CorruptSecretError, SecretStorageUnavailableError, SecretStore } from '../../src/connections/secretStore';
import { OutcomeRecorder } from '../../src/connections/outcomes';
import { TOKEN_CACHES_KEY } from '../../src/connections/tokenCacheMap';
import { Sessions } from '../../src/connections/sessions';
import { ConnectionError } from '../../src/engine/failures';
import { Settings } from '../../src/settings';
import { addConnection, testingApi, waitFor } from './support';

/**
 * SecretStore's memory of token caches, over a SecretStorage that counts its reads and can change a
 * value "from another window" (a stand-in for the storage seam; the extension's own use of the real
 * SecretStorage is covered in extension.test.ts).
 */
class CountingStorage implements vscode.SecretStorage {
  readonly values = new Map<string, string>();
  reads = 0;
  readonly #onDidChange = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.#onDidChange.event;
  /** While set, get() waits for it (a read that overlaps a change). */
  gate: Promise<void> | undefined;
  /** How many of the next get()/store() calls are rejected (a locked or busy keychain). */
  failNext = 0;

  #fail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('keychain busy');
    }
  }

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    this.#fail();
    const value = this.values.get(key);
    await this.gate;
    return value;
  }
  async store(key: string, value: string): Promise<void> {
    this.#fail();
    this.values.set(key, value);
    setTimeout(() => this.#onDidChange.fire({ key }), 5);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    setTimeout(() => this.#onDidChange.fire({ key }), 5);
  }
  keys(): Thenable<string[]> {
    return Promise.resolve([...this.values.keys()]);
  }
  /** Another window's write: the value changes and the event arrives, nothing else. */
  elsewhere(key: string, value: string): void {
    this.values.set(key, value);
    this.#onDidChange.fire({ key });
  }
}

/** The one token cache entry (src/connections/tokenCacheMap.ts) holding these caches. */
const entryOf = (caches: Record<string, string | null>, seq = 1) =>
  JSON.stringify({
    version: 1,
    caches: Object.fromEntries(Object.entries(caches).map(([id, cache]) => [id, { cache, seq, at: Date.now() }])),
  });
const cacheIn = (value: string | undefined, id: string) =>
  (JSON.parse(value ?? '{"caches":{}}') as { caches: Record<string, { cache: string | null }> }).caches[id]?.cache;

describe('SecretStore: token caches kept in memory between changes', () => {
  const KEY = TOKEN_CACHES_KEY;
  let storage: CountingStorage;
  let store: SecretStore;
  beforeEach(() => {
    storage = new CountingStorage();
    store = new SecretStore(storage);
  });
  afterEach(() => store.dispose());

  it('reads SecretStorage once, then answers from memory, also right after its own write', async () => {
    storage.values.set(KEY, entryOf({ c1: 'v1' }));
    const cache = store.tokenCache('c1');
    assert.equal(await cache.read(), 'v1');
    assert.equal(await cache.read(), 'v1');
    assert.equal(storage.reads, 1);
    const ownEvent = new Promise<void>((resolve) => {
      const once = storage.onDidChange(() => (once.dispose(), resolve()));
    });
    await cache.write('v2');
    assert.equal(await cache.read(), 'v2');
    // The change event of its own write arrives: it says nothing new, nothing is read.
    await ownEvent;
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.read(), 'v2');
    assert.equal(storage.reads, 1, 'the change event of its own write is not read back');
  });

  it('VS Code’s SecretStorage fires a change event for every write of this window, its own included (tokenCacheMap.ts counts on it)', async () => {
    const api = await testingApi();
    const key = 'outlook365/test-own-events';
    let events = 0;
    const listening = api.rawSecrets.onDidChange((e) => e.key === key && events++);
    try {
      for (let i = 0; i < 3; i++) await api.rawSecrets.store(key, `value ${i}`);
      await waitFor(() => events >= 3, 'one change event per write');
    } finally {
      listening.dispose();
      await api.rawSecrets.delete(key);
    }
  });

  it('another window’s change is read on the next access, and reported for the connection it changed only', async () => {
    storage.values.set(KEY, entryOf({ c1: 'v1', c2: 'w1' }));
    const reported: string[] = [];
    const listening = store.onDidChangeElsewhere((e) => reported.push(`${e.kind}:${e.connectionId}`));
    const cache = store.tokenCache('c1');
    assert.equal(await cache.read(), 'v1');
    storage.elsewhere(KEY, entryOf({ c1: 'from elsewhere', c2: 'w1' }, 2));
    assert.equal(await cache.read(), 'from elsewhere');
    await waitFor(() => reported.length > 0, 'the change to be reported');
    assert.deepEqual(reported, ['tokenCache:c1']);
    listening.dispose();
  });

  it('a read that overlapped a change is not remembered', async () => {
    storage.values.set(KEY, entryOf({ c1: 'old' }));
    const cache = store.tokenCache('c1');
    let open!: () => void;
    storage.gate = new Promise((r) => (open = r));
    const slow = cache.read(); // sees "old"
    await waitFor(() => storage.reads === 1, 'the slow read to start');
    storage.gate = undefined;
    storage.elsewhere(KEY, entryOf({ c1: 'new' }, 2));
    open();
    assert.equal(await slow, 'old');
    assert.equal(await cache.read(), 'new');
  });

  it('a deleted cache (signed out here) reads as nothing, from memory', async () => {
    storage.values.set(KEY, entryOf({ c1: 'v1' }));
    const cache = store.tokenCache('c1');
    await cache.read();
    await store.deleteTokenCache('c1');
    const before = storage.reads;
    assert.equal(await cache.read(), undefined);
    assert.equal(storage.reads, before);
  });

  it('a cache stored before in an entry of its own is read, then moved into the one entry; moving it is not “another window”', async () => {
    storage.values.set('outlook365/c1/tokenCache', 'from an earlier version');
    const reported: string[] = [];
    const listening = store.onDidChangeElsewhere((e) => reported.push(`${e.kind}:${e.connectionId}`));
    let events = 0;
    const counting = storage.onDidChange(() => events++);
    const cache = store.tokenCache('c1');
    assert.equal(await cache.read(), 'from an earlier version');
    assert.equal(storage.reads, 2, 'the one entry (no cache there), then the old one');
    await cache.write('refreshed');
    assert.equal(cacheIn(storage.values.get(KEY), 'c1'), 'refreshed');
    assert.equal(storage.values.has('outlook365/c1/tokenCache'), false);
    // Two change events (the one entry, the old one deleted), both this window's own: the one entry's is
    // not read back, the old entry's deletion is checked with one read.
    await waitFor(() => events >= 2, 'the change events of both writes');
    await waitFor(() => storage.reads >= 3, 'the check of the old entry’s deletion');
    await new Promise((r) => setImmediate(r));
    assert.equal(storage.reads, 3);
    assert.deepEqual(reported, []);
    counting.dispose();
    listening.dispose();
  });
});

describe('SecretStore: a SecretStorage that refuses for a while', () => {
  const KEY = 'outlook365/c1/secrets';
  let storage: CountingStorage;
  let store: SecretStore;
  beforeEach(() => {
    storage = new CountingStorage();
    store = new SecretStore(storage, { retryDelaysMs: [20, 40, 80], deadlineMs: 2000 });
  });
  afterEach(() => store.dispose());

  it('a rejected read or write is tried again, and succeeds when SecretStorage answers again', async () => {
    storage.values.set(KEY, JSON.stringify({ clientSecret: 'kept' }));
    storage.failNext = 2;
    assert.equal((await store.getSecrets('c1')).clientSecret?.reveal(), 'kept');
    assert.equal(storage.reads, 3);
    storage.failNext = 3;
    await store.tokenCache('c1').write('cache');
    assert.equal(cacheIn(storage.values.get(TOKEN_CACHES_KEY), 'c1'), 'cache');
  });

  it('one that keeps refusing ends at the bounded retries as transient ("right now"), not as damaged', async () => {
    storage.values.set(KEY, JSON.stringify({ clientSecret: 'kept' }));
    storage.failNext = 100;
    const started = Date.now();
    const error = await store.getSecrets('c1').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof SecretStorageUnavailableError, String(error));
    assert.ok(!(error instanceof CorruptSecretError));
    assert.match(error.message, /right now/);
    assert.equal(storage.reads, 4, 'the first attempt and three retries');
    assert.ok(Date.now() - started < 2000, 'within the deadline');
  });

  it('a call that never answers ends at the deadline', async () => {
    store.dispose();
    store = new SecretStore(storage, { retryDelaysMs: [], deadlineMs: 200 });
    storage.gate = new Promise(() => undefined);
    await assert.rejects(store.getSecrets('c1'), SecretStorageUnavailableError);
  });

  it('saving over secrets that cannot be read now keeps them (a damaged entry is replaced)', async () => {
    storage.values.set(KEY, JSON.stringify({ clientSecret: 'kept', certificatePassword: 'also kept' }));
    storage.failNext = 100;
    await assert.rejects(
      store.updateSecrets('c1', {}, ['clientSecret', 'certificatePassword']),
      SecretStorageUnavailableError,
    );
    storage.failNext = 0;
    assert.deepEqual(JSON.parse(storage.values.get(KEY)!), { clientSecret: 'kept', certificatePassword: 'also kept' });
    storage.values.set(KEY, '{damaged');
    await store.updateSecrets('c1', {}, ['clientSecret']);
    assert.equal(storage.values.has(KEY), false, 'nothing readable to keep: the damaged entry goes');
  });

  it('the connection says "could not be read right now, try again" and keeps no lasting failure', async () => {
    const api = await testingApi();
    const id = await addConnection(api, {
      name: 'Flaky keychain',
      environment: 'global',
      tenant: 'contoso.onmicrosoft.com',
      authType: 'clientCredentials',
      clientId: '22222222-2222-4222-8222-222222222222',
      clientSecret: 'flaky-secret-1',
      account: 'adele@contoso.onmicrosoft.com',
    });
    const service = new Sessions(
      api.store,
      store,
      new Settings(),
      new OutcomeRecorder(api.store, api.log, api.telemetry),
      api.log,
    );
    try {
      storage.failNext = 100;
      const error = await service.getToken(id).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /could not be read right now\. Try again/);
      assert.doesNotMatch(error.message, /enter them again/);
      assert.equal(api.store.facts(id).failure, undefined, 'not recorded as the connection’s status');
    } finally {
      service.dispose();
      await api.configurations.delete(id);
    }
  });
});
