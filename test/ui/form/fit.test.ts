/**
 * Issue 12: "Texts fit the form at a 320 px wide panel", in every shipped language. The real form page
 * (same HTML, CSP and bundle as the panel) at a 320 px wide viewport, fed the language's bundle the way
 * the extension hands it over, in every auth type and with the banners, notices, boxes and messages the
 * harness can show. Fails naming the language, the state and each element whose text overflows: wider
 * content than its box (scrollWidth > clientWidth: clipped or ellipsized text, a nowrap button), a right
 * edge past the panel, or a select option that would be cut off once chosen (options cannot wrap).
 * One full-page screenshot per language: test-results/form/fit-320-<lang>.png.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AUTH_TYPES, AUTH_TYPE_TABLE, type AuthType } from '../../../src/model/authTypes';
import { emptyDraft } from '../../../src/model/validate';
import { translator } from '../../../src/webview/form/model';
import { FormHarness, initMessage, type FormPage, type InitMessage } from './harness';

const ROOT = path.resolve(__dirname, '../../../..');
const WIDTH = 320;
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

/** English (no bundle) and every `l10n/bundle.l10n.<lang>.json` present. */
const LANGUAGES: string[] = ['en', ...['de', 'fr', 'ja'].filter((l) => existsSync(bundlePath(l)))];

function bundlePath(lang: string): string {
  return path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`);
}

function bundleOf(lang: string): Record<string, string> {
  if (lang === 'en') return {};
  const raw = JSON.parse(readFileSync(bundlePath(lang), 'utf8')) as Record<string, string | { message: string }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : v.message]));
}

/** What the page found that does not fit, one line per element. */
function findOverflows(width: number): string[] {
  const found: string[] = [];
  const name = (el: Element): string => {
    const own = el.id ? `#${el.id}` : el.classList.length ? `.${[...el.classList].join('.')}` : '';
    const host = (el.getRootNode() as ShadowRoot).host;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 70);
    return `${host ? `${name(host).split(' "')[0]} >> ` : ''}${el.tagName.toLowerCase()}${own}${text ? ` "${text}"` : ''}`;
  };
  const culprits = new Map<Element, string>();
  const measure = document.createElement('canvas').getContext('2d')!;
  const bleeds = new Map<Element, number>();
  const bleedOf = (el: Element): number => {
    let bleed = bleeds.get(el);
    if (bleed === undefined) {
      bleed = Math.max(
        0,
        ...[...el.children].map((c) => Math.max(-parseFloat(getComputedStyle(c).marginRight) || 0, bleedOf(c))),
      );
      bleeds.set(el, bleed);
    }
    return bleed;
  };
  const visit = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (!(el instanceof HTMLElement) || ['SLOT', 'STYLE', 'SCRIPT'].includes(el.tagName)) continue;
      if (!el.checkVisibility()) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      // A value the user typed scrolls inside its field by design; the placeholder must fit (the browser
      // leaves it out of scrollWidth, so it is measured in the field's font).
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
        if (el.value) continue;
        if (el instanceof HTMLInputElement && el.placeholder) {
          const style = getComputedStyle(el);
          measure.font = style.font;
          const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const needs = measure.measureText(el.placeholder).width;
          if (needs > room + 1) {
            culprits.set(el, `placeholder "${el.placeholder}" ${Math.ceil(needs)} px wide in ${Math.floor(room)} px`);
            continue;
          }
        }
      }
      // A child placed past the content box on purpose (a negative margin) is not an overflow.
      const bleed = bleedOf(el);
      if (rect.right > width + 0.5) {
        culprits.set(el, `right edge at ${Math.round(rect.right)} px`);
      } else if (el.scrollWidth > el.clientWidth + bleed + 1 && el.clientWidth > 0) {
        culprits.set(el, `content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
      } else if (getComputedStyle(el).overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 1) {
        culprits.set(el, `content ${el.scrollHeight} px high in ${el.clientHeight} px, cut off`);
      }
    }
  };
  visit(document);
  // Name the innermost culprit, not every box around it (containment across shadow roots).
  const contains = (outer: Element, inner: Element): boolean => {
    for (let at: Node | null = inner; at; at = at.parentNode ?? (at as ShadowRoot).host ?? null) {
      if (at !== inner && at === outer) return true;
    }
    return false;
  };
  for (const [el, what] of culprits) {
    if (![...culprits.keys()].some((other) => contains(el, other))) found.push(`${name(el)}: ${what}`);
  }
  if (document.documentElement.scrollWidth > width) {
    found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
  }
  // A select shows the chosen option on one line: every option must fit there, chosen or not.
  for (const select of document.querySelectorAll('vscode-single-select')) {
    const face = select.shadowRoot?.querySelector<HTMLElement>('.select-face .text');
    if (!face || !select.checkVisibility()) continue;
    for (const option of select.querySelectorAll('vscode-option')) {
      const probe = face.cloneNode(false) as HTMLElement;
      probe.textContent = option.textContent?.trim() ?? '';
      face.after(probe);
      if (probe.scrollWidth > probe.clientWidth + 1 || probe.scrollHeight > probe.clientHeight + 1) {
        found.push(
          `#${select.id} option "${probe.textContent}": ${probe.scrollWidth}×${probe.scrollHeight} px in ` +
            `${probe.clientWidth}×${probe.clientHeight} px when chosen`,
        );
      }
      probe.remove();
    }
  }
  return [...new Set(found)];
}

describe(`Form texts fit a ${WIDTH} px wide panel in every language (Chromium)`, function () {
  this.timeout(120_000);
  let harness: FormHarness;
  let form: FormPage | undefined;

  before(async () => {
    mkdirSync(path.join(ROOT, 'test-results', 'form'), { recursive: true });
    harness = await FormHarness.start();
  });
  after(async () => {
    await form?.close();
    await harness?.close();
  });
  afterEach(async () => {
    await form?.close();
    form = undefined;
  });

  for (const lang of LANGUAGES) {
    describe(lang, () => {
      const bundle = bundleOf(lang);
      const t = translator(bundle);
      const label = (authType: AuthType) => t(AUTH_TYPE_TABLE[authType].label.text);
      /** What does not fit → the states it was seen in. */
      const problems = new Map<string, string[]>();

      /** Everything of the language's init the extension localizes before handing it over. */
      function init(overrides: Partial<InitMessage> = {}): InitMessage {
        const base = initMessage({ remote: true, l10n: bundle });
        return {
          ...base,
          environments: base.environments.map((e) => ({
            ...e,
            label: t(e.label),
            ...('problem' in e && e.problem ? { problem: t(e.problem) } : {}),
          })),
          ...overrides,
        };
      }

      async function open(overrides: Partial<InitMessage> = {}): Promise<FormPage> {
        form = await harness.open('dark', init(overrides), { width: WIDTH, lang });
        // Fonts and the components settle before measuring.
        await form.page.evaluate(() => document.fonts.ready.then(() => undefined));
        return form;
      }

      async function check(page: FormPage, state: string): Promise<void> {
        await page.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        for (const line of await page.page.evaluate(findOverflows, WIDTH)) {
          problems.set(line, [...(problems.get(line) ?? []), state]);
        }
        assert.deepEqual(page.problems, [], `[${lang}] ${state}: console errors`);
      }

      /** Opens each select's option list and checks it (an open list lies over the form). */
      async function checkOptionLists(page: FormPage, state: string): Promise<void> {
        for (const id of await page.page.$$eval('vscode-single-select', (all) => all.map((s) => s.id))) {
          const select = page.page.locator(`#${id}`);
          await select.click();
          const list = page.page.locator(`#${id} .dropdown.open`);
          await list.waitFor({ state: 'visible', timeout: 10_000 });
          await check(page, `${state}, ${id} open`);
          await page.page.keyboard.press('Escape');
          await list.waitFor({ state: 'hidden', timeout: 10_000 });
        }
      }

      it('every auth type, with its banner, redirect URI box and permission summary', async () => {
        const page = await open();
        for (const authType of AUTH_TYPES) {
          if (authType !== 'authCode') await page.choose('field-authType', label(authType));
          await page.waitForFields(AUTH_TYPE_TABLE[authType].fields);
          await check(page, authType);
          await checkOptionLists(page, authType);
          if (authType === 'byoApp') {
            await page.input('clientSecret').fill('s3cret');
            await page.page.locator('#redirect-platform[data-platform="web"]').waitFor();
            await check(page, 'byoApp with a client secret');
            await page.screenshot(`fit-${WIDTH}-${lang}`);
            await page.input('clientSecret').fill('');
          }
        }
      });

      it('validation messages on the fields', async () => {
        const page = await open();
        await page.choose('field-authType', label('byoApp'));
        await page.input('tenant').fill('not a tenant!');
        await page.input('clientId').fill('12345');
        await page.input('additionalScopes').fill('Mail.Send https://graph.microsoft.us/Mail.Read');
        await page.input('additionalScopes').press('Enter');
        await page.page.waitForFunction(() => document.querySelectorAll('.message-error').length >= 4, undefined, {
          timeout: 10_000,
        });
        await check(page, 'validation messages');
      });

      it('edit mode: the sign-out notice and Save and connect', async () => {
        const page = await open({
          mode: 'edit',
          draft: {
            ...emptyDraft(),
            authType: 'byoApp',
            name: 'Sales',
            clientId: GUID,
            tenant: 'contoso.onmicrosoft.com',
            account: 'adele@contoso.com',
          },
          storedSecrets: ['clientSecret'],
        });
        await page.waitForFields(AUTH_TYPE_TABLE.byoApp.fields);
        await page.input('tenant').fill('fabrikam.onmicrosoft.com');
        await page.input('account').fill('alex@contoso.com');
        await page.page.locator('#sign-in-change .banner').waitFor({ state: 'visible', timeout: 10_000 });
        await check(page, 'edit mode with the sign-out notice');
      });

      it('busy with the device code, then a failure', async () => {
        const page = await open();
        await page.input('name').fill('Sales');
        await page.input('name').press('Enter');
        await page.waitForPosted('submit');
        await page.send({ type: 'busy', message: t('Signing in to {0}\u2026', { 0: 'Sales' }) });
        await page.send({
          type: 'deviceCode',
          userCode: 'ABCD-EFGH',
          verificationUri: 'https://microsoft.com/devicelogin',
        });
        await page.page.locator('#device-code-value', { hasText: 'ABCD-EFGH' }).waitFor();
        await check(page, 'busy with the device code');
        await page.send({
          type: 'result',
          ok: false,
          message: t('The user name or password is incorrect.'),
          code: 'AADSTS50126',
          status: 'error',
          connectionId: 'c1',
        });
        await page.page.locator('#status.status-error').waitFor();
        await check(page, 'a failure');
      });

      it('a picked certificate with its thumbprint', async () => {
        const page = await open();
        await page.choose('field-authType', label('clientCertificate'));
        await page.page.locator('#pick-certificate').click();
        await page.waitForPosted('pickCertificate');
        await page.send({
          type: 'certificatePicked',
          fileName: 'robot-contoso-production.pfx',
          thumbprint: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08',
        });
        await page.page.locator('#picked-certificate').waitFor();
        await check(page, 'a picked certificate');
      });

      it(`fits ${WIDTH} px`, () => {
        const lines = [...problems].map(([line, states]) => `[${lang}] ${line}\n    (${states.join('; ')})`);
        assert.ok(lines.length === 0, `${lines.length} texts do not fit ${WIDTH} px in ${lang}:\n${lines.join('\n')}`);
      });
    });
  }
});
