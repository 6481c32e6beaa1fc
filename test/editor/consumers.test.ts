import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Outlook365Api, Outlook365ConnectionsChange } from '../../api/outlook365';
import { draftFromConfig } from '../../src/model/validate';
import type { TestingApi } from '../../src/extension';
import type { InteractionUi } from '../../src/engine/tokenClient';
import { completeAuthorizeInBrowser } from '../sandbox/browserBot';
import type { Emulator } from '../sandbox/emulator';
import { ADELE, EXTENSION_ID, addConnection, sandbox, stopSandbox, testingApi, waitFor } from './support';
import { storedTokenCache } from './tokenCaches';

const ALEX = { upn: 'alex@contoso.test', password: 'Passw0rd!alex-ed' };
const SECRETS = ['consumer-secret-41', 'consumer-password-42'];

/** A browser that signs in as `user` and remembers the sign-in pages it was sent to. */
function browserAs(user: { upn: string; password: string }, urls: string[] = []): InteractionUi {
  return {
    openBrowser: async (url) => {
      urls.push(url);
      void completeAuthorizeInBrowser(url, user).catch(() => undefined);
    },
    showDeviceCode: () => assert.fail('no device code expected'),
  };
}

describe('Connections for other extensions, account switching and edits', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let emulator: Emulator;
  /** What another extension gets: `exports` of our extension, through VS Code's public API. */
  let exported: Outlook365Api;

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    emulator.addUser({ upn: ALEX.upn, password: ALEX.password, displayName: 'Alex Wilber' });
    exported = vscode.extensions.getExtension<Outlook365Api>(EXTENSION_ID)!.exports;
  });

  after(async () => {
    api.setOpenExternal(undefined);
    await stopSandbox();
  });

  it('the exported API (version 1) gives each cloud’s Graph host and the mailbox, and no secret', async () => {
    assert.equal(exported.version, 1);
    const ids = {
      global: await addConnection(api, {
        name: 'API global',
        environment: 'global',
        tenant: 'contoso.com',
        authType: 'authCode',
        sharedMailbox: 'support@contoso.com',
      }),
      usGovL4: await addConnection(api, {
        name: 'API L4',
        environment: 'usGovL4',
        tenant: 'contoso.us',
        authType: 'byoApp',
        clientId: 'a1b2c3d4-0000-4000-8000-0000000000c4',
        clientSecret: SECRETS[0],
        additionalScopes: 'Mail.Send',
      }),
      usGovL5: await addConnection(api, {
        name: 'API L5',
        environment: 'usGovL5',
        tenant: 'contoso.us',
        authType: 'clientCredentials',
        clientId: 'a1b2c3d4-0000-4000-8000-0000000000c5',
        clientSecret: SECRETS[0],
        account: 'robot@contoso.us',
      }),
      china: await addConnection(api, {
        name: 'API China',
        environment: 'china',
        tenant: 'contoso.cn',
        authType: 'ropc',
        username: 'li@contoso.cn',
        password: SECRETS[1],
      }),
      custom: await addConnection(api, { name: 'API custom', authType: 'authCode' }),
    };
    const expected = {
      global: ['https://login.microsoftonline.com', 'https://graph.microsoft.com', 'support@contoso.com'],
      usGovL4: ['https://login.microsoftonline.us', 'https://graph.microsoft.us', undefined],
      usGovL5: ['https://login.microsoftonline.us', 'https://dod-graph.microsoft.us', 'robot@contoso.us'],
      china: ['https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn', undefined],
      custom: [emulator.loginEndpoint, emulator.graphEndpoint, undefined],
    };
    for (const [environment, id] of Object.entries(ids) as [keyof typeof ids, string][]) {
      const connection = exported.getConnection(id);
      assert.ok(connection, environment);
      assert.equal(connection.environment, environment);
      assert.deepEqual(
        [connection.loginEndpoint, connection.graphEndpoint, connection.mailbox],
        expected[environment],
        environment,
      );
      assert.equal(connection.status, 'notSignedIn');
      assert.deepEqual(Object.keys(connection).sort(), [
        'authType',
        'environment',
        'grantedPermissions',
        'graphEndpoint',
        'id',
        'loginEndpoint',
        'mailbox',
        'name',
        'requestedPermissions',
        'status',
        'tenant',
      ]);
    }
    assert.deepEqual(exported.getConnection(ids.usGovL4)?.requestedPermissions, ['Mail.Read', 'Mail.Send']);
    assert.deepEqual(exported.getConnection(ids.usGovL5)?.requestedPermissions, [], 'app-only asks for /.default');
    assert.equal(exported.getConnection('no-such-id'), undefined);
    const listed = exported.listConnections();
    assert.ok(Object.values(ids).every((id) => listed.some((c) => c.id === id)));
    const text = JSON.stringify(listed);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), 'no secret in what the API returns');
  });

  it('a signed-in connection shows its granted permissions and status, and never its token', async () => {
    const id = await addConnection(api, {
      name: 'API signed in',
      authType: 'authCode',
      signInMethod: 'browser',
      additionalScopes: 'User.Read',
    });
    const result = await api.sessions.signIn(id, browserAs(ADELE));
    const connection = exported.getConnection(id)!;
    assert.equal(connection.status, 'valid');
    assert.ok(
      connection.grantedPermissions.includes('Mail.Read') && connection.grantedPermissions.includes('User.Read'),
      connection.grantedPermissions.join(' '),
    );
    const text = JSON.stringify(exported.listConnections());
    assert.ok(!text.includes(result.accessToken.reveal().slice(-40)), 'no token in what the API returns');
  });

  it('onDidChangeConnections fires when a connection is added, changed and deleted', async () => {
    const changes: Outlook365ConnectionsChange[] = [];
    const subscription = exported.onDidChangeConnections((e) => changes.push(e));
    try {
      const id = await addConnection(api, { name: 'API events', authType: 'authCode' });
      await waitFor(() => changes.some((c) => c.added.includes(id)), 'the added event');
      const config = api.store.getConfig(id)!;
      const saved = await api.form.save(
        { ...draftFromConfig(config), name: 'API events renamed' },
        { connectionId: id },
      );
      assert.ok(saved.ok);
      await waitFor(() => changes.some((c) => c.changed.includes(id)), 'the changed event');
      await api.configurations.delete(id);
      await waitFor(() => changes.some((c) => c.removed.includes(id)), 'the removed event');
    } finally {
      subscription.dispose();
    }
  });

  it('Copy Connection ID and Copy Usage Snippet put the id and a getSession call on the clipboard; the tooltip shows the id', async () => {
    const id = await addConnection(api, {
      name: 'API clipboard',
      authType: 'authCode',
      sharedMailbox: 'support@contoso.test',
    });
    const node = { kind: 'connection' as const, id };
    await vscode.commands.executeCommand('outlook365.copyConnectionId', node);
    assert.equal(await vscode.env.clipboard.readText(), id);
    await vscode.commands.executeCommand('outlook365.copyUsageSnippet', node);
    const snippet = await vscode.env.clipboard.readText();
    assert.ok(
      snippet.includes(
        `vscode.authentication.getSession('outlook365', ['connection:${id}', 'Mail.Read'], { createIfNone: true })`,
      ),
      snippet,
    );
    assert.ok(
      snippet.includes(
        `'${emulator.graphEndpoint}/v1.0/users/support%40contoso.test/mailFolders/inbox/messages?$top=10'`,
      ),
      snippet,
    );
    const item = api.tree.resolveTreeItem(api.tree.getTreeItem(node), node);
    // Markdown escapes the id's hyphens; the hover shows it as it is.
    assert.ok(
      (item.tooltip as vscode.MarkdownString).value.replace(/\\/g, '').includes(`Connection ID:** ${id}`),
      'the id in the tooltip',
    );
  });

  it('Sign In with Another Account replaces the account: Entra’s picker, then that user from every later silent call', async () => {
    const id = await addConnection(api, { name: 'Switched', authType: 'authCode', signInMethod: 'browser' });
    await api.sessions.signIn(id, browserAs(ADELE));
    assert.equal(api.store.facts(id).account, ADELE.upn);
    const urls: string[] = [];
    api.setOpenExternal(async (url) => browserAs(ALEX, urls).openBrowser(url));
    try {
      await vscode.commands.executeCommand('outlook365.signInWithAnotherAccount', { kind: 'connection', id });
    } finally {
      api.setOpenExternal(undefined);
    }
    assert.equal(urls.length, 1);
    assert.equal(new URL(urls[0]).searchParams.get('prompt'), 'select_account');
    assert.equal(new URL(urls[0]).searchParams.get('login_hint'), null);
    await waitFor(() => api.store.facts(id).account === ALEX.upn, 'Alex recorded');
    // Another window changing the configuration makes this window build its token clients anew,
    // from the stored cache and the recorded account only.
    await api.rawSecrets.store('outlook365/revision', `elsewhere-${Date.now()}`);
    const refreshed = await api.sessions.getToken(id, { forceRefresh: true });
    assert.equal(refreshed.account?.username, ALEX.upn);
    const cache = JSON.parse((await storedTokenCache(api.rawSecrets, id))!) as {
      Account: Record<string, { username: string }>;
    };
    assert.deepEqual(
      Object.values(cache.Account).map((a) => a.username),
      [ALEX.upn],
      'Adele left the connection’s cache',
    );
  });

  it('Edit Connection: a rename keeps the tokens; another tenant or permission drops the old tokens and facts (through the form’s save)', async () => {
    const id = await addConnection(api, { name: 'Edited', authType: 'authCode', signInMethod: 'browser' });
    await api.sessions.signIn(id, browserAs(ADELE));
    const storedCache = () => storedTokenCache(api.rawSecrets, id);
    assert.ok(await storedCache(), 'signed in: a token cache is stored');
    const edit = async (change: Record<string, string>) => {
      const outcome = await api.form.save(
        { ...draftFromConfig(api.store.getConfig(id)!), ...change },
        { connectionId: id },
      );
      assert.ok(outcome.ok, JSON.stringify(outcome));
    };

    await edit({ name: 'Edited and renamed' });
    assert.ok(await storedCache(), 'a rename keeps the tokens');
    assert.equal(api.store.facts(id).account, ADELE.upn, 'and the facts');
    assert.ok((await api.sessions.getToken(id)).accessToken.reveal());

    for (const change of [{ tenant: 'organizations' }, { additionalScopes: 'Calendars.Read' }] as Record<
      string,
      string
    >[]) {
      await api.sessions.signIn(id, browserAs(ADELE)).catch(() => undefined);
      // The provider's event (which VS Code passes on) says the session is gone.
      const removed = new Promise<void>((resolve) => {
        const d = api.sessions.onDidChangeSessions((e) => e.removed.includes(id) && (d.dispose(), resolve()));
      });
      await edit(change);
      await removed;
      assert.equal(await storedCache(), undefined, `${Object.keys(change)[0]}: the old tokens are gone`);
      assert.deepEqual(api.store.facts(id), {}, 'and every fact of the old sign-in');
      assert.equal(api.sessions.cachedToken(id), undefined);
      await assert.rejects(api.sessions.getToken(id), /sign in/i, 'nothing silent is left');
      assert.equal(exported.getConnection(id)?.status, 'notSignedIn');
    }
  });
});
