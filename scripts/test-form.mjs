#!/usr/bin/env node
// Runs the Add/Edit Connection form's tests: the panel's message handling (fake `vscode`) and the
// webview in headless Chromium. Compiles and bundles first; `--no-build` skips that.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (!process.argv.includes('--no-build')) {
  // tsc still emits when other parts of the project have type errors; the form's own files are checked here too.
  run(bin('tsc'), ['-p', '.']);
  if (run(process.execPath, ['esbuild.mjs']) !== 0) process.exit(1);
}
process.exit(run(bin('mocha'), ['--timeout', '60000', 'out/test/ui/form/formPanel.test.js', 'out/test/ui/form/form.test.js']));
