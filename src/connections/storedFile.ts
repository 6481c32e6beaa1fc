/**
 * A JSON document that every window of one VS Code profile shares (connections.json, facts.json under the
 * extension's global storage folder): `{ "version": N, … }`. Read whole at any time (writes rename a complete
 * temporary file over it, so a reader never sees half a file); changed only under the file's lock
 * (fileLock.ts) by reading it again, applying this window's change and writing it back, so windows changing
 * different connections never undo each other.
 *
 * What is found there decides what may happen to it:
 * - absent: empty; the first write creates it;
 * - our version: read and written;
 * - a newer version: read as far as this version understands it and never written (a newer extension wrote
 *   it; an older one must not throw away what it does not know);
 * - damaged (not JSON, or not the shape of its version): renamed aside to `<file>.corrupt-<time>`, never
 *   overwritten, and reported; the store goes on from empty;
 * - unreadable (permissions, I/O): reported, and nothing replaces it.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock, type FileLockOptions } from './fileLock';

/** What a store reports: the log gets `describeProblem()`, the user a warning for the first two kinds. */
export type StoreProblem =
  | { kind: 'keptAside'; file: string; keptAs: string }
  | { kind: 'newerVersion'; file: string; version: number }
  | { kind: 'io'; file: string; operation: 'read' | 'write'; code: string };

/** One line for the log: names, versions and error codes only, never content. */
export function describeProblem(problem: StoreProblem): string {
  const name = path.basename(problem.file);
  switch (problem.kind) {
    case 'keptAside':
      return `${name} was damaged; kept aside as ${path.basename(problem.keptAs)} and started empty`;
    case 'newerVersion':
      return `${name} was written by a newer version of the extension (format ${problem.version}); it is read-only here`;
    case 'io':
      return `could not ${problem.operation} ${name} (${problem.code})`;
  }
}

export type Read<T> =
  | { kind: 'ok'; body: T }
  | { kind: 'newer'; version: number; body: T }
  | { kind: 'damaged'; text: string }
  | { kind: 'unreadable'; code: string };

/** Refused write: the file belongs to a newer version of the extension. */
export class NewerVersionError extends Error {
  constructor(readonly version: number) {
    super(`written by a newer version of the extension (format ${version})`);
  }
}

export class StoredFile<T> {
  #tmpCounter = 0;
  /** Which file this window last read or wrote (inode, time, size): a different one was written elsewhere. */
  #seen: string | undefined;

  /**
   * @param version this extension's format of the file
   * @param parse   the body from a parsed document of this (or, read-only, a newer) version; undefined when
   *                it does not have the shape (the file is then damaged)
   * @param empty   the body of an absent file
   * @param toJson  the body as the document's fields (default: as it is)
   */
  constructor(
    readonly file: string,
    readonly version: number,
    private readonly parse: (document: Record<string, unknown>) => T | undefined,
    private readonly empty: () => T,
    private readonly report: (problem: StoreProblem) => void,
    private readonly lockOptions?: FileLockOptions,
    private readonly toJson: (body: T) => object = (body) => body as object,
  ) {}

  async read(): Promise<Read<T>> {
    return this.readNow();
  }

  /** `read()` without waiting: the file is read synchronously (see below), so a caller may read it on first use. */
  readNow(): Read<T> {
    let text: string;
    try {
      // Identity and content of the same file (a rename may replace it at any time). Read synchronously:
      // a few hundred kB of a local file take well under a millisecond, and each asynchronous step handed
      // the extension host to whatever else was starting, which activation then waited for (bench, 2.).
      const fd = openSync(this.file, 'r');
      try {
        this.#seen = identity(fstatSync(fd));
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT') this.#seen = undefined;
      return code === 'ENOENT' ? { kind: 'ok', body: this.empty() } : { kind: 'unreadable', code };
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return { kind: 'damaged', text };
    }
    const version =
      document && typeof document === 'object' && !Array.isArray(document)
        ? (document as { version?: unknown }).version
        : undefined;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { kind: 'damaged', text };
    const body = this.parse(document as Record<string, unknown>);
    if (version > this.version) return { kind: 'newer', version, body: body ?? this.empty() };
    return body === undefined ? { kind: 'damaged', text } : { kind: 'ok', body };
  }

  /**
   * What a window shows: the body of the file, or empty. A damaged file is kept aside (and reported) first;
   * a newer version is reported; an unreadable file is reported and gives undefined (keep what you have).
   */
  async load(again = false): Promise<{ body: T; readOnly?: number } | undefined> {
    const read = await this.read();
    switch (read.kind) {
      case 'ok':
        return { body: read.body };
      case 'newer':
        this.report({ kind: 'newerVersion', file: this.file, version: read.version });
        return { body: read.body, readOnly: read.version };
      case 'damaged':
        if (again) return { body: this.empty() };
        await this.#lock(() => this.#keepAsideIfStill(read.text)).catch((err: unknown) => this.#reportIo('write', err));
        // Another window may have replaced it meanwhile.
        return this.load(true);
      case 'unreadable':
        this.report({ kind: 'io', file: this.file, operation: 'read', code: read.code });
        return undefined;
    }
  }

  /**
   * Under the lock: reads the file again, lets `change` turn its body into the next one, writes that to a
   * temporary file, runs `beforeCommit` (it may throw: nothing is changed then) and renames the temporary file
   * over the file. A `change` that returns the body it was given writes nothing. Throws `NewerVersionError`, I/O
   * errors and lock timeouts; returns the body written.
   */
  async update(change: (body: T) => T, beforeCommit?: () => Promise<void>): Promise<T> {
    return this.#lock(async () => {
      const read = await this.read();
      if (read.kind === 'newer') throw new NewerVersionError(read.version);
      if (read.kind === 'unreadable')
        throw Object.assign(new Error(`cannot read ${path.basename(this.file)}`), { code: read.code });
      if (read.kind === 'damaged') await this.#keepAsideIfStill(read.text);
      const current = read.kind === 'ok' ? read.body : this.empty();
      const next = change(current);
      if (next === current) return next;
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}-${++this.#tmpCounter}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify({ version: this.version, ...this.toJson(next) }), { mode: 0o600 });
        await beforeCommit?.();
        await rename(tmp, this.file);
        this.#seen = identity(await stat(this.file)); // still under the lock: this is our file
      } finally {
        await rm(tmp, { force: true });
      }
      return next;
    });
  }

  /** Whether the file is another than the one this window last read or wrote (a file watcher asks). */
  async changedElsewhere(): Promise<boolean> {
    try {
      return identity(await stat(this.file)) !== this.#seen;
    } catch {
      return this.#seen !== undefined;
    }
  }

  #lock<R>(work: () => Promise<R>): Promise<R> {
    return withFileLock(this.file, work, this.lockOptions);
  }

  /** Under the lock: moves the damaged file aside, unless another window already did (or replaced it). */
  async #keepAsideIfStill(text: string): Promise<void> {
    let now: string;
    try {
      now = await readFile(this.file, 'utf8');
    } catch {
      return;
    }
    if (now !== text) return;
    const keptAs = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, keptAs);
    this.report({ kind: 'keptAside', file: this.file, keptAs });
  }

  #reportIo(operation: 'read' | 'write', err: unknown): void {
    this.report({ kind: 'io', file: this.file, operation, code: errorCode(err) });
  }
}

function identity(s: { ino: number; mtimeMs: number; size: number }): string {
  return `${s.ino}:${s.mtimeMs}:${s.size}`;
}

export function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.name ?? 'Error';
}
