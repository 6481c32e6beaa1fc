/**
 * The last known facts of every connection (signed in, account, expiry, granted scopes, last failure,
 * last test) in one JSON file under the extension's global storage folder. Not in globalState: VS Code
 * hands an extension its whole globalState before `activate()` runs and rewrites a whole value on every
 * change, and with 1,000 connections the facts were 326 kB and 134–182 ms per write (bench/README.md).
 *
 * Facts are derived (a sign-in, refresh or test writes them again), so writes never hold up the caller:
 * they are batched and written in the background. Windows share the file: a write takes the file's lock,
 * re-reads it and replaces only the connections this window changed, so one window does not undo another's
 * facts (storedFile.ts: versions, damaged files, the lock). No secret is ever in here.
 */
import type { ConnectionFacts } from './facts';
import { NewerVersionError, StoredFile, errorCode, type StoreProblem } from './storedFile';
import type { FileLockOptions } from './fileLock';

/** The format of facts.json; a file of a higher version is left as it is (storedFile.ts). */
export const FACTS_VERSION = 1;
/** Writes made within this time of each other go to disk together. */
const BATCH_MS = 50;

type FactsMap = Map<string, ConnectionFacts>;

export class FactsFile {
  readonly #stored: StoredFile<{ facts: FactsMap }>;
  #facts = new Map<string, ConnectionFacts>();
  /** Connections changed (or deleted) here and not yet written. */
  readonly #dirty = new Set<string>();
  /** Connections the write in progress is writing. */
  #writingIds = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The write in progress (writes run one after another). */
  #writing: Promise<void> = Promise.resolve();
  /** Set while the file on disk is of a newer version: facts then live in memory only. */
  #readOnly: number | undefined;
  /** Set by `loadOnFirstUse()`: the file is read when a connection's facts are first looked at. */
  #deferred = false;

  /**
   * @param file      the JSON file (created with its folder on the first write)
   * @param report    a damaged file kept aside, a newer version, a failed read or write (no content)
   * @param onWritten after each write, so other windows can be told to read the file again
   */
  constructor(
    readonly file: string,
    private readonly report: (problem: StoreProblem) => void,
    private readonly onWritten: () => void = () => {},
    lockOptions?: FileLockOptions,
  ) {
    this.#stored = new StoredFile(
      file,
      FACTS_VERSION,
      parseFacts,
      () => ({ facts: new Map<string, ConnectionFacts>() }),
      report,
      lockOptions,
      ({ facts }): { facts: Record<string, ConnectionFacts> } => ({ facts: Object.fromEntries(facts) }),
    );
  }

  /** The version of the newer extension that wrote the file, while this window may not write it. */
  get readOnly(): number | undefined {
    this.#loadIfDeferred();
    return this.#readOnly;
  }

  /** Reads the file again. Facts changed here and not yet on disk win over what is there. */
  async load(): Promise<void> {
    this.#deferred = false;
    const stored = await this.#stored.load();
    if (!stored) return; // unreadable now: keep what this window knows
    this.#take(stored.body.facts, stored.readOnly);
  }

  /**
   * Reads the file when a connection's facts are first looked at, not now: activation with 1,000
   * connections spent a third of its store time parsing 326 kB of facts that the tree's first paint
   * and VS Code's first `getSessions()` ask for only once activation has returned (bench, 2.).
   */
  loadOnFirstUse(): void {
    this.#deferred = true;
  }

  #loadIfDeferred(): void {
    if (!this.#deferred) return;
    this.#deferred = false;
    const read = this.#stored.readNow();
    if (read.kind === 'ok') {
      this.#take(read.body.facts, undefined);
    } else if (read.kind === 'newer') {
      this.report({ kind: 'newerVersion', file: this.file, version: read.version });
      this.#take(read.body.facts, read.version);
    } else {
      // Damaged or unreadable: what a load does then (keep a damaged file aside under the lock, report)
      // takes its time; meanwhile this window has no facts, which is what that load leaves it with.
      void this.load().catch(() => undefined);
    }
  }

  #take(next: FactsMap, readOnly: number | undefined): void {
    this.#readOnly = readOnly;
    for (const id of [...this.#dirty, ...this.#writingIds]) {
      const mine = this.#facts.get(id);
      if (mine) next.set(id, mine);
      else next.delete(id);
    }
    this.#facts = next;
  }

  /** Whether another window wrote the file since this window last read or wrote it. */
  changedElsewhere(): Promise<boolean> {
    // Not read yet: the first use reads it as it is then.
    return this.#deferred ? Promise.resolve(false) : this.#stored.changedElsewhere();
  }

  get(id: string): ConnectionFacts | undefined {
    this.#loadIfDeferred();
    return this.#facts.get(id);
  }

  ids(): string[] {
    this.#loadIfDeferred();
    return [...this.#facts.keys()];
  }

  set(id: string, facts: ConnectionFacts): void {
    this.#loadIfDeferred();
    this.#facts.set(id, facts);
    this.#markDirty(id);
  }

  delete(id: string): void {
    this.#loadIfDeferred();
    this.#facts.delete(id);
    this.#markDirty(id);
  }

  /** Writes what is pending now and resolves when it is on disk (deactivation, tests). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#writing = this.#writing.then(() => this.#write());
    }
    return this.#writing;
  }

  #markDirty(id: string): void {
    this.#dirty.add(id);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#writing = this.#writing.then(() => this.#write());
    }, BATCH_MS);
  }

  async #write(): Promise<void> {
    const ids = [...this.#dirty];
    if (ids.length === 0 || this.#readOnly !== undefined) return;
    this.#dirty.clear();
    this.#writingIds = new Set(ids);
    try {
      // Under the file's lock: what other windows wrote meanwhile stays, only these connections change.
      await this.#stored.update(({ facts: merged }) => {
        for (const id of ids) {
          const facts = this.#facts.get(id);
          if (facts) merged.set(id, facts);
          else merged.delete(id);
        }
        return { facts: merged };
      });
      this.onWritten();
    } catch (err) {
      if (err instanceof NewerVersionError) {
        // A newer extension took the file over meanwhile: it is not written again from here.
        this.#readOnly = err.version;
        this.report({ kind: 'newerVersion', file: this.file, version: err.version });
        return;
      }
      // Kept in memory and written with the next change; the facts on disk are a little older meanwhile.
      for (const id of ids) this.#dirty.add(id);
      this.report({ kind: 'io', file: this.file, operation: 'write', code: errorCode(err) });
    } finally {
      this.#writingIds = new Set();
    }
  }
}

/**
 * The facts of a document (objects only: an entry of another shape is left out of what is shown). One pass
 * into a Map: filtering entries into a new object took 6 ms of activation with 1,000 connections (a
 * dictionary-mode object rebuilt key by key), the Map 0.3 ms (bench, the activation profile).
 */
function parseFacts(document: Record<string, unknown>): { facts: FactsMap } | undefined {
  const facts = document.facts;
  if (!facts || typeof facts !== 'object' || Array.isArray(facts)) return undefined;
  const map: FactsMap = new Map();
  for (const [id, f] of Object.entries(facts as Record<string, unknown>)) {
    if (f && typeof f === 'object' && !Array.isArray(f)) map.set(id, f);
  }
  return { facts: map };
}
