/**
 * A consumer extension: what a third-party extension author writes to use an Outlook connection. It is
 * installed as an ordinary extension (not under development). Under the runner (OUTLOOK365_CONSUMER_DIR
 * set) in a normal, non-test window (so VS Code shows its real
 * "wants to sign in" dialogs, which the runner answers as a person would), it runs the phase the runner
 * named in `<dir>/phase` and writes `<dir>/<phase>.log` and `<dir>/<phase>.exit`. Otherwise it does nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const dir = process.env.OUTLOOK365_CONSUMER_DIR;
  // The runner names the phase before each window it opens for the consumer (none during the seed run).
  const phaseFile = dir && path.join(dir, 'phase');
  if (!dir || !phaseFile || !fs.existsSync(phaseFile) || context.extensionMode === vscode.ExtensionMode.Test) return;
  const phase = fs.readFileSync(phaseFile, 'utf8').trim();
  fs.rmSync(phaseFile);
  const log = path.join(dir, `${phase}.log`);
  void runPhase(phase, log).then(
    (failures) => fs.writeFileSync(path.join(dir, `${phase}.exit`), String(failures ? 1 : 0)),
    (err: unknown) => {
      fs.appendFileSync(log, `${(err as Error)?.stack ?? String(err)}\n`);
      fs.writeFileSync(path.join(dir, `${phase}.exit`), '1');
    },
  );
}

async function runPhase(phase: string, log: string): Promise<number> {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => fs.appendFileSync(log, `${util.format(...args)}\n`);
  try {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
    mocha.addFile(path.join(__dirname, `${phase}.test.js`));
    return await new Promise<number>((resolve) => mocha.run(resolve));
  } finally {
    base.consoleLog = original;
  }
}
