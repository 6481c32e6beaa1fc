/**
 * Certificate and client secret expiry in VS Code (issue 14 item 3), and claims challenges through Test
 * Connection and the exported API's Graph helper (item 5), against the emulator with the real MSAL.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Outlook365Api } from '../../api/outlook365';
import { parsePfx } from '../../src/engine/certificate';
import type { TestingApi } from '../../src/extension';
import { formatThumbprint } from '../../src/model/credentialExpiry';
import { formatMessage, type Message } from '../../src/model/messages';
import { draftFromConfig, validateDraft } from '../../src/model/validate';
import { completeAuthorizeInBrowser } from '../sandbox/browserBot';
import { makeClientCertificate } from '../sandbox/certs';
import type { Emulator } from '../sandbox/emulator';
import {
  ADELE,
  addServiceApp,
  EXTENSION_ID,
  addConnection,
  draft,
  sandbox,
  stopSandbox,
  testingApi,
  waitFor,
} from './support';

const DAY = 24 * 3600 * 1000;
const CERT_APP = 'c0ffee00-0000-4000-8000-00000000e301';
const SECRET_APP = 'c0ffee00-0000-4000-8000-00000000e302';
const PFX_PASSWORD = 'pfx-pass-e301';
const CLIENT_SECRET = 'client-secret-e302';

describe('Certificate and secret expiry, claims challenges', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let emulator: Emulator;
  let exported: Outlook365Api;
  const warnings: string[] = [];
  const tenDays = makeClientCertificate({
    commonName: 'ten days',
    password: PFX_PASSWORD,
    notAfter: new Date(Date.now() + 10 * DAY),
  });
  const expired = makeClientCertificate({
    commonName: 'expired',
    password: PFX_PASSWORD,
    notBefore: new Date(Date.now() - 60 * DAY),
    notAfter: new Date(Date.now() - 3 * DAY),
  });

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    exported = vscode.extensions.getExtension<Outlook365Api>(EXTENSION_ID)!.exports;
    addServiceApp(emulator, CERT_APP, { certificates: [{ certPem: tenDays.certPem }, { certPem: expired.certPem }] });
    addServiceApp(emulator, SECRET_APP, { secrets: [CLIENT_SECRET] });
    api.setOpenExternal(async (url) => {
      void completeAuthorizeInBrowser(url, ADELE).catch(() => undefined);
    });
    // The notification is captured (and its clock set) before any connection of this suite exists.
    api.credentialWarnings.show = async (message) => {
      warnings.push(message);
      return undefined;
    };
  });

  after(async () => {
    api.credentialWarnings.now = () => new Date();
    api.credentialWarnings.show = (message, ...items) => vscode.window.showWarningMessage(message, ...items);
    api.setOpenExternal(undefined);
    emulator.challengeClaims(undefined);
    await stopSandbox();
  });

  const item = (id: string) => api.tree.getTreeItem({ kind: 'connection', id });
  const loginRequests = () => emulator.requests.filter((r) => r.host === 'login' && !r.path.startsWith('/_emulator/'));

  it('a certificate that expires in 10 days: its validity and thumbprint in the tree, amber status, a warning', async () => {
    const id = await addConnection(api, {
      name: 'Expiring certificate',
      authType: 'clientCertificate',
      clientId: CERT_APP,
      certificate: tenDays.pfxBase64,
      certificatePassword: PFX_PASSWORD,
      account: ADELE.upn,
    });
    const config = api.store.getConfig(id)!;
    // Facts of the certificate, not the certificate: no bytes, no password.
    assert.doesNotMatch(JSON.stringify(config), new RegExp(`${tenDays.pfxBase64.slice(0, 32)}|${PFX_PASSWORD}`));
    await api.sessions.signIn(id, { openBrowser: async () => undefined, showDeviceCode: () => undefined });
    const shown = item(id);
    assert.match(String(shown.contextValue), /status-credentialExpiring/);
    assert.match(String(shown.description), /certificate expires in 10 days/);
    assert.equal(exported.getConnection(id)?.status, 'credentialExpiring');
    const tooltip = (
      api.tree.resolveTreeItem(item(id), { kind: 'connection', id }).tooltip as vscode.MarkdownString
    ).value.replace(/&nbsp;/g, ' ');
    const thumbprint = formatThumbprint(tenDays.thumbprintSha1Hex);
    assert.match(tooltip, new RegExp(`certificate valid until .+, thumbprint ${thumbprint}`));
    const detail = api.tree
      .getChildren({ kind: 'connection', id })
      .find((n) => n.kind === 'detail' && n.key === 'credential');
    assert.ok(detail && detail.kind === 'detail' && detail.tooltip?.includes(thumbprint));
    await waitFor(() => warnings.some((w) => w.includes('"Expiring certificate" expires on')), 'the warning');
    assert.match(
      warnings.find((w) => w.includes('Expiring certificate'))!,
      /\(in 10 days\)/,
    );
  });

  it('warns at most once a day per connection (injectable clock, remembered in globalState)', async () => {
    const ofIt = () => warnings.filter((w) => w.includes('"Expiring certificate"')).length;
    assert.equal(ofIt(), 1);
    await api.credentialWarnings.check();
    assert.equal(ofIt(), 1, 'the same day: no second warning');
    const tomorrow = new Date(Date.now() + DAY);
    api.credentialWarnings.now = () => tomorrow;
    await api.credentialWarnings.check();
    assert.equal(ofIt(), 2, 'the next day: one more');
    await api.credentialWarnings.check();
    assert.equal(ofIt(), 2);
    api.credentialWarnings.now = () => new Date();
  });

  it('an expired certificate is refused with a sentence before any request: the emulator sees no token request', async () => {
    // Saved while it was valid (the form refuses it now): validated as of 5 days ago, stored as the form would.
    const checked = validateDraft(
      draft({
        name: 'Expired certificate',
        authType: 'clientCertificate',
        clientId: CERT_APP,
        certificate: expired.pfxBase64,
        certificatePassword: PFX_PASSWORD,
        account: ADELE.upn,
      }),
      { openCertificate: parsePfx, now: new Date(Date.now() - 5 * DAY), customEnvironment: customEnvironment() },
    );
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    await api.configurations.save(checked.config, checked.secrets);
    const id = checked.config.id;
    assert.match(String(item(id).contextValue), /status-credentialExpired/);
    assert.match(String(item(id).description), /certificate expired on/);
    // The form refuses it with the same sentence.
    const outcome = await api.form.save(
      { ...draftFromConfig(checked.config), certificatePassword: PFX_PASSWORD },
      { connectionId: id, certificateBase64: expired.pfxBase64 },
    );
    assert.ok(!outcome.ok);
    assert.match(JSON.stringify(outcome.errors), /The certificate expired on/);
    const before = loginRequests().length;
    const refusedWith = (pattern: RegExp) => (err: unknown) => {
      assert.match(formatMessage((err as { failure: { message: Message } }).failure.message), pattern);
      return true;
    };
    await assert.rejects(
      api.sessions.signIn(id, { openBrowser: async () => undefined, showDeviceCode: () => undefined }),
      refusedWith(/^The certificate expired on \d{4}-\d{2}-\d{2}\. Create a new certificate/),
    );
    // Test Connection is a checklist: the token check fails with the sentence, the rest is not run.
    const tested = await api.tester.test(id);
    assert.equal(tested.ok, false);
    const tokenCheck = tested.checks.find((c) => c.name === 'token');
    assert.equal(tokenCheck?.result, 'failed');
    assert.match(formatMessage(tokenCheck.detail), /^The certificate expired on/);
    assert.ok(tested.checks.filter((c) => c.name !== 'token').every((c) => c.result === 'skipped'));
    assert.equal(loginRequests().length, before, 'no request reached the login host');
    await waitFor(() => warnings.some((w) => w.includes('"Expired certificate" expired on')), 'the expired warning');
  });

  it('"secret expires on": stored with the connection, shown and warned like a certificate; a past day is refused', async () => {
    const soon = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
    const id = await addConnection(api, {
      name: 'Secret with a date',
      authType: 'clientCredentials',
      clientId: SECRET_APP,
      clientSecret: CLIENT_SECRET,
      account: ADELE.upn,
      secretExpiresOn: soon,
    });
    const config = api.store.getConfig(id)!;
    assert.equal('secretExpiresOn' in config && config.secretExpiresOn, soon);
    assert.ok(!JSON.stringify(config).includes(CLIENT_SECRET));
    assert.equal(draftFromConfig(config).secretExpiresOn, soon);
    assert.match(String(item(id).description), /client secret expires in [56] days/);
    await waitFor(() => warnings.some((w) => w.includes('"Secret with a date" expires on')), 'the secret warning');
    const past = await api.form.save(draft({ ...draftFromConfig(config), secretExpiresOn: '2020-01-31' }), {
      connectionId: id,
    });
    assert.ok(!past.ok);
    assert.match(JSON.stringify(past.errors), /The secret expired on 2020-01-31/);
  });

  it('Test Connection and the exported Graph helper answer a claims challenge with a token carrying the claims', async () => {
    const id = await addConnection(api, { name: 'CAE', authType: 'authCode', signInMethod: 'browser' });
    const session = await api.provider.createSession([`connection:${id}`]);
    emulator.challengeClaims({ acrs: 'c1' });
    try {
      const start = emulator.requests.length;
      const response = await exported.graphRequest!(session, '/v1.0/me/mailFolders/inbox');
      assert.equal(response.status, 200, `${response.body} ${JSON.stringify(emulator.requests.slice(start))}`);
      assert.equal((JSON.parse(response.body) as { displayName: string }).displayName, 'Inbox');
      const sent = emulator.requests.slice(start);
      assert.deepEqual(
        sent.filter((r) => r.host === 'graph').map((r) => r.status),
        [401, 200],
      );
      const renewal = sent.filter((r) => r.grantType === 'refresh_token');
      assert.equal(renewal.length, 1);
      assert.match(renewal[0].claims ?? '', /"acrs":\{"essential":true,"value":"c1"\}/);
      // The old session's token is no longer the connection's: the helper says so instead of sending it.
      await assert.rejects(
        exported.graphRequest!(session, '/v1.0/me/mailFolders/inbox'),
        /not the connection’s current one/,
      );
      const [current] = await api.provider.getSessions([`connection:${id}`]);
      assert.equal((await exported.graphRequest!(current, '/v1.0/me/mailFolders/inbox')).status, 200);
      // Only paths on the connection's Graph host.
      await assert.rejects(exported.graphRequest!(current, 'https://example.com/v1.0/me'), /not a URL/);
      // Test Connection answers the same challenge for a token without the claims.
      emulator.challengeClaims({ acrs: 'c2' });
      const result = await api.tester.test(id);
      assert.equal(result.ok, true, JSON.stringify(result));
    } finally {
      emulator.challengeClaims(undefined);
    }
  });

  function customEnvironment() {
    return { name: 'Emulator', loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint };
  }
});
