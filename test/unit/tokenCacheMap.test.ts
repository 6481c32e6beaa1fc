import * as assert from 'node:assert/strict';
import { TokenCacheMap, type TokenCacheMapStorage } from '../../src/connections/tokenCacheMap';

/**
 * Two windows' TokenCacheMaps over one shared entry (a stand-in for SecretStorage: what the tests are
 * about is the merge, not the storage). As SecretStorage does, every write fires one change event in
 * every window, the writer's too; they are delivered when the test says, as SecretStorage delivers them
 * some time after a write.
 */
class SharedEntry {
  value: string | undefined;
  readonly legacy = new Map<string, string>();
  readonly windows: { map: TokenCacheMap; changed: string[]; eventsDue: number; reads: number }[] = [];

  window(): { map: TokenCacheMap; changed: string[]; reads: number } {
    const w = { map: undefined as unknown as TokenCacheMap, changed: [] as string[], eventsDue: 0, reads: 0 };
    const storage: TokenCacheMapStorage = {
      get: async () => (w.reads++, this.value),
      store: async (value) => {
        this.value = value;
        for (const each of this.windows) each.eventsDue++;
      },
      readLegacy: async (id) => this.legacy.get(id),
      deleteLegacy: async (id) => {
        this.legacy.delete(id);
      },
      changedElsewhere: (ids) => w.changed.push(...ids),
    };
    w.map = new TokenCacheMap(storage);
    this.windows.push(w);
    return w;
  }

  /** Every window hears of every write since the last delivery, one event each. */
  async deliver(): Promise<void> {
    for (const w of this.windows) {
      for (; w.eventsDue > 0; w.eventsDue--) await w.map.changed();
    }
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

  it('this window’s own writes are not read back: their change events ask SecretStorage nothing', async () => {
    const shared = new SharedEntry();
    const a = shared.window();
    await a.map.write('c1', 'first');
    await shared.deliver();
    const reads = a.reads;
    for (let i = 0; i < 5; i++) {
      assert.equal(await a.map.read('c1'), i ? `refresh ${i - 1}` : 'first');
      await a.map.write('c1', `refresh ${i}`);
      await shared.deliver();
    }
    assert.equal(a.reads, reads, 'no read of the entry after the window’s own writes');
    assert.deepEqual(a.changed, []);
  });

  it('another window’s write whose event comes before ours is still read (the later event reads both)', async () => {
    const shared = new SharedEntry();
    const a = shared.window();
    const b = shared.window();
    await a.map.write('c1', 'a1');
    await b.map.write('c2', 'b2'); // b read the entry first: it has a's c1 too
    // a hears two events and cannot tell which is its own: the first is taken for it, the second is read.
    await shared.deliver();
    assert.deepEqual(a.changed, ['c2']);
    assert.equal(await a.map.read('c2'), 'b2');
    assert.equal(await a.map.read('c1'), 'a1');
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
