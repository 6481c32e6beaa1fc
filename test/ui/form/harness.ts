/**
 * Serves the form as the panel does (same HTML builder, same CSP) from a local HTTP server, with a stub
 * `acquireVsCodeApi` that records what the form posts and stores, and a theme's CSS variables set the
 * way VS Code sets them (CSSOM on the root element, a class on the body). Drives it with headless
 * Chromium through playwright-core.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, formHtml } from '../../../src/webview/form/html';
import { DEFAULT_PUBLIC_CLIENT_ID } from '../../../src/model/connection';
import { emptyDraft } from '../../../src/model/validate';
import type { FormMessage, HostMessage } from '../../../src/webview/protocol';
import { BODY_CLASS, THEMES, type ThemeKind } from './themes';

export type InitMessage = Extract<HostMessage, { type: 'init' }>;

const ROOT = path.resolve(__dirname, '../../../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the stub leaves on `window`. */
export interface Recorded {
  posted: FormMessage[];
  states: unknown[];
  violations: { directive: string; blockedURI: string }[];
}

const STUB = `(() => {
  const THEMES = ${JSON.stringify(THEMES)};
  const BODY_CLASS = ${JSON.stringify(BODY_CLASS)};
  const params = new URL(document.currentScript.src).searchParams;
  const theme = params.get('theme') || 'dark';
  for (const [name, value] of Object.entries(THEMES[theme])) {
    document.documentElement.style.setProperty(name, value);
  }
  document.body.classList.add(BODY_CLASS[theme]);
  document.body.setAttribute('data-vscode-theme-kind', BODY_CLASS[theme]);

  const recorded = { posted: [], states: [], violations: [] };
  window.__recorded = recorded;
  document.addEventListener('securitypolicyviolation', (e) => {
    recorded.violations.push({ directive: e.violatedDirective, blockedURI: e.blockedURI });
  });
  // The state VS Code keeps for a webview across its reloads (the page's own setState before it was hidden).
  let state = params.get('state') ? JSON.parse(params.get('state')) : undefined;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => recorded.posted.push(JSON.parse(JSON.stringify(message))),
      setState: (value) => { recorded.states.push(JSON.parse(JSON.stringify(value))); state = value; return value; },
      getState: () => state,
    });
  };
})();`;

export class FormHarness {
  private constructor(
    private readonly server: Server,
    readonly browser: Browser,
    readonly origin: string,
  ) {}

  static async start(): Promise<FormHarness> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH).`,
      );
    }
    if (!existsSync(path.join(ROOT, 'dist', 'webview', 'form.js'))) {
      throw new Error('dist/webview/form.js is missing: run `node esbuild.mjs` first.');
    }
    const server = createServer((req, res) => {
      void serve(req.url ?? '/', origin()).then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    });
    return new FormHarness(server, browser, origin());
  }

  /**
   * Opens the form in a theme, answers `ready` with `init`, and waits for the first field. `width` is the
   * panel's width in CSS pixels; `lang` the page's language (`vscode.env.language`, as the panel sets it).
   */
  async open(theme: ThemeKind, init: InitMessage, view: { width?: number; lang?: string } = {}): Promise<FormPage> {
    const context = await this.browser.newContext({ viewport: { width: view.width ?? 920, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const lang = view.lang ? `&lang=${encodeURIComponent(view.lang)}` : '';
    await page.goto(`${this.origin}/form.html?theme=${theme}${lang}`);
    const form = new FormPage(page, problems);
    await form.waitForPosted('ready');
    await form.send(init);
    await page.locator('#field-authType').waitFor({ state: 'visible' });
    return form;
  }

  /**
   * Opens the page as the panel sets it: `init` in the page itself. `savedState`: what the page had stored
   * with setState before it was hidden (VS Code hands it to the reloaded page). Does not wait for anything.
   */
  async openWithInit(init: InitMessage, savedState?: unknown): Promise<FormPage> {
    const context = await this.browser.newContext({ viewport: { width: 920, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const query = new URLSearchParams({ theme: 'dark', init: JSON.stringify(init) });
    if (savedState !== undefined) query.set('state', JSON.stringify(savedState));
    await page.goto(`${this.origin}/form.html?${query}`);
    return new FormPage(page, problems);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function serve(url: string, origin: string): Promise<{ status: number; type: string; body: string | Buffer }> {
  const { pathname, searchParams } = new URL(url, origin);
  switch (pathname) {
    case '/form.html': {
      const nonce = createNonce();
      const html = formHtml({
        cspSource: origin,
        nonce,
        scriptUri: `${origin}/dist/webview/form.js`,
        styleUri: `${origin}/media/form.css`,
        title: 'Add Outlook Connection',
        lang: searchParams.get('lang') ?? 'en',
        ...(searchParams.has('init') ? { init: JSON.parse(searchParams.get('init')!) as unknown } : {}),
      });
      // The stub stands where VS Code's own webview script stands: before the form's script, same nonce.
      const stubQuery = new URLSearchParams({ theme: searchParams.get('theme') ?? 'dark' });
      if (searchParams.has('state')) stubQuery.set('state', searchParams.get('state')!);
      const stub = `<script nonce="${nonce}" src="${origin}/stub.js?${escapeHtmlAttribute(stubQuery.toString())}"></script>\n  `;
      return {
        status: 200,
        type: 'text/html; charset=utf-8',
        body: html.replace('<script nonce=', `${stub}<script nonce=`),
      };
    }
    case '/stub.js':
      return { status: 200, type: 'text/javascript; charset=utf-8', body: STUB };
    case '/dist/webview/form.js':
    case '/dist/webview/form.js.map':
    case '/media/form.css':
      return {
        status: 200,
        type: pathname.endsWith('.css')
          ? 'text/css; charset=utf-8'
          : pathname.endsWith('.map')
            ? 'application/json'
            : 'text/javascript; charset=utf-8',
        body: await readFile(path.join(ROOT, pathname)),
      };
    case '/favicon.ico':
      return { status: 204, type: 'image/x-icon', body: '' };
    default:
      return { status: 404, type: 'text/plain', body: 'not found' };
  }
}

export class FormPage {
  constructor(
    readonly page: Page,
    /** Console errors and uncaught exceptions. */
    readonly problems: string[],
  ) {}

  /** Delivers a message from the "extension" the way VS Code does: a window message event. */
  async send(message: HostMessage): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async recorded(): Promise<Recorded> {
    return this.page.evaluate(() => (window as unknown as { __recorded: Recorded }).__recorded);
  }

  async posted(): Promise<FormMessage[]> {
    return (await this.recorded()).posted;
  }

  /** Waits (with the default deadline) until the form has posted a message of that type; returns the last one. */
  async waitForPosted<T extends FormMessage['type']>(type: T, count = 1): Promise<Extract<FormMessage, { type: T }>> {
    const handle = await this.page.waitForFunction(
      ([t, n]) => {
        const posted = (window as unknown as { __recorded?: Recorded }).__recorded?.posted ?? [];
        const matching = posted.filter((m) => m.type === t);
        return matching.length >= n ? matching[matching.length - 1] : undefined;
      },
      [type, count] as const,
      { timeout: 10_000 },
    );
    return (await handle.jsonValue()) as Extract<FormMessage, { type: T }>;
  }

  /** The fields shown (the `data-field` of every visible setting), in page order. */
  async visibleFields(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-field]')]
        .filter((e) => e.checkVisibility())
        .map((e) => e.dataset.field ?? ''),
    );
  }

  async waitForFields(expected: readonly string[]): Promise<void> {
    await this.page.waitForFunction(
      (want) => {
        const shown = [...document.querySelectorAll<HTMLElement>('[data-field]')].map((e) => e.dataset.field ?? '');
        return JSON.stringify(shown) === JSON.stringify(want);
      },
      expected,
      { timeout: 10_000 },
    );
  }

  /** Chooses an option of a `vscode-single-select` with the mouse. */
  async choose(selectId: string, optionLabel: string): Promise<void> {
    const select = this.page.locator(`#${selectId}`);
    await select.click();
    await select.getByRole('option', { name: optionLabel, exact: true }).click();
    await this.page.waitForFunction(
      ([id, label]) =>
        document.getElementById(id)?.shadowRoot?.querySelector('.select-face .text')?.textContent?.trim() === label,
      [selectId, optionLabel] as const,
      { timeout: 10_000 },
    );
  }

  /** The inner `<input>` of a text field. */
  input(field: string) {
    return this.page.locator(`#field-${field} input`);
  }

  /** Where focus is: the field whose setting holds it, or the focused element's id. */
  async focused(): Promise<{ field: string | null; id: string }> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { field: el?.closest<HTMLElement>('[data-field]')?.dataset.field ?? null, id: el?.id ?? '' };
    });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(ROOT, 'test-results', 'form', `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

export function initMessage(overrides: Partial<InitMessage> = {}): InitMessage {
  return {
    type: 'init',
    mode: 'add',
    draft: emptyDraft(),
    storedSecrets: [],
    environments: [
      {
        id: 'global',
        label: 'Office 365',
        loginEndpoint: 'https://login.microsoftonline.com',
        graphEndpoint: 'https://graph.microsoft.com',
      },
      {
        id: 'usGovL4',
        label: 'US Government L4 (GCC High)',
        loginEndpoint: 'https://login.microsoftonline.us',
        graphEndpoint: 'https://graph.microsoft.us',
      },
      {
        id: 'usGovL5',
        label: 'US Government L5 (DoD)',
        loginEndpoint: 'https://login.microsoftonline.us',
        graphEndpoint: 'https://dod-graph.microsoft.us',
      },
      {
        id: 'china',
        label: 'China (21Vianet)',
        loginEndpoint: 'https://login.chinacloudapi.cn',
        graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
      },
      { id: 'custom', label: 'Custom endpoints', problem: 'The custom environment is not configured.' },
    ],
    otherNames: ['Existing connection'],
    defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID,
    remote: false,
    l10n: {},
    ...overrides,
  };
}

/**
 * What every form test ends with: the page broke no CSP rule and logged no error (the form runs under its
 * real CSP; a new control that injects a style or script shows here first).
 */
export async function assertCleanPage(form: FormPage | undefined): Promise<void> {
  if (!form) return;
  assert.deepEqual((await form.recorded()).violations, [], 'CSP violations');
  assert.deepEqual(form.problems, [], 'console errors');
}

function escapeHtmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
