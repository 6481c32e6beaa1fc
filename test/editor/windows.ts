/**
 * More VS Code windows for the in-editor suite: each one a new workbench page on the same code-server and
 * user data, with its own extension host, running test/editor/peer/index.ts with one task of its registry.
 * A window opened after the others is what a reload gives (fresh extension host, same stored data).
 * The runner (scripts/codeServer/runEditorTests.mjs) opens the windows the suite asks for; without it
 * (e.g. under @vscode/test-electron) `windowsAvailable()` is false.
 *
 *   const peer = openWindow('second', 'addConnections', { prefix: 'B', count: 20 });
 *   await peer.signalled('ready'); peer.signal('go'); const names = await peer.result;
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../support/waitFor';

export const windowsAvailable = (): boolean => !!process.env.OUTLOOK365_TEST_WINDOWS_DIR;

export interface PeerWindow<T> {
  /** The task's return value, once the window ended with exit code 0 (rejects otherwise, or at the deadline). */
  result: Promise<T>;
  /** Resolves when the window's task called `signal(name)` (e.g. 'ready' once activated). */
  signalled(name: string, timeoutMs?: number): Promise<void>;
  /** Lets the window's task go on past its `waitForSignal(name)`. */
  signal(name: string): void;
}

/** Opens a window that runs `task` (a name in test/editor/peer/tasks.ts) with `args`. */
export function openWindow<T>(name: string, task: string, args: unknown = {}, timeoutMs = 240_000): PeerWindow<T> {
  const dir = process.env.OUTLOOK365_TEST_WINDOWS_DIR;
  if (!dir) throw new Error('no runner to open windows (OUTLOOK365_TEST_WINDOWS_DIR is not set)');
  const folder = path.join(dir, name);
  const extensionTestsPath = path.join(__dirname, 'peer', 'index.js');
  writeFileSync(path.join(dir, `${name}.request.json`), JSON.stringify({ extensionTestsPath, window: { task, args } }));
  const result = (async () => {
    const exitFile = path.join(folder, 'exit.json');
    await waitFor(() => existsSync(exitFile), `window ${name} to end`, timeoutMs);
    const { code } = JSON.parse(readFileSync(exitFile, 'utf8')) as { code: number };
    const resultFile = path.join(folder, 'result.json');
    const outcome = existsSync(resultFile)
      ? (JSON.parse(readFileSync(resultFile, 'utf8')) as { ok: boolean; value?: T; error?: string })
      : undefined;
    if (code !== 0 || !outcome?.ok)
      throw new Error(`window ${name} (${task}) failed, exit code ${code}: ${outcome?.error ?? 'no result'}`);
    return outcome.value as T;
  })();
  result.catch(() => undefined); // reported to whoever awaits it
  return {
    result,
    signalled: async (signalName, signalTimeoutMs = timeoutMs) => {
      const signalFile = path.join(folder, `${signalName}.signal`);
      await waitFor(
        () => existsSync(signalFile) || existsSync(path.join(folder, 'exit.json')),
        `window ${name}: ${signalName}`,
        signalTimeoutMs,
      );
      if (!existsSync(signalFile)) await result; // ended without the signal: its failure says why
      if (!existsSync(signalFile)) throw new Error(`window ${name} ended without signalling ${signalName}`);
    },
    signal: (signalName) => writeFileSync(path.join(folder, `${signalName}.signal`), ''),
  };
}
