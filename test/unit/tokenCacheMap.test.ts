import * as assert from 'node:assert/strict';
import { TokenCacheMap, type TokenCacheMapStorage } from '../../src/connections/tokenCacheMap';

/**
 * Two windows' TokenCacheMaps over one shared entry (a stand-in for SecretStorage: what the tests are
 * about is the merge, not the storage). Change events are delivered when the test says, as SecretStorage
 * delivers them some time after a write.
 */
class SharedEntry {
  value: string | undefined;
  readonly legacy = new Map<string, string>();
  readonly windows: { map: TokenCacheMap; changed: string[] }[] = [];

  window(): { map: TokenCacheMap; changed: string[] } {
    const changed: string[] = [];
    const storage: TokenCacheMapStorage = {
      get: async () => this.value,
      store: async (value) => {
        this.value = value;
      },
      readLegacy: async (id) => this.legacy.get(id),
      deleteLegacy: async (id) => {
        this.legacy.delete(id);
      },
      changedElsewhere: (ids) => changed.push(...ids),
    };
    const w = { map: new TokenCacheMap(storage), changed };
    this.windows.push(w);
    return w;
  }

  /** Every window hears of the last write. */
  async deliver(): Promise<void> {
    for (const w of this.windows) await w.map.changed();
  }
}

describe('token caches in one SecretStorage entry, shared by windows', () => {
  it('another window’s write is read and reported for the connections it changed', async () => {
    const shared = new SharedEntry();
    const a = shared.window();
    const b = shared.window();
    await a.map.write('c1', 'a1');
    await a.map.write('c2', 'a2');
    await shared.deliver();
    assert.equal(await b.map.read('c1'), 'a1');
    await b.map.write('c2', 'b2');
    await shared.deliver();
    assert.deepEqual(a.changed, ['c2']);
    assert.equal(await a.map.read('c2'), 'b2');
    assert.equal(await a.map.read('c1'), 'a1');
  });

  it('a cache another window overwrote with an older copy (both wrote from the same read) is written again', async () => {
    const shared = new SharedEntry();
    const a = shared.window();
    const b = shared.window();
    await a.map.write('c1', 'old');
    await shared.deliver();
    await b.map.read('c1'); // b has seen the entry before a's next write
    await a.map.write('c1', 'rotated'); // a's refresh: its new refresh token is stored…
    await b.map.write('c2', 'b2'); // …and b, writing from what it saw, puts the old one back
    assert.match(shared.value!, /"old"/);
    await shared.deliver(); // a hears b's write, sees its own cache replaced by an older one: writes it again
    await new Promise((resolve) => setImmediate(resolve));
    await a.map.write('c3', 'flush'); // the rewrite is done by the time a later write of a's has landed
    assert.equal(await b.map.read('c2'), 'b2');
    await shared.deliver();
    assert.equal(await b.map.read('c1'), 'rotated');
    assert.equal(await b.map.read('c2'), 'b2', 'b’s own cache survives the repair');
  });

  it('a deleted cache stays deleted: an older copy from another window does not bring it back', async () => {
    const shared = new SharedEntry();
    const a = shared.window();
    const b = shared.window();
    await a.map.write('c1', 'signed in');
    await shared.deliver();
    await b.map.read('c1');
    await a.map.delete('c1');
    await b.map.write('c2', 'b2'); // from its stale view, which still has c1
    await shared.deliver();
    await new Promise((resolve) => setImmediate(resolve));
    await a.map.write('c3', 'flush');
    await shared.deliver();
    assert.equal(await b.map.read('c1'), undefined);
    assert.equal(await a.map.read('c1'), undefined);
  });

  it('a cache stored in its old entry of its own is read, and moved into the one entry with its next write', async () => {
    const shared = new SharedEntry();
    shared.legacy.set('c1', 'from before');
    const a = shared.window();
    assert.equal(await a.map.read('c1'), 'from before');
    await a.map.write('c1', 'refreshed');
    assert.equal(shared.legacy.has('c1'), false, 'the old entry is deleted once the cache is in the one entry');
    await shared.deliver();
    assert.equal(await shared.window().map.read('c1'), 'refreshed');
  });

  it('a damaged entry reads as no caches and is replaced by the next write', async () => {
    const shared = new SharedEntry();
    shared.value = '{damaged';
    const a = shared.window();
    assert.equal(await a.map.read('c1'), undefined);
    await a.map.write('c1', 'new');
    assert.equal((JSON.parse(shared.value) as { caches: Record<string, { cache: string }> }).caches.c1.cache, 'new');
  });
});
