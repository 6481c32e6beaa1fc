/**
 * Every connection's MSAL token cache in one SecretStorage entry, written once per burst.
 *
 * Why one entry: each SecretStorage write is one round trip to the workbench, and the workbench does
 * an extension's writes one after another (`MainThreadSecretState` queues them per extension); code-
 * server also encrypts and stores its whole secret map again for every write. 50 connections refreshed
 * at once were 50 writes (1.6 s in code-server, bench/RESULTS.md); now the caches written while one write
 * is under way go together in the next one.
 *
 * A write resolves only once the SecretStorage write that includes it has landed (a rotated refresh
 * token is stored before its refresh counts as done), and a failed write rejects every write in it.
 *
 * Other windows write the same entry. A write re-reads nothing it does not have to: it merges this
 * window's caches into the entry as last seen, each with a sequence number one above the one it
 * replaces. When another window's write lands, the entry is read again; a cache of this window that it
 * overwrote with an older one (both read the entry before either wrote) is written again.
 *
 * Caches stored before (one entry per connection, `outlook365/<id>/tokenCache`) are read when the entry
 * has none for the connection, and moved into it with the connection's next write.
 */

/** The one entry. */
export const TOKEN_CACHES_KEY = 'outlook365/tokenCaches';

/** A cache (null: deleted), the sequence number of its writes, and when it was written. */
interface CacheEntry {
  cache: string | null;
  seq: number;
  at: number;
}
type Entries = Record<string, CacheEntry>;

/** A deleted cache is remembered this long, so that an older copy from another window does not come back. */
const TOMBSTONE_MS = 7 * 24 * 3600 * 1000;

export interface TokenCacheMapStorage {
  /** Reads / writes the one entry (with SecretStore's retries and deadline). */
  get(): Promise<string | undefined>;
  store(value: string): Promise<void>;
  /** The connection's cache in its old entry of its own, if any. */
  readLegacy(id: string): Promise<string | undefined>;
  /** Deletes that old entry (once the cache is in the one entry). */
  deleteLegacy(id: string): Promise<void>;
  /** Another window changed these connections' caches. */
  changedElsewhere(ids: string[]): void;
}

interface Pending {
  cache: string | null;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

export class TokenCacheMap {
  readonly #storage: TokenCacheMapStorage;
  /** The entry as this window last read or wrote it; undefined: read it first. */
  #known: Entries | undefined;
  /** What this window last stored, to tell its own change events from other windows'. */
  #ownValue: string | undefined;
  /** Bumped by every change event of the entry: a read that overlapped one is not kept. */
  #generation = 0;
  /** What this window wrote per connection, to put back what another window overwrote with an older copy. */
  readonly #mine = new Map<string, CacheEntry>();
  /** Connections whose cache was (or may be) in an old entry of its own: it is deleted after the move. */
  readonly #legacy = new Set<string>();
  #pending = new Map<string, Pending>();
  /** The batch being written: what reads answer with until it has landed. */
  #inFlight = new Map<string, Pending>();
  /** Whether the write loop runs (it takes whatever is pending when a write has landed). */
  #writing = false;
  /**
   * This window's writes whose change event has not come yet. SecretStorage fires one for every write,
   * this window's own too; those say nothing new, and reading the entry again for each (a round trip to
   * the workbench) was most of what a refresh in the editor cost beyond its token request
   * (bench/RESULTS.md). Counted, not matched: an event of another window that comes first is taken for
   * ours, and our own, coming after it, is then read, which sees both writes.
   */
  #ownEventsDue = 0;

  constructor(storage: TokenCacheMapStorage) {
    this.#storage = storage;
  }

  async read(id: string): Promise<string | undefined> {
    const pending = this.#pending.get(id) ?? this.#inFlight.get(id);
    if (pending) return pending.cache ?? undefined;
    const entry = (await this.#entries())[id];
    if (entry) return entry.cache ?? undefined;
    const legacy = await this.#storage.readLegacy(id);
    if (legacy !== undefined) this.#legacy.add(id);
    return legacy;
  }

  /** Resolves once a SecretStorage write that includes `cache` has landed; rejects when that write failed. */
  write(id: string, cache: string): Promise<void> {
    return this.#enqueue(id, cache);
  }

  /** Deletes the connection's cache (sign-out, deleted connection), its old entry of its own too. */
  async delete(id: string): Promise<void> {
    this.#legacy.add(id);
    await this.#enqueue(id, null);
  }

  /** A change event of the entry: this window's own write, or another window's (read it, report, repair). */
  async changed(): Promise<void> {
    if (this.#ownEventsDue > 0) {
      this.#ownEventsDue--;
      return;
    }
    const generation = ++this.#generation;
    this.#known = undefined;
    const value = await this.#storage.get();
    if (generation !== this.#generation) return; // a newer event handles it
    if (value === this.#ownValue) {
      this.#known = parse(value);
      return;
    }
    const before = this.#lastSeen;
    const after = parse(value);
    this.#known = after;
    this.#lastSeen = after;
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (id) => before[id]?.cache !== after[id]?.cache,
    );
    if (changed.length) this.#storage.changedElsewhere(changed);
    // A cache this window wrote that the other window's write replaced with an older one goes back.
    for (const [id, mine] of this.#mine) {
      const stored = after[id];
      if ((!stored || stored.seq < mine.seq) && !this.#pending.has(id)) {
        void this.#enqueue(id, mine.cache).catch(() => undefined); // the next write or change tries again
      }
    }
  }

  /** The entry as last seen by a change event or a read (what `changedElsewhere` compares with). */
  #lastSeen: Entries = {};

  async #entries(): Promise<Entries> {
    if (this.#known) return this.#known;
    const generation = this.#generation;
    const value = await this.#storage.get();
    const entries = parse(value);
    if (generation === this.#generation && !this.#known) {
      this.#known = entries;
      this.#lastSeen = entries;
    }
    return entries;
  }

  #enqueue(id: string, cache: string | null): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending = this.#pending.get(id) ?? { cache, waiters: [] };
      pending.cache = cache;
      pending.waiters.push({ resolve, reject });
      this.#pending.set(id, pending);
      if (!this.#writing) {
        this.#writing = true;
        void this.#writeAll();
      }
    });
  }

  /** Writes what is pending, then what came meanwhile, until nothing is. */
  async #writeAll(): Promise<void> {
    // The callers of the same turn (concurrent refreshes whose answers arrived together) join this write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.size) {
      const batch = this.#pending;
      this.#pending = new Map();
      this.#inFlight = batch;
      try {
        await this.#write(batch);
        for (const { waiters } of batch.values()) for (const w of waiters) w.resolve();
      } catch (err) {
        for (const { waiters } of batch.values()) for (const w of waiters) w.reject(err);
      } finally {
        this.#inFlight = new Map();
      }
    }
    // In the same turn as the check above: a write enqueued from here on starts a new loop.
    this.#writing = false;
  }

  async #write(batch: Map<string, Pending>): Promise<void> {
    const base = await this.#entries();
    const now = Date.now();
    const next: Entries = {};
    for (const [id, entry] of Object.entries(base)) {
      if (entry.cache !== null || now - entry.at < TOMBSTONE_MS) next[id] = entry;
    }
    for (const [id, { cache }] of batch) {
      const seq = Math.max(next[id]?.seq ?? 0, this.#mine.get(id)?.seq ?? 0) + 1;
      next[id] = { cache, seq, at: now };
    }
    const value = JSON.stringify({ version: 1, caches: next });
    this.#ownValue = value; // before the write: its change event may arrive first
    this.#ownEventsDue++;
    try {
      await this.#storage.store(value);
    } catch (err) {
      // Taken as no event: should one come, it is read like another window's (the safe side).
      this.#ownEventsDue--;
      this.#known = undefined; // what SecretStorage holds now is unknown: read it before the next write
      throw err;
    }
    this.#known = next;
    this.#lastSeen = next;
    for (const id of batch.keys()) this.#mine.set(id, next[id]);
    for (const id of batch.keys()) {
      if (this.#legacy.delete(id)) await this.#storage.deleteLegacy(id).catch(() => undefined);
    }
  }
}

function parse(value: string | undefined): Entries {
  if (!value) return {};
  try {
    const parsed = JSON.parse(value) as { caches?: unknown };
    const caches = parsed?.caches;
    if (!caches || typeof caches !== 'object' || Array.isArray(caches)) return {};
    const entries: Entries = {};
    for (const [id, e] of Object.entries(caches as Record<string, Partial<CacheEntry>>)) {
      if (e && (typeof e.cache === 'string' || e.cache === null) && typeof e.seq === 'number') {
        entries[id] = { cache: e.cache, seq: e.seq, at: typeof e.at === 'number' ? e.at : 0 };
      }
    }
    return entries;
  } catch {
    return {}; // a damaged entry: every connection reads as signed out and is written anew
  }
}
