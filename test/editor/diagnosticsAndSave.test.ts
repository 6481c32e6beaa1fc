import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestingApi } from '../../src/extension';
import type { HostMessage } from '../../src/webview/protocol';
import { isBroken } from '../../src/model/storedConnection';
import { DEFAULT_TENANT } from '../sandbox/emulator';
import type { Emulator } from '../sandbox/emulator';
import { ADELE, addConnection, draft, sandbox, testingApi, waitFor } from './support';

/** This file's own client-credentials app (the emulator keeps apps for the whole run). */
const DIAG_APP = 'd1a90000-0000-4000-8000-0000000d1a90';
const DIAG_SECRET = 'diag-secret-value-7f3a';

describe('Save without connecting, and Outlook: Copy Diagnostics', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let emulator: Emulator;
  const created: string[] = [];

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    emulator.addApp({
      clientId: DIAG_APP,
      publicClient: false,
      secrets: [DIAG_SECRET],
      redirectUris: ['http://localhost'],
      appRoles: ['Mail.Read'],
    });
  });

  after(async () => {
    api.setIdentifiersChoice(undefined);
    api.setOpenExternal(undefined);
    for (const id of created) await api.configurations.delete(id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Save in the form stores the connection, signs nothing in, and no token request reaches the emulator', async () => {
    api.setOpenExternal(async () => {
      throw new Error('Save must not open a sign-in page');
    });
    const loginRequests = () =>
      emulator.countRequests({ host: 'login', path: /\/oauth2\/v2\.0\/(token|devicecode|authorize)/ });
    const before = loginRequests();
    const panel = api.openForm();
    const result = await nextPosted(panel, 'result', () =>
      panel.handleMessage({
        type: 'save',
        draft: draft({ name: 'Saved not connected', authType: 'authCode', signInMethod: 'browser' }),
        useCertificateFile: false,
      }),
    );
    assert.ok(result.type === 'result' && result.ok, JSON.stringify(result));
    assert.match(result.message, /not signed in/);
    const id = api.store.list().find((e) => e.name === 'Saved not connected')!.id;
    created.push(id);
    assert.equal(result.connectionId, id);
    assert.notEqual(api.store.facts(id).signedIn, true);
    // The tree says so.
    const item = api.tree.getTreeItem({ kind: 'connection', id });
    assert.match(String(item.description), /not signed in/);
    assert.match(String(item.contextValue), /\bstatus-notSignedIn\b/);
    // Nothing reached the login host's token, device code or authorize endpoints, also a moment later.
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(loginRequests(), before, 'no token request');
    panel.dispose();
  });

  it('Copy Diagnostics leaves out every name, id, mailbox, host and secret unless identifiers are included', async () => {
    // A connection whose sign-in failed (a correlation id to report), one with a shared mailbox.
    const failing = await addConnection(api, {
      name: 'Diag payroll robot',
      authType: 'clientCredentials',
      clientId: DIAG_APP,
      clientSecret: 'diag-wrong-secret-91c2',
      account: 'robot-diag@contoso.test',
    });
    created.push(failing);
    const outcome = await api.form.connect(failing, {
      signal: new AbortController().signal,
      onDeviceCode: () => undefined,
    });
    assert.ok(!outcome.ok && outcome.code === 'AADSTS7000215', JSON.stringify(outcome));
    const shared = await addConnection(api, {
      name: 'Diag shared inbox of Adele',
      authType: 'byoApp',
      clientId: DIAG_APP,
      clientSecret: DIAG_SECRET,
      sharedMailbox: 'support@contoso.test',
      account: ADELE.upn,
      scopePreset: 'sharedMailbox',
      signInMethod: 'browser',
    });
    created.push(shared);

    const report = async (includeIdentifiers: boolean): Promise<string> => {
      await vscode.env.clipboard.writeText('');
      api.setIdentifiersChoice(async () => includeIdentifiers);
      await vscode.commands.executeCommand('outlook365.copyDiagnostics');
      const text = await vscode.env.clipboard.readText();
      // The same text is shown in an untitled Markdown editor.
      await waitFor(
        () => vscode.window.activeTextEditor?.document.getText() === text && text.length > 0,
        'the report in an editor',
      );
      assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
      assert.equal(vscode.window.activeTextEditor?.document.isUntitled, true);
      return text;
    };

    // Every identifier and secret this window knows of, from every connection in the store.
    const identifiers = new Set<string>([
      DIAG_SECRET,
      'diag-wrong-secret-91c2',
      'robot-diag@contoso.test',
      'support@contoso.test',
      ADELE.upn,
      DEFAULT_TENANT.domain,
      DEFAULT_TENANT.id,
      DIAG_APP,
      new URL(emulator.loginEndpoint).host,
      new URL(emulator.graphEndpoint).host,
    ]);
    for (const entry of api.store.list()) {
      identifiers.add(entry.name);
      if (isBroken(entry)) continue;
      identifiers.add(entry.tenant);
      if (entry.clientId) identifiers.add(entry.clientId);
      const facts = api.store.facts(entry.id);
      if (facts.account) identifiers.add(facts.account);
    }
    const secretsOnly = [DIAG_SECRET, 'diag-wrong-secret-91c2'];

    const redacted = await report(false);
    for (const value of identifiers) {
      // As a whole token: another test's connection may be named with a word the report uses ("Test").
      const token = new RegExp(`(?<![\\w.@-])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.@-])`, 'i');
      assert.ok(!token.test(redacted), `leaked without identifiers: ${value}`);
    }
    const failure = api.store.facts(failing).failure;
    assert.ok(failure?.correlationId, 'the failure kept its correlation id');
    const facts = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(redacted)![1]) as {
      vscode: string;
      proxy: Record<string, boolean>;
      connections: Record<string, unknown>[];
    };
    assert.equal(facts.vscode, vscode.version);
    assert.equal(typeof facts.proxy.httpProxySetting, 'boolean');
    const index = api.store.list().findIndex((e) => e.id === failing);
    const reported = facts.connections[index];
    assert.equal(reported.connection, `connection ${index + 1}`);
    assert.equal(reported.authType, 'clientCredentials');
    assert.equal(reported.environment, 'custom');
    assert.deepEqual(reported.lastFailure, {
      code: 'AADSTS7000215',
      at: failure.at,
      correlationId: failure.correlationId,
    });
    const sharedReport = facts.connections[api.store.list().findIndex((e) => e.id === shared)];
    assert.deepEqual(sharedReport.requestedPermissions, ['Mail.Read', 'Mail.Read.Shared']);
    assert.equal(sharedReport.sharedMailbox, true);

    const full = await report(true);
    for (const value of [
      'Diag payroll robot',
      'Diag shared inbox of Adele',
      'robot-diag@contoso.test',
      'support@contoso.test',
      DEFAULT_TENANT.domain,
      DIAG_APP,
      new URL(emulator.loginEndpoint).host,
    ]) {
      assert.ok(full.includes(value), `missing with identifiers: ${value}`);
    }
    for (const secret of secretsOnly) assert.ok(!full.includes(secret), 'a secret is never in the report');

    // Cancelling the question copies nothing.
    await vscode.env.clipboard.writeText('untouched');
    api.setIdentifiersChoice(async () => undefined);
    await vscode.commands.executeCommand('outlook365.copyDiagnostics');
    assert.equal(await vscode.env.clipboard.readText(), 'untouched');
  });
});

function nextPosted<T extends HostMessage['type']>(
  panel: { onDidPostMessage: vscode.Event<HostMessage> },
  type: T,
  action: () => Promise<void> | void,
): Promise<Extract<HostMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} message`)), 10_000);
    const d = panel.onDidPostMessage((m) => {
      if (m.type === type) {
        clearTimeout(timer);
        d.dispose();
        resolve(m as Extract<HostMessage, { type: T }>);
      }
    });
    void Promise.resolve(action()).catch(reject);
  });
}
