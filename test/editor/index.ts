// Entry of the in-editor test suite, in the shape @vscode/test-electron (and our code-server
// runner, scripts/codeServer/runEditorTests.mjs) expect: the extension host loads this file and
// calls run(); the run fails when the returned promise rejects.
//
// Runs every `*.test.js` beside this file (compiled into out/test/editor/) with Mocha (BDD).
// Environment:
//   OUTLOOK365_TEST_FILES     only the test files whose name matches this (regular expression,
//                             e.g. `smoke` or `^(smoke|auth)\.test\.js$`)
//   OUTLOOK365_TEST_GREP      only tests whose full title matches this (regular expression)
//   OUTLOOK365_TEST_LOG_FILE  also append the Mocha report (and the tests' console.log/error) to
//                             this file. Set by the code-server runner, which prints the file as it
//                             grows: in code-server the extension host's console.log only reaches the
//                             workbench log, unformatted ("✔ %s (%dms) name 235") and mixed with the
//                             workbench's own lines (stdout also lands in the server's log).

import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const restoreOutput = teeOutputToFile(process.env.OUTLOOK365_TEST_LOG_FILE);
  try {
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      timeout: 60000,
      reporter: 'spec',
    });
    if (process.env.OUTLOOK365_TEST_GREP) {
      mocha.grep(new RegExp(process.env.OUTLOOK365_TEST_GREP));
    }
    const only = process.env.OUTLOOK365_TEST_FILES ? new RegExp(process.env.OUTLOOK365_TEST_FILES) : undefined;
    const files = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.js') && (!only || only.test(f)))
      .sort();
    if (files.length === 0) {
      throw new Error(`No *.test.js files${only ? ` matching ${only}` : ''} in ${__dirname}`);
    }
    for (const f of files) {
      mocha.addFile(path.join(__dirname, f));
    }
    const failures = await new Promise<number>((resolve, reject) => {
      try {
        mocha.run(resolve);
      } catch (e) {
        reject(e);
      }
    });
    if (failures > 0) {
      throw new Error(`${failures} editor test(s) failed.`);
    }
  } finally {
    restoreOutput();
  }
}

/**
 * Mocha's reporters write through console.log and process.stdout.write. Copies both into `file`
 * (appended synchronously so nothing is lost when the extension host exits right after run()).
 */
function teeOutputToFile(file: string | undefined): () => void {
  if (!file) {
    return () => undefined;
  }
  const append = (s: string) => {
    try {
      fs.appendFileSync(file, s);
    } catch {
      // the log is a convenience; never fail the run because of it
    }
  };
  const origWrite = process.stdout.write;
  const origLog = console.log;
  const origError = console.error;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return (origWrite as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  };
  // In the extension host console.log is forwarded to the workbench's log (not process.stdout),
  // which joins the arguments without applying printf-style formats ("✔ %s (%dms) name 235"):
  // format here so those copies read well too.
  console.log = (...args: unknown[]) => {
    const line = formatArgs(args);
    append(line + '\n');
    origLog.call(console, line);
  };
  console.error = (...args: unknown[]) => {
    const line = formatArgs(args);
    append(line + '\n');
    origError.call(console, line);
  };
  // Mocha's reporters do not call console.log: they call Base.consoleLog, a copy of console.log
  // taken when Mocha was loaded (so that tests stubbing console.log cannot hide the report).
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const origBaseLog = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    const line = formatArgs(args);
    append(line + '\n');
    origBaseLog.call(console, line);
  };
  return () => {
    process.stdout.write = origWrite;
    console.log = origLog;
    console.error = origError;
    base.consoleLog = origBaseLog;
  };
}

function formatArgs(args: unknown[]): string {
  return util.format(...args);
}
