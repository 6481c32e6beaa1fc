#!/usr/bin/env node
// UI tests in headless Chromium (Debian's, driven by playwright-core): the Add/Edit Connection form's
// webview page under its real CSP, in light, dark and high-contrast themes, keyboard only; then
// (test/ui/workbench) the whole story in the real workbench (code-server), with the extension from the
// development folder and from the packaged .vsix (that test runs `npm run package` itself).
// Expects `npm test`'s compile and bundle to have run. Installs Debian chromium when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAptPackages } from './codeServer/install.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!existsSync('/usr/bin/chromium')) {
  await ensureAptPackages(['chromium']);
}
const dir = path.join(root, 'out', 'test', 'ui');
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .sort() // form/ first, then workbench/dev before workbench/vsix
  .map((f) => path.join(dir, f));
const mocha = path.join(root, 'node_modules', '.bin', 'mocha');
process.exit(
  spawnSync(mocha, ['--timeout', '60000', '--reporter', 'spec', ...files], { cwd: root, stdio: 'inherit' }).status ?? 1,
);
