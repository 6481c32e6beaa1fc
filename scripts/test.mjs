#!/usr/bin/env node
// `npm test`: everything that needs no human, in order: type-check and compile, bundle, then
//   1. unit + engine-against-emulator tests (mocha in Node, trusting the emulator's throwaway CA),
//   2. the in-editor suite inside a real VS Code (code-server), installed into a cache folder on first use,
//   3. the UI end-to-end tests in headless Chromium.
// Ends with one line "N passed, N failed" over all suites. `--only node|editor|ui` runs one stage.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? process.argv[i + 1] : undefined;
})();
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], ...options });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Adds a mocha spec reporter's "N passing / N failing / N pending" to the totals. */
function count(out) {
  const n = (word) => [...out.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  totals.passed += n('passing');
  totals.failed += n('failing');
  totals.skipped += n('pending');
}

async function step(name, command, args, options) {
  console.log(`\n=== ${name}`);
  const result = await run(command, args, options);
  count(result.out);
  if (result.code !== 0) {
    console.error(`\n✘ ${name} failed (exit ${result.code})`);
    if (totals.failed === 0) totals.failed = 1;
  }
  return result.code === 0;
}

const node = process.execPath;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
let ok = true;

ok = (await step('compile (tsc)', bin('tsc'), ['-p', '.'])) && ok;
ok = (await step('bundle (esbuild)', node, ['esbuild.mjs'])) && ok;
if (!ok) {
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
  process.exit(1);
}

// The emulator's CA must be trusted before Node starts (the engine sends through node:https).
const ca = await run(node, [path.join(root, 'out/test/sandbox/ensureCa.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
const caPath = ca.out.trim().split('\n').pop();
const env = { ...process.env, NODE_EXTRA_CA_CERTS: caPath };

if (!only || only === 'node') {
  const specs = ['out/test/unit', 'out/test/engine', ]
    .filter((dir) => existsSync(path.join(root, dir)))
    .map((dir) => `${dir}/**/*.test.js`);
  ok = (await step('unit and engine tests (mocha)', bin('mocha'), ['--timeout', '30000', '--reporter', 'spec', ...specs], { env })) && ok;
}
if ((!only || only === 'editor') && existsSync(path.join(root, 'scripts/test-editor.mjs'))) {
  ok = (await step('in-editor tests (VS Code 1.100.3 via code-server)', node, ['scripts/test-editor.mjs'], { env })) && ok;
}
if ((!only || only === 'ui') && existsSync(path.join(root, 'scripts/test-ui.mjs'))) {
  ok = (await step('UI end-to-end tests (Chromium)', node, ['scripts/test-ui.mjs'], { env })) && ok;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
