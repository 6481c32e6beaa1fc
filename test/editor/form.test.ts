import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostMessage } from '../../src/webview/protocol';
import type { TestingApi } from '../../src/extension';
import { completeAuthorizeInBrowser } from '../sandbox/browserBot';
import { ADELE, addServiceApp, addConnection, draft, sandbox, screenshot, testingApi, waitFor } from './support';

/** A client-credentials app of this file's own (the emulator keeps apps for the whole run). */
const CC_APP = 'c0ffee00-0000-4000-8000-00000000ed41';
const CC_SECRET = 'cc-secret-ed41';

describe('Add Connection form and Connections view in VS Code', function () {
  this.timeout(60_000);
  let api: TestingApi;

  before(async () => {
    api = await testingApi();
    const emulator = await sandbox();
    addServiceApp(emulator, CC_APP, { secrets: [CC_SECRET] });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Outlook: Add Connection" opens the form panel (screenshot)', async () => {
    await vscode.commands.executeCommand('outlook365.addConnection');
    await waitFor(
      () =>
        vscode.window.tabGroups.all.some((g) =>
          g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && /Outlook/.test(t.label)),
        ),
      'the form tab',
    );
    // Let the webview draw before the picture is taken: wait for its ready handshake, seen as a posted init.
    const panel = api.openForm();
    const init = await nextPosted(panel, 'init', () => panel.handleMessage({ type: 'ready' }));
    assert.equal(init.type, 'init');
    await screenshot('form-add-connection', { waitForText: 'Authentication type' });
  });

  it('the form’s message handler refuses malformed and hostile messages with a clear error and saves nothing', async () => {
    const panel = api.openForm();
    const before = api.store.list().length;
    const hostile: unknown[] = [
      null,
      'submit',
      [],
      { type: 'delete-everything' },
      { type: 'submit' },
      { type: 'submit', draft: { name: 42 }, useCertificateFile: false },
      { type: 'submit', draft: { ...draft({ name: 'x' }), extra: 'field' }, useCertificateFile: false },
      { type: 'submit', draft: draft({ name: 'x'.repeat(100_000) }), useCertificateFile: false },
      { type: 'copy', what: 'file:///etc/passwd', draft: draft({}) },
      { type: 'ready', sneaky: true },
    ];
    for (const message of hostile) {
      const answer = await nextPosted(panel, 'result', () => panel.handleMessage(message));
      assert.equal(answer.type === 'result' && answer.ok, false);
      assert.match(answer.type === 'result' ? answer.message : '', /does not accept/);
    }
    assert.equal(api.store.list().length, before, 'nothing was saved');
  });

  it('a draft that fails validation in the extension comes back as field messages, not saved', async () => {
    const panel = api.openForm();
    const before = api.store.list().length;
    const answer = await nextPosted(panel, 'validation', () =>
      panel.handleMessage({
        type: 'submit',
        draft: draft({ name: 'Bad tenant', authType: 'clientCredentials', tenant: 'common', clientId: 'nope' }),
        useCertificateFile: false,
      }),
    );
    assert.ok(answer.type === 'validation' && answer.errors.tenant && answer.errors.clientId);
    assert.equal(api.store.list().length, before);
  });

  it('Connect in the form saves the connection and signs it in (authorization code, browser)', async () => {
    api.setOpenExternal(async (url) => void completeAuthorizeInBrowser(url, ADELE).catch(() => undefined));
    try {
      const panel = api.openForm();
      const busy = nextPosted(panel, 'busy', () => undefined);
      const result = await nextPosted(panel, 'result', () =>
        panel.handleMessage({
          type: 'submit',
          draft: draft({ name: 'From the form', authType: 'authCode', signInMethod: 'browser' }),
          useCertificateFile: false,
        }),
      );
      await busy;
      assert.ok(result.type === 'result' && result.ok, JSON.stringify(result));
      assert.match(result.message, /Connected as adele@contoso\.test/);
      const id = api.store.list().find((e) => e.name === 'From the form')!.id;
      assert.equal(api.store.facts(id).signedIn, true);
    } finally {
      api.setOpenExternal(undefined);
    }
  });

  it('Cancel during Connect stops the sign-in and keeps the saved connection', async () => {
    api.setOpenExternal(async () => undefined); // a browser that never comes back
    try {
      const panel = api.openForm();
      const cancelled = nextPosted(panel, 'result', async () => {
        await panel.handleMessage({
          type: 'submit',
          draft: draft({ name: 'Cancelled one', authType: 'authCode', signInMethod: 'browser' }),
          useCertificateFile: false,
        });
      });
      await waitFor(() => api.store.list().some((e) => e.name === 'Cancelled one'), 'the saved connection');
      await panel.handleMessage({ type: 'cancel' });
      const result = await cancelled;
      assert.ok(result.type === 'result' && !result.ok);
      const id = api.store.list().find((e) => e.name === 'Cancelled one')!.id;
      assert.ok(api.store.getConfig(id), 'nothing lost');
      assert.notEqual(api.store.facts(id).signedIn, true);
    } finally {
      api.setOpenExternal(undefined);
    }
  });

  it('Connect that fails says why, from the sign-in’s own error: a wrong secret, and secrets that cannot be read (not "cancelled")', async () => {
    const wrong = await addConnection(api, {
      name: 'Form wrong secret',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: 'not-the-secret',
      account: ADELE.upn,
    });
    const damaged = await addConnection(api, {
      name: 'Form damaged secrets',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: CC_SECRET,
      account: ADELE.upn,
    });
    try {
      const outcome = await api.form.connect(wrong, {
        signal: new AbortController().signal,
        onDeviceCode: () => undefined,
      });
      assert.ok(!outcome.ok && !outcome.cancelled, JSON.stringify(outcome));
      assert.equal(outcome.code, 'AADSTS7000215');
      await api.rawSecrets.store(`outlook365/${damaged}/secrets`, '{not json');
      const unreadable = await api.form.connect(damaged, {
        signal: new AbortController().signal,
        onDeviceCode: () => undefined,
      });
      assert.ok(!unreadable.ok && !unreadable.cancelled, JSON.stringify(unreadable));
      assert.match(unreadable.message, /cannot be read/);
    } finally {
      await api.configurations.delete(wrong);
      await api.configurations.delete(damaged);
    }
  });

  it('the Connections view shows the connections with status (screenshot)', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.outlook365');
    await vscode.commands.executeCommand('outlook365.connections.focus');
    assert.ok(api.tree.getChildren().length > 0);
    await screenshot('connections-tree');
  });
});

/** Runs `action` and resolves with the next message of `type` the panel posts to its webview. */
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
