#!/usr/bin/env node
// The in-editor suite (test/editor) inside a real VS Code (code-server: 1.100.3, or the newest tested with
// OUTLOOK365_VSCODE=newest, scripts/codeServer/install.mjs) with the real `vscode` API. The runner plays the
// person at the screen for two things the extension host cannot do itself: it answers VS Code's "wants to
// sign in" dialog with Allow, and it takes screenshots the suite asks for. It also runs a real proxy that
// the extension host's environment names (HTTPS_PROXY, NO_PROXY; test/editor/proxy.test.ts).
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editionOf } from './codeServer/install.mjs';
import { openWorkbench, runEditorTests } from './codeServer/runEditorTests.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const edition = editionOf();
console.log(`[runner] VS Code ${edition.vscode} (code-server ${edition.codeServer})`);
// Per VS Code version: npm test runs the versions side by side.
const screenshotsDir = path.join(
  root,
  'test-results',
  edition === editionOf('oldest') ? 'editor' : `editor-${edition.vscode}`,
);
mkdirSync(screenshotsDir, { recursive: true });
for (const f of readdirSync(screenshotsDir)) if (f.endsWith('.request')) rmSync(path.join(screenshotsDir, f));

/**
 * Answers VS Code's modal dialogs as a person would, until the page closes: `rules` are
 * `[text the dialog shows, button to press (or a function of the dialog's text giving it)]`, the first
 * match wins; other dialogs are left alone. `onAnswer(text, button)` hears each answer.
 */
async function answerDialogs(page, rules, onAnswer = () => undefined) {
  const dialogs = page.locator('.monaco-dialog-box');
  for (;;) {
    try {
      await dialogs.first().waitFor({ state: 'visible', timeout: 0 });
      const text = await dialogs.first().innerText();
      const rule = rules.find(([shows]) => text.includes(shows));
      if (!rule) {
        console.log(`[runner] a dialog no rule answers: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
        await dialogs.first().waitFor({ state: 'hidden', timeout: 0 });
        continue;
      }
      const button = typeof rule[1] === 'function' ? rule[1](text) : rule[1];
      // Heard before the click: whatever the answer sets off cannot come before the record of it.
      onAnswer(text, button);
      await dialogs.first().getByRole('button', { name: button, exact: true }).click();
      await dialogs.first().waitFor({ state: 'hidden', timeout: 10_000 });
    } catch {
      if (page.isClosed()) return;
    }
  }
}

/**
 * Notes each quick pick that opens, until the page closes: `onSeen({ title, items })` (the rows' labels)
 * hears it before the runner dismisses it with Escape, as a person would who did not expect a question.
 */
async function recordQuickPicks(page, onSeen) {
  const widget = page.locator('.quick-input-widget');
  for (;;) {
    try {
      await widget.waitFor({ state: 'visible', timeout: 0 });
      // The rows arrive a moment after the widget.
      const rows = widget.locator('.quick-input-list .monaco-list-row');
      await rows
        .first()
        .waitFor({ state: 'visible', timeout: 5_000 })
        .catch(() => undefined);
      const title = await widget
        .locator('.quick-input-title')
        .innerText()
        .catch(() => '');
      const items = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent));
      onSeen({ title, items });
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 10_000 });
    } catch {
      if (page.isClosed()) return;
    }
  }
}

/** Waits until some frame (webviews are nested iframes) shows `text`, or the deadline passes. */
async function waitForTextInAnyFrame(page, text, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        await frame
          .getByText(text, { exact: false })
          .first()
          .isVisible()
          .catch(() => false)
      )
        return;
    }
    await page.waitForTimeout(100);
  }
}

/**
 * Screenshots on request: the suite writes `<name>.request` (JSON, optionally `{ "waitForText" }`)
 * and waits for `<name>.png`.
 */
function serveScreenshots(page) {
  let busy = false;
  const timer = setInterval(async () => {
    if (page.isClosed()) return clearInterval(timer);
    if (busy) return;
    busy = true;
    try {
      for (const file of readdirSync(screenshotsDir).filter((f) => f.endsWith('.request'))) {
        const name = file.slice(0, -'.request'.length);
        let request = {};
        try {
          request = JSON.parse(readFileSync(path.join(screenshotsDir, file), 'utf8') || '{}');
        } catch {}
        rmSync(path.join(screenshotsDir, file), { force: true });
        if (request.waitForText) await waitForTextInAnyFrame(page, request.waitForText);
        await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) }).catch(() => undefined);
      }
    } finally {
      busy = false;
    }
  }, 100);
  page.once('close', () => clearInterval(timer));
}

const extensionTestsPath = path.join(root, 'out', 'test', 'editor', 'index.js');
if (!existsSync(extensionTestsPath)) {
  console.error('out/test/editor/index.js is missing: run `npx tsc -p .` first (npm test does).');
  process.exit(1);
}
// Both suites by default; OUTLOOK365_EDITOR_SUITES=editor or =consumer runs one of them.
const suites = (process.env.OUTLOOK365_EDITOR_SUITES ?? 'editor,consumer').split(',');
const unknownSuite = suites.find((s) => s !== 'editor' && s !== 'consumer');
if (unknownSuite) {
  // A misspelt name would otherwise run nothing and pass.
  console.error(`OUTLOOK365_EDITOR_SUITES: unknown suite "${unknownSuite}" (editor, consumer)`);
  process.exit(1);
}
const code = !suites.includes('editor') ? 0 : await runMainSuite();
const consumerCode = suites.includes('consumer') ? await runConsumerSuite() : 0;
process.exit(code || consumerCode);

/**
 * The in-editor suite, with a real proxy (the `proxy` package) named by the extension host's environment:
 * HTTPS_PROXY, and NO_PROXY for 127.0.0.3. VS Code never proxies 127.0.0.1, where every other test's
 * emulator runs; test/editor/proxy.test.ts serves emulators on 127.0.0.2 and 127.0.0.3 and reads this
 * proxy's log of CONNECTs (one line each, appended whole: `OUTLOOK365_ENV_PROXY_LOG`).
 */
async function runMainSuite() {
  const require = createRequire(import.meta.url);
  const { startRealProxy } = require(path.join(root, 'out', 'test', 'sandbox', 'realProxy.js'));
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-env-proxy-'));
  const proxyLog = path.join(logDir, 'connects.log');
  writeFileSync(proxyLog, '');
  const proxy = await startRealProxy((target) => appendFileSync(proxyLog, `${target}\n`));
  try {
    return await runEditorTests({
      extensionDevelopmentPath: root,
      extensionTestsPath,
      screenshotsDir,
      // The emulator's CA: NODE_EXTRA_CA_CERTS, with TRUST_NODE_CA_SETTINGS (scripts/codeServer/server.mjs).
      env: {
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
        OUTLOOK365_SCREENSHOT_DIR: screenshotsDir,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '127.0.0.3',
        OUTLOOK365_ENV_PROXY_LOG: proxyLog,
        OUTLOOK365_EXPECTED_VSCODE: edition.vscode,
      },
      onPage: (page) => {
        void answerDialogs(page, [['wants to sign in using Microsoft Outlook 365', 'Allow']]);
        serveScreenshots(page);
      },
    });
  } finally {
    await proxy.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

/**
 * The provider as other extensions use it (../shared/TESTING.md §4): a consumer extension
 * (test/consumer, its own package.json and compiled suite) loaded next to ours, in three workbench starts
 * on one code-server, one user data folder and one browser profile:
 * 1. a test run (`extensionTestsPath`) that seeds a signed-in connection through our extension's own code;
 * 2. a normal window, where VS Code shows its real dialogs (a test run refuses them) and this runner answers
 *    them: the consumer's suite for the first window runs from its activation;
 * 3. a reload of it (a new extension host, nothing in memory): the consumer's suite for after a reload.
 * The emulator runs here, across the three starts; the consumer reads its request log over its control API.
 */
async function runConsumerSuite() {
  const require = createRequire(import.meta.url);
  const consumerRoot = path.join(root, 'test', 'consumer');
  console.log('[consumer] compiling test/consumer');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', consumerRoot], { stdio: 'inherit' });
  const { startEmulator } = require(path.join(root, 'out', 'test', 'sandbox', 'emulator.js'));
  // Sign-in pages on plain http at 127.0.0.2: code-server opens a 127.0.0.1 or localhost URL through its
  // port forwarding (without path and query), and Chromium does not trust the emulator's test CA.
  const emulator = await startEmulator({ quiet: true, browserPort: 0, browserAddresses: ['127.0.0.2'] });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-consumer-'));
  writeFileSync(
    path.join(dir, 'state.json'),
    JSON.stringify({ loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint }),
  );
  // The consumer is installed as an ordinary extension (the web workbench keeps one
  // `extensionDevelopmentPath` only): registered in the sandbox's extensions.json at its own folder, so
  // its compiled code resolves `mocha` from this repository's node_modules.
  const sandboxDir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-consumer-editor-'));
  const manifest = JSON.parse(readFileSync(path.join(consumerRoot, 'package.json'), 'utf8'));
  mkdirSync(path.join(sandboxDir, 'extensions'), { recursive: true });
  writeFileSync(
    path.join(sandboxDir, 'extensions', 'extensions.json'),
    JSON.stringify([
      {
        identifier: { id: `${manifest.publisher}.${manifest.name}` },
        version: manifest.version,
        location: { $mid: 1, scheme: 'file', path: consumerRoot },
        metadata: { installedTimestamp: Date.now(), source: 'vsix' },
      },
    ]),
  );
  const extensions = root;
  let wb;
  let failed = false;
  try {
    wb = await openWorkbench({
      extensionDevelopmentPath: extensions,
      extensionTestsPath: path.join(consumerRoot, 'out', 'consumer', 'src', 'seed.js'),
      sandboxDir,
      env: { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', OUTLOOK365_CONSUMER_DIR: dir },
      settings: {
        'outlook365.customEnvironment': {
          name: 'Emulator',
          loginEndpoint: emulator.loginEndpoint,
          graphEndpoint: emulator.graphEndpoint,
        },
      },
      permissions: ['clipboard-read', 'clipboard-write'],
      print: (line) => console.log(line),
      onPage: (page) => {
        void answerDialogs(
          page,
          [
            ['wants to sign in using Microsoft Outlook 365', 'Allow'],
            ['open the external website', 'Open'],
            // The provider's question when a bare id asks for a token: the person did not start this,
            // unless the suite says it plays the person who did (`<dir>/tokenQuestionAnswer`).
            [
              'asked to copy the access token',
              () =>
                existsSync(path.join(dir, 'tokenQuestionAnswer'))
                  ? readFileSync(path.join(dir, 'tokenQuestionAnswer'), 'utf8').trim()
                  : 'Cancel',
            ],
          ],
          // What each dialog said and the answer, for the suite to check (one JSON line each).
          (text, button) => appendFileSync(path.join(dir, 'dialogs.jsonl'), `${JSON.stringify({ text, button })}\n`),
        );
        // Every quick pick, with its items (the account picker must never come up).
        void recordQuickPicks(page, (seen) =>
          appendFileSync(path.join(dir, 'quickPicks.jsonl'), `${JSON.stringify(seen)}\n`),
        );
      },
    });
    wb.context.on('page', (tab) => void signInOnEmulatorPage(tab, emulator.browserEndpoint, () => wb.page));
    const seeded = await withDeadline(wb.onExit, 180_000, 'the seed run');
    console.log(`[consumer] seed run: exit code ${seeded}`);
    if (seeded !== 0) throw new Error('the seed run failed');
    for (const phase of ['firstWindow', 'afterReload']) {
      writeFileSync(path.join(dir, 'phase'), phase);
      console.log(`[consumer] workbench start for ${phase}`);
      await wb.reload({ extensionDevelopmentPath: extensions });
      const exitFile = path.join(dir, `${phase}.exit`);
      await withDeadline(waitForFile(exitFile), 300_000, `the consumer's ${phase} suite`).finally(() => {
        const log = path.join(dir, `${phase}.log`);
        if (existsSync(log)) process.stdout.write(readFileSync(log, 'utf8'));
      });
      if (readFileSync(exitFile, 'utf8').trim() !== '0') {
        failed = true;
        await wb.page.screenshot({ path: path.join(screenshotsDir, `consumer-${phase}.png`) }).catch(() => undefined);
      }
    }
  } catch (err) {
    failed = true;
    console.log(`[consumer] ${err?.stack ?? err}`);
    if (wb?.page)
      await wb.page.screenshot({ path: path.join(screenshotsDir, 'consumer-error.png') }).catch(() => undefined);
  } finally {
    await wb?.stop();
    await emulator.stop();
    if (!failed) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(sandboxDir, { recursive: true, force: true });
    } else console.log(`[consumer] state and logs kept in ${dir}, user data in ${sandboxDir}`);
  }
  console.log(`[consumer] ${failed ? 'FAILED' : 'passed'}`);
  return failed ? 1 : 0;
}

/**
 * A person at the emulator's sign-in page in the tab VS Code opened: signs in as Adele, and once the
 * answer reached the extension's redirect URI, closes the tab and goes back to VS Code.
 */
async function signInOnEmulatorPage(tab, browserEndpoint, workbench) {
  try {
    await tab.waitForURL(
      (url) => url.href.startsWith(browserEndpoint) && url.pathname.endsWith('/oauth2/v2.0/authorize'),
      { timeout: 30_000 },
    );
    await tab.locator('#username').fill('adele@contoso.test');
    await tab.locator('#password').fill('Passw0rd!adele');
    await tab.locator('#signin').click();
    await tab.waitForURL((url) => !url.href.startsWith(browserEndpoint), { timeout: 30_000 });
    await tab.waitForLoadState('load', { timeout: 30_000 });
  } catch {
    // Not a sign-in page, or the tab closed.
  } finally {
    await tab.close().catch(() => undefined);
    await workbench()
      ?.bringToFront()
      .catch(() => undefined);
  }
}

function withDeadline(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Resolves once `file` exists (polled: the extension host writes it; the caller sets the deadline). */
async function waitForFile(file) {
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 200));
}
