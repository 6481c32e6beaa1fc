/**
 * Drives the real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3 in headless Chromium) the way a
 * person does: F1 and the command palette, quick picks, dialogs, notifications, the Connections tree and
 * its context menu, the form's webview, and the browser tabs that `vscode.env.openExternal` opens.
 * Every wait is on a condition with a deadline; nothing sleeps for a fixed time.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../../../..');

/** A real `import()` (TypeScript compiles `import()` to `require()` under CommonJS; the scripts are ES modules). */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the only way to keep a real import() in CommonJS output
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

export function importScript<T>(relativePath: string): Promise<T> {
  return importEsm<T>(pathToFileURL(path.join(ROOT, relativePath)).href);
}

/** What scripts/codeServer/runEditorTests.mjs `openWorkbench()` hands back (the parts used here). */
export interface OpenedWorkbench {
  page: Page;
  context: BrowserContext;
  sandboxDir: string;
  server: { url: string; logFile: string; extensionsDir: string };
  stop(): Promise<void>;
}

export interface OpenWorkbenchOptions {
  extensionDevelopmentPath?: string;
  sandboxDir?: string;
  keepSandbox?: boolean;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** code-server without --disable-telemetry (scripts/codeServer/server.mjs). */
  telemetry?: boolean;
  browserArgs?: string[];
  startupTimeoutMs?: number;
  print?: (line: string) => void;
}

export async function openWorkbench(options: OpenWorkbenchOptions): Promise<OpenedWorkbench> {
  const runner = await importScript<{ openWorkbench(o: OpenWorkbenchOptions): Promise<OpenedWorkbench> }>(
    'scripts/codeServer/runEditorTests.mjs',
  );
  return runner.openWorkbench(options);
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  what: string,
  timeoutMs = 15_000,
  page?: Page,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // a short poll interval (a condition poll, not a fixed wait for something to happen)
    await (page ? page.waitForTimeout(50) : new Promise((r) => setTimeout(r, 50)));
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class WorkbenchDriver {
  #shot = 0;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    /** test-results/ui/<mode> */
    readonly screenshotsDir: string,
  ) {
    mkdirSync(screenshotsDir, { recursive: true });
    for (const f of readdirSync(screenshotsDir)) if (f.endsWith('.png')) rmSync(path.join(screenshotsDir, f));
  }

  /** `NN-name.png` of the whole workbench (or of another page, e.g. the login tab). */
  async screenshot(name: string, page: Page = this.page): Promise<string> {
    const file = path.join(this.screenshotsDir, `${String(++this.#shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }

  // ---- command palette and quick picks ------------------------------------------------------------
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * F1, type the command's title, Enter once the palette has that command first. The palette lists the
   * commands known when it opens: when the command is not there yet (the extension's contributions
   * still being registered), it is closed and opened again.
   */
  async runCommand(title: string, screenshotName?: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const row = this.quickInput
      .locator('.quick-input-list .monaco-list-row.focused')
      .filter({ hasText: new RegExp(`^${escapeRegExp(title)}`) });
    for (;;) {
      await this.page.keyboard.press('F1');
      await this.quickInput.locator('input.input').waitFor({ state: 'visible' });
      await this.page.keyboard.type(title);
      const found = await row
        .waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) })
        .then(
          () => true,
          () => false,
        );
      if (found) break;
      if (Date.now() > deadline) throw new Error(`the command palette does not offer "${title}"`);
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
    if (screenshotName) await this.screenshot(screenshotName);
    await this.page.keyboard.press('Enter');
  }

  /** The extension's contributions are registered: its view container is in the activity bar. */
  async waitForExtension(containerTitle: string, timeoutMs = 60_000): Promise<void> {
    await this.page
      .locator(`.part.activitybar .action-item .action-label[aria-label="${containerTitle}"]`)
      .waitFor({ state: 'visible', timeout: timeoutMs });
  }

  quickPickRow(label: string): Locator {
    return this.quickInput
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  }

  // ---- dialogs and notifications ------------------------------------------------------------------
  dialog(text: string | RegExp): Locator {
    return this.page.locator('.monaco-dialog-box').filter({ hasText: text });
  }

  async answerDialog(dialog: Locator, button: string): Promise<void> {
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  /**
   * Runs `trigger`, which makes the extension call `vscode.env.openExternal`, and returns the new tab.
   * code-server first asks "Do you want code-server to open the external website?": answered with Open
   * (a screenshot of the question is taken when it shows).
   */
  async externalPage(
    trigger: () => Promise<void>,
    name: string,
    timeoutMs = 30_000,
  ): Promise<{ page: Page; asked: boolean }> {
    const opened = this.context.waitForEvent('page', { timeout: timeoutMs });
    opened.catch(() => undefined);
    await trigger();
    const question = this.dialog('open the external website');
    const asked = question.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'asked' as const);
    asked.catch(() => undefined);
    const first = await Promise.race([opened.then(() => 'opened' as const), asked]);
    if (first === 'asked') {
      await this.screenshot(`${name}-open-external`);
      await this.answerDialog(question, 'Open');
    }
    const page = await opened;
    await page.waitForLoadState('domcontentloaded');
    return { page, asked: first === 'asked' };
  }

  // ---- the form's webview -------------------------------------------------------------------------
  /**
   * The frame of the form panel that shows `title` (webviews are nested iframes: the workbench's
   * `index.html` holds a `fake.html` frame with the content).
   */
  async formFrame(title = 'Add Outlook Connection', timeoutMs = 30_000): Promise<Frame> {
    return until(
      async () => {
        for (const frame of this.page.frames()) {
          if (frame.isDetached() || !frame.url().includes('/webview/')) continue;
          const heading = frame.locator('h1#form-title');
          if (
            (await heading.count().catch(() => 0)) &&
            (await heading.innerText().catch(() => '')).trim() === title &&
            (await frame
              .locator('#field-authType')
              .isVisible()
              .catch(() => false))
          ) {
            return frame;
          }
        }
        return undefined;
      },
      `the form webview "${title}"`,
      timeoutMs,
      this.page,
    );
  }

  // ---- the Connections view -----------------------------------------------------------------------
  get tree(): Locator {
    return this.page.locator('#workbench\\.parts\\.sidebar .monaco-list[aria-label="Connections"]');
  }

  /** Shows the "Outlook 365" container (activity bar) unless its Connections view is already showing. */
  async openConnectionsView(): Promise<void> {
    const sidebarView = this.page
      .locator('#workbench\\.parts\\.sidebar .pane-body, #workbench\\.parts\\.sidebar .welcome-view')
      .first();
    const title = this.page.locator('#workbench\\.parts\\.sidebar .composite.title', { hasText: /Outlook 365/i });
    if (!(await title.isVisible().catch(() => false))) {
      await this.page.locator('.part.activitybar .action-item .action-label[aria-label="Outlook 365"]').click();
    }
    await title.waitFor({ state: 'visible' });
    await sidebarView.waitFor({ state: 'visible' });
  }

  /** The top-level row of a connection (its accessible label starts with the name and a comma). */
  connectionRow(name: string): Locator {
    return this.tree.locator(`.monaco-list-row[aria-level="1"][aria-label^="${name.replace(/"/g, '\\"')},"]`);
  }

  topLevelRows(): Promise<{ label: string; name: string; description: string }[]> {
    return this.tree.locator('.monaco-list-row[aria-level="1"]').evaluateAll((rows) =>
      rows.map((r) => ({
        label: r.getAttribute('aria-label') ?? '',
        name: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
      })),
    );
  }

  childRows(): Promise<{ name: string; description: string }[]> {
    return this.tree.locator('.monaco-list-row[aria-level="2"]').evaluateAll((rows) =>
      rows.map((r) => ({
        name: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
      })),
    );
  }

  /**
   * Right-click on a tree row, then the menu item. The item is chosen by hovering it and pressing
   * Enter: a click right after the menu opens can be swallowed by VS Code's menu (it ignores a mouse-up
   * that follows the context-menu gesture too closely).
   */
  async contextMenu(row: Locator, item: string, screenshotName?: string): Promise<void> {
    await row.click({ button: 'right' });
    const entry = this.page.getByRole('menuitem', { name: item, exact: true });
    await entry.waitFor({ state: 'visible' });
    await entry.hover();
    await this.page
      .locator('.monaco-menu .action-item.focused')
      .filter({ hasText: new RegExp(`^${escapeRegExp(item)}$`) })
      .waitFor({ state: 'visible' });
    if (screenshotName) await this.screenshot(screenshotName);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'hidden' });
  }
}

/** The emulator's login page in a browser tab: user name, password, Sign in. */
export async function signInOnLoginPage(page: Page, user: { upn: string; password: string }): Promise<void> {
  await page.locator('#username').fill(user.upn);
  await page.locator('#password').fill(user.password);
  await page.locator('#signin').click();
}

/**
 * Chooses an option of a `vscode-single-select` in the form with the mouse (Playwright's CSS locators
 * pierce its shadow root). Its list is a popover that a click on the face toggles: when the list does
 * not show after a click (the click landed while the form redrew), it is closed and clicked again.
 */
export async function chooseOption(frame: Frame, selectId: string, label: string, timeoutMs = 15_000): Promise<void> {
  const select = frame.locator(`#${selectId}`);
  const option = select.getByRole('option', { name: label, exact: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await select.click();
    if (
      await option.waitFor({ state: 'visible', timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      const options = await frame.locator(`#${selectId} vscode-option`).allTextContents();
      const open = await select.evaluate((e) => (e as HTMLElement & { open?: boolean }).open);
      throw new Error(
        `${selectId}: the option "${label}" does not show (list open: ${open}; options: ${options.map((o) => o.trim()).join(' | ')})`,
      );
    }
    if (await select.evaluate((e) => !!(e as HTMLElement & { open?: boolean }).open)) await select.click();
  }
  await option.click();
  await frame.waitForFunction(
    ([id, text]) =>
      document.getElementById(id)?.shadowRoot?.querySelector('.select-face .text')?.textContent?.trim() === text,
    [selectId, label] as const,
    { timeout: 10_000 },
  );
}

/** The fields the form shows (`data-field` of every visible setting), in page order. */
export function shownFields(frame: Frame): Promise<string[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-field]')]
      .filter((e) => e.checkVisibility())
      .map((e) => e.dataset.field ?? ''),
  );
}
