// Entry of a second (third…) window's extension host, opened by test/editor/windows.ts through the runner:
// reads `window.json` ({ task, args }) from its workspace folder, runs that task of ./tasks.ts, and writes
// `result.json` ({ ok, value } or { ok: false, error }) there. run() rejecting gives a non-zero exit code.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { TASKS, type PeerContext } from './tasks';

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('a peer window needs its folder');
  const { task, args } = JSON.parse(readFileSync(path.join(folder, 'window.json'), 'utf8')) as {
    task: string;
    args: unknown;
  };
  const context: PeerContext = { folder };
  try {
    const work = TASKS[task];
    if (!work) throw new Error(`no peer task ${task}`);
    const value = await work(args as never, context);
    writeFileSync(path.join(folder, 'result.json'), JSON.stringify({ ok: true, value }));
  } catch (err) {
    writeFileSync(
      path.join(folder, 'result.json'),
      JSON.stringify({ ok: false, error: (err as Error).stack ?? String(err) }),
    );
    throw err;
  }
}
