/**
 * The Add/Edit Connection form in a real browser (headless Chromium), served under the panel's own CSP
 * with a stub VS Code API. Needs `node esbuild.mjs` to have built dist/webview/form.js.
 * Screenshots go to test-results/form/.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AUTH_TYPES, AUTH_TYPE_TABLE, SECRET_FIELDS } from '../../../src/model/authTypes';
import { emptyDraft, validateDraft } from '../../../src/model/validate';
import { formContentSecurityPolicy } from '../../../src/webview/form/html';
import { FormHarness, initMessage, type FormPage } from './harness';
import { BODY_CLASS, THEMES, type ThemeKind } from './themes';

const ROOT = path.resolve(__dirname, '../../../..');
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const STORED = 'Stored \u2014 leave empty to keep';

describe('Connection form (webview in Chromium)', function () {
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
    await form?.close();
    form = undefined;
  });

  /** No CSP violation, console error or uncaught exception happened on the page. */
  async function assertClean(page: FormPage): Promise<void> {
    const { violations } = await page.recorded();
    assert.deepEqual(violations, [], 'CSP violations');
    assert.deepEqual(page.problems, [], 'console errors');
  }

  async function fieldMessage(page: FormPage, field: string): Promise<string> {
    return (await page.page.locator(`#error-${field}`).textContent())?.trim() ?? '';
  }

  /** Waits until a field shows a message and is marked invalid for assistive technology. */
  async function waitForInvalid(page: FormPage, field: string): Promise<string> {
    await page.page.waitForFunction(
      (f) => {
        const control = document.getElementById(`field-${f}`);
        return (
          control?.getAttribute('aria-invalid') === 'true' &&
          !!document.getElementById(`error-${f}`)?.textContent?.trim()
        );
      },
      field,
      { timeout: 10_000 },
    );
    return fieldMessage(page, field);
  }

  describe('the init the page comes with (the panel puts it in; bench 6.)', () => {
    it('renders from it at once: no `ready` round trip, the state saved at once, the page clean', async () => {
      const hostile = 'Name </script><!-- <b>x</b>';
      const page = (form = await harness.openWithInit(
        initMessage({ mode: 'edit', draft: { ...emptyDraft(), name: hostile, tenant: 'contoso.test' } }),
      ));
      await page.page.locator('#field-authType').waitFor({ state: 'visible' });
      assert.equal(await page.input('name').inputValue(), hostile, 'the name exactly, nothing of it parsed as HTML');
      assert.equal((await page.page.locator('#form-title').innerText()).trim(), 'Edit Outlook Connection');
      const { posted, states } = await page.recorded();
      assert.deepEqual(
        posted.filter((m) => m.type === 'ready'),
        [],
        'no ready: the first load needs no round trip',
      );
      assert.ok(states.length >= 1, 'the state is saved at once, so a reload asks for a fresh init');
      await assertClean(page);
    });

    it('an untouched form, reloaded, shows the connection as it is now, not as it was when the page was made', async () => {
      // What the page stored before it was hidden (nothing typed) is what VS Code hands the reloaded page.
      const opened = initMessage({
        mode: 'edit',
        draft: { ...emptyDraft(), name: 'Before rename', tenant: 'contoso.test' },
      });
      const first = await harness.openWithInit(opened);
      await first.page.locator('#field-authType').waitFor({ state: 'visible' });
      const { states } = await first.recorded();
      await first.close();
      const page = (form = await harness.openWithInit(opened, states.at(-1)));
      await page.waitForPosted('ready');
      await page.send(
        initMessage({ mode: 'edit', draft: { ...emptyDraft(), name: 'Renamed', tenant: 'contoso.test' } }),
      );
      await page.page.locator('#field-authType').waitFor({ state: 'visible' });
      assert.equal(await page.input('name').inputValue(), 'Renamed', 'the rename made elsewhere, not the old draft');
      await assertClean(page);
    });

    it('after a reload (saved state there) asks with `ready` and starts from the fresh init, not the one in the page', async () => {
      const page = (form = await harness.openWithInit(
        initMessage({ mode: 'add', draft: { ...emptyDraft(), name: 'As opened' } }),
        { mode: 'add', draft: { ...emptyDraft(), name: 'As opened' } },
      ));
      await page.waitForPosted('ready');
      assert.equal(await page.page.locator('#field-authType').count(), 0, 'nothing drawn from the old init');
      await page.send(initMessage({ mode: 'edit', draft: { ...emptyDraft(), name: 'Saved since' } }));
      await page.page.locator('#field-authType').waitFor({ state: 'visible' });
      assert.equal((await page.page.locator('#form-title').innerText()).trim(), 'Edit Outlook Connection');
      assert.equal(await page.input('name').inputValue(), 'Saved since');
      await assertClean(page);
    });
  });

  it('shows exactly the fields of each auth type, in order', async () => {
    form = await harness.open('dark', initMessage());
    for (const authType of AUTH_TYPES) {
      if (authType !== 'authCode') {
        await form.choose('field-authType', AUTH_TYPE_TABLE[authType].label.text);
      }
      await form.waitForFields(AUTH_TYPE_TABLE[authType].fields);
      assert.deepEqual(await form.visibleFields(), [...AUTH_TYPE_TABLE[authType].fields], authType);
      // Each shown field has a visible label tied to it.
      for (const field of AUTH_TYPE_TABLE[authType].fields) {
        assert.ok(await form.page.locator(`#label-${field}`).isVisible(), `${authType}: label of ${field}`);
      }
      const warning = form.page.locator('#ropc-warning');
      if (authType === 'ropc') {
        await warning.waitFor({ state: 'visible' });
        assert.match((await warning.textContent()) ?? '', /not recommended/i);
        const warningBox = await warning.boundingBox();
        const selectorBox = await form.page.locator('#field-authType').boundingBox();
        assert.ok(warningBox && selectorBox && warningBox.y < selectorBox.y, 'the ROPC warning is at the top');
      } else {
        assert.equal(await warning.count(), 0, `${authType}: no ROPC warning`);
      }
      await form.screenshot(`auth-${authType}`);
    }
    await assertClean(form);
  });

  it('shows inline messages for bad input, never submits it, and submits once fixed (Enter)', async () => {
    form = await harness.open('light', initMessage());
    await form.choose('field-authType', AUTH_TYPE_TABLE.byoApp.label.text);
    await form.waitForFields(AUTH_TYPE_TABLE.byoApp.fields);

    // While typing: the validator speaks after a short pause, without a submit.
    await form.input('tenant').fill('not a tenant!');
    assert.match(await waitForInvalid(form, 'tenant'), /not a tenant ID/);

    await form.input('clientId').fill('12345');
    await form.input('additionalScopes').fill('Mail.Send https://graph.microsoft.us/Mail.Read');
    await form.input('additionalScopes').press('Enter');

    const expected: Record<string, RegExp> = {
      name: /Enter a name/,
      tenant: /not a tenant ID/,
      clientId: /GUID/,
      additionalScopes: /Graph host/,
    };
    for (const [field, pattern] of Object.entries(expected)) {
      assert.match(await waitForInvalid(form, field), pattern, field);
      const aria: { describedBy: string; innerInvalid: string | null; innerDescription: string; label: string } =
        await form.page.evaluate((f) => {
          const host = document.getElementById(`field-${f}`)!;
          const input = host.shadowRoot!.querySelector('input')!;
          return {
            describedBy: host.getAttribute('aria-describedby') ?? '',
            innerInvalid: input.getAttribute('aria-invalid'),
            innerDescription: input.getAttribute('aria-description') ?? '',
            label: input.getAttribute('aria-label') ?? '',
          };
        }, field);
      assert.ok(aria.describedBy.split(' ').includes(`error-${field}`), `${field}: aria-describedby names its message`);
      assert.equal(aria.innerInvalid, 'true', `${field}: the focusable input is aria-invalid`);
      assert.ok(
        aria.innerDescription.includes(await fieldMessage(form, field)),
        `${field}: the input's description carries the message`,
      );
      assert.ok(aria.label, `${field}: the input has an accessible name`);
    }
    assert.equal((await form.posted()).filter((m) => m.type === 'submit').length, 0, 'nothing submitted');
    await form.page.waitForFunction(() => document.activeElement?.id === 'field-name', undefined, { timeout: 10_000 });
    await form.screenshot('errors-light');

    await form.input('name').fill('Sales mailbox');
    await form.input('tenant').fill('contoso.onmicrosoft.com');
    await form.input('clientId').fill(GUID);
    await form.input('additionalScopes').fill('Mail.Send');
    await form.input('additionalScopes').press('Enter');

    const submit = await form.waitForPosted('submit');
    assert.equal(submit.useCertificateFile, false);
    assert.equal(submit.draft.authType, 'byoApp');
    assert.equal(submit.draft.name, 'Sales mailbox');
    assert.equal(submit.draft.clientId, GUID);
    const result = validateDraft(submit.draft);
    assert.ok(
      result.ok,
      `the submitted draft passes the engine's validator: ${JSON.stringify(!result.ok && result.errors)}`,
    );
    for (const field of ['name', 'tenant', 'clientId', 'additionalScopes']) {
      assert.equal(await form.page.locator(`#field-${field}`).getAttribute('aria-invalid'), 'false', field);
    }
    // The permission summary is the union of the preset and the additional scopes.
    assert.deepEqual(await form.page.locator('#permission-summary .chip').allTextContents(), [
      'openid',
      'offline_access',
      'Mail.Read',
      'Mail.Send',
    ]);
    await assertClean(form);
  });

  it('is operable with the keyboard alone, in field order, first field focused', async () => {
    form = await harness.open('dark', initMessage());
    const page = form.page;
    await page.waitForFunction(() => document.activeElement?.id === 'field-authType', undefined, { timeout: 10_000 });

    /** Tabs from the auth type selector to Connect; returns the fields passed, in order. */
    const tabToConnect = async (act?: (field: string) => Promise<void>) => {
      const passed: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const at = await form!.focused();
        if (at.id === 'connect') {
          return passed;
        }
        assert.ok(at.field, `Tab ${i + 1} reached something that is not a field: #${at.id}`);
        if (passed[passed.length - 1] !== at.field) {
          passed.push(at.field);
          await act?.(at.field);
        }
      }
      assert.fail('Tab never reached Connect');
    };

    // authCode: radios change with the arrow keys.
    const authCodeOrder = await tabToConnect(async (field) => {
      if (field === 'signInMethod') {
        await page.keyboard.press('ArrowDown');
      }
    });
    assert.deepEqual(authCodeOrder, [...AUTH_TYPE_TABLE.authCode.fields]);
    await page.keyboard.press('Shift+Tab');
    assert.equal((await form.focused()).field, 'signInMethod', 'Shift+Tab goes back');

    // Choose the certificate type with the keyboard: Shift+Tab back to the selector, open, move, pick.
    await page.locator('#field-authType').focus();
    await page.keyboard.press('Enter');
    for (let i = 0; i < AUTH_TYPES.indexOf('clientCertificate'); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await form.waitForFields(AUTH_TYPE_TABLE.clientCertificate.fields);

    const certificateOrder = await tabToConnect(async (field) => {
      if (field === 'sendX5c') {
        await page.keyboard.press('Space');
      }
    });
    assert.deepEqual(certificateOrder, [...AUTH_TYPE_TABLE.clientCertificate.fields]);
    assert.equal(
      await page.locator('#field-sendX5c').evaluate((e) => (e as HTMLInputElement).checked),
      true,
      'Space toggles the checkbox',
    );

    // Back to authCode; Enter on Connect with a missing name focuses the name instead of submitting.
    await page.locator('#field-authType').focus();
    await page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await form.waitForFields(AUTH_TYPE_TABLE.authCode.fields);
    await page.locator('#connect').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'field-name', undefined, { timeout: 10_000 });
    await page.keyboard.type('Keyboard only');
    await page.keyboard.press('Enter');
    const submit = await form.waitForPosted('submit');
    assert.equal(submit.draft.name, 'Keyboard only');
    assert.equal(submit.draft.signInMethod, 'browser', 'the arrow key changed the sign-in method');
    assert.ok(validateDraft(submit.draft).ok);
    await assertClean(form);
  });

  it('locks the form while busy, cancels on Escape, shows the device code and the failure', async () => {
    form = await harness.open('dark', initMessage());
    const page = form.page;
    await form.input('name').fill('Sales');
    await form.input('name').press('Enter');
    await form.waitForPosted('submit');
    await page.locator('#connect[disabled]').waitFor();

    await form.send({ type: 'busy', message: 'Signing in to Sales\u2026' });
    await page.locator('#busy-message', { hasText: 'Signing in to Sales' }).waitFor();
    await page.locator('#busy vscode-progress-ring').waitFor({ state: 'visible' });
    for (const operation of await page.locator('[data-operation]').all()) {
      assert.equal(await operation.getAttribute('disabled'), '', 'every operation is disabled while busy');
    }
    for (const field of AUTH_TYPE_TABLE.authCode.fields) {
      if (field !== 'signInMethod' && field !== 'operations') {
        assert.equal(
          await page.locator(`#field-${field}`).getAttribute('disabled'),
          '',
          `${field} is disabled while busy`,
        );
      }
    }
    await page.waitForFunction(() => document.activeElement?.id === 'cancel', undefined, { timeout: 10_000 });

    await form.send({
      type: 'deviceCode',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://microsoft.com/devicelogin',
    });
    await page.locator('#device-code-value', { hasText: 'ABCD-EFGH' }).waitFor();
    await form.screenshot('busy-device-code');

    await page.keyboard.press('Escape');
    await form.waitForPosted('cancel');
    await page.locator('#busy-message', { hasText: 'Cancelling' }).waitFor();

    await form.send({
      type: 'result',
      ok: false,
      message: 'The user name or password is incorrect.',
      code: 'AADSTS50126',
      status: 'error',
      connectionId: 'c1',
    });
    const status = page.locator('#status[role="status"]');
    await status.locator('#status-message', { hasText: 'The user name or password is incorrect.' }).waitFor();
    assert.match((await status.textContent()) ?? '', /AADSTS50126/);
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    await page.waitForFunction(() => document.activeElement?.id === 'status', undefined, { timeout: 10_000 });
    assert.equal(await page.locator('#device-code').count(), 0);
    assert.equal(await page.locator('#field-name').getAttribute('disabled'), null, 'fields are enabled again');
    await form.screenshot('result-failure');
    await assertClean(form);
  });

  it('shows the extension\u2019s validation messages on their fields', async () => {
    form = await harness.open('dark', initMessage());
    await form.input('name').fill('Existing connection 2');
    await form.input('name').press('Enter');
    await form.waitForPosted('submit');
    await form.send({
      type: 'validation',
      errors: { name: 'A connection named "Existing connection 2" already exists.' },
    });
    assert.match(await waitForInvalid(form, 'name'), /already exists/);
    await form.page.waitForFunction(() => document.activeElement?.id === 'field-name', undefined, { timeout: 10_000 });
    assert.equal(await form.page.locator('#connect').getAttribute('disabled'), null);
    await assertClean(form);
  });

  it('shows a success result, and then treats the typed secret as stored', async () => {
    form = await harness.open('dark', initMessage());
    await form.choose('field-authType', AUTH_TYPE_TABLE.byoApp.label.text);
    await form.input('name').fill('Own app');
    await form.input('clientId').fill(GUID);
    await form.input('clientSecret').fill('typed-secret');
    await form.input('clientSecret').press('Enter');
    await form.waitForPosted('submit');
    await form.send({ type: 'busy', message: 'Signing in to Own app\u2026' });
    await form.send({ type: 'result', ok: true, message: 'Connected as adele@contoso.com.', connectionId: 'c2' });
    await form.page.locator('#status.status-success', { hasText: 'Connected as adele@contoso.com.' }).waitFor();
    await form.page.waitForFunction(() => document.activeElement?.id === 'status', undefined, { timeout: 10_000 });
    assert.equal(await form.input('clientSecret').inputValue(), '');
    assert.equal(await form.input('clientSecret').getAttribute('placeholder'), STORED);
    assert.equal(
      await form.page.locator('#redirect-platform').getAttribute('data-platform'),
      'web',
      'still confidential',
    );
    await form.screenshot('result-success');
    await assertClean(form);
  });

  it('keeps secrets out of webview state; edit mode shows stored secrets as placeholders', async () => {
    const secrets = ['Sup3r-S3cret-Value', 'P@ssw0rd-123', 'MIIKbase64pfxcontent', 'pfx-pass-456'];
    form = await harness.open(
      'dark',
      initMessage({
        mode: 'edit',
        draft: {
          ...emptyDraft(),
          authType: 'clientCredentials',
          name: 'Robot',
          clientId: GUID,
          tenant: 'contoso.onmicrosoft.com',
          account: 'robot@contoso.com',
        },
        storedSecrets: ['clientSecret'],
      }),
    );
    const page = form.page;
    await form.waitForFields(AUTH_TYPE_TABLE.clientCredentials.fields);
    assert.equal(await page.locator('#form-title').textContent(), 'Edit Outlook Connection');
    assert.equal(await form.input('clientSecret').inputValue(), '');
    assert.equal(await form.input('clientSecret').getAttribute('placeholder'), STORED);
    assert.equal(await form.input('clientSecret').getAttribute('type'), 'password');
    await form.screenshot('edit-stored-secret');

    await form.input('clientSecret').fill(secrets[0]);
    await form.input('name').fill('Robot 2');
    await form.choose('field-authType', AUTH_TYPE_TABLE.ropc.label.text);
    await form.input('password').fill(secrets[1]);
    await form.input('username').fill('adele@contoso.com');
    await form.choose('field-authType', AUTH_TYPE_TABLE.clientCertificate.label.text);
    await page.locator('#field-certificate textarea').fill(secrets[2]);
    await form.input('certificatePassword').fill(secrets[3]);
    await form.choose('field-authType', AUTH_TYPE_TABLE.clientCredentials.label.text);
    assert.equal(await form.input('clientSecret').inputValue(), secrets[0], 'the typed secret stays in the form');

    await page.locator('#copy-admin-consent').click();
    const copy = await form.waitForPosted('copy');
    assert.equal(copy.what, 'adminConsentLink');
    for (const field of SECRET_FIELDS) {
      assert.equal(copy.draft[field], '', `copy carries no ${field}`);
    }

    await form.input('account').press('Enter');
    const submit = await form.waitForPosted('submit');
    assert.equal(submit.draft.clientSecret, secrets[0], 'the secret goes once, with submit');
    assert.equal(submit.draft.password, '', 'a secret typed for another auth type is not sent');
    assert.equal(submit.draft.certificate, '');
    assert.equal(submit.draft.certificatePassword, '');

    const { states } = await form.recorded();
    assert.ok(states.length > 0, 'the form persists its (non-secret) state');
    const text = JSON.stringify(states);
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), 'setState never received a secret');
    }
    for (const state of states as { draft: Record<string, unknown> }[]) {
      for (const field of SECRET_FIELDS) {
        assert.ok(!(field in state.draft), `setState never received the ${field} field`);
      }
    }
    await assertClean(form);
  });

  it('edit mode says before saving when a change signs the connection out (a rename does not)', async () => {
    form = await harness.open(
      'light',
      initMessage({
        mode: 'edit',
        draft: {
          ...emptyDraft(),
          authType: 'byoApp',
          name: 'Sales',
          clientId: GUID,
          tenant: 'contoso.onmicrosoft.com',
          account: 'adele@contoso.com',
        },
        storedSecrets: [],
      }),
    );
    const page = form.page;
    const notice = page.locator('#sign-in-change');
    await form.waitForFields(AUTH_TYPE_TABLE.byoApp.fields);
    await form.input('name').fill('Sales EU');
    await form.input('sharedMailbox').fill('support@contoso.com');
    assert.equal((await notice.textContent())?.trim(), '', 'a rename or another shared mailbox keeps the sign-in');
    await form.input('tenant').fill('fabrikam.onmicrosoft.com');
    await form.input('account').fill('alex@contoso.com');
    await notice.getByText('Saving signs this connection out').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(String(await notice.textContent()), /Changed: Tenant and Account \(UPN\)\./);
    await form.screenshot('edit-sign-in-change');
    await form.input('tenant').fill('contoso.onmicrosoft.com');
    await form.input('account').fill('adele@contoso.com');
    await notice.getByText('Saving signs this connection out').waitFor({ state: 'detached', timeout: 10_000 });
    await assertClean(form);
  });

  it('shows the redirect URI and its platform for a bring-your-own app, with Copy', async () => {
    form = await harness.open('dark', initMessage());
    const page = form.page;
    await form.choose('field-authType', AUTH_TYPE_TABLE.byoApp.label.text);
    const platform = page.locator('#redirect-platform');
    assert.equal(await page.locator('#redirect-uri-value').textContent(), 'http://localhost');
    await page.locator('#redirect-platform[data-platform="mobileAndDesktop"]').waitFor();
    assert.equal(await platform.textContent(), 'Mobile and desktop applications');

    await form.input('clientSecret').fill('s3cret');
    await page.locator('#redirect-platform[data-platform="web"]').waitFor();
    assert.equal(await platform.textContent(), 'Web');
    await form.screenshot('redirect-uri-web');

    await form.input('clientSecret').fill('');
    await page.locator('#redirect-platform[data-platform="mobileAndDesktop"]').waitFor();

    await page.locator('#copy-redirect-uri').click();
    const copy = await form.waitForPosted('copy');
    assert.equal(copy.what, 'redirectUri');
    await form.send({ type: 'copied', what: 'redirectUri' });
    await page.locator('#redirect-uri .copied', { hasText: 'Copied' }).waitFor();

    // Device code is refused with a secret (a confidential client signs in through the browser only).
    await form.input('clientSecret').fill('s3cret');
    await page.locator('vscode-radio[value="deviceCode"]').click();
    assert.match(await waitForInvalid(form, 'signInMethod'), /only without a client secret/);
    await assertClean(form);
  });

  it('submits a picked certificate file without its bytes', async () => {
    form = await harness.open('dark', initMessage());
    const page = form.page;
    await form.choose('field-authType', AUTH_TYPE_TABLE.clientCertificate.label.text);
    await page.locator('#pick-certificate').click();
    await form.waitForPosted('pickCertificate');
    await form.send({ type: 'certificatePicked', fileName: 'robot.pfx', thumbprint: 'A1B2C3D4E5F6' });
    await page.locator('#picked-certificate', { hasText: 'robot.pfx' }).waitFor();
    assert.equal(await page.locator('#field-certificate').count(), 0, 'no paste box while a file is chosen');

    await form.input('name').fill('Robot (certificate)');
    await form.input('clientId').fill(GUID);
    await form.input('tenant').fill('contoso.onmicrosoft.com');
    await form.input('account').fill('robot@contoso.com');
    await form.screenshot('certificate-picked');
    await form.input('account').press('Enter');
    const submit = await form.waitForPosted('submit');
    assert.equal(submit.useCertificateFile, true);
    assert.equal(submit.draft.certificate, '');
    assert.ok(validateDraft({ ...submit.draft, certificate: 'the-file-the-extension-keeps' }).ok);

    // An unreadable file shows its problem on the field.
    await form.send({ type: 'validation', errors: {} });
    await form.send({
      type: 'certificatePicked',
      fileName: 'broken.pfx',
      error: 'The file is not a .pfx certificate.',
    });
    assert.match(await waitForInvalid(form, 'certificate'), /not a \.pfx/);
    await assertClean(form);
  });

  it('localizes its own strings and the engine\u2019s messages through init.l10n', async () => {
    form = await harness.open(
      'light',
      initMessage({
        l10n: {
          'Connection name': 'Verbindungsname',
          'Enter a name for the connection.': 'Geben Sie einen Namen f\u00fcr die Verbindung ein.',
          Connect: 'Verbinden',
        },
      }),
    );
    await form.page.locator('#label-name', { hasText: 'Verbindungsname' }).waitFor();
    assert.equal((await form.page.locator('#connect').textContent())?.trim(), 'Verbinden');
    await form.input('tenant').press('Enter');
    assert.equal(await waitForInvalid(form, 'name'), 'Geben Sie einen Namen f\u00fcr die Verbindung ein.');
    await assertClean(form);
  });

  for (const theme of Object.keys(THEMES) as ThemeKind[]) {
    it(`uses the ${theme} theme's colours`, async () => {
      form = await harness.open(theme, initMessage({ remote: true }));
      const page = form.page;
      await form.choose('field-authType', AUTH_TYPE_TABLE.byoApp.label.text);
      await form.input('name').fill('Contoso');
      await form.input('tenant').fill('contoso');
      await form.input('additionalScopes').fill('Mail.Send, Calendars.Read');
      await waitForInvalid(form, 'tenant');
      await form.input('name').focus();
      const colours = await page.evaluate(() => {
        const probe = document.createElement('span');
        document.body.append(probe);
        const resolve = (variable: string) => {
          probe.style.color = `var(${variable})`;
          return getComputedStyle(probe).color;
        };
        const result = {
          bodyClass: document.body.className,
          background: getComputedStyle(document.body).backgroundColor,
          editorBackground: (() => {
            probe.style.color = 'var(--vscode-editor-background)';
            return getComputedStyle(probe).color;
          })(),
          foreground: getComputedStyle(document.body).color,
          themeForeground: resolve('--vscode-foreground'),
          error: getComputedStyle(document.getElementById('error-tenant')!).color,
          themeError: resolve('--vscode-errorForeground'),
        };
        probe.remove();
        return result;
      });
      assert.ok(colours.bodyClass.includes(BODY_CLASS[theme]));
      assert.equal(colours.background, colours.editorBackground);
      assert.equal(colours.foreground, colours.themeForeground);
      assert.equal(colours.error, colours.themeError);
      await form.screenshot(`theme-${theme}`);
      await assertClean(form);
    });
  }

  it('runs under the panel\u2019s CSP, which is enforced', async () => {
    form = await harness.open('dark', initMessage());
    const csp = await form.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(
      csp ?? '',
      /^default-src 'none'; style-src http:\/\/127\.0\.0\.1:\d+; script-src 'nonce-[A-Za-z0-9]{32}';/,
    );
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(csp ?? '')![1];
    assert.equal(csp, formContentSecurityPolicy(harness.origin, nonce));
    await assertClean(form);
    // An inline <style> (what `'unsafe-inline'` would allow) is refused.
    await form.page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { color: red; }';
      document.head.append(style);
    });
    await form.page.waitForFunction(
      () =>
        (window as unknown as { __recorded: { violations: { directive: string }[] } }).__recorded.violations.some((v) =>
          v.directive.startsWith('style-src'),
        ),
      undefined,
      { timeout: 10_000 },
    );
  });

  it('media/form.css uses theme variables, not hard-coded colours', () => {
    const css = readFileSync(path.join(ROOT, 'media', 'form.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.deepEqual(
      css.match(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(|\b(?:white|black|red|green|blue|gray|grey)\b/gi),
      null,
    );
  });
});
