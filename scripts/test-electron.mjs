#!/usr/bin/env node
// The same in-editor suite under @vscode/test-electron, for a machine where a desktop VS Code can be
// downloaded (a developer's laptop). On the offline CI machines `npm test` runs it in code-server.
// Usage: npx tsc -p . && node esbuild.mjs && NODE_EXTRA_CA_CERTS=$(node out/test/sandbox/ensureCa.js) node scripts/test-electron.mjs
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { TRUST_NODE_CA_SETTINGS } from './codeServer/server.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-electron-'));
mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
// As in code-server: the extension host keeps Node's CA list (with NODE_EXTRA_CA_CERTS), see TRUST_NODE_CA_SETTINGS.
writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(TRUST_NODE_CA_SETTINGS));
await runTests({
  version: '1.100.3',
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'out', 'test', 'editor', 'index.js'),
  launchArgs: ['--disable-extensions', `--user-data-dir=${userDataDir}`],
  extensionTestsEnv: { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' },
});
