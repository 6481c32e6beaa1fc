import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SecretStore } from '../../src/auth/secretStore';
import { waitFor } from './support';

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

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    const value = this.values.get(key);
    await this.gate;
    return value;
  }
  async store(key: string, value: string): Promise<void> {
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

describe('SecretStore: token caches kept in memory between changes', () => {
  const KEY = 'outlook365/c1/tokenCache';
  let storage: CountingStorage;
  let store: SecretStore;
  beforeEach(() => {
    storage = new CountingStorage();
    store = new SecretStore(storage);
  });
  afterEach(() => store.dispose());

  it('reads SecretStorage once, then answers from memory, also right after its own write', async () => {
    storage.values.set(KEY, 'v1');
    const cache = store.tokenCache('c1');
    assert.equal(await cache.read(), 'v1');
    assert.equal(await cache.read(), 'v1');
    assert.equal(storage.reads, 1);
    await cache.write('v2');
    assert.equal(await cache.read(), 'v2');
    // The change event of its own write arrives: the value is checked once and known again.
    await waitFor(() => storage.reads === 2, 'the own-write check');
    await new Promise((r) => setImmediate(r));
    const before = storage.reads;
    assert.equal(await cache.read(), 'v2');
    assert.equal(storage.reads, before);
  });

  it('another window’s change is read on the next access', async () => {
    storage.values.set(KEY, 'v1');
    const cache = store.tokenCache('c1');
    assert.equal(await cache.read(), 'v1');
    storage.elsewhere(KEY, 'from elsewhere');
    assert.equal(await cache.read(), 'from elsewhere');
  });

  it('a read that overlapped a change is not remembered', async () => {
    storage.values.set(KEY, 'old');
    const cache = store.tokenCache('c1');
    let open!: () => void;
    storage.gate = new Promise((r) => (open = r));
    const slow = cache.read(); // sees "old"
    await waitFor(() => storage.reads === 1, 'the slow read to start');
    storage.gate = undefined;
    storage.elsewhere(KEY, 'new');
    open();
    assert.equal(await slow, 'old');
    assert.equal(await cache.read(), 'new');
  });

  it('a deleted cache (signed out here) reads as nothing, from memory', async () => {
    storage.values.set(KEY, 'v1');
    const cache = store.tokenCache('c1');
    await cache.read();
    await store.deleteTokenCache('c1');
    const before = storage.reads;
    assert.equal(await cache.read(), undefined);
    assert.equal(storage.reads, before);
  });
});
