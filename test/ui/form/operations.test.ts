/**
 * Permissions by operation in the real form (headless Chromium, the panel's CSP): ticking operations with
 * the keyboard changes the permissions requested and the reasons the summary gives, the shared-mailbox
 * warnings come and go, app-only types show what an administrator grants. Screenshots go to
 * test-results/form/; with OUTLOOK365_UPDATE_DOCS_IMAGES=1 the light and dark ones also to docs/images/.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AUTH_TYPE_TABLE } from '../../../src/model/authTypes';
import { validateDraft } from '../../../src/model/validate';
import { FormHarness, initMessage, type FormPage, assertCleanPage } from './harness';

const ROOT = path.resolve(__dirname, '../../../..');

describe('Connection form: permissions by operation (Chromium)', function () {
  this.timeout(60_000);
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
    await assertCleanPage(form);
    await form?.close();
    form = undefined;
  });

  /** Presses Tab until the element with `id` has the focus (keyboard only, never a click). */
  async function tabTo(page: FormPage, id: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      if ((await page.focused()).id === id) return;
      await page.page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id}`);
  }

  /** The summary as [permission, reasons] rows. */
  async function summary(page: FormPage): Promise<string[][]> {
    return page.page.$$eval('#permission-summary .permission', (rows) =>
      rows.map((r) => [
        r.querySelector('.chip')?.textContent?.trim() ?? '',
        r.querySelector('.reason')?.textContent?.trim() ?? '',
      ]),
    );
  }

  async function waitForSummary(page: FormPage, permission: string, present = true): Promise<void> {
    await page.page.waitForFunction(
      ([p, want]) => !!document.querySelector(`#permission-summary [data-permission="${p}"]`) === want,
      [permission, present] as const,
      { timeout: 10_000 },
    );
  }

  const warningText = async (page: FormPage, selector: string) =>
    ((await page.page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();

  /** The operations and the summary, for the README (the whole form is long). */
  async function screenshotPermissions(page: FormPage, name: string): Promise<void> {
    // Page coordinates (a full-page clip is not relative to the scrolled viewport).
    const { top, bottom } = await page.page.evaluate(() => {
      const y = (selector: string, edge: 'top' | 'bottom') =>
        document.querySelector(selector)!.getBoundingClientRect()[edge] + window.scrollY;
      return { top: y('#setting-sharedMailbox', 'top'), bottom: y('#permission-summary', 'bottom') };
    });
    const file = path.join(ROOT, 'test-results', 'form', `${name}.png`);
    await page.page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: 0, y: top - 8, width: 820, height: bottom - top + 24 },
    });
    if (process.env.OUTLOOK365_UPDATE_DOCS_IMAGES === '1') {
      copyFileSync(file, path.join(ROOT, 'docs', 'images', `${name}.png`));
    }
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`ticking operations with the keyboard changes the permissions and their reasons; shared-mailbox warnings (${theme})`, async () => {
      form = await harness.open(theme, initMessage());
      const page = form.page;
      await tabTo(form, 'field-name');
      await page.keyboard.type('Support desk');
      await tabTo(form, 'field-sharedMailbox');
      await page.keyboard.type('support@contoso.com');
      await page.keyboard.press('Tab');

      // The default preset has no .Shared permission: the field says so, before saving.
      await page.waitForFunction(() => !!document.querySelector('#error-sharedMailbox.message-warning'), undefined, {
        timeout: 10_000,
      });
      assert.match(
        await warningText(form, '#error-sharedMailbox'),
        /needs Mail\.Read\.Shared: tick “Read a shared mailbox”/,
      );
      assert.deepEqual(await summary(form), [
        ['openid', 'sign-in and staying signed in'],
        ['offline_access', 'sign-in and staying signed in'],
        ['Mail.Read', 'preset “Minimal to connect”'],
      ]);

      await tabTo(form, 'operation-readSharedMailbox');
      await page.keyboard.press('Space');
      await waitForSummary(form, 'Mail.Read.Shared');
      await page.waitForFunction(() => !document.querySelector('#error-sharedMailbox.message-warning'), undefined, {
        timeout: 10_000,
      });

      await tabTo(form, 'operation-sendMail');
      await page.keyboard.press('Space');
      await waitForSummary(form, 'Mail.Send');
      await page.locator('#operation-warnings li').waitFor({ timeout: 10_000 });
      assert.match(await warningText(form, '#operation-warnings'), /needs Mail\.Send\.Shared/);

      await tabTo(form, 'operation-sendAsShared');
      await page.keyboard.press('Space');
      await waitForSummary(form, 'Mail.Send.Shared');
      await page.locator('#operation-warnings li').waitFor({ state: 'detached', timeout: 10_000 });

      await tabTo(form, 'operation-profile');
      await page.keyboard.press('Space');
      await waitForSummary(form, 'User.Read');
      assert.deepEqual(await summary(form), [
        ['openid', 'sign-in and staying signed in'],
        ['offline_access', 'sign-in and staying signed in'],
        ['Mail.Read', 'preset “Minimal to connect”'],
        ['Mail.Read.Shared', 'Read a shared mailbox'],
        ['Mail.Send', 'Send mail'],
        ['Mail.Send.Shared', 'Send as or on behalf of a shared mailbox'],
        ['User.Read', 'Read the user’s profile'],
      ]);
      await screenshotPermissions(form, `form-operations-${theme}`);

      // Space again unticks: the permission goes.
      await page.keyboard.press('Space');
      await waitForSummary(form, 'User.Read', false);

      await page.keyboard.press('Enter');
      const submit = await form.waitForPosted('submit');
      assert.equal(submit.draft.operations, 'readSharedMailbox sendMail sendAsShared');
      const saved = validateDraft(submit.draft);
      assert.ok(saved.ok && saved.config.authType === 'authCode');
      assert.deepEqual(saved.config.scopes.operations, ['readSharedMailbox', 'sendMail', 'sendAsShared']);
      assert.deepEqual(form.problems, [], 'console errors');
    });
  }

  it('app-only: the application permissions an administrator grants, from the operations ticked', async () => {
    form = await harness.open('dark', initMessage());
    await form.choose('field-authType', AUTH_TYPE_TABLE.clientCredentials.label.text);
    await form.waitForFields(AUTH_TYPE_TABLE.clientCredentials.fields);
    assert.match(
      await warningText(form, '#summary-title'),
      /^Application permissions an administrator grants to the app \(2\)$/,
    );
    assert.match(await warningText(form, '#summary-requested'), /https:\/\/graph\.microsoft\.com\/\.default/);
    assert.deepEqual(await summary(form), [
      ['Mail.Read', 'minimum for app-only connections'],
      ['User.Read.All', 'minimum for app-only connections'],
    ]);
    await form.page.locator('#operation-readSharedMailbox').focus();
    await form.page.keyboard.press('Space');
    await form.page.locator('#operation-profile').focus();
    await form.page.keyboard.press('Space');
    await waitForSummary(form, 'User.ReadBasic.All');
    assert.deepEqual(await summary(form), [
      ['Mail.Read', 'Read a shared mailbox'],
      ['User.ReadBasic.All', 'Read the user’s profile'],
    ]);
    assert.equal(await form.page.locator('#operation-warnings li').count(), 0, 'application permissions reach it');
    await form.screenshot('operations-app-only');
  });

  it('your own app can ask for only the permissions configured on it (/.default)', async () => {
    form = await harness.open('light', initMessage());
    await form.choose('field-authType', AUTH_TYPE_TABLE.byoApp.label.text);
    await form.choose('field-scopePreset', 'Only the permissions configured on the app (/.default)');
    await form.page.locator('#operation-readMail').focus();
    await form.page.keyboard.press('Space');
    await waitForSummary(form, 'Mail.Read');
    assert.match(await warningText(form, '#summary-title'), /^Delegated permissions the app registration needs \(1\)$/);
    assert.match(await warningText(form, '#summary-requested'), /https:\/\/graph\.microsoft\.com\/\.default/);
    // The Microsoft public app has no permissions of its own to ask for.
    const appDefaultOption = form.page.locator('#field-scopePreset vscode-option', { hasText: '/.default' });
    assert.equal(await appDefaultOption.count(), 1);
    await form.choose('field-authType', AUTH_TYPE_TABLE.authCode.label.text);
    await appDefaultOption.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
