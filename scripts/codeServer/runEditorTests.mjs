#!/usr/bin/env node
// Runs an extension test suite inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3) opened
// in headless Chromium, like @vscode/test-electron's runTests does with a desktop VS Code.
//
// CLI:  node scripts/codeServer/runEditorTests.mjs --extensionDevelopmentPath <dir> --extensionTestsPath <compiled index.js>
//            [--workspaceFolder <dir>] [--screenshotsDir <dir>] [--timeout <ms>] [--keepUserData] [--headed]
//       exit code = the suite's exit code (0 = all passed).
//
// API:  runEditorTests({ extensionDevelopmentPath, extensionTestsPath, workspaceFolder?, env?, settings?,
//                        screenshotsDir?, timeoutMs?, ... }) -> Promise<number>
//       openWorkbench({ extensionDevelopmentPath?, extensionTestsPath?, workspaceFolder?, env?, settings?, ... })
//         -> { page, browser, context, server, url, sandboxDir, onExit, openWindow, stop } for UI tests.
//
// More windows: `openWindow()` opens another window (its own extension host) on the same server and user
// data. A suite run by runEditorTests asks for one itself (test/editor/windows.ts): it writes
// `$OUTLOOK365_TEST_WINDOWS_DIR/<name>.request.json` ({ extensionTestsPath, window }), the runner writes
// `window` to `<name>/window.json`, opens a window on the folder `<name>/` running that entry, and writes
// `<name>/exit.json` ({ code }) when it ends, then closes it.
//
// How the suite's output gets here: the workbench reports its own log to `window.codeAutomationLog`
// and the suite's end to `window.codeAutomationExit(code)`, both exposed with Playwright. The
// extension host's console.log/stdout do NOT reach that log in code-server (they end up in the
// server's log at most), so the runner passes OUTLOOK365_TEST_LOG_FILE to the extension host and
// test/editor/index.ts appends Mocha's report to that file; the runner prints it as it grows.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editionOf, ensureAptPackages, ensureCodeServer } from './install.mjs';
import { startCodeServer } from './server.mjs';

const CHROMIUM = process.env.OUTLOOK365_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
]);

const outLine = (line) => process.stdout.write(`${line}\n`);
const out = outLine;

/** `vscode-remote://127.0.0.1:PORT/abs/path`: the authority must equal the page's host:port. */
export function remoteUri(authority, absPath) {
  const p = path.resolve(absPath).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://${authority}${p.startsWith('/') ? '' : '/'}${p}`;
}

/** The workbench URL that opens `folder` and, optionally, runs an extension test suite. */
export function workbenchUrl(serverUrl, { folder, extensionDevelopmentPath, extensionTestsPath, payload = [] } = {}) {
  const authority = new URL(serverUrl).host;
  const entries = [];
  // One or several extensions under development (VS Code loads every `extensionDevelopmentPath` entry).
  for (const p of [extensionDevelopmentPath ?? []].flat()) {
    entries.push(['extensionDevelopmentPath', remoteUri(authority, p)]);
  }
  if (extensionTestsPath) {
    entries.push(['extensionTestsPath', remoteUri(authority, extensionTestsPath)]);
  }
  entries.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true'], ...payload);
  const q = [];
  if (folder) {
    q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  }
  q.push(`payload=${encodeURIComponent(JSON.stringify(entries))}`);
  return `${serverUrl}/?${q.join('&')}`;
}

/**
 * Starts code-server and opens the workbench in Chromium.
 * @param {object} [o]
 * @param {string|string[]} [o.extensionDevelopmentPath]  extension folder(s) to load in development mode
 * @param {string} [o.extensionTestsPath]        compiled suite entry (exports run()); omit for UI tests
 * @param {string} [o.workspaceFolder]           folder to open (default: an empty folder in the sandbox)
 * @param {Record<string,string>} [o.env]        extra environment for the server and the extension host
 * @param {Record<string,unknown>} [o.settings]  user settings (merged over server.mjs's DEFAULT_TEST_SETTINGS)
 * @param {string} [o.sandboxDir]                folder for user data, extensions, workspace (default: a new temp folder)
 * @param {boolean} [o.keepSandbox]              do not delete the sandbox in stop() (default: delete it when it was created here)
 * @param {boolean} [o.headless]                 default true
 * @param {{width:number,height:number}} [o.viewport]  default 1400x900
 * @param {string[]} [o.browserArgs]             more Chromium arguments
 * @param {(type: string, args: unknown[]) => void} [o.onAutomationLog]  receives the workbench log (default: errors/warnings printed)
 * @param {boolean} [o.verbose]                  print the whole workbench log, browser console and server output
 * @param {(line: string) => void} [o.print]     where the runner's own lines go (default: stdout)
 * @param {number} [o.startupTimeoutMs]          default 60 s (server start + page load)
 * @param {boolean} [o.waitForReady]             without extensionTestsPath: wait until the workbench is drawn (default true)
 * @param {Array<[string,string]>} [o.payload]   more workbench payload entries (e.g. [['enableProposedApi','']])
 * @param {string[]} [o.permissions]            browser permissions granted to the page (e.g. ['clipboard-read', 'clipboard-write'])
 * @param {boolean} [o.telemetry]                start code-server without --disable-telemetry (server.mjs; default false)
 * @returns {Promise<{ page: import('playwright-core').Page, browser: import('playwright-core').Browser,
 *   context: import('playwright-core').BrowserContext, server: Awaited<ReturnType<typeof startCodeServer>>,
 *   url: string, sandboxDir: string, testLogFile: string, onExit: Promise<number>, stop: () => Promise<void>,
 *   openWindow: (w?: { extensionTestsPath?: string, folder?: string }) => Promise<{ page, onExit: Promise<number>, close: () => Promise<void> }>,
 *   reload: (r?: { extensionDevelopmentPath?: string|string[], extensionTestsPath?: string, payload?: Array<[string,string]> }) => Promise<{ onExit: Promise<number> }> }>}
 *   openWindow(): another window (a new page, its own extension host) on the same server and storage.
 *   reload(): a new workbench start on the same server, user data and browser storage (what Reload Window
 *   does: a new extension host with nothing in memory), optionally with other extensions or another suite;
 *   resolves once the page loaded (drawn, for a window without a suite), with the new start's onExit.
 */
export async function openWorkbench(o = {}) {
  const verbose = o.verbose ?? process.env.OUTLOOK365_CODE_SERVER_VERBOSE === '1';
  const out = o.print ?? outLine;
  await ensureCodeServer({ log: (l) => out(`[code-server install] ${l}`) });
  if (!fs.existsSync(CHROMIUM) && CHROMIUM === '/usr/bin/chromium') {
    await ensureAptPackages(['chromium'], { log: (l) => out(`[apt] ${l}`) });
  }
  const { chromium } = await import('playwright-core');

  const createdSandbox = !o.sandboxDir;
  const sandboxDir = o.sandboxDir
    ? path.resolve(o.sandboxDir)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'outlook365-editor-'));
  const workspaceFolder = path.resolve(o.workspaceFolder ?? path.join(sandboxDir, 'workspace'));
  fs.mkdirSync(workspaceFolder, { recursive: true });
  const testLogFile = path.join(sandboxDir, 'extension-tests.log');
  fs.writeFileSync(testLogFile, '');

  let server;
  let browser;
  let stopped = false;
  const stop = async () => {
    if (stopped) {
      return;
    }
    stopped = true;
    await browser?.close().catch(() => undefined);
    await server?.stop().catch((e) => out(`[runner] stopping code-server: ${e.message}`));
    if (createdSandbox && !o.keepSandbox) {
      fs.rmSync(sandboxDir, { recursive: true, force: true });
    }
  };

  try {
    server = await startCodeServer({
      userDataDir: path.join(sandboxDir, 'user-data'),
      extensionsDir: path.join(sandboxDir, 'extensions'),
      env: { OUTLOOK365_TEST_LOG_FILE: testLogFile, ...o.env },
      settings: o.settings,
      telemetry: o.telemetry,
      verbose,
      timeoutMs: o.startupTimeoutMs ?? 60000,
      log: (l) => out(`[code-server] ${l}`),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: o.headless ?? true,
      args: [...CHROMIUM_ARGS, ...(o.browserArgs ?? [])],
      // Chromium keeps its crash-report database under $XDG_CONFIG_HOME/chromium whatever the
      // profile folder: keep it in the sandbox rather than in ~/.config.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(sandboxDir, 'chromium-config') },
    });
    const context = await browser.newContext({
      viewport: o.viewport ?? { width: 1400, height: 900 },
      ...(o.permissions ? { permissions: o.permissions } : {}),
    });
    if (editionOf().needsSmokeTestDriver) await enableSmokeTestDriver(context);
    const page = await context.newPage();
    // The caller's own watchers (what a person at the screen would do: allow a dialog, take a screenshot).
    o.onPage?.(page);

    let resolveExit;
    let onExit = new Promise((r) => {
      resolveExit = r;
    });
    const onAutomationLog =
      o.onAutomationLog ??
      ((type, args) => {
        if (verbose || type === 'error' || type === 'warn') {
          out(`[workbench ${type}] ${formatArgs(args)}`);
        }
      });
    // The same error often arrives twice: in the workbench log and, from the extension host, in
    // the browser console. Print the browser copy only when the log did not just show it.
    const printedErrors = new Map();
    const recentlyPrinted = (text) => {
      const key = text.trim().slice(0, 300);
      const seen = printedErrors.get(key);
      return seen !== undefined && Date.now() - seen < 30000;
    };
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const list = Array.isArray(args) ? args : [args];
      if (type === 'error') {
        printedErrors.set(formatArgs(list).trim().slice(0, 300), Date.now());
      }
      onAutomationLog(type, list);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(typeof code === 'number' ? code : 1);
    });
    page.on('console', (msg) => {
      const text = msg.text();
      if (verbose) {
        out(`[browser console.${msg.type()}] ${text}`);
      } else if (
        msg.type() === 'error' &&
        !isKnownBenign(msg) &&
        // "%c  ERR …": the workbench's console logger, already received through codeAutomationLog
        !text.startsWith('%c') &&
        !recentlyPrinted(text)
      ) {
        const where = msg.location()?.url;
        out(`[browser console.error] ${text}${where && !/\n\s+at /.test(text) ? ` (${where})` : ''}`);
      }
    });
    page.on('pageerror', (e) => out(`[browser pageerror] ${e.message}`));
    page.on('crash', () => {
      out('[runner] the workbench page crashed');
      resolveExit(1);
    });

    const url = workbenchUrl(server.url, {
      folder: workspaceFolder,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      extensionTestsPath: o.extensionTestsPath,
      payload: o.payload,
    });
    if (verbose) {
      out(`[runner] opening ${url}`);
    }
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: o.startupTimeoutMs ?? 60000 });
    if (!o.extensionTestsPath && o.waitForReady !== false) {
      // UI tests: hand over a workbench that is drawn (a test suite run ends on its own instead).
      await waitForWorkbenchReady(page, o.startupTimeoutMs ?? 60000);
    }
    /**
     * Another window on the same server and user data: a new page of the same browser context (so the
     * same browser-side storage: globalState, SecretStorage) with its own extension host process. With
     * `extensionTestsPath` it runs that suite entry and `onExit` gives its exit code; a window opened
     * after another one closed is what a reload gives (a fresh renderer and extension host).
     */
    const openWindow = async (w = {}) => {
      const extra = await context.newPage();
      let resolveWindowExit;
      const windowExit = new Promise((r) => {
        resolveWindowExit = r;
      });
      await extra.exposeFunction('codeAutomationLog', (type, args) =>
        onAutomationLog(type, Array.isArray(args) ? args : [args]),
      );
      await extra.exposeFunction('codeAutomationExit', (code) =>
        resolveWindowExit(typeof code === 'number' ? code : 1),
      );
      extra.on('pageerror', (e) => out(`[browser pageerror, window ${w.folder ?? ''}] ${e.message}`));
      extra.on('crash', () => resolveWindowExit(1));
      extra.on('close', () => resolveWindowExit(1));
      const folder = path.resolve(w.folder ?? workspaceFolder);
      fs.mkdirSync(folder, { recursive: true });
      await extra.goto(
        workbenchUrl(server.url, {
          folder,
          extensionDevelopmentPath: o.extensionDevelopmentPath,
          extensionTestsPath: w.extensionTestsPath,
          payload: o.payload,
        }),
        { waitUntil: 'domcontentloaded', timeout: o.startupTimeoutMs ?? 60000 },
      );
      return { page: extra, onExit: windowExit, close: () => extra.close().catch(() => undefined) };
    };
    const reload = async (r = {}) => {
      onExit = new Promise((resolve) => {
        resolveExit = resolve;
      });
      const next = workbenchUrl(server.url, {
        folder: workspaceFolder,
        extensionDevelopmentPath: r.extensionDevelopmentPath ?? o.extensionDevelopmentPath,
        extensionTestsPath: r.extensionTestsPath,
        payload: r.payload ?? o.payload,
      });
      await page.goto(next, { waitUntil: 'commit', timeout: o.startupTimeoutMs ?? 60000 });
      if (!r.extensionTestsPath) {
        await waitForWorkbenchReady(page, o.startupTimeoutMs ?? 60000);
      }
      // Wrapped: an async function returning the promise itself would wait for it, and a window
      // without a test suite never exits.
      return { onExit };
    };
    return {
      page,
      browser,
      context,
      server,
      url,
      sandboxDir,
      workspaceFolder,
      testLogFile,
      onExit,
      openWindow,
      stop,
      reload,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Waits until the workbench is drawn: its status bar and editor area are visible. */
export async function waitForWorkbenchReady(page, timeoutMs = 60000) {
  await page.waitForSelector('.monaco-workbench .part.statusbar', { state: 'visible', timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible', timeout: timeoutMs });
}

/**
 * Runs the extension test suite in code-server; resolves with the suite's exit code (0 = passed).
 * @param {object} o
 * @param {string} o.extensionDevelopmentPath
 * @param {string} o.extensionTestsPath        compiled suite entry, e.g. out/test/editor/index.js
 * @param {string} [o.workspaceFolder]
 * @param {Record<string,string>} [o.env]      for the extension host (e.g. NODE_EXTRA_CA_CERTS)
 * @param {Record<string,unknown>} [o.settings]
 * @param {string} [o.screenshotsDir]          default <extensionDevelopmentPath>/test-results/editor
 * @param {number} [o.timeoutMs]               whole run, default 10 min
 * @param {boolean} [o.keepSandbox]            keep user data/logs (always kept when the run fails)
 * @param {boolean} [o.verbose]
 * @param {boolean} [o.headless]
 * @param {boolean} [o.telemetry]              code-server without --disable-telemetry (see openWorkbench)
 */
export async function runEditorTests(o) {
  if (!o?.extensionDevelopmentPath || !o?.extensionTestsPath) {
    throw new Error('runEditorTests: extensionDevelopmentPath and extensionTestsPath are required');
  }
  const extensionDevelopmentPath = path.resolve(o.extensionDevelopmentPath);
  const extensionTestsPath = path.resolve(o.extensionTestsPath);
  for (const [name, p] of [
    ['extensionDevelopmentPath', extensionDevelopmentPath],
    ['extensionTestsPath', extensionTestsPath],
  ]) {
    if (!fs.existsSync(p)) {
      throw new Error(`${name} does not exist: ${p}`);
    }
  }
  const screenshotsDir = path.resolve(
    o.screenshotsDir ?? path.join(extensionDevelopmentPath, 'test-results', 'editor'),
  );
  const timeoutMs = o.timeoutMs ?? 10 * 60 * 1000;
  const t0 = Date.now();
  const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outlook365-editor-'));
  const windowsDir = path.join(sandboxDir, 'windows');
  fs.mkdirSync(windowsDir);
  let windowsTimer;
  let wb;
  let exitCode = 1;
  let tailTimer;
  const recent = [];
  let printed = 0;
  const printNewTestOutput = (final = false) => {
    if (!wb) {
      return;
    }
    let buf;
    try {
      buf = fs.readFileSync(wb.testLogFile);
    } catch {
      return;
    }
    if (buf.length <= printed) {
      return;
    }
    const chunk = buf.subarray(printed).toString('utf8');
    // print whole lines only (the rest comes with the next poll), everything at the end
    const upto = final ? chunk.length - 1 : chunk.lastIndexOf('\n');
    if (upto < 0) {
      return;
    }
    let text = chunk.slice(0, upto + 1);
    printed += Buffer.byteLength(text);
    if (final && !text.endsWith('\n')) {
      text += '\n';
    }
    process.stdout.write(text);
    for (const l of text.split('\n')) {
      if (l.trim()) {
        recent.push(l);
      }
    }
    recent.splice(0, Math.max(0, recent.length - 60));
  };
  const workbenchLog = [];
  const onSignal = (sig) => {
    out(`[runner] ${sig}: stopping`);
    Promise.resolve(wb?.stop()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    out(
      `[runner] VS Code (code-server) extension tests: ${path.relative(process.cwd(), extensionTestsPath) || extensionTestsPath}`,
    );
    wb = await openWorkbench({
      ...o,
      env: { OUTLOOK365_TEST_WINDOWS_DIR: windowsDir, ...o.env },
      extensionDevelopmentPath,
      extensionTestsPath,
      sandboxDir,
      keepSandbox: true, // decided below
      // the suite's report first, so that an error line comes after the test that caused it
      print: (line) => {
        printNewTestOutput(false);
        out(line);
      },
      onAutomationLog: (type, args) => {
        const line = `[workbench ${type}] ${formatArgs(args)}`;
        workbenchLog.push(line);
        workbenchLog.splice(0, Math.max(0, workbenchLog.length - 200));
        if (o.verbose || type === 'error') {
          printNewTestOutput(false);
          out(line);
        }
      },
    });
    tailTimer = setInterval(() => printNewTestOutput(false), 200);
    windowsTimer = serveWindowRequests(wb, windowsDir, out);
    let timer;
    const timeout = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), Math.max(1000, timeoutMs - (Date.now() - t0)));
    });
    const result = await Promise.race([wb.onExit, timeout]);
    clearTimeout(timer);
    clearInterval(tailTimer);
    printNewTestOutput(true);
    if (result === 'timeout') {
      exitCode = 1;
      out(`[runner] TIMEOUT: the suite did not finish within ${timeoutMs} ms`);
      out('[runner] last test output lines:');
      for (const l of recent.slice(-30)) {
        out(`  ${l}`);
      }
      out('[runner] last workbench log lines:');
      for (const l of workbenchLog.slice(-30)) {
        out(`  ${l}`);
      }
      out('[runner] last code-server output lines:');
      for (const l of wb.server.logTail(30)) {
        out(`  ${l}`);
      }
    } else {
      exitCode = result;
    }
    await screenshot(wb.page, screenshotsDir, result === 'timeout' ? 'workbench-timeout.png' : 'workbench-end.png');
  } catch (e) {
    exitCode = 1;
    out(`[runner] ERROR: ${e?.stack ?? e}`);
    if (wb?.page) {
      await screenshot(wb.page, screenshotsDir, 'workbench-error.png');
    }
  } finally {
    clearInterval(tailTimer);
    clearInterval(windowsTimer);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await wb?.stop();
    if (exitCode === 0 && !o.keepSandbox) {
      fs.rmSync(sandboxDir, { recursive: true, force: true });
    } else {
      out(`[runner] user data, server and extension host logs kept in ${sandboxDir}`);
    }
  }
  out(`[runner] exit code ${exitCode} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return exitCode;
}

/**
 * The suite polls for `exit.json` and reads it as soon as it exists: written in place, it can be seen
 * empty (a CI run failed on exactly that). A rename makes it appear whole.
 */
function writeAtomically(file, text) {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

/** Opens the windows the suite asks for (see the top of this file); returns the polling timer. */
function serveWindowRequests(wb, dir, out) {
  return setInterval(() => {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.request.json'))) {
      const name = file.slice(0, -'.request.json'.length);
      let request;
      try {
        request = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      } catch {
        continue; // still being written
      }
      fs.rmSync(path.join(dir, file), { force: true });
      const folder = path.join(dir, name);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'window.json'), JSON.stringify(request.window ?? {}));
      out(`[runner] window ${name}: opening`);
      wb.openWindow({ extensionTestsPath: request.extensionTestsPath, folder }).then(
        async (w) => {
          const code = await w.onExit;
          out(`[runner] window ${name}: exit code ${code}`);
          writeAtomically(path.join(folder, 'exit.json'), JSON.stringify({ code }));
          await w.close();
        },
        (e) => {
          out(`[runner] window ${name}: ${e.message}`);
          writeAtomically(path.join(folder, 'exit.json'), JSON.stringify({ code: 1, error: e.message }));
        },
      );
    }
  }, 100);
}

async function screenshot(page, dir, name) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    await page.screenshot({ path: file, timeout: 15000 });
    out(`[runner] screenshot: ${file}`);
  } catch (e) {
    out(`[runner] screenshot failed: ${e.message}`);
  }
}

/**
 * Browser console errors that every code-server workbench shows and that say nothing about the
 * extension: `vsda` (Microsoft's closed-source signing module, absent from code-server) is
 * requested and answers 404.
 */
function isKnownBenign(msg) {
  const url = msg.location()?.url ?? '';
  return /\/vsda\//.test(url) && /404/.test(msg.text());
}

function formatArgs(args) {
  return args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
}

function safeJson(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      throw new Error(`unexpected argument: ${a}`);
    }
    const [, key, inline] = m;
    const flag = ['keepUserData', 'keepSandbox', 'headed', 'verbose'].includes(key);
    const value = flag ? true : (inline ?? argv[++i]);
    if (value === undefined) {
      throw new Error(`--${key} needs a value`);
    }
    opts[key] = value;
  }
  return opts;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let a;
  try {
    a = parseArgs(process.argv.slice(2));
    if (!a.extensionDevelopmentPath || !a.extensionTestsPath) {
      throw new Error(
        'usage: runEditorTests.mjs --extensionDevelopmentPath <dir> --extensionTestsPath <compiled suite index.js> [--workspaceFolder <dir>] [--screenshotsDir <dir>] [--timeout <ms>] [--keepUserData] [--headed] [--verbose]',
      );
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  runEditorTests({
    extensionDevelopmentPath: a.extensionDevelopmentPath,
    extensionTestsPath: a.extensionTestsPath,
    workspaceFolder: a.workspaceFolder,
    screenshotsDir: a.screenshotsDir,
    timeoutMs: a.timeout ? Number(a.timeout) : undefined,
    keepSandbox: !!(a.keepUserData || a.keepSandbox),
    headless: !a.headed,
    verbose: !!a.verbose || undefined,
  }).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`[runner] ${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}

/**
 * Newer VS Code web workbenches read `extensionDevelopmentPath` / `extensionTestsPath` from the payload only
 * when they are not a built product or `developmentOptions.enableSmokeTestDriver` is set (VS Code's server
 * sets it for `--enable-smoke-test-driver`, an option code-server's command line does not accept). So the
 * page's configuration gets that option as the server would have written it, when the workbench reads it
 * (an init script: intercepting the page's response instead makes Chromium treat it as a public page and
 * block its connection to the 127.0.0.1 server, ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
 */
async function enableSmokeTestDriver(context) {
  await context.addInitScript(() => {
    const { prototype } = globalThis.Element;
    const getAttribute = prototype.getAttribute;
    prototype.getAttribute = function (name) {
      const value = getAttribute.call(this, name);
      if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
      const settings = JSON.parse(value);
      settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
      return JSON.stringify(settings);
    };
  });
}
