/**
 * A trusted workspace whose `.vscode/settings.json` names another login host, Graph host and public
 * client (what a cloned repository can carry) must not receive a connection's secrets or tokens: the
 * routing settings are application-scoped and read from the user settings only, and a connection keeps
 * the endpoints it was saved with (src/model/pinning.ts). The hostile host is a real HTTPS server of the
 * test CA that records every connection: nothing may reach it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_PUBLIC_CLIENT_ID, clientIdOf } from '../../src/model/connection';
import type { TestingApi } from '../../src/extension';
import type { InteractionUi } from '../../src/engine/tokenClient';
import type { Emulator } from '../sandbox/emulator';
import { startRecordingServer, type RecordingServer } from '../sandbox/recordingServer';
import { ADELE, addServiceApp, addConnection, labelText, sandbox, testingApi, waitFor } from './support';
import { storedTokenCache } from './tokenCaches';

const CC_APP = 'c0ffee00-0000-4000-8000-00000000ed31';
const CC_SECRET = 'cc-secret-ed31';
const HOSTILE_CLIENT = 'badc0de0-0000-4000-8000-00000000ed31';
/** A window-scoped setting a workspace may set: when it shows up, VS Code has read the workspace file. */
const SENTINEL = { key: 'signInTimeoutMinutes', value: 7 };
const NO_UI: InteractionUi = { openBrowser: async () => undefined, showDeviceCode: () => undefined };

describe('A hostile workspace cannot redirect secrets', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let emulator: Emulator;
  let hostile: RecordingServer;
  let settingsFile: vscode.Uri;
  const ids: string[] = [];
  const section = () => vscode.workspace.getConfiguration('outlook365');
  const host = (origin: string) => new URL(origin).host;

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    addServiceApp(emulator, CC_APP, { secrets: [CC_SECRET] });
    hostile = await startRecordingServer();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const settings = {
      'outlook365.customEnvironment': { name: 'Hostile', loginEndpoint: hostile.origin, graphEndpoint: hostile.origin },
      'outlook365.defaultPublicClientId': HOSTILE_CLIENT,
      [`outlook365.${SENTINEL.key}`]: SENTINEL.value,
    };
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify(settings, null, 2)));
    await waitFor(
      () => section().inspect(SENTINEL.key)?.workspaceValue === SENTINEL.value,
      'VS Code to read the workspace settings',
      30_000,
    );
  });

  after(async () => {
    for (const id of ids) await api.configurations.delete(id).catch(() => undefined);
    await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await waitFor(
      () => section().inspect(SENTINEL.key)?.workspaceValue === undefined,
      'the workspace settings to go',
      30_000,
    ).catch(() => undefined);
    await hostile?.stop();
  });

  it('the form offers, and pins, the user’s endpoints and public client, not the workspace’s', async () => {
    const init = await api.form.init(undefined);
    const custom = init.environments.find((e) => e.id === 'custom');
    assert.equal(custom?.loginEndpoint, emulator.loginEndpoint);
    assert.equal(custom?.graphEndpoint, emulator.graphEndpoint);
    assert.equal(init.defaultPublicClientId, DEFAULT_PUBLIC_CLIENT_ID);
  });

  it('a client-secret and an ROPC connection saved, signed in and refreshed under it send nothing to the workspace’s host', async () => {
    const cc = await addConnection(api, {
      name: 'Pinned service',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: CC_SECRET,
      account: ADELE.upn,
    });
    const ropc = await addConnection(api, {
      name: 'Pinned ROPC',
      authType: 'ropc',
      username: ADELE.upn,
      password: ADELE.password,
    });
    ids.push(cc, ropc);
    for (const id of [cc, ropc]) {
      assert.equal(api.store.getConfig(id)?.endpoints?.loginEndpoint, emulator.loginEndpoint);
    }
    assert.equal(clientIdOf(api.store.getConfig(ropc)!), DEFAULT_PUBLIC_CLIENT_ID);
    const tokenRequests = emulator.countRequests({ path: /\/token$/ });
    for (const id of [cc, ropc]) {
      await api.sessions.signIn(id, NO_UI);
      await api.sessions.getToken(id, { forceRefresh: true });
    }
    await vscode.commands.executeCommand('outlook365.refreshToken', ropc);
    const probe = await api.tester.test(cc);
    assert.equal(probe.ok, true, JSON.stringify(probe.checks));
    assert.ok(
      emulator.countRequests({ path: /\/token$/ }) >= tokenRequests + 5,
      'the user’s host got every token request',
    );
    assert.equal(hostile.connections, 0, `the workspace’s host was contacted: ${JSON.stringify(hostile.requests)}`);
    assert.deepEqual(hostile.requests, []);
  });

  it('a custom connection stored before pinning takes its endpoints and client once from the user settings, not the workspace’s', async () => {
    const legacy = {
      id: 'legacy-ed31',
      name: 'Stored earlier',
      authType: 'ropc',
      environment: 'custom',
      tenant: 'contoso.test',
      username: ADELE.upn,
      scopes: { preset: 'minimal', additional: [] },
    } as const;
    await api.store.upsert({ ...legacy, scopes: { preset: 'minimal', additional: [] } });
    ids.push(legacy.id);
    await api.configurations.pinMissing();
    const config = api.store.getConfig(legacy.id);
    assert.deepEqual(config?.endpoints, {
      name: 'Emulator',
      loginEndpoint: emulator.loginEndpoint,
      graphEndpoint: emulator.graphEndpoint,
    });
    assert.equal(clientIdOf(config), DEFAULT_PUBLIC_CLIENT_ID);
  });

  it('the tree shows the pinned hosts, and does not offer the workspace’s endpoints', () => {
    const id = ids[0];
    const labels = api.tree
      .getChildren({ kind: 'connection', id })
      .map((c) => api.tree.getTreeItem(c))
      .map((i) => `${labelText(i.label)}: ${i.description}`);
    assert.ok(labels.includes(`Login host: ${host(emulator.loginEndpoint)}`), labels.join(' | '));
    assert.ok(labels.includes(`Graph host: ${host(emulator.graphEndpoint)}`), labels.join(' | '));
    assert.ok(!labels.some((l) => l.includes(host(hostile.origin)) || /^Update Endpoints/.test(l)), labels.join(' | '));
    const item = api.tree.getTreeItem({ kind: 'connection', id });
    assert.doesNotMatch(String(item.contextValue), /endpointsOutdated/);
    const tooltip = (api.tree.resolveTreeItem(item, { kind: 'connection', id }).tooltip as vscode.MarkdownString).value;
    assert.ok(
      tooltip.includes(host(emulator.loginEndpoint)) && tooltip.includes(host(emulator.graphEndpoint)),
      tooltip,
    );
  });

  it('a change of the user setting: the connection keeps its hosts until the user confirms a dialog naming old and new', async () => {
    const [cc, ropc] = ids;
    // VS Code refuses modal dialogs while extension tests run ("DialogService: refused to show dialog in
    // tests"), so the suite answers the command's confirmation through the extension's seam and reads it.
    const asked: string[] = [];
    let answer = false;
    api.setConfirm(async (message, detail, button) => {
      asked.push(`${message}\n${detail}\n[${button}]`);
      return answer;
    });
    const previous = section().inspect('customEnvironment')?.globalValue;
    const moved = { name: 'Moved', loginEndpoint: hostile.origin, graphEndpoint: hostile.origin };
    await section().update('customEnvironment', moved, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        () => /endpointsOutdated/.test(String(api.tree.getTreeItem({ kind: 'connection', id: cc }).contextValue)),
        'the item to offer Update Endpoints',
      );
      // Until confirmed, requests still go to the pinned host.
      await api.sessions.getToken(ropc, { forceRefresh: true });
      assert.equal(hostile.connections, 0);

      await vscode.commands.executeCommand('outlook365.updateEndpoints', cc);
      assert.equal(asked.length, 1, 'one confirmation');
      const text = asked[0];
      assert.match(text, /Pinned service/);
      assert.match(text, /\[Update Endpoints\]/);
      for (const name of [host(emulator.loginEndpoint), host(emulator.graphEndpoint), host(hostile.origin)]) {
        assert.ok(text.includes(name), `the confirmation names ${name}: ${text}`);
      }
      assert.equal(
        api.store.getConfig(cc)?.endpoints?.loginEndpoint,
        emulator.loginEndpoint,
        'Cancel keeps the endpoints',
      );
      assert.ok(api.store.facts(cc).signedIn, 'and the tokens');

      answer = true;
      await vscode.commands.executeCommand('outlook365.updateEndpoints', cc);
      assert.equal(asked.length, 2);
      const config = api.store.getConfig(cc);
      assert.equal(config?.endpoints?.loginEndpoint, hostile.origin);
      assert.equal(config?.endpoints?.graphEndpoint, hostile.origin);
      assert.ok(!api.store.facts(cc).signedIn, 'its tokens are gone');
      assert.equal(api.sessions.cachedToken(cc), undefined);
      assert.equal(await storedTokenCache(api.rawSecrets, cc), undefined);
      assert.doesNotMatch(
        String(api.tree.getTreeItem({ kind: 'connection', id: cc }).contextValue),
        /endpointsOutdated/,
      );
      assert.equal(hostile.connections, 0, 'updating sends nothing by itself');
    } finally {
      api.setConfirm(undefined);
      await section().update('customEnvironment', previous, vscode.ConfigurationTarget.Global);
    }
  });
});
