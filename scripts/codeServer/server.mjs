// Starts and stops a code-server (VS Code server + web workbench; the edition of install.mjs) for tests.
//
// startCodeServer({ userDataDir, extensionsDir, env?, port?, settings?, installDir?, timeoutMs?, verbose?, telemetry? })
//   -> { url, port, pid, userDataDir, extensionsDir, logFile, logTail(n?), stop() }
//
// The server runs in its own process group; stop() ends the whole group (server, extension hosts,
// pty host, file watcher) and waits until it is gone. Only Node built-ins are used.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { codeServerPaths, defaultInstallDir, isInstalled } from './install.mjs';

/**
 * The emulator's throwaway CA is trusted through NODE_EXTRA_CA_CERTS. VS Code's own networking in the
 * extension host (its `fetch` with proxy support, and `node:https` patched to add the OS certificate
 * store) builds its CA list from the OS store and drops that variable's certificates; with these two
 * off the extension host uses Node's own CA list. (A user's private CA belongs in the OS store, which
 * VS Code's networking trusts.)
 */
export const TRUST_NODE_CA_SETTINGS = Object.freeze({
  'http.fetchAdditionalSupport': false,
  'http.systemCertificates': false,
});

/** User settings that make a quiet, deterministic test workbench. */
export const DEFAULT_TEST_SETTINGS = Object.freeze({
  ...TRUST_NODE_CA_SETTINGS,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  'github.gitAuthentication': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
});

/** Finds a free TCP port on 127.0.0.1 (the OS picks it). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Writes `<userDataDir>/User/settings.json` (test defaults merged with `settings`). */
export function writeUserSettings(userDataDir, settings = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_TEST_SETTINGS, ...settings }, null, '\t') + '\n');
  return file;
}

/** Processes of a process group that are still running (zombies do not count): Linux /proc. */
function groupMembers(pgid) {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const pids = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may contain spaces/parens: parse after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[2]) === pgid && rest[0] !== 'Z') {
      pids.push(Number(name));
    }
  }
  return pids;
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

async function waitFor(predicate, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Environment for the server (and so for the extension host, which inherits it). */
function serverEnv(extraEnv, xdgData) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    // Inside a VS Code terminal, VSCODE_IPC_HOOK_CLI makes code-server hand the request to that
    // VS Code instead of starting; other VSCODE_*/ELECTRON_* variables would confuse the server.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'ELECTRON_NO_ATTACH_CONSOLE') {
      delete env[k];
    }
  }
  // The VS Code server would otherwise build the extension host's environment by running the
  // user's login shell (`$SHELL -i -l`): ~/.bashrc and ~/.profile could then override what the
  // tests pass (NODE_EXTRA_CA_CERTS, PATH, …), it costs seconds per start, and an interactive
  // shell ignores SIGTERM. VSCODE_CLI=1 ("launched from the CLI") skips that, as in desktop
  // test runs: the extension host gets exactly this environment.
  env.VSCODE_CLI = '1';
  // code-server writes its coder-logs into $XDG_DATA_HOME/code-server: keep them in the test folder.
  env.XDG_DATA_HOME = xdgData;
  // No extension gallery (code-server's default is open-vsx.org): tests run offline and the
  // workbench would otherwise log a failed gallery query on every start.
  env.EXTENSIONS_GALLERY ??= '{}';
  return { ...env, ...extraEnv };
}

/**
 * Starts code-server and waits until it answers.
 * @param {object} o
 * @param {string} o.userDataDir       VS Code user data (settings, state, logs); created if missing
 * @param {string} o.extensionsDir     folder for installed extensions; created if missing
 * @param {Record<string,string>} [o.env]  extra environment for the server and the extension host (e.g. NODE_EXTRA_CA_CERTS)
 * @param {number} [o.port]            default: a free port on 127.0.0.1
 * @param {Record<string,unknown>|false} [o.settings]  user settings merged over DEFAULT_TEST_SETTINGS; false: leave settings.json alone
 * @param {string} [o.installDir]      code-server install (default: the cache folder of install.mjs)
 * @param {string[]} [o.extraArgs]     more code-server arguments
 * @param {number} [o.timeoutMs]       how long to wait for the server to answer (default 60 s)
 * @param {boolean} [o.verbose]        echo the server output (default: $OUTLOOK365_CODE_SERVER_VERBOSE=1)
 * @param {boolean} [o.telemetry]      start without --disable-telemetry (default false), so that the
 *                                     `telemetry.telemetryLevel` setting decides `vscode.env.isTelemetryEnabled`;
 *                                     with --disable-telemetry it is false whatever the setting says
 * @param {(line: string) => void} [o.log]
 */
export async function startCodeServer(o) {
  if (!o?.userDataDir || !o?.extensionsDir) {
    throw new Error('startCodeServer: userDataDir and extensionsDir are required');
  }
  const log = o.log ?? ((line) => process.stdout.write(`[code-server] ${line}\n`));
  const verbose = o.verbose ?? process.env.OUTLOOK365_CODE_SERVER_VERBOSE === '1';
  const installDir = o.installDir ?? defaultInstallDir();
  if (!isInstalled(installDir)) {
    throw new Error(
      `code-server is not installed in ${installDir}: run node scripts/codeServer/install.mjs (or call ensureCodeServer())`,
    );
  }
  // The edition's own Node runs it (the newest needs a newer Node than the machine's); its extension hosts too.
  const { bin, node } = codeServerPaths(installDir);
  const userDataDir = path.resolve(o.userDataDir);
  const extensionsDir = path.resolve(o.extensionsDir);
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (o.settings !== false) {
    writeUserSettings(userDataDir, o.settings ?? {});
  }
  // Own config file: otherwise code-server creates ~/.config/code-server/config.yaml with a password.
  const coderDir = path.join(userDataDir, 'coder');
  fs.mkdirSync(coderDir, { recursive: true });
  const configFile = path.join(coderDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const logFile = path.join(userDataDir, 'code-server.log');

  const timeoutMs = o.timeoutMs ?? 60000;
  const attempts = o.port ? 1 : 3; // a free port can be taken between the check and the bind
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = o.port ?? (await findFreePort());
    try {
      return await startOnce({
        bin,
        node,
        port,
        userDataDir,
        extensionsDir,
        configFile,
        coderDir,
        logFile,
        env: o.env ?? {},
        extraArgs: o.extraArgs ?? [],
        timeoutMs,
        verbose,
        log,
        telemetry: !!o.telemetry,
      });
    } catch (e) {
      lastError = e;
      if (!e.portInUse) {
        throw e;
      }
      log(`port ${port} was taken; trying another`);
    }
  }
  throw lastError;
}

async function startOnce({
  bin,
  node,
  port,
  userDataDir,
  extensionsDir,
  configFile,
  coderDir,
  logFile,
  env,
  extraArgs,
  timeoutMs,
  verbose,
  log,
  telemetry,
}) {
  const args = [
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    ...(telemetry ? [] : ['--disable-telemetry']),
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...extraArgs,
  ];
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `\n=== ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
  const child = spawn(node, [bin, ...args], {
    cwd: userDataDir,
    env: serverEnv(env, coderDir),
    detached: true, // own process group: stop() can end the extension hosts too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid;
  const tail = [];
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  let spawnError;
  child.on('error', (e) => {
    spawnError = e;
  });
  const onData = (buf) => {
    const s = buf.toString();
    try {
      fs.writeSync(out, s);
    } catch {
      /* closed */
    }
    for (const line of s.split('\n')) {
      if (line.trim()) {
        tail.push(line);
        if (verbose) {
          log(line);
        }
      }
    }
    if (tail.length > 400) {
      tail.splice(0, tail.length - 400);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  // If this Node process ends without stop() (crash, process.exit), do not leave the server behind.
  const killOnExit = () => killGroup(pgid, 'SIGKILL');
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) {
      return;
    }
    stopped = true;
    killGroup(pgid, 'SIGTERM');
    // The server exits within a second on SIGTERM; what is left of its group after that
    // (an extension host still starting, a shell) gets a short grace, then SIGKILL.
    await waitFor(() => exited !== null, 5000);
    let gone = await waitFor(() => exited !== null && groupMembers(pgid).length === 0, 2000);
    if (!gone) {
      const left = groupMembers(pgid);
      log(`processes left after SIGTERM (${left.join(', ')}); sending SIGKILL`);
      killGroup(pgid, 'SIGKILL');
      gone = await waitFor(() => exited !== null && groupMembers(pgid).length === 0, 10000);
      if (!gone) {
        log(`WARNING: processes of group ${pgid} still running: ${groupMembers(pgid).join(', ')}`);
      }
    }
    await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 1000))]);
    process.removeListener('exit', killOnExit);
    try {
      fs.closeSync(out);
    } catch {
      /* already */
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const ready = await waitFor(
    async () => {
      if (exited || spawnError) {
        return true;
      }
      return (await httpStatus(`${url}/healthz`)) === 200;
    },
    timeoutMs,
    150,
  );
  if (!ready || exited || spawnError) {
    const text = tail.slice(-40).join('\n');
    await stop();
    const reason = spawnError
      ? `could not start ${bin}: ${spawnError.message}`
      : exited
        ? `code-server exited (${exited.signal ?? `code ${exited.code}`}) before answering`
        : `code-server did not answer on ${url}/healthz within ${timeoutMs} ms`;
    const err = new Error(`${reason}\n--- last output (${logFile}) ---\n${text}`);
    err.portInUse = /EADDRINUSE/.test(text);
    throw err;
  }
  return {
    url,
    port,
    pid: child.pid,
    userDataDir,
    extensionsDir,
    logFile,
    /** The last `n` lines of the server output. */
    logTail: (n = 50) => tail.slice(-n),
    stop,
  };
}
