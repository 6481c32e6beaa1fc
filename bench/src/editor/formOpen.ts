/**
 * Form open, in one fresh window: from the command to the form's fields being interactive, against an
 * empty webview panel opened the same way (a command that creates a panel with the same options and one
 * input), and against that empty panel loading one script first: a few bytes, or as many as form.js. The
 * rounds take the four in turn.
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
  kind: Kind;
  selector: string;
  requestedAt: number;
}

const writeWhole = (file: string, value: unknown) => {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
  fs.renameSync(`${file}.tmp`, file);
};

/** Wall-clock times in the panel's document: it started, its script arrived, the form's marks. */
type Phases = Partial<
  Record<'document' | 'requested' | 'style' | 'script' | 'running' | 'defined' | 'init' | 'rendered', number>
>;

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

/** The panels of a round: ours, and the references opened the same way. */
type Kind = 'form' | 'empty' | 'tinyScript' | 'sizedScript';
const KINDS: readonly Kind[] = ['form', 'empty', 'tinyScript', 'sizedScript'];

/**
 * A reference panel: the empty page (one input), or the same page that first loads one script from a
 * local resource, as the form loads form.js (a blocking script in the head: the input appears after it).
 */
function referencePanel(kind: Exclude<Kind, 'form'>, scriptsDir: string): void {
  const panel = vscode.window.createWebviewPanel(`outlook365Bench.${kind}`, kind, vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.file(scriptsDir)],
  });
  const webview = panel.webview;
  const script =
    kind === 'empty'
      ? ''
      : `<script src="${webview.asWebviewUri(vscode.Uri.file(path.join(scriptsDir, `${kind}.js`))).toString()}"></script>`;
  const csp = kind === 'empty' ? "default-src 'none';" : `default-src 'none'; script-src ${webview.cspSource};`;
  webview.html =
    `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}">${script}</head>` +
    '<body><input id="bench-field" aria-label="field"></body></html>';
}

export async function formStep(step: { rounds?: number; settleMs?: number }, dir: string) {
  const extension = vscode.extensions.getExtension('outlook365-connections.outlook365-connections');
  await extension?.activate();
  // The scripts of the references: a few bytes, and as many bytes as the form's own script (a comment:
  // fetched and parsed, nothing to run), so the table can tell fetching a script from running ours.
  const scriptsDir = path.join(dir, 'reference-scripts');
  fs.mkdirSync(scriptsDir, { recursive: true });
  const formScriptBytes = extension
    ? fs.statSync(path.join(extension.extensionPath, 'dist', 'webview', 'form.js')).size
    : 0;
  fs.writeFileSync(path.join(scriptsDir, 'tinyScript.js'), 'void 0;');
  fs.writeFileSync(
    path.join(scriptsDir, 'sizedScript.js'),
    `/*${'x'.repeat(Math.max(0, formScriptBytes - 12))}*/void 0;`,
  );
  const commands = KINDS.filter((k) => k !== 'form').map((kind) =>
    vscode.commands.registerCommand(kind === 'empty' ? EMPTY_WEBVIEW_COMMAND : `${EMPTY_WEBVIEW_COMMAND}.${kind}`, () =>
      referencePanel(kind, scriptsDir),
    ),
  );
  await new Promise((r) => setTimeout(r, step.settleMs ?? 1500));
  const samples = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  // Per round, each phase's time after the command was run (ms; absent when the page had no such mark).
  const phases = Object.fromEntries(KINDS.map((k) => [k, [] as Record<string, number>[]])) as Record<
    Kind,
    Record<string, number>[]
  >;
  try {
    const rounds = step.rounds ?? 10;
    for (let round = 0; round < rounds * KINDS.length; round++) {
      // In turn, and the first kind of each turn moves on by one: none always follows the same other.
      const kind = KINDS[(round + Math.floor(round / KINDS.length)) % KINDS.length];
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const request: FormRequest = {
        round,
        kind,
        selector: kind === 'form' ? '#field-name input' : '#bench-field',
        requestedAt: Date.now(),
      };
      writeWhole(path.join(dir, `form-request-${round}.json`), request);
      await vscode.commands.executeCommand(
        kind === 'form'
          ? 'outlook365.addConnection'
          : kind === 'empty'
            ? EMPTY_WEBVIEW_COMMAND
            : `${EMPTY_WEBVIEW_COMMAND}.${kind}`,
      );
      const { seenAt, phases: marks = {} } = await seen(dir, round, 30_000);
      samples[kind].push(seenAt - request.requestedAt);
      phases[kind].push(
        Object.fromEntries(Object.entries(marks).map(([name, at]) => [name, Math.round(at - request.requestedAt)])),
      );
    }
  } finally {
    for (const command of commands) command.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  return { formOpen: { ...samples, phases, formScriptBytes } };
}
