/**
 * Form open, in one fresh window: from the command to the form's fields being interactive, against an
 * empty webview panel opened the same way (a command that creates a panel with the same options and one
 * input). The rounds alternate between the two.
 *
 * "Interactive" is seen where the user sees it, in the workbench page: for each round this writes
 * `form-request-<n>.json` (what to look for, and the wall clock when the command is run) and waits for
 * bench/run.mjs, which drives the page with Playwright, to write `form-seen-<n>.json` with the wall
 * clock when the element was there and enabled (`#field-name input` in our form, `#bench-field` in
 * the empty one). Both sides go through the same polling, so its delay is in both figures.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

export const EMPTY_WEBVIEW_COMMAND = 'outlook365Bench.openEmptyWebview';

export interface FormRequest {
  round: number;
  kind: 'form' | 'empty';
  selector: string;
  requestedAt: number;
}

const writeWhole = (file: string, value: unknown) => {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
  fs.renameSync(`${file}.tmp`, file);
};

/** Wall-clock times in the panel's document: it started, its script arrived, the form's marks. */
type Phases = Partial<Record<'document' | 'script' | 'running' | 'defined' | 'init' | 'rendered', number>>;

async function seen(dir: string, round: number, deadlineMs: number): Promise<{ seenAt: number; phases?: Phases }> {
  const file = path.join(dir, `form-seen-${round}.json`);
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) {
      const seenFile = JSON.parse(fs.readFileSync(file, 'utf8')) as { seenAt: number | null; phases?: Phases };
      if (seenFile.seenAt === null) throw new Error(`round ${round}: the page never showed the panel's field`);
      return { seenAt: seenFile.seenAt, phases: seenFile.phases };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`round ${round}: the page did not see the panel within ${deadlineMs / 1000} s`);
}

export async function formStep(step: { rounds?: number; settleMs?: number }, dir: string) {
  const extension = vscode.extensions.getExtension('outlook365-connections.outlook365-connections');
  await extension?.activate();
  const empty = vscode.commands.registerCommand(EMPTY_WEBVIEW_COMMAND, () => {
    const panel = vscode.window.createWebviewPanel('outlook365Bench.empty', 'Empty', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
    });
    panel.webview.html =
      '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\';"></head>' +
      '<body><input id="bench-field" aria-label="field"></body></html>';
  });
  await new Promise((r) => setTimeout(r, step.settleMs ?? 1500));
  const samples: Record<'form' | 'empty', number[]> = { form: [], empty: [] };
  // Per round, each phase's time after the command was run (ms; absent when the page had no such mark).
  const phases: Record<'form' | 'empty', Record<string, number>[]> = { form: [], empty: [] };
  try {
    const rounds = step.rounds ?? 10;
    for (let round = 0; round < rounds * 2; round++) {
      // Alternating, and the first kind alternates per pair: neither always follows the other.
      const kind = (round + Math.floor(round / 2)) % 2 === 0 ? 'form' : 'empty';
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const request: FormRequest = {
        round,
        kind,
        selector: kind === 'form' ? '#field-name input' : '#bench-field',
        requestedAt: Date.now(),
      };
      writeWhole(path.join(dir, `form-request-${round}.json`), request);
      await vscode.commands.executeCommand(kind === 'form' ? 'outlook365.addConnection' : EMPTY_WEBVIEW_COMMAND);
      const { seenAt, phases: marks = {} } = await seen(dir, round, 30_000);
      samples[kind].push(seenAt - request.requestedAt);
      phases[kind].push(
        Object.fromEntries(Object.entries(marks).map(([name, at]) => [name, Math.round(at - request.requestedAt)])),
      );
    }
  } finally {
    empty.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  return { formOpen: { ...samples, phases } };
}
