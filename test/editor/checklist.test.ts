/**
 * Test Connection's checklist in VS Code (issue #14 item 2): the statuses it leaves ("permission missing"
 * after a 403, not the green tick; back to valid after a passing test or an edit; "waiting for admin
 * consent", not "not signed in"), the checks under the connection in the tree with their fixes, and all of
 * it after a reload. Driven through the commands and the tree, against the emulator.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completeAuthorizeInBrowser } from '../sandbox/browserBot';
import type { Emulator } from '../sandbox/emulator';
import { statusOf } from '../../src/connections/facts';
import type { InteractionUi } from '../../src/engine/tokenClient';
import type { TestingApi } from '../../src/extension';
import { ADELE, addConnection, labelText, sandbox, stopSandbox, testingApi, waitFor } from './support';
import { openWindow, windowsAvailable } from './windows';

const NO_ROLES_APP = 'c0ffee00-0000-4000-8000-00000000ec01';
const NO_SEND_CONSENT = 'c0ffee00-0000-4000-8000-00000000ec02';
const SHARED = 'support@contoso.test';

describe('Test Connection checklist: statuses and the tree', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let emulator: Emulator;
  const asAdele: InteractionUi = {
    openBrowser: async (url) => void completeAuthorizeInBrowser(url, ADELE).catch(() => undefined),
    showDeviceCode: () => undefined,
  };

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    emulator.addApp({ clientId: NO_ROLES_APP, publicClient: false, secrets: ['ec01-secret'], redirectUris: [] });
    emulator.addApp({
      clientId: NO_SEND_CONSENT,
      publicClient: true,
      redirectUris: ['http://localhost'],
      allowPublicClientFlows: true,
      consentedScopes: ['Mail.Read'],
    });
  });
  after(() => stopSandbox());

  /** Test Connection as the user runs it; resolves once this test's checklist is stored. */
  async function runTest(id: string): Promise<void> {
    const before = api.store.facts(id).lastTest?.at;
    await vscode.commands.executeCommand('outlook365.testConnection', id);
    await waitFor(() => api.store.facts(id).lastTest?.at !== before, 'the test’s checklist');
  }
  const connectionItem = (id: string) => api.tree.getTreeItem({ kind: 'connection', id });
  const checkItems = (id: string) =>
    api.tree
      .getChildren({ kind: 'connection', id })
      .filter((n) => n.kind === 'detail' && n.key.startsWith('check:'))
      .map((n) => ({ key: n.kind === 'detail' ? n.key : '', item: api.tree.getTreeItem(n) }));
  const iconOf = (item: vscode.TreeItem) => item.iconPath as vscode.ThemeIcon;
  const tooltipText = (item: vscode.TreeItem) =>
    typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');

  it('a 403 leaves "permission missing" (amber, not the green tick) until a test passes; the checks are under the connection with their fix', async () => {
    const id = await addConnection(api, {
      name: 'Service without roles',
      authType: 'clientCredentials',
      clientId: NO_ROLES_APP,
      clientSecret: 'ec01-secret',
      account: ADELE.upn,
    });
    await vscode.commands.executeCommand('outlook365.signIn', id);
    await waitFor(() => statusOf(api.store.facts(id)) === 'valid', 'signed in');
    await runTest(id);

    const facts = api.store.facts(id);
    assert.equal(statusOf(facts), 'permissionMissing');
    assert.deepEqual(facts.permissionMissing, ['Mail.Read']);
    const item = connectionItem(id);
    assert.equal(iconOf(item).id, 'warning');
    assert.equal((iconOf(item).color as vscode.ThemeColor).id, 'list.warningForeground');
    assert.match(String(item.description), /permission missing/);

    const checks = checkItems(id);
    assert.deepEqual(
      checks.map((c) => c.key),
      ['check:token', 'check:profile', 'check:mailbox', 'check:sharedMailbox', 'check:calendar', 'check:send'],
    );
    const mailbox = checks.find((c) => c.key === 'check:mailbox')!.item;
    assert.equal(labelText(mailbox.label), 'Mailbox');
    assert.equal(mailbox.description, 'failed: Mail.Read missing');
    assert.equal(iconOf(mailbox).id, 'error');
    assert.match(tooltipText(mailbox), /ErrorAccessDenied/);
    assert.equal(mailbox.command?.command, 'outlook365.copyAdminConsentLink');
    assert.deepEqual(mailbox.command?.arguments, [id]);
    assert.match(String(mailbox.contextValue), /;fix-adminConsent$/);
    const profile = checks.find((c) => c.key === 'check:profile')!.item;
    assert.equal(profile.description, 'skipped');
    assert.match(tooltipText(profile), /App-only tokens have no signed-in user/);

    // The administrator grants Mail.Read; a refresh alone does not clear the status, a passing test does.
    emulator.apps.get(NO_ROLES_APP)!.appRoles = ['Mail.Read'];
    await vscode.commands.executeCommand('outlook365.refreshToken', id);
    assert.equal(statusOf(api.store.facts(id)), 'permissionMissing', 'still amber until tested');
    await runTest(id);
    assert.equal(statusOf(api.store.facts(id)), 'valid');
    assert.equal(iconOf(connectionItem(id)).id, 'pass-filled');
    assert.equal(api.store.facts(id).permissionMissing, undefined);
    await api.configurations.delete(id);
  });

  it('a delegated 403 offers "Edit with Mail.Read.Shared ticked": the form opens with it; saving the edit clears the status', async () => {
    const id = await addConnection(api, {
      name: 'Shared without .Shared',
      authType: 'authCode',
      signInMethod: 'browser',
      scopePreset: 'minimal',
      sharedMailbox: SHARED,
    });
    await api.sessions.signIn(id, asAdele);
    await runTest(id);
    assert.equal(statusOf(api.store.facts(id)), 'permissionMissing');
    const shared = checkItems(id).find((c) => c.key === 'check:sharedMailbox')!.item;
    assert.equal(shared.description, 'failed: Mail.Read.Shared missing');
    assert.equal(shared.command?.command, 'outlook365.editConnectionWithPermission');
    assert.deepEqual(shared.command?.arguments, [id, 'Mail.Read.Shared']);

    // The fix as the user clicks it: the form for this connection opens (its draft has the permission ticked).
    await vscode.commands.executeCommand(shared.command.command, ...(shared.command.arguments as unknown[]));
    const init = await api.form.init(id, { addPermissions: ['Mail.Read.Shared'] });
    assert.match(init.draft.additionalScopes, /\bMail\.Read\.Shared\b/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const saved = await api.form.save(init.draft, { connectionId: id });
    assert.ok(saved.ok, JSON.stringify(saved));
    assert.equal(api.store.facts(id).permissionMissing, undefined, 'the edit clears it');
    await api.sessions.signIn(id, asAdele);
    await runTest(id);
    assert.equal(statusOf(api.store.facts(id)), 'valid', JSON.stringify(api.store.facts(id).lastTest));
    await api.configurations.delete(id);
  });

  it('waiting for admin consent (AADSTS65001): the status says so, and Test Connection too, not "not signed in"', async () => {
    const id = await addConnection(api, {
      name: 'Needs consent',
      authType: 'byoApp',
      clientId: NO_SEND_CONSENT,
      signInMethod: 'browser',
      scopePreset: 'minimal',
      additionalScopes: 'Mail.Send',
    });
    await assert.rejects(api.sessions.signIn(id, asAdele));
    assert.equal(statusOf(api.store.facts(id)), 'consentRequired');
    assert.match(String(connectionItem(id).description), /^waiting for admin consent$/);

    await runTest(id);
    const token = checkItems(id).find((c) => c.key === 'check:token')!.item;
    assert.match(tooltipText(token), /Waiting for admin consent \(AADSTS65001\)/);
    assert.doesNotMatch(tooltipText(token), /Not signed in/i);
    assert.equal(token.command?.command, 'outlook365.copyAdminConsentLink');
    assert.equal(statusOf(api.store.facts(id)), 'consentRequired');
    await api.configurations.delete(id);
  });

  it('after a reload the status and the checklist are still there (stored as facts, no token, no mailbox content)', async function () {
    if (!windowsAvailable()) this.skip();
    const id = await addConnection(api, {
      name: 'Reloaded checklist',
      authType: 'clientCredentials',
      clientId: NO_ROLES_APP,
      clientSecret: 'ec01-secret',
      account: ADELE.upn,
    });
    emulator.apps.get(NO_ROLES_APP)!.appRoles = [];
    await vscode.commands.executeCommand('outlook365.signIn', id);
    await runTest(id);
    await api.store.flush();
    const stored = JSON.stringify(api.store.facts(id));
    assert.doesNotMatch(stored, /eyJ[\w-]+\.[\w-]+\./, 'no token in the facts');
    assert.doesNotMatch(stored, /Welcome/, 'no mailbox content in the facts');

    const reloaded = await openWindow<{ status: string; checks: string[] }>(
      'checklist-reloaded',
      'connectionChecklist',
      {
        id,
      },
    ).result;
    assert.equal(reloaded.status, 'permissionMissing');
    assert.ok(reloaded.checks.includes('Mailbox: failed: Mail.Read missing'), JSON.stringify(reloaded.checks));
    await api.configurations.delete(id);
  });
});
