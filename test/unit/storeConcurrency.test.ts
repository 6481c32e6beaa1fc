import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileLockTimeoutError, withFileLock } from '../../src/connections/fileLock';

const WRITER = path.join(__dirname, '..', 'support', 'storeWriter.js');

/** Runs the writer in its own process (another window's extension host); resolves when it is done. */
function writer(kind: 'facts' | 'connections', file: string, prefix: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, kind, file, prefix, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && !stderr ? resolve() : reject(new Error(`writer ${prefix} exited ${code}: ${stderr}`)),
    );
  });
}

describe('stores shared by several processes (windows)', function () {
  // Two processes × 300 writes, each under the lock, on a busy 2-core machine.
  this.timeout(120_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outlook365-concurrent-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('facts: 2 writers × 300 updates at once, none lost on disk', async () => {
    const file = path.join(dir, 'facts.json');
    await Promise.all([writer('facts', file, 'a', 300), writer('facts', file, 'b', 300)]);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { version: number; facts: Record<string, unknown> };
    assert.equal(Object.keys(onDisk.facts).length, 600);
    assert.deepEqual(await readdir(dir), ['facts.json'], 'no lock or temporary file left behind');
  });

  it('connections: 2 writers × 100 saves at once, none lost on disk', async () => {
    const file = path.join(dir, 'connections.json');
    await Promise.all([writer('connections', file, 'a', 100), writer('connections', file, 'b', 100)]);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { version: number; connections: { id: string }[] };
    assert.equal(onDisk.version, 1);
    assert.equal(new Set(onDisk.connections.map((c) => c.id)).size, 200);
  });
});

describe('file lock', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outlook365-lock-'));
    file = path.join(dir, 'store.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs holders one after another', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(file, async () => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setImmediate(resolve));
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
  });

  it('takes over at once a lock whose process is gone', async () => {
    // A pid that is not running: a child that has exited.
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(`${file}.lock`, `${os.hostname()} ${pid} left-behind`);
    const started = Date.now();
    assert.equal(await withFileLock(file, async () => 'got it', { timeoutMs: 5000, staleMs: 60_000 }), 'got it');
    assert.ok(Date.now() - started < 4000);
  });

  it('takes over a lock older than staleMs, and gives up at its deadline on a live one', async () => {
    // Held by this (live) process, so only its age can make it stale.
    await writeFile(`${file}.lock`, `${os.hostname()} ${process.pid} someone-else`);
    await assert.rejects(
      withFileLock(file, async () => 'never', { timeoutMs: 300, staleMs: 60_000 }),
      FileLockTimeoutError,
    );
    assert.equal(
      await readFile(`${file}.lock`, 'utf8'),
      `${os.hostname()} ${process.pid} someone-else`,
      'a live lock is left alone',
    );
    assert.equal(await withFileLock(file, async () => 'taken over', { timeoutMs: 5000, staleMs: 0 }), 'taken over');
  });
});
