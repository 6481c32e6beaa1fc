#!/usr/bin/env node
// `npm test`: everything that needs no human:
//   lint and format check first (scripts/lint.mjs: ESLint, Prettier on its list, the layer check); then
//   0. type-check and compile (tsc) and bundle (esbuild), side by side;
//   then, once the editor is installed (code-server into a cache folder, Debian packages on first use),
//   1. unit + engine-against-emulator tests (mocha in Node, trusting the emulator's throwaway CA),
//   2. the in-editor suite inside a real VS Code (code-server), on two versions: 1.100.3 (the oldest
//      `engines.vscode` allows) and the newest tested (EDITIONS in scripts/codeServer/install.mjs),
//   3. the UI end-to-end tests in headless Chromium.
// The stages are independent (own servers on free ports, own temp folders) and run side by side; each
// stage's output is printed whole when it ends, with its duration. `--serial` runs them one after another
// (output streamed), `--only node|editor|ui` runs one stage (`editor`: both versions, `editor:oldest` or
// `editor:newest` one). Ends with one line "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? process.argv[i + 1] : undefined;
})();
const serial = process.argv.includes('--serial') || only !== undefined;
const totals = { passed: 0, failed: 0, skipped: 0 };
const durations = [];
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command; streams its output, or (buffered) keeps it to print whole at the end. */
function run(command, args, { buffered = false, ...options } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let all = '';
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      all += chunk.toString();
      if (!buffered) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      all += chunk.toString();
      if (!buffered) process.stderr.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out, all }));
  });
}

/** Adds a mocha spec reporter's "N passing / N failing / N pending" to the totals. */
function count(out) {
  const n = (word) =>
    [...out.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  totals.passed += n('passing');
  totals.failed += n('failing');
  totals.skipped += n('pending');
}

async function step(name, command, args, options = {}) {
  const buffered = options.buffered ?? false;
  if (!buffered) console.log(`\n=== ${name}`);
  const t0 = Date.now();
  const result = await run(command, args, options);
  const took = Date.now() - t0;
  durations.push([name, took, result.code]);
  if (buffered) process.stdout.write(`\n=== ${name}\n${result.all}`);
  console.log(`=== ${name}: ${result.code === 0 ? 'ok' : `failed (exit ${result.code})`} in ${seconds(took)}`);
  count(result.out);
  if (result.code !== 0 && totals.failed === 0) totals.failed = 1;
  return result.code === 0;
}

function finish(ok) {
  console.log('\nstage durations:');
  for (const [name, took, code] of durations)
    console.log(`  ${seconds(took).padStart(8)}  ${code === 0 ? 'ok  ' : 'FAIL'}  ${name}`);
  console.log(`  ${seconds(Date.now() - started).padStart(8)}        whole run`);
  console.log(
    `\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
  );
  process.exit(ok && totals.failed === 0 ? 0 : 1);
}

const node = process.execPath;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const linted = await step('lint and format check (eslint, prettier, layers)', node, ['scripts/lint.mjs'], {
  buffered: true,
});
if (!linted) finish(false);

const built = await Promise.all([
  step('compile (tsc)', bin('tsc'), ['-p', '.'], { buffered: true }),
  step('bundle (esbuild)', node, ['esbuild.mjs'], { buffered: true }),
]);
if (!built.every(Boolean)) finish(false);

// The emulator's CA must be trusted before Node starts (the engine sends through node:https).
const ca = await run(node, [path.join(root, 'out/test/sandbox/ensureCa.js')], { buffered: true });
const caPath = ca.out.trim().split('\n').pop();
const env = { ...process.env, NODE_EXTRA_CA_CERTS: caPath };

const wants = (stage) => !only || only === stage || only.startsWith(`${stage}:`);
const stages = [];
if (wants('node')) {
  const specs = ['out/test/unit', 'out/test/engine']
    .filter((dir) => existsSync(path.join(root, dir)))
    .map((dir) => `${dir}/**/*.test.js`);
  stages.push(['unit and engine tests (mocha)', bin('mocha'), ['--timeout', '30000', '--reporter', 'spec', ...specs]]);
}
const { EDITIONS } = await import('./codeServer/install.mjs');
const editions = Object.keys(EDITIONS).filter((name) => !only?.startsWith('editor:') || only === `editor:${name}`);
if (wants('editor')) {
  for (const name of editions) {
    const { vscode, codeServer } = EDITIONS[name];
    stages.push([
      `in-editor tests (VS Code ${vscode} via code-server ${codeServer})`,
      node,
      ['scripts/test-editor.mjs'],
      { OUTLOOK365_VSCODE: name },
    ]);
  }
}
if (wants('ui')) stages.push(['UI end-to-end tests (Chromium)', node, ['scripts/test-ui.mjs']]);

// Install the editor and Debian packages once, before stages that share them start side by side.
if (wants('editor') || wants('ui')) {
  // Both VS Code versions for the editor stages (the UI stage uses the oldest); each installs on first use.
  const install = `import('./scripts/codeServer/install.mjs').then(async (m) => { await m.ensureAptPackages(); for (const edition of ${JSON.stringify(wants('editor') ? editions : ['oldest'])}) await m.ensureCodeServer({ edition }); })`;
  const installed = await step('install (code-server, Debian packages)', node, ['--input-type=module', '-e', install], {
    env,
  });
  if (!installed) finish(false);
}

let ok = true;
if (serial) {
  for (const [name, command, args, extra] of stages)
    ok = (await step(name, command, args, { env: { ...env, ...extra } })) && ok;
} else {
  const results = await Promise.all(
    stages.map(([name, command, args, extra]) =>
      step(name, command, args, { env: { ...env, ...extra }, buffered: true }),
    ),
  );
  ok = results.every(Boolean);
}
finish(ok);
