/**
 * The form's tenant look-up, Save without connecting and field help links in headless Chromium under the
 * panel's CSP. The harness stands in for the extension: it records what the form posts and answers the
 * look-up the way the extension does (formPanel.ts: an answer only when there is something to say).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { helpUrl } from '../../../src/model/helpLinks';
import { FormHarness, initMessage, type FormPage, assertCleanPage } from './harness';

const ROOT = path.resolve(__dirname, '../../../..');

describe('Connection form: the tenant’s cloud, Save, help links (webview in Chromium)', function () {
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

  it('a tenant of another cloud: the form asks after a pause, shows the hint, and the switch button switches', async () => {
    form = await harness.open('dark', initMessage());
    await form.input('tenant').fill('fabrikam-gov.test');
    const asked = await form.waitForPosted('lookUpTenant');
    assert.deepEqual(asked, { type: 'lookUpTenant', tenant: 'fabrikam-gov.test', environment: 'global' });
    assert.equal((await form.posted()).filter((m) => m.type === 'lookUpTenant').length, 1, 'asked once after typing');
    await form.send({
      type: 'tenantCloud',
      tenant: 'fabrikam-gov.test',
      environment: 'global',
      verdict: { kind: 'otherCloud', environment: 'usGovL4' },
    });
    const hint = form.page.locator('#cloud-hint-text');
    await hint.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(
      (await hint.textContent()) ?? '',
      /fabrikam-gov\.test is in US Government L4 \(GCC High\), not in Office 365/,
    );
    // Next to the environment field, and tied to it for assistive technology.
    assert.equal(await form.page.locator('#setting-environment #cloud-hint').count(), 1);
    const describedBy = (await form.page.locator('#field-environment').getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy.split(' ').includes('cloud-hint'), describedBy);
    await form.screenshot('tenant-other-cloud');

    // The switch button works from the keyboard.
    await form.page.locator('#switch-environment').focus();
    await form.page.keyboard.press('Enter');
    await form.page.waitForFunction(
      () =>
        document
          .getElementById('field-environment')
          ?.shadowRoot?.querySelector('.select-face .text')
          ?.textContent?.trim() === 'US Government L4 (GCC High)',
      undefined,
      { timeout: 10_000 },
    );
    await hint.waitFor({ state: 'detached', timeout: 10_000 });
    // The form asks again about the new environment.
    const again = await form.waitForPosted('lookUpTenant', 2);
    assert.deepEqual(again, { type: 'lookUpTenant', tenant: 'fabrikam-gov.test', environment: 'usGovL4' });
  });

  it('an unknown tenant shows at the tenant field, before saving, and goes when the tenant changes', async () => {
    form = await harness.open('light', initMessage());
    await form.input('tenant').fill('no-such-tenant.test');
    await form.waitForPosted('lookUpTenant');
    await form.send({
      type: 'tenantCloud',
      tenant: 'no-such-tenant.test',
      environment: 'global',
      verdict: { kind: 'notFound' },
    });
    const note = form.page.locator('#setting-tenant #tenant-lookup');
    await form.page.waitForFunction(
      () => /AADSTS90002/.test(document.getElementById('tenant-lookup')?.textContent ?? ''),
      undefined,
      {
        timeout: 10_000,
      },
    );
    assert.match((await note.textContent()) ?? '', /no tenant no-such-tenant\.test in Office 365/);
    const describedBy = (await form.page.locator('#field-tenant').getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy.split(' ').includes('tenant-lookup'), describedBy);
    assert.equal((await form.posted()).filter((m) => m.type === 'submit' || m.type === 'save').length, 0);
    await form.screenshot('tenant-not-found');
    // An answer about an older tenant is ignored; a new tenant clears the note at once.
    await form.input('tenant').fill('contoso.onmicrosoft.com');
    await form.page.waitForFunction(() => !document.getElementById('tenant-lookup')?.textContent?.trim(), undefined, {
      timeout: 10_000,
    });
    await form.send({
      type: 'tenantCloud',
      tenant: 'no-such-tenant.test',
      environment: 'global',
      verdict: { kind: 'notFound' },
    });
    await form.waitForPosted('lookUpTenant', 2);
    assert.equal(((await note.textContent()) ?? '').trim(), '', 'a stale answer shows nothing');
  });

  it('no answer (no network): no message, and saving is not held up', async () => {
    form = await harness.open('dark', initMessage());
    await form.input('name').fill('Offline one');
    await form.input('tenant').fill('contoso.onmicrosoft.com');
    await form.waitForPosted('lookUpTenant');
    await form.page.locator('#save-only').click();
    const saved = await form.waitForPosted('save');
    assert.equal(saved.draft.name, 'Offline one');
    assert.equal(((await form.page.locator('#tenant-lookup').textContent()) ?? '').trim(), '');
    assert.equal(await form.page.locator('#cloud-hint-text').count(), 0);
  });

  it('Save stores without connecting: it posts `save`, never `submit`, and shows the result', async () => {
    form = await harness.open('light', initMessage());
    await form.input('name').fill('Saved, not connected');
    await form.page.locator('#save-only').focus();
    await form.page.keyboard.press('Enter');
    const saved = await form.waitForPosted('save');
    assert.equal(saved.draft.name, 'Saved, not connected');
    assert.equal(saved.useCertificateFile, false);
    assert.equal((await form.posted()).filter((m) => m.type === 'submit').length, 0, 'Connect was not asked for');
    await form.send({
      type: 'result',
      ok: true,
      message: 'Saved; not signed in. Sign in from the Connections view, or with Connect, when ready.',
      connectionId: '0b7c7c5e-1111-4222-8333-944444444444',
    });
    await form.page.locator('#status-message').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await form.page.locator('#status-message').textContent()) ?? '', /not signed in/);
    assert.equal(((await form.page.locator('#connect').textContent()) ?? '').trim(), 'Save and connect');
    await form.screenshot('saved-not-connected');
  });

  it('a help link, from the keyboard, asks the extension to open its page by topic id (an allow-listed URL)', async () => {
    form = await harness.open('dark', initMessage());
    const link = form.page.locator('#help-link-tenant-tenantChoice');
    assert.equal(await link.count(), 1);
    // In the field's hint.
    assert.equal(await form.page.locator('#help-tenant #help-link-tenant-tenantChoice').count(), 1);
    await link.focus();
    await form.page.keyboard.press('Enter');
    const opened = await form.waitForPosted('openHelp');
    assert.deepEqual(opened, { type: 'openHelp', topic: 'tenantChoice' });
    assert.match(helpUrl(opened.topic) ?? '', /^https:\/\/learn\.microsoft\.com\//);
    await form.page.locator('#help-link-environment-nationalClouds').click();
    assert.deepEqual(await form.waitForPosted('openHelp', 2), { type: 'openHelp', topic: 'nationalClouds' });
    assert.equal((await form.posted()).filter((m) => m.type === 'submit').length, 0, 'a help link never submits');
    await form.screenshot('help-links');
  });
});
