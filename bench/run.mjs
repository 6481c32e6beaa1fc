#!/usr/bin/env node
// `npm run bench`: measures the extension side by side with what it is compared to, in one run, and
// prints a table; everything also goes to bench/results.json. Each figure is a median of repeated
// samples (see bench/README.md for what each one means and how it is taken).
//
//   1. bundle:      bytes of the production dist/extension.js (what activation loads; the engine and
//                   node-forge files are listed beside it) vs the built-in microsoft-authentication's
//   2. activation:  activate() of this extension and of vscode.microsoft-authentication in fresh
//                   code-server windows, with 0 and with 1,000 stored connections; the editor figures on
//                   VS Code 1.100.3 and then on the newest tested (a second run, its own table)
//   3. token path:  cached session through the provider; one network acquisition vs a raw POST and
//                   vs @azure/identity's ClientSecretCredential, against the emulator; in the extension
//                   host through a real proxy vs a raw POST through the same proxy
//   4. concurrency: 100 callers on one expired connection (token requests seen, wall time); 50
//                   connections refreshed at once vs one
//   5. scale:       the tree with 1,000 connections; extension-host memory with and without them
//
// Options: --windows N (fresh windows per stored-connection count, default 10; half measure ours first),
//          --connections N (default 1000), --no-editor / --no-node / --no-tokens (skip a part),
//          --profile (CPU profiles of the token path, the service refresh, and one more window's
//          activation and tree, into bench/.build/profiles), --verbose (code-server / workbench output),
//          --report (print the table of the last bench/results.json again), --no-form (skip the form-open window),
//          --vscode oldest|newest|both (default both: the editor figures on each; the newest's run
//          writes bench/results-newest.json), --results <file> (default bench/results.json).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import {
  benchDir,
  buildBench,
  buildDir,
  buildExtension,
  buildSourceMap,
  bundleComposition,
  stageDir,
} from './lib/build.mjs';
import { summarizeProfile } from './lib/profileSummary.mjs';
import { fmtBytes, fmtMs, printTable, summarize } from './lib/report.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const WINDOWS = Number(option('windows', '10'));
const CONNECTIONS = Number(option('connections', '1000'));
const VERBOSE = flag('verbose');
const VSCODE = option('vscode', 'both');
if (VSCODE !== 'both') process.env.OUTLOOK365_VSCODE = VSCODE;
const RESULTS = path.resolve(option('results', path.join(benchDir, 'results.json')));
const PROFILE = flag('profile');
const t0 = Date.now();
if (flag('report')) {
  // Print the table of the last run again (bench/results.json), without measuring.
  printTable(JSON.parse(fs.readFileSync(RESULTS, 'utf8')));
  const newest = path.join(benchDir, 'results-newest.json');
  if (!argv.includes('--results') && fs.existsSync(newest)) printTable(JSON.parse(fs.readFileSync(newest, 'utf8')));
  process.exit(0);
}
const say = (line) => process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);

const results = {
  startedAt: new Date().toISOString(),
  machine: {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  },
  options: { windows: WINDOWS, connections: CONNECTIONS },
};

// ---- 1. bundle ----------------------------------------------------------------------------------------
say('building the extension (node esbuild.mjs --production, in bench/.build/extension)');
const ours = buildExtension();
const { ensureCodeServer, codeServerPaths, VSCODE_VERSION } = await import('../scripts/codeServer/install.mjs');
await ensureCodeServer({ log: (l) => say(`[code-server install] ${l}`) });
const builtinDir = path.join(codeServerPaths().vscodeDir, 'extensions', 'microsoft-authentication');
const builtinBytes = fs.statSync(path.join(builtinDir, 'dist', 'extension.js')).size;
const composition = await bundleComposition();
results.bundle = {
  ours: { file: 'dist/extension.js', bytes: ours.bytes, buildMs: Math.round(ours.buildMs) },
  // Not loaded at activation: the token engine on the first token, node-forge on the first .pfx.
  chunks: ours.chunks,
  builtin: { file: path.relative(os.homedir(), path.join(builtinDir, 'dist', 'extension.js')), bytes: builtinBytes },
  ratio: ours.bytes / builtinBytes,
  goal: 0.15,
  composition: composition.parts.slice(0, 16),
  // The version the editor windows report (below) replaces this when they ran.
  vscode: VSCODE_VERSION,
};
say(
  `dist/extension.js ${fmtBytes(ours.bytes)} vs built-in ${fmtBytes(builtinBytes)} (${(ours.bytes / builtinBytes).toFixed(2)}×)`,
);

// ---- bench sources, test CA ---------------------------------------------------------------------------
const bundles = await buildBench();
const caPath = execFileSync(process.execPath, [bundles.ensureCa], { encoding: 'utf8' }).trim();
const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caPath };

// ---- 3 + 4 at the engine level, plain Node --------------------------------------------------------------
function runNode(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${path.basename(script)} exited ${code}\n${out}`)),
    );
  });
}

if (!flag('no-node')) {
  say('token path and concurrency at the engine level (Node, emulator in a child process)');
  const tokensOut = path.join(buildDir, 'tokens.json');
  await runNode(bundles.tokens, ['--out', tokensOut, '--samples', '200', '--rounds', '10']);
  results.engine = JSON.parse(fs.readFileSync(tokensOut, 'utf8'));
}

if (PROFILE && !flag('no-node')) {
  say('CPU profiles of the token path (bench/.build/profiles)');
  const profileScript = path.join(buildDir, 'node', 'profileToken.js');
  await esbuild.build({
    entryPoints: [path.join(benchDir, 'src/node/profileToken.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: profileScript,
    logLevel: 'warning',
  });
  const text = await runNode(profileScript, ['--n', '400', '--dir', path.join(buildDir, 'profiles')]);
  results.tokenProfile = text.trim().split('\n');
  process.stdout.write(text);
}

// ---- 2, 3, 4, 5 in the real extension host ----------------------------------------------------------------
if (!flag('no-editor')) {
  const { openWorkbench } = await import('../scripts/codeServer/runEditorTests.mjs');
  const stateDir = path.join(buildDir, 'editor-state');
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const editorLog = path.join(buildDir, 'editor.log');
  fs.writeFileSync(editorLog, '');
  const log = (line) => {
    fs.appendFileSync(editorLog, `${line}\n`);
    if (VERBOSE) process.stdout.write(`${line}\n`);
  };

  const steps = [];
  for (let i = 0; i < WINDOWS; i++)
    steps.push({
      mode: 'activate',
      builtinFirst: i % 2 === 1,
      settleMs: 1500,
      watchMs: 1500,
      treeReps: 20,
      label: 'empty',
    });
  if (!flag('no-form')) steps.push({ mode: 'form', rounds: 10, settleMs: 1500, label: 'form' });
  if (!flag('no-tokens')) {
    steps.push({ mode: 'tokens', samples: 300, rounds: 6, profile: PROFILE, label: 'tokens' });
    steps.push({ mode: 'proxy', samples: 200, label: 'proxy' });
  }
  steps.push({ mode: 'seed', count: CONNECTIONS, label: 'seed' });
  for (let i = 0; i < WINDOWS; i++)
    steps.push({
      mode: 'activate',
      builtinFirst: i % 2 === 1,
      settleMs: 1500,
      watchMs: 1500,
      treeReps: 20,
      restoreFacts: CONNECTIONS,
      label: 'seeded',
    });
  if (PROFILE)
    steps.push({
      mode: 'activate',
      builtinFirst: true,
      settleMs: 1500,
      treeReps: 5,
      profile: true,
      restoreFacts: CONNECTIONS,
      label: 'profile',
    });

  const writeStep = (index) =>
    fs.writeFileSync(path.join(stateDir, 'step.json'), JSON.stringify({ ...steps[index], index }));
  const waitForResult = async (index, timeoutMs) => {
    const file = path.join(stateDir, `result-${index}.json`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (fs.existsSync(file)) {
        try {
          return JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch {
          // still being written
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `window ${index} (${steps[index].mode}) gave no result within ${timeoutMs / 1000} s; see ${editorLog}`,
    );
  };

  /**
   * The form step (bench/src/editor/formOpen.ts): for each `form-request-<n>.json`, waits until the
   * element it names is in a frame of the page and enabled, and writes `form-seen-<n>.json` with the time.
   */
  function watchFormRequests(page, dir) {
    let stopped = false;
    const done = new Set();
    const loop = (async () => {
      while (!stopped) {
        const pending = fs
          .readdirSync(dir)
          .filter((f) => /^form-request-\d+\.json$/.test(f) && !done.has(f))
          .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))]);
        for (const [file, request] of pending) {
          // Only frames that appear after the request: the panel of the round before may still be closing.
          const earlier = new Set(page.frames());
          const deadline = Date.now() + 30_000;
          let found;
          while (!stopped && Date.now() < deadline) {
            for (const frame of page.frames().filter((f) => !earlier.has(f))) {
              const element = await frame.$(request.selector).catch(() => null);
              if (element && (await element.isEnabled().catch(() => false))) {
                found = frame;
                break;
              }
            }
            if (found) break;
            await new Promise((r) => setTimeout(r, 2));
          }
          const seenAt = found ? Date.now() : null;
          // Where the time went, from the panel's own document (wall clock, like seenAt): when it started,
          // when its script had arrived, and the form's marks (src/webview/form/main.ts).
          const phases = await found
            ?.evaluate(() => {
              const at = (t) => (t === undefined ? undefined : performance.timeOrigin + t);
              const resources = performance.getEntriesByType('resource');
              const script = resources.find((e) => /\.js(\?|$)/.test(e.name));
              const style = resources.find((e) => /\.css(\?|$)/.test(e.name));
              const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
              return {
                document: at(0),
                requested: at(script?.startTime),
                style: at(style?.responseEnd),
                script: at(script?.responseEnd),
                running: at(mark('outlook365:script')),
                defined: at(mark('outlook365:defined')),
                init: at(mark('outlook365:init')),
                rendered: at(mark('outlook365:rendered')),
              };
            })
            .catch(() => undefined);
          const out = path.join(dir, `form-seen-${request.round}.json`);
          fs.writeFileSync(`${out}.tmp`, JSON.stringify({ seenAt, phases }));
          fs.renameSync(`${out}.tmp`, out);
          done.add(file);
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    return { stop: () => ((stopped = true), loop) };
  }

  say(
    `code-server: ${steps.length} fresh windows (${WINDOWS} empty, tokens, seed ${CONNECTIONS}, ${WINDOWS} with ${CONNECTIONS}${PROFILE ? ', profile' : ''})`,
  );
  const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outlook365-bench-'));
  writeStep(0);
  const windowStarted = Date.now();
  const wb = await openWorkbench({
    extensionDevelopmentPath: stageDir,
    extensionTestsPath: bundles.suite,
    sandboxDir,
    env: { NODE_EXTRA_CA_CERTS: caPath, OUTLOOK365_BENCH_DIR: stateDir },
    print: log,
    onAutomationLog: (type, args) =>
      log(`[workbench ${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
  });
  const windows = [];
  const onSignal = (signal) => {
    say(`${signal}: stopping code-server`);
    Promise.resolve(wb.stop()).finally(() => {
      fs.rmSync(sandboxDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (let index = 0; index < steps.length; index++) {
      const started = index === 0 ? windowStarted : Date.now();
      if (index > 0) {
        writeStep(index);
        // A reload is a fresh window: new renderer, new extension host process. The browser profile
        // (where VS Code web keeps globalState) stays, so the seeded connections are there next time.
        await wb.page.reload({ waitUntil: 'domcontentloaded' });
      }
      const watcher = steps[index].mode === 'form' ? watchFormRequests(wb.page, stateDir) : undefined;
      // The tokens window signs in and refreshes 100+ connections: on a loaded machine that takes minutes.
      const result = await waitForResult(index, steps[index].mode === 'tokens' ? 900_000 : 180_000).finally(() =>
        watcher?.stop(),
      );
      result.windowMs = Date.now() - started;
      windows.push(result);
      if (!result.ok) throw new Error(`window ${index} (${steps[index].mode}) failed: ${result.error}`);
      const a = result.activation;
      say(
        `window ${index + 1}/${steps.length} ${steps[index].label}: ${(result.windowMs / 1000).toFixed(1)} s` +
          (a
            ? `, activate ours ${fmtMs(a['outlook365-connections.outlook365-connections'].ms)}, built-in ${fmtMs(a['vscode.microsoft-authentication'].ms)}, ${result.connections} connection(s)`
            : ''),
      );
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await wb.stop();
    fs.rmSync(sandboxDir, { recursive: true, force: true });
  }
  results.editor = { windows };
  results.bundle.vscode = windows.find((w) => w.vscode)?.vscode ?? results.bundle.vscode;
  if (PROFILE) {
    // CPU profiles from the extension host, read through a source map of the staged bundle.
    const map = await buildSourceMap();
    const profilesDir = path.join(buildDir, 'profiles');
    fs.mkdirSync(profilesDir, { recursive: true });
    results.editorProfiles = {};
    for (const file of fs.readdirSync(stateDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const [kind] = file.split('-');
      const target = path.join(profilesDir, `editor-${kind}.cpuprofile`);
      fs.copyFileSync(path.join(stateDir, file), target);
      const s = summarizeProfile(JSON.parse(fs.readFileSync(target, 'utf8')), { top: 15, map });
      results.editorProfiles[kind] = s;
      say(`profile ${path.relative(process.cwd(), target)}: ${s.totalMs} ms sampled`);
      for (const [k, v] of s.byFunction.slice(0, 12)) process.stdout.write(`    ${String(v).padStart(8)} ms  ${k}\n`);
    }
  }
}

// ---- summary --------------------------------------------------------------------------------------------
const summary = summarize(results);
results.summary = summary;
results.finishedAt = new Date().toISOString();
results.machine.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
results.durationS = Math.round((Date.now() - t0) / 1000);
fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
printTable(results);
say(`results: ${path.relative(process.cwd(), RESULTS)} (${results.durationS} s)`);

// The editor figures again on the newest VS Code tested (scripts/codeServer/install.mjs), its own table.
if (VSCODE === 'both' && !flag('no-editor')) {
  say('the editor figures on the newest VS Code tested');
  const valued = new Set(['--results', '--vscode']);
  const args = argv.filter((a, i) => a !== '--no-node' && !valued.has(a) && !valued.has(argv[i - 1]));
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      ...args,
      '--vscode',
      'newest',
      '--no-node',
      '--results',
      path.join(benchDir, 'results-newest.json'),
    ],
    { stdio: 'inherit' },
  );
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  process.exitCode = code;
}
