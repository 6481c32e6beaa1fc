#!/usr/bin/env node
// `npm start`: a real VS Code (code-server 4.100.3 = VS Code 1.100.3) in your browser with this extension
// and a local sandbox tenant (the Entra ID + Graph emulator of test/sandbox, seeded by sandboxTenant.ts).
//
//   1. builds (tsc, esbuild), creates the emulator's throwaway CA, installs code-server on first run;
//   2. starts the sandbox tenant: login host (https), Graph (https), and the sign-in pages over plain
//      http on loopback, so your browser shows no certificate warning;
//   3. starts code-server on 127.0.0.1 with the extension installed from this folder (a link in the
//      sandbox's extensions folder) and user settings pointing the "Custom endpoints" environment at the
//      sandbox;
//   4. prints the URL to open and the values to type into the Add Connection form.
// Ctrl+C (or SIGTERM) stops everything it started and exits 0.
//
// Usage: npm start [-- --editor-port N --login-port N --graph-port N --browser-port N]
// Ports also from OUTLOOK365_SANDBOX_{EDITOR,LOGIN,GRAPH,BROWSER}_PORT; 0 = any free port. A default port
// that is busy is replaced by a free one; a port you chose that is busy is an error.
// State (settings, connections, the app certificate) lives in .cache/sandbox/; delete it to start over.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './codeServer/install.mjs';
import { DEFAULT_TEST_SETTINGS, TRUST_NODE_CA_SETTINGS, startCodeServer } from './codeServer/server.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const sandboxDir = path.join(root, '.cache', 'sandbox');
const DEFAULT_PORTS = { editor: 4365, login: 4366, graph: 4367, browser: 4368 };

const log = (line = '') => process.stdout.write(`${line}\n`);
const step = (line) => log(`[start] ${line}`);

class StartError extends Error {}

// ---- what was started, and stopping it ----------------------------------------------------------
/** Stops, last started first. */
const running = [];
/** Child processes of the build steps, ended on a signal. */
const children = new Set();
let stopping = false;

async function stopAll() {
  for (const child of children) {
    child.kill('SIGTERM');
  }
  while (running.length) {
    const { name, stop } = running.pop();
    try {
      await stop();
      step(`stopped ${name}`);
    } catch (e) {
      step(`stopping ${name}: ${e?.message ?? e}`);
    }
  }
}

function onSignal(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  log();
  step(`${signal}: stopping…`);
  // A last resort if something hangs while stopping.
  setTimeout(() => {
    step('still not stopped after 30 s; exiting');
    process.exit(1);
  }, 30_000).unref();
  stopAll().then(() => process.exit(0));
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

// ---- options --------------------------------------------------------------------------------------
function portOption(name) {
  const flag = `--${name}-port`;
  const i = process.argv.indexOf(flag);
  const env = `OUTLOOK365_SANDBOX_${name.toUpperCase()}_PORT`;
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (raw === undefined || raw === '') {
    return { port: DEFAULT_PORTS[name], chosen: false, how: `${flag} or ${env}` };
  }
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartError(`${i >= 0 ? flag : env} must be a port number (0 = any free port), not "${raw}"`);
  }
  return { port, chosen: true, how: `${flag} or ${env}` };
}

/** Whether `port` can be bound on `address` now (0 is always fine). */
function canListen(port, address) {
  if (port === 0) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

/** The port to use: the chosen one (must be free), or the default one, or a free one when that is busy. */
async function pickPort(name, addresses) {
  const option = portOption(name);
  const free = (await Promise.all(addresses.map((a) => canListen(option.port, a)))).every(Boolean);
  if (free) {
    return option.port;
  }
  if (option.chosen) {
    throw new StartError(
      `port ${option.port} (${name}) is in use: choose another with ${option.how} (0 = any free port)`,
    );
  }
  step(`port ${option.port} (${name}) is in use; using a free one`);
  return 0;
}

// ---- steps ----------------------------------------------------------------------------------------
function run(command, args, what) {
  step(what);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    children.add(child);
    child.on('error', (e) => reject(new StartError(`${what}: ${e.message}`)));
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new StartError(`${what} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

async function build() {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  if (!fs.existsSync(tsc)) {
    throw new StartError('node_modules is missing: run `npm install` first');
  }
  await run(tsc, ['-p', '.'], 'compiling (tsc -p .)');
  await run(process.execPath, ['esbuild.mjs'], 'bundling (node esbuild.mjs)');
}

/** The extension, installed into the sandbox's extensions folder as a link to this folder. */
function linkExtension(extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folderName = `${id}-${manifest.version}`;
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const entry of fs.readdirSync(extensionsDir)) {
    // Links of earlier versions of this extension (the version is part of the name).
    if (entry.startsWith(`${id}-`) && entry !== folderName) {
      fs.rmSync(path.join(extensionsDir, entry), { force: true });
    }
  }
  const link = path.join(extensionsDir, folderName);
  let current;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== root) {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(root, link, 'dir');
  }
  // VS Code keeps the list of installed extensions (and their manifests) in extensions.json; without it,
  // it scans the folder again and so always sees the current package.json of this folder.
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });
  return { id, link };
}

/** VS Code's cache of scanned user extensions (manifests): dropped so that a changed package.json counts. */
function dropExtensionScanCache(userDataDir) {
  const dir = path.join(userDataDir, 'CachedProfilesData');
  if (!fs.existsSync(dir)) {
    return;
  }
  for (const profile of fs.readdirSync(dir)) {
    fs.rmSync(path.join(dir, profile, 'extensions.user.cache'), { force: true });
  }
}

/** User settings: the test defaults, then what is already there (yours), then the sandbox's. */
function writeSettings(userDataDir, sandboxSettings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let existing = {};
  if (fs.existsSync(file)) {
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      fs.copyFileSync(file, `${file}.bak`);
      step(`settings.json was not plain JSON; kept a copy as ${file}.bak`);
    }
  }
  fs.writeFileSync(
    file,
    `${JSON.stringify({ ...DEFAULT_TEST_SETTINGS, ...existing, ...sandboxSettings }, null, '\t')}\n`,
  );
}

/** ::1 when this machine has it (browser origin http://[::1]:PORT, see emulator.ts browserAddresses). */
function hasIpv6Loopback() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

function banner({ editorUrl, tenant, browserEndpoints, describe, valuesFile }) {
  const rule = '─'.repeat(78);
  log();
  log(rule);
  log(` Outlook 365 Connections: sandbox is running`);
  log(rule);
  log(` Open VS Code:  ${editorUrl}`);
  log(`   then the "Outlook 365" icon in the activity bar → Add Connection, environment "Custom endpoints: Sandbox".`);
  log(`   VS Code asks before it opens a sign-in page ("open the external website?"): choose Open.`);
  log();
  log(` Sandbox tenant (local emulator; every value below is a throwaway of this sandbox):`);
  log(`   login ${tenant.loginEndpoint}   Graph ${tenant.graphEndpoint}`);
  log(`   sign-in pages over plain http: ${browserEndpoints.join('  ')}`);
  log();
  for (const line of describe.split('\n')) {
    log(line ? ` ${line}` : '');
  }
  log();
  log(` These values are also in ${path.relative(root, valuesFile)}.`);
  log(` State: ${path.relative(root, sandboxDir)}/ (delete it to start over).  Stop: Ctrl+C`);
  log(rule);
}

async function main() {
  const started = Date.now();
  const ports = {};
  // Checked first, so a wrong option fails before the build.
  for (const name of Object.keys(DEFAULT_PORTS)) {
    portOption(name);
  }

  await build();
  if (stopping) return;

  const require = createRequire(import.meta.url);
  const { ensureTestCa } = require('../out/test/sandbox/certs.js');
  const { startSandboxTenant, describeSandboxTenant } = require('../out/test/sandbox/sandboxTenant.js');
  const ca = ensureTestCa();
  step(`test CA: ${ca.caCertPath}`);

  step('checking code-server 4.100.3 (the first run installs it: a few minutes)');
  const installed = await ensureCodeServer({ log: (l) => step(`[code-server install] ${l}`) });
  if (stopping) return;

  const ipv6 = await hasIpv6Loopback();
  const browserAddresses = ipv6 ? ['::1', '127.0.0.1'] : ['127.0.0.1'];
  ports.login = await pickPort('login', ['127.0.0.1']);
  ports.graph = await pickPort('graph', ['127.0.0.1']);
  ports.browser = await pickPort('browser', browserAddresses);
  ports.editor = await pickPort('editor', ['127.0.0.1']);

  step('starting the sandbox tenant');
  fs.mkdirSync(sandboxDir, { recursive: true });
  let sandbox;
  try {
    sandbox = await startSandboxTenant({
      dir: sandboxDir,
      loginPort: ports.login,
      graphPort: ports.graph,
      browserPort: ports.browser,
      browserAddresses,
    });
  } catch (e) {
    throw new StartError(
      `the sandbox tenant did not start: ${e?.message ?? e}${e?.code === 'EADDRINUSE' ? ' (a port is in use: see --login-port, --graph-port, --browser-port)' : ''}`,
    );
  }
  const { emulator, tenant } = sandbox;
  running.push({ name: 'sandbox tenant', stop: () => emulator.stop() });
  if (!ipv6) {
    step(
      'no IPv6 loopback (::1) here: sign-in pages at http://127.0.0.1; VS Code in the browser may open them through its',
    );
    step('port forwarding (/proxy/PORT/) without the path: copy the sign-in link from the notification instead');
  }
  if (stopping) return;

  const userDataDir = path.join(sandboxDir, 'user-data');
  const extensionsDir = path.join(sandboxDir, 'extensions');
  const workspaceDir = path.join(sandboxDir, 'workspace');
  fs.mkdirSync(workspaceDir, { recursive: true });
  const extension = linkExtension(extensionsDir);
  dropExtensionScanCache(userDataDir);
  step(`extension ${extension.id} installed as a link: ${path.relative(root, extension.link)} → ${root}`);
  writeSettings(userDataDir, {
    'outlook365.customEnvironment': {
      name: 'Sandbox',
      loginEndpoint: tenant.loginEndpoint,
      graphEndpoint: tenant.graphEndpoint,
    },
    // The sandbox CA is trusted through NODE_EXTRA_CA_CERTS (see TRUST_NODE_CA_SETTINGS).
    ...TRUST_NODE_CA_SETTINGS,
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
  });

  step('starting VS Code (code-server)');
  let server;
  try {
    server = await startCodeServer({
      userDataDir,
      extensionsDir,
      installDir: installed.dir,
      port: ports.editor || undefined,
      settings: false,
      // The extension host inherits this: it trusts the sandbox's CA (MSAL and Graph calls use Node's fetch).
      env: { NODE_EXTRA_CA_CERTS: ca.caCertPath },
      extraArgs: [workspaceDir],
      log: (l) => step(`[code-server] ${l}`),
    });
  } catch (e) {
    throw new StartError(`VS Code (code-server) did not start: ${e?.message ?? e}`);
  }
  running.push({ name: 'VS Code (code-server)', stop: () => server.stop() });
  if (stopping) return;

  const valuesFile = path.join(sandboxDir, 'sandbox-values.txt');
  const describe = describeSandboxTenant(tenant);
  fs.writeFileSync(valuesFile, `VS Code: ${server.url}/\n\n${describe}\n`);
  banner({ editorUrl: `${server.url}/`, tenant, browserEndpoints: emulator.browserEndpoints, describe, valuesFile });
  step(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  // code-server ending on its own (a crash, a kill) ends the sandbox too.
  const watch = setInterval(() => {
    try {
      process.kill(server.pid, 0);
    } catch {
      clearInterval(watch);
      if (stopping) return;
      stopping = true;
      step(`VS Code (code-server) exited unexpectedly; see ${server.logFile}`);
      stopAll().then(() => process.exit(1));
    }
  }, 2000);
}

main().catch(async (e) => {
  if (stopping) {
    return; // a signal arrived during the start: onSignal finishes
  }
  stopping = true;
  process.stderr.write(`\n[start] FAILED: ${e instanceof StartError ? e.message : (e?.stack ?? e)}\n`);
  await stopAll();
  process.exit(1);
});
