/**
 * Connection definitions that travel (issue 13 items 3 and 4): Settings Sync of the definitions, Duplicate and
 * Rename, through the commands, the settings and the globalState key as Settings Sync writes it.
 *
 * What `setKeysForSync` was given is kept by VS Code in the workbench's storage (`extensionKeys/<id>@<version>`,
 * ExtensionStorageService.setKeysForSync, VS Code 1.100.3), which no extension can read; the extension passes
 * the call through a thin seam (ConnectionsSync.keysForSync) that records it, and the suite reads that.
 * Another machine is played by writing the synced key: Settings Sync replaces the extension's state in the
 * workbench's storage and the extension host's memento takes the new value without an event
 * (https://github.com/microsoft/vscode/blob/1.100.3/src/vs/workbench/api/common/extHostMemento.ts), which is
 * what `globalState.update` from here does as well: a new value, no event.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { statusOf } from '../../src/connections/facts';
import { BASE_KEY, MIRROR_KEY } from '../../src/connections/settingsSync';
import type { TestingApi } from '../../src/extension';
import type { Mirror } from '../../src/model/syncMirror';
import { makeClientCertificate } from '../sandbox/certs';
import type { Emulator } from '../sandbox/emulator';
import { ADELE, addServiceApp, addConnection, labelText, sandbox, stopSandbox, testingApi, waitFor } from './support';
import { storedTokenCache } from './tokenCaches';

const CC_APP = 'c0ffee00-0000-4000-8000-00000000ed32'; // not workspaceSettings' ed31: the emulator is shared
const CC_SECRET = 'cc-secret-tr31';
const PFX_PASSWORD = 'pfx-pass-tr32';
const ROPC_PASSWORD = 'ropc-pass-tr33';

describe('Connection definitions that travel: Settings Sync, Duplicate, Rename', function () {
  this.timeout(90_000);
  let api: TestingApi;
  let emulator: Emulator;
  const ids: string[] = [];
  const certificate = makeClientCertificate({ commonName: 'travel-suite', password: PFX_PASSWORD });
  const section = () => vscode.workspace.getConfiguration('outlook365');
  const mirror = () => api.globalState.get<Mirror>(MIRROR_KEY);
  const tokenRequests = () => emulator.countRequests({ path: /\/oauth2\/v2\.0\/token$/ });
  const setSync = async (on: boolean | undefined) => {
    await section().update('syncConnections', on, vscode.ConfigurationTarget.Global);
    await waitFor(
      () => (api.connectionsSync.keysForSync ?? []).length === (on ? 1 : 0),
      `setKeysForSync to follow the setting (${on})`,
    );
  };

  /**
   * Writes the synced key as another machine's Settings Sync would, until `applied`. Written again while this
   * host's memento lost it: the memento is one copy in memory that every storage change of the extension's
   * state replaces whole ($acceptValue), so the echo of the extension's own last write can land just after
   * ours (Settings Sync writes the storage itself and is not subject to that).
   */
  async function arrive(value: unknown, applied: () => boolean, what: string): Promise<void> {
    const written = JSON.stringify(value);
    await api.globalState.update(MIRROR_KEY, value);
    await waitFor(
      () => {
        if (applied()) return true;
        if (JSON.stringify(mirror()) !== written && !applied()) void api.globalState.update(MIRROR_KEY, value);
        return false;
      },
      what,
      30_000,
    );
  }

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    addServiceApp(emulator, CC_APP, { secrets: [CC_SECRET] });
    ids.push(
      await addConnection(api, {
        name: 'Travel app',
        authType: 'clientCredentials',
        clientId: CC_APP,
        clientSecret: CC_SECRET,
        account: ADELE.upn,
      }),
      await addConnection(api, {
        name: 'Travel certificate',
        authType: 'clientCertificate',
        clientId: CC_APP,
        certificate: certificate.pfxBase64,
        certificatePassword: PFX_PASSWORD,
        account: ADELE.upn,
      }),
      await addConnection(api, {
        name: 'Travel password',
        authType: 'ropc',
        username: ADELE.upn,
        password: ROPC_PASSWORD,
      }),
    );
  });

  after(async () => {
    api.setPrompts({});
    await setSync(undefined).catch(() => undefined);
    for (const id of ids) await api.configurations.delete(id).catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
  });

  it('is off by default: no keys for sync and nothing written to globalState, also after a change', async () => {
    assert.equal(section().inspect('syncConnections')?.defaultValue, false);
    assert.deepEqual(api.connectionsSync.keysForSync, []);
    await api.connectionsSync.reconcile();
    assert.equal(mirror(), undefined);
    assert.equal(api.globalState.get(BASE_KEY), undefined);
  });

  it('a workspace cannot turn it on (user settings only)', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const settings = { 'outlook365.syncConnections': true, 'outlook365.signInTimeoutMinutes': 7 };
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(settings)));
    try {
      await waitFor(
        () => section().inspect('signInTimeoutMinutes')?.workspaceValue === 7,
        'VS Code to read it',
        30_000,
      );
      await api.connectionsSync.reconcile();
      assert.deepEqual(api.connectionsSync.keysForSync, []);
      assert.equal(mirror(), undefined);
    } finally {
      await vscode.workspace.fs.delete(file);
      await waitFor(() => section().inspect('signInTimeoutMinutes')?.workspaceValue === undefined, 'it to go', 30_000);
    }
  });

  it('when turned on, registers the one key for sync and mirrors the configurations without any secret, token or fact', async () => {
    await api.sessions.getToken(ids[0]); // signed in: a token and facts exist that must not travel
    const token = (await api.provider.getSessions([`connection:${ids[0]}`]))[0]?.accessToken;
    assert.ok(token);
    await setSync(true);
    assert.deepEqual(api.connectionsSync.keysForSync, [MIRROR_KEY]);
    await waitFor(() => ids.every((id) => mirror()?.entries.some((e) => e.id === id && e.config)), 'the mirror');
    const mirrored = mirror()?.entries.find((e) => e.id === ids[1])?.config;
    assert.equal(mirrored?.name, 'Travel certificate');
    await waitFor(() => api.globalState.get(BASE_KEY), 'the base');
    for (const value of [JSON.stringify(mirror()), JSON.stringify(api.globalState.get(BASE_KEY))]) {
      for (const secret of [CC_SECRET, PFX_PASSWORD, ROPC_PASSWORD, certificate.pfxBase64.slice(0, 40), token]) {
        assert.ok(!value.includes(secret), 'no secret, password, certificate or token in globalState');
      }
      assert.doesNotMatch(value, /expiresOn|grantedScopes|homeAccountId|signedIn|tokenCache/, 'no facts');
    }
  });

  it('a definition from another machine appears with "secret needed on this machine", never an error; the secret entered here clears it', async () => {
    const current = mirror();
    assert.ok(current);
    const fromLaptop = randomUUID();
    const delegated = randomUUID();
    const config = {
      ...current.entries.find((e) => e.id === ids[0])?.config,
      id: fromLaptop,
      name: 'Travel from the laptop',
    };
    const now = new Date().toISOString();
    await arrive(
      {
        version: 1,
        entries: [
          ...current.entries,
          { id: fromLaptop, at: now, config },
          {
            id: delegated,
            at: now,
            config: {
              ...config,
              id: delegated,
              name: 'Travel delegated',
              authType: 'authCode',
              scopes: { preset: 'minimal', additional: [] },
              signInMethod: 'auto',
            },
          },
        ],
      },
      () => !!api.store.getConfig(fromLaptop) && !!api.store.getConfig(delegated),
      'the arrivals',
    );
    ids.push(fromLaptop, delegated);
    await waitFor(() => statusOf(api.store.facts(fromLaptop)) === 'secretNeeded', 'secret needed');
    assert.equal(statusOf(api.store.facts(delegated)), 'notSignedIn', 'one without a secret is just not signed in');
    const item = api.tree.getTreeItem({ kind: 'connection', id: fromLaptop });
    assert.match(String(item.description), /secret needed on this machine/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'key');

    const before = tokenRequests();
    await assert.rejects(api.sessions.getToken(fromLaptop), /not stored on this machine yet/);
    assert.equal(tokenRequests(), before, 'no request without the secret');
    assert.equal(statusOf(api.store.facts(fromLaptop)), 'secretNeeded', 'still not an error');
    assert.equal(api.store.facts(fromLaptop).failure, undefined);

    const saved = await api.form.save(
      { ...(await api.form.init(fromLaptop)).draft, clientSecret: CC_SECRET },
      { connectionId: fromLaptop },
    );
    assert.ok(saved.ok);
    assert.equal(statusOf(api.store.facts(fromLaptop)), 'notSignedIn');
    await api.sessions.getToken(fromLaptop);
    assert.equal(statusOf(api.store.facts(fromLaptop)), 'valid');
  });

  it('a deletion arriving from another machine removes a connection received from sync, and never one made here', async () => {
    const received = ids[4];
    const madeHere = await addConnection(api, { name: 'Travel made here', authType: 'authCode' });
    ids.push(madeHere);
    await waitFor(() => !!mirror()?.entries.some((e) => e.id === madeHere), 'it to be mirrored');
    const current = mirror()!;
    const later = new Date(Date.now() + 60_000).toISOString();
    const tombstones = current.entries.map((e) => (e.id === received ? { id: e.id, at: later } : e));
    await arrive({ version: 1, entries: tombstones }, () => !api.store.get(received), 'the deletion');
    assert.ok(api.store.getConfig(madeHere));
    // A connection made here while sync was off was never in a mirror this machine agreed on: a deletion of it
    // that waits in the key when sync is turned on again (another machine's clock ahead) does not remove it.
    await setSync(false);
    await waitFor(() => mirror() === undefined && api.globalState.get(BASE_KEY) === undefined, 'the mirror to go');
    const offline = await addConnection(api, { name: 'Travel offline', authType: 'authCode' });
    ids.push(offline);
    const far = new Date(Date.now() + 3_600_000).toISOString();
    // Sync is off: nothing else writes the extension's state now, so this value stays until sync is on.
    await api.globalState.update(MIRROR_KEY, { version: 1, entries: [{ id: offline, at: far }] });
    await setSync(true);
    await waitFor(
      () => mirror()?.entries.some((e) => e.id === offline && e.config && Date.parse(e.at) > Date.parse(far)),
      'the answer to the deletion: the connection again, later than the deletion',
    );
    assert.ok(api.store.getConfig(offline), 'kept');
  });

  it('turned off: no keys for sync, the mirror removed, nothing written afterwards, and nothing deleted', async () => {
    const count = api.store.list().length;
    await setSync(false);
    assert.deepEqual(api.connectionsSync.keysForSync, []);
    await waitFor(() => mirror() === undefined && api.globalState.get(BASE_KEY) === undefined, 'the mirror to go');
    ids.push(await addConnection(api, { name: 'Travel after off', authType: 'authCode' }));
    await api.connectionsSync.reconcile();
    assert.equal(mirror(), undefined);
    assert.equal(api.store.list().length, count + 1);
  });

  it('Duplicate copies the configuration under a new id and a unique name; secrets only when confirmed, tokens never', async () => {
    const source = ids[0];
    const answers: string[] = [];
    const duplicate = async (answer: string | undefined) => {
      api.setPrompts({
        choose: async (_message, _detail, buttons) => {
          answers.push(buttons.join('|'));
          return answer;
        },
      });
      const before = new Set(api.store.list().map((e) => e.id));
      await vscode.commands.executeCommand('outlook365.duplicateConnection', source);
      const added = api.store.list().filter((e) => !before.has(e.id));
      ids.push(...added.map((e) => e.id));
      return added;
    };
    const [withSecrets] = await duplicate('Copy Secrets');
    const [without] = await duplicate("Don't Copy");
    assert.deepEqual(await duplicate(undefined), [], 'dismissed: no copy');
    assert.deepEqual(answers, Array(3).fill("Copy Secrets|Don't Copy"));
    assert.equal(withSecrets.name, 'Travel app (copy)');
    assert.equal(without.name, 'Travel app (copy 2)');
    const { id: _a, name: _b, ...expected } = api.store.getConfig(source)!;
    const { id: _c, name: _d, ...copied } = api.store.getConfig(without.id)!;
    assert.deepEqual(copied, expected, 'the same configuration');
    assert.deepEqual(await api.configurations.storedSecretFields(withSecrets.id), ['clientSecret']);
    assert.deepEqual(await api.configurations.storedSecretFields(without.id), []);
    for (const copy of [withSecrets, without]) {
      assert.equal(await storedTokenCache(api.rawSecrets, copy.id), undefined, 'no token copied');
      assert.equal(api.store.facts(copy.id).signedIn, undefined, 'no facts copied');
    }
    assert.equal(statusOf(api.store.facts(without.id)), 'secretNeeded');
    assert.equal(statusOf(api.store.facts(withSecrets.id)), 'notSignedIn');
    await api.sessions.getToken(withSecrets.id); // its own sign-in, with the copied secret
    await waitFor(
      () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => /copy/.test(t.label))),
      'the form of the copy',
      30_000,
    );
  });

  it('Rename validates like the form, keeps the sign-in (no token request) and the session’s label follows', async () => {
    const id = ids[0];
    await api.sessions.getToken(id);
    const cacheBefore = await storedTokenCache(api.rawSecrets, id);
    const factsBefore = api.store.facts(id);
    const problems: (string | undefined)[] = [];
    api.setPrompts({
      askText: async (options) => {
        assert.equal(options.value, 'Travel app');
        for (const value of ['', '   ', 'Travel certificate', 'x'.repeat(101), 'Bad\u202ename']) {
          problems.push((await options.validateInput?.(value)) as string | undefined);
        }
        assert.equal(await options.validateInput?.('Travel renamed'), undefined);
        return ' Travel renamed ';
      },
    });
    const changed = new Promise<vscode.AuthenticationSession[]>((resolve) => {
      const d = api.provider.onDidChangeSessions((e) => {
        const mine = (e.changed ?? []).filter((s) => s.id === id);
        if (mine.length) resolve((d.dispose(), mine));
      });
    });
    const before = tokenRequests();
    await vscode.commands.executeCommand('outlook365.renameConnection', id);
    assert.ok(problems.every(Boolean), `every bad name has a message: ${JSON.stringify(problems)}`);
    assert.match(problems[2]!, /already exists/);
    assert.equal(api.store.getConfig(id)?.name, 'Travel renamed');
    const [announced] = await changed;
    assert.equal(announced.account.label, `Travel renamed (app ${CC_APP})`, 'other extensions see the new label');
    const [session] = await api.provider.getSessions([`connection:${id}`]);
    assert.ok(session?.accessToken, 'a silent session right after the rename');
    assert.equal(session.account.label, `Travel renamed (app ${CC_APP})`);
    assert.equal(tokenRequests(), before, 'no token request: the sign-in stayed');
    assert.equal(await storedTokenCache(api.rawSecrets, id), cacheBefore);
    assert.deepEqual(api.store.facts(id), factsBefore);
  });

  it('F2 in the Connections view renames the selected connection', async () => {
    const pkg = vscode.extensions.getExtension('outlook365-connections.outlook365-connections')!.packageJSON as {
      contributes: { keybindings: { command: string; key: string; when: string }[] };
    };
    assert.ok(
      pkg.contributes.keybindings.some(
        (k) =>
          k.key === 'f2' &&
          k.command === 'outlook365.renameSelectedConnection' &&
          /focusedView == outlook365\.connections/.test(k.when),
      ),
    );
    const id = ids[1];
    await vscode.commands.executeCommand('outlook365.connections.focus');
    await waitFor(() => api.view.visible, 'the Connections view');
    const node = api.tree.getChildren().find((n) => n.kind === 'connection' && n.id === id);
    assert.ok(node);
    // The view fetches its items after it shows: reveal once it knows them.
    await waitFor(
      () =>
        Promise.resolve(api.view.reveal(node, { select: true, focus: true })).then(
          () => true,
          () => false,
        ),
      'the item in the view',
    );
    await waitFor(() => api.view.selection[0]?.kind === 'connection', 'the selection');
    let asked: string | undefined;
    api.setPrompts({ askText: async (options) => ((asked = options.value), 'Travel certificate renamed') });
    await vscode.commands.executeCommand('outlook365.renameSelectedConnection');
    assert.equal(asked, 'Travel certificate');
    assert.equal(labelText(api.tree.getTreeItem({ kind: 'connection', id }).label), 'Travel certificate renamed');
  });
});
