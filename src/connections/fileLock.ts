/**
 * An exclusive lock beside a file that several processes change (every VS Code window has its own extension
 * host): `<file>.lock`, created with `open(…, 'wx')`, which fails when it exists. The holder's host, pid and a
 * random token are written into it; it is removed on release only while it still holds that token.
 *
 * A lock left behind by a process that died is taken over at once when its pid is gone from this host, and
 * after `staleMs` otherwise (another host on a shared folder, or a pid reused). A waiter gives up at its
 * deadline with `FileLockTimeoutError`, so no write waits without end.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface FileLockOptions {
  /** How long to wait for the lock before giving up (default 30 s). */
  timeoutMs?: number;
  /** A lock older than this is taken over (default 15 s; holders keep it for one read and one write). */
  staleMs?: number;
}

export class FileLockTimeoutError extends Error {
  readonly code = 'ELOCKED';
}

export async function withFileLock<T>(file: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const token = `${os.hostname()} ${process.pid} ${randomUUID()}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  await mkdir(path.dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await takeOverIfStale(lock, staleMs)) continue;
      if (Date.now() >= deadline)
        throw new FileLockTimeoutError(`${path.basename(file)} stayed locked for ${timeoutMs} ms`);
      // Holders keep the lock for milliseconds: retry soon, a little later each time, spread over waiters.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(4 * 2 ** Math.min(attempt, 4), 50) * (0.5 + Math.random())),
      );
    }
  }
  try {
    return await work();
  } finally {
    await release(lock, token);
  }
}

/** Removes a lock whose holder is gone (its pid on this host) or that is older than `staleMs`. */
async function takeOverIfStale(lock: string, staleMs: number): Promise<boolean> {
  let content: string;
  let mtimeMs: number;
  try {
    [content, { mtimeMs }] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
  } catch (err) {
    // Released meanwhile: try again at once.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
  if (!holderIsGone(content) && Date.now() - mtimeMs <= staleMs) return false;
  // Renamed first, so that of two waiters seeing the same stale lock only one removes it.
  const aside = `${lock}.stale-${randomUUID()}`;
  try {
    await rename(lock, aside);
  } catch {
    return true;
  }
  await rm(aside, { force: true });
  return true;
}

function holderIsGone(content: string): boolean {
  const [host, pidText] = content.split(' ');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function release(lock: string, token: string): Promise<void> {
  try {
    // Only our own lock: after a takeover (we were too slow) the lock belongs to someone else.
    if ((await readFile(lock, 'utf8')) === token) await rm(lock, { force: true });
  } catch {
    // already gone
  }
}
