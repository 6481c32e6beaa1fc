#!/usr/bin/env node
// The in-editor suite (test/editor) inside a real VS Code 1.100.3 (code-server) with the real `vscode`
// API. The runner plays the person at the screen for two things the extension host cannot do itself:
// it answers VS Code's "wants to sign in" dialog with Allow, and it takes screenshots the suite asks for.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEditorTests } from './codeServer/runEditorTests.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const screenshotsDir = path.join(root, 'test-results', 'editor');
mkdirSync(screenshotsDir, { recursive: true });
for (const f of readdirSync(screenshotsDir)) if (f.endsWith('.request')) rmSync(path.join(screenshotsDir, f));

/** Clicks Allow on VS Code's sign-in consent dialog whenever it shows, until the page closes. */
async function allowSignInDialogs(page) {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'wants to sign in using Microsoft Outlook 365' });
  for (;;) {
    try {
      await dialog.first().waitFor({ state: 'visible', timeout: 0 });
      await dialog.first().getByRole('button', { name: 'Allow' }).click();
      await dialog.first().waitFor({ state: 'hidden', timeout: 10_000 });
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
      if (await frame.getByText(text, { exact: false }).first().isVisible().catch(() => false)) return;
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
const code = await runEditorTests({
  extensionDevelopmentPath: root,
  extensionTestsPath,
  screenshotsDir,
  // The emulator's CA: NODE_EXTRA_CA_CERTS, with TRUST_NODE_CA_SETTINGS (scripts/codeServer/server.mjs).
  env: {
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
    OUTLOOK365_SCREENSHOT_DIR: screenshotsDir,
  },
  onPage: (page) => {
    void allowSignInDialogs(page);
    serveScreenshots(page);
  },
});
process.exit(code);
