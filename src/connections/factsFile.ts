/**
 * The last known facts of every connection (signed in, account, expiry, granted scopes, last failure,
 * last test) in one JSON file under the extension's global storage folder. Not in globalState: VS Code
 * hands an extension its whole globalState before `activate()` runs and rewrites a whole value on every
 * change, and with 1,000 connections the facts were 326 kB and 134–182 ms per write (bench/README.md).
 *
 * Facts are derived (a sign-in, refresh or test writes them again), so writes never hold up the caller:
 * they are batched and written in the background, to a temporary file renamed over the old one. Windows
 * share the file: a write re-reads it and replaces only the connections this window changed, so one
 * window does not undo another's facts of other connections. No secret is ever in here.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionFacts } from './connectionStore';

const VERSION = 1;
/** Writes made within this time of each other go to disk together. */
const BATCH_MS = 50;

type FactsMap = Record<string, ConnectionFacts>;

export class FactsFile {
  #facts = new Map<string, ConnectionFacts>();
  /** Connections changed (or deleted) here and not yet written. */
  readonly #dirty = new Set<string>();
  /** Connections the write in progress is writing. */
  #writingIds = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The write in progress (writes run one after another). */
  #writing: Promise<void> = Promise.resolve();
  #tmpCounter = 0;

  /**
   * @param file      the JSON file (created with its folder on the first write)
   * @param warn      reports a failed read or write (no content: the message names the error code)
   * @param onWritten after each write, so other windows can be told to read the file again
   */
  constructor(
    readonly file: string,
    private readonly warn: (message: string) => void,
    private readonly onWritten: () => void = () => {},
  ) {}

  /** Reads the file again. Facts changed here and not yet on disk win over what is there. */
  async load(): Promise<void> {
    const stored = await this.#read();
    if (!stored) return; // unreadable now: keep what this window knows
    const next = new Map(Object.entries(stored));
    for (const id of [...this.#dirty, ...this.#writingIds]) {
      const mine = this.#facts.get(id);
      if (mine) next.set(id, mine);
      else next.delete(id);
    }
    this.#facts = next;
  }

  get(id: string): ConnectionFacts | undefined {
    return this.#facts.get(id);
  }

  ids(): string[] {
    return [...this.#facts.keys()];
  }

  set(id: string, facts: ConnectionFacts): void {
    this.#facts.set(id, facts);
    this.#markDirty(id);
  }

  delete(id: string): void {
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
    if (ids.length === 0) return;
    this.#dirty.clear();
    this.#writingIds = new Set(ids);
    try {
      const merged = await this.#read();
      if (!merged) throw new Error('the file cannot be read, so it is not replaced');
      for (const id of ids) {
        const facts = this.#facts.get(id);
        if (facts) merged[id] = facts;
        else delete merged[id];
      }
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}-${++this.#tmpCounter}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify({ version: VERSION, facts: merged }), { mode: 0o600 });
        await rename(tmp, this.file);
      } finally {
        await rm(tmp, { force: true });
      }
      this.onWritten();
    } catch (err) {
      // Kept in memory and written with the next change; the facts on disk are a little older meanwhile.
      for (const id of ids) this.#dirty.add(id);
      this.warn(`could not write the connections' facts (${(err as NodeJS.ErrnoException).code ?? (err as Error).name})`);
    } finally {
      this.#writingIds = new Set();
    }
  }

  /**
   * What is on disk: an absent file is empty, a damaged one is reported and treated as empty (the next
   * write replaces it), an unreadable one is reported and undefined (nothing replaces it).
   */
  async #read(): Promise<FactsMap | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      this.warn(`could not read the connections' facts (${(err as NodeJS.ErrnoException).code ?? (err as Error).name})`);
      return undefined;
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; facts?: unknown };
      const facts = parsed?.facts;
      if (parsed?.version === VERSION && facts && typeof facts === 'object' && !Array.isArray(facts)) {
        return Object.fromEntries(Object.entries(facts as FactsMap).filter(([, f]) => f && typeof f === 'object' && !Array.isArray(f)));
      }
    } catch {
      // reported below
    }
    this.warn("the connections' facts file is damaged; the statuses are shown again after the next sign-in or test");
    return {};
  }
}
