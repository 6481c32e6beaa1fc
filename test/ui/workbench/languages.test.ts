/**
 * The extension in the user's language, in the real workbench (code-server 4.100.3 = VS Code 1.100.3):
 * one workbench per language with `locale` in the user data's argv.json (code-server reads it when no
 * --locale is given; ../shared/TESTING.md §4), so `vscode.env.language` picks l10n/bundle.l10n.<lang>.json
 * and package.nls.<lang>.json. VS Code's own menus stay English without a language pack; ours must not.
 * The expected text is read from the language's files at test time; a language without its bundle is
 * skipped with a note. Checked: the palette title, a quick pick, a notification, the Connections tree
 * (the expiry in the locale: "läuft in 42 Min. ab") with its tooltip, and the form.
 * Screenshots: test-results/ui/languages/<lang>-*.png; with OUTLOOK365_UPDATE_DOCS_IMAGES=1 also
 * docs/images/language-<lang>.png (the README's pictures).
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expiryText } from '../../../src/engine/status';
import { formatMessage } from '../../../src/model/messages';
import { ROOT, WorkbenchDriver, openWorkbench, until, type OpenedWorkbench } from './driver';

const LANGUAGES = ['de', 'fr', 'ja'] as const;
const EXTENSION_ID = 'outlook365-connections.outlook365-connections';
const CONNECTION = {
  id: 'language-check',
  name: 'Contoso',
  authType: 'authCode',
  environment: 'global',
  tenant: 'organizations',
  scopes: { preset: 'minimal', additional: [] },
  signInMethod: 'auto',
};
const ACCOUNT = 'adele@contoso.test';

const readJson = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, string | { message: string }>;
const text = (v: string | { message: string } | undefined) => (typeof v === 'string' ? v : v?.message);
const one = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Writes the user data a person would have: the display language, one signed-in connection. The
 * language is also registered as an (empty) VS Code language pack in languagepacks.json, as installing
 * a language pack extension does: VS Code in the browser takes its language from the pack's messages and
 * without one stays "en" whatever argv.json says (vs/server/node/remoteLanguagePacks.ts,
 * vs/base/node/nls.ts of 1.100), so `vscode.env.language` would stay "en". The pack translates nothing of
 * VS Code's own: its menus stay English, the extension's strings must not.
 */
function seedUserData(userData: string, lang: string, expiresOn: Date): void {
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User', 'argv.json'), JSON.stringify({ locale: lang }));
  const pack = path.join(userData, 'test-language-pack', `${lang}.i18n.json`);
  mkdirSync(path.dirname(pack), { recursive: true });
  writeFileSync(pack, JSON.stringify({ contents: {} }));
  writeFileSync(
    path.join(userData, 'languagepacks.json'),
    JSON.stringify({
      [lang]: {
        hash: `test-${lang}`,
        label: lang,
        extensions: [{ extensionIdentifier: { id: `outlook365-test.language-pack-${lang}` }, version: '1.0.0' }],
        translations: { vscode: pack },
      },
    }),
  );
  const storage = path.join(userData, 'User', 'globalStorage', EXTENSION_ID);
  mkdirSync(storage, { recursive: true });
  writeFileSync(path.join(storage, 'connections.json'), JSON.stringify({ version: 1, connections: [CONNECTION] }));
  writeFileSync(
    path.join(storage, 'facts.json'),
    JSON.stringify({
      version: 1,
      facts: {
        [CONNECTION.id]: {
          signedIn: true,
          account: ACCOUNT,
          expiresOn: expiresOn.toISOString(),
          grantedScopes: ['Mail.Read'],
        },
      },
    }),
  );
}

describe('VS Code workbench in German, French and Japanese (code-server, argv.json locale)', function () {
  this.timeout(120_000);
  const screenshotsDir = path.join(ROOT, 'test-results', 'ui', 'languages');
  const english = readJson(path.join(ROOT, 'l10n', 'bundle.l10n.json'));
  const englishNls = readJson(path.join(ROOT, 'package.nls.json'));
  const englishTexts: Record<string, true> = Object.fromEntries(Object.keys(english).map((k) => [k, true]));

  for (const lang of LANGUAGES) {
    const bundleFile = path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`);
    const nlsFile = path.join(ROOT, `package.nls.${lang}.json`);
    describe(lang, () => {
      let workbench: OpenedWorkbench | undefined;
      let sandboxDir: string | undefined;
      let wb: WorkbenchDriver;
      let failed = false;
      const bundle = existsSync(bundleFile) ? readJson(bundleFile) : undefined;
      const nls = existsSync(nlsFile) ? readJson(nlsFile) : {};
      /** The language's text of an English template (the English bundle's key). */
      const l = (template: string, args: Record<string, string> = {}) => {
        assert.ok(template in english, `"${template}" is a template of l10n/bundle.l10n.json`);
        return (text(bundle?.[template]) ?? template).replace(/\{(\w+)\}/g, (all, k: string) => args[k] ?? all);
      };
      const n = (key: string) => text(nls[key]) ?? text(englishNls[key])!;
      const expiresOn = new Date(Date.now() + 90 * 60_000);

      before(async function () {
        if (!bundle) {
          console.log(`      note: l10n/bundle.l10n.${lang}.json is not there yet; ${lang} is skipped`);
          this.skip();
        }
        this.timeout(180_000);
        sandboxDir = mkdtempSync(path.join(os.tmpdir(), `outlook365-ui-${lang}-`));
        seedUserData(path.join(sandboxDir, 'user-data'), lang, expiresOn);
        workbench = await openWorkbench({
          extensionDevelopmentPath: ROOT,
          sandboxDir,
          keepSandbox: true,
          print: (line) => console.log(`      [${lang}] ${line}`),
        });
        wb = new WorkbenchDriver(workbench.page, workbench.context, path.join(screenshotsDir, lang));
      });

      after(async function () {
        this.timeout(60_000);
        await workbench?.stop();
        if (sandboxDir && !failed) rmSync(sandboxDir, { recursive: true, force: true });
        else if (sandboxDir) console.log(`      [${lang}] user data and logs kept in ${sandboxDir}`);
      });

      afterEach(async function () {
        if (this.currentTest?.state === 'failed') {
          failed = true;
          await wb?.screenshot(`FAILED-${lang}`).catch(() => undefined);
        }
      });

      it('the Connections tree: status with the expiry in the locale, and the tooltip', async () => {
        // The view container and the view by their names in this language (the driver knows the English ones).
        await wb.waitForExtension(n('container.title'));
        await wb.page
          .locator(`.part.activitybar .action-item .action-label[aria-label="${n('container.title')}"]`)
          .click();
        const tree = wb.page.locator(
          `#workbench\\.parts\\.sidebar .monaco-list[aria-label="${n('view.connections')}"]`,
        );
        const row = tree.locator(`.monaco-list-row[aria-level="1"][aria-label^="${CONNECTION.name},"]`);
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        // The tree drew its description at some moment between the seed and now (minutes pass while the
        // workbench starts): accept the expiry as it read at any minute of the last ten, and the next one.
        const description = one((await row.locator('.label-description').textContent()) ?? '');
        const expected = [...Array(12).keys()].map(
          (m) =>
            `${ACCOUNT} · ${formatMessage(expiryText(expiresOn, new Date(Date.now() - (m - 1) * 60_000), lang), (t) => l(t))}`,
        );
        assert.ok(
          expected.map(one).includes(description),
          `tree description "${description}" is one of ${expected.join(' | ')}`,
        );
        await row.hover();
        const hover = wb.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: l('Connection ID') });
        await hover.first().waitFor({ state: 'visible', timeout: 15_000 });
        await wb.screenshot(`${lang}-tree-tooltip`);
      });

      it('a quick pick and a notification (Copy Connection ID from the palette)', async () => {
        await wb.page.mouse.move(900, 600);
        await wb.runCommand(`${n('category')}: ${n('command.copyConnectionId')}`);
        const placeholder = wb.quickInput.locator('input.input');
        await until(
          async () => (await placeholder.getAttribute('placeholder')) === l('Connection whose ID to copy'),
          `the quick pick's placeholder in ${lang}`,
          15_000,
          wb.page,
        );
        await wb.quickPickRow(CONNECTION.name).waitFor({ state: 'visible' });
        await wb.screenshot(`${lang}-quick-pick`);
        await wb.page.keyboard.press('Enter');
        const message = l('Copied the ID of "{0}". Other extensions use it as the scope connection:{1}.', {
          0: CONNECTION.name,
          1: CONNECTION.id,
        });
        await wb.notification(message).first().waitFor({ state: 'visible', timeout: 15_000 });
        await wb.screenshot(`${lang}-notification`);
      });

      it('the form: title, introduction and the field help in the language', async () => {
        await wb.runCommand(`${n('category')}: ${n('command.addConnection')}`);
        const frame = await wb.formFrame(l('Add Outlook Connection'));
        const lead = one((await frame.locator('p.lead').textContent()) ?? '');
        assert.equal(
          lead,
          one(
            l(
              'Connect to Microsoft Outlook 365 through Microsoft Graph. Secrets are kept in VS Code\u2019s secret storage.',
            ),
          ),
        );
        assert.equal(await frame.evaluate(() => document.documentElement.lang), lang);
        await frame
          .getByText(l('Shown in the Connections view; must be unique.'))
          .first()
          .waitFor({ state: 'visible' });
        // Nothing falls back to English where the language has the text: no line of the form is an English
        // template whose translation differs.
        const lines = await frame.evaluate(() =>
          document.body.innerText
            .split('\n')
            .map((s) => s.replace(/\s+/g, ' ').trim())
            .filter(Boolean),
        );
        const english = lines.filter(
          (line) => line in englishTexts && text(bundle![line]) !== undefined && text(bundle![line]) !== line,
        );
        assert.deepEqual(english, [], `English in the ${lang} form`);
        const file = await wb.screenshot(`${lang}-form`);
        // The README's pictures change only when asked: a test run leaves the working tree as it was.
        if (process.env.OUTLOOK365_UPDATE_DOCS_IMAGES === '1') {
          mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
          copyFileSync(file, path.join(ROOT, 'docs', 'images', `language-${lang}.png`));
        }
      });
    });
  }
});
