/**
 * Through a proxy, in VS Code's extension host, with VS Code's own proxy support (`http.proxySupport`
 * left at its default, "override"): sign-in, refresh and Test Connection go through a real HTTP CONNECT
 * proxy (the `proxy` package, test/sandbox/realProxy.ts), as its own log of CONNECTs shows, and VS Code's
 * proxy settings are honoured: `http.proxy` (user setting) before HTTPS_PROXY, NO_PROXY, and a workspace's
 * `http.proxy` is not: VS Code registers the `http.proxy*` settings with scope APPLICATION, or MACHINE in a
 * remote window (`registerProxyConfigurations` in
 * https://github.com/microsoft/vscode/blob/1.100.3/src/vs/platform/request/common/request.ts, `scope:i?1:2`
 * in code-server 4.100.3's workbench.js), and applies neither from a workspace. The runner (scripts/test-editor.mjs) starts the
 * proxy that HTTPS_PROXY names and sets NO_PROXY=127.0.0.3 for the extension host.
 *
 * VS Code never proxies localhost, 127.0.0.1 or ::1
 * (https://github.com/microsoft/vscode-proxy-agent/blob/999f6e5aa314eb1205382c118b5fc290b63fb4a1/src/index.ts#L310),
 * so the emulators here listen on 127.0.0.2 (proxied) and 127.0.0.3 (named by NO_PROXY).
 * Test Connection's Graph requests use `fetch`, which VS Code proxies with `http.fetchAdditionalSupport`
 * (its default; the suite's other tests turn it off), so this file turns it back on.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { statusOf } from '../../src/connections/facts';
import { ConnectionError } from '../../src/engine/failures';
import type { TestingApi } from '../../src/extension';
import { formatMessage } from '../../src/model/messages';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { startHungProxy, startRealProxy, type RealProxy } from '../sandbox/realProxy';
import { ADELE, addConnection, testingApi, waitFor } from './support';

/** The CONNECT targets the runner's proxy (HTTPS_PROXY) logged, complete lines only. */
function envProxyConnects(): string[] {
  const file = process.env.OUTLOOK365_ENV_PROXY_LOG;
  if (!file || !existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean);
}

const hostPort = (origin: string) => new URL(origin).host;

describe('Through a proxy (VS Code proxy support)', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let proxied: Emulator; // on 127.0.0.2
  let bypassed: Emulator; // on 127.0.0.3, named by NO_PROXY
  let settingsProxy: RealProxy;
  let proxiedId: string;
  let bypassedId: string;
  let savedEnvironment: unknown;
  const http = () => vscode.workspace.getConfiguration('http');
  const outlook = () => vscode.workspace.getConfiguration('outlook365');

  /** Sets a user setting and waits until the extension host sees it (VS Code's proxy support reads it there). */
  async function setUser(section: 'http' | 'outlook365', key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(
      () => isDeepStrictEqual(vscode.workspace.getConfiguration(section).inspect(key)?.globalValue, value),
      `${section}.${key} to reach the extension host`,
    );
  }

  /** A connection saved against `emulator` (the custom environment at save time pins its endpoints). */
  async function connectionOn(emulator: Emulator, name: string): Promise<string> {
    await setUser('outlook365', 'customEnvironment', {
      name: 'Emulator',
      loginEndpoint: emulator.loginEndpoint,
      graphEndpoint: emulator.graphEndpoint,
    });
    return addConnection(api, { name, authType: 'ropc', username: ADELE.upn, password: ADELE.password });
  }

  /** What `work` made each proxy log: the CONNECT targets, new since it started. */
  async function connectsDuring(work: () => Thenable<unknown>): Promise<{ env: string[]; settings: string[] }> {
    const env = envProxyConnects().length;
    const settings = settingsProxy.connects.length;
    await work();
    return { env: envProxyConnects().slice(env), settings: settingsProxy.connects.slice(settings) };
  }

  const signIn = (id: string) => api.provider.createSession([`connection:${id}`]);
  const refresh = (id: string) => vscode.commands.executeCommand('outlook365.refreshToken', id);
  const testConnection = async (id: string) => assert.equal((await api.tester.test(id)).ok, true);

  before(async function () {
    if (!process.env.OUTLOOK365_ENV_PROXY_LOG || !process.env.HTTPS_PROXY) {
      this.skip(); // not run by scripts/test-editor.mjs (e.g. under @vscode/test-electron)
    }
    api = await testingApi();
    assert.equal(http().get('proxySupport'), 'override', "VS Code's default http.proxySupport");
    proxied = await startEmulator({ quiet: true, address: '127.0.0.2' });
    bypassed = await startEmulator({ quiet: true, address: '127.0.0.3' });
    settingsProxy = await startRealProxy();
    savedEnvironment = outlook().inspect('customEnvironment')?.globalValue;
    await setUser('http', 'fetchAdditionalSupport', true);
    proxiedId = await connectionOn(proxied, 'Through the proxy');
    bypassedId = await connectionOn(bypassed, 'Not through the proxy');
  });

  afterEach(async () => {
    await setUser('http', 'proxy', undefined);
    await setUser('http', 'proxySupport', undefined);
    await setUser('outlook365', 'requestTimeoutSeconds', undefined);
  });

  after(async () => {
    if (!api) return;
    await setUser('outlook365', 'customEnvironment', savedEnvironment);
    await setUser('http', 'fetchAdditionalSupport', false);
    await proxied.stop();
    await bypassed.stop();
    await settingsProxy.stop();
  });

  it('sign-in, refresh and Test Connection go through the proxy HTTPS_PROXY names', async () => {
    const login = hostPort(proxied.loginEndpoint);
    const graph = hostPort(proxied.graphEndpoint);
    const tokens = () => proxied.countRequests({ path: /\/oauth2\/v2\.0\/token$/ });

    const before = tokens();
    const signedIn = await connectsDuring(() => signIn(proxiedId));
    assert.ok(signedIn.env.includes(login), `sign-in CONNECTs: ${signedIn.env.join(', ')}`);
    assert.equal(tokens() - before, 1);
    assert.equal(statusOf(api.store.facts(proxiedId)), 'valid');

    const refreshed = await connectsDuring(() => refresh(proxiedId));
    assert.ok(refreshed.env.includes(login), `refresh CONNECTs: ${refreshed.env.join(', ')}`);
    assert.equal(tokens() - before, 2, 'the refresh sent one token request');

    const tested = await connectsDuring(() => testConnection(proxiedId));
    assert.ok(tested.env.includes(graph), `Test Connection CONNECTs: ${tested.env.join(', ')}`);
    assert.equal(signedIn.settings.length + refreshed.settings.length + tested.settings.length, 0);
  });

  it('http.proxy (user setting) is used before HTTPS_PROXY', async () => {
    await setUser('http', 'proxy', settingsProxy.url);
    const refreshed = await connectsDuring(() => refresh(proxiedId));
    const tested = await connectsDuring(() => testConnection(proxiedId));
    assert.ok(refreshed.settings.includes(hostPort(proxied.loginEndpoint)), refreshed.settings.join(', '));
    assert.ok(tested.settings.includes(hostPort(proxied.graphEndpoint)), tested.settings.join(', '));
    assert.deepEqual([...refreshed.env, ...tested.env], [], 'nothing through the HTTPS_PROXY proxy');
  });

  it('NO_PROXY: a host it names is reached directly, past HTTPS_PROXY and http.proxy', async () => {
    await setUser('http', 'proxy', settingsProxy.url);
    const all = await connectsDuring(async () => {
      await signIn(bypassedId);
      await refresh(bypassedId);
      await testConnection(bypassedId);
    });
    assert.equal(statusOf(api.store.facts(bypassedId)), 'valid');
    assert.equal(bypassed.countRequests({ path: /\/oauth2\/v2\.0\/token$/ }), 2);
    assert.deepEqual([...all.env, ...all.settings], [], 'no CONNECT for the NO_PROXY host');
  });

  it('a host reached directly keeps its connection: refreshes after the first open none (VS Code’s agent closed each)', async () => {
    await setUser('http', 'proxy', settingsProxy.url);
    if (statusOf(api.store.facts(bypassedId)) !== 'valid') await signIn(bypassedId);
    await refresh(bypassedId); // learns that VS Code's agent sends this host DIRECT
    const opened = () => bypassed.connectionsAccepted.login ?? 0;
    const before = opened();
    const tokens = bypassed.countRequests({ path: /\/oauth2\/v2\.0\/token$/ });
    for (let i = 0; i < 3; i++) await refresh(bypassedId);
    assert.equal(bypassed.countRequests({ path: /\/oauth2\/v2\.0\/token$/ }) - tokens, 3, 'three token requests');
    assert.equal(opened() - before, 0, 'no new connection to the login host: the kept-alive one was reused');
  });

  it('http.proxySupport "on" proxies the engine too (a request with an agent of its own would go around the proxy)', async () => {
    await setUser('http', 'proxySupport', 'on');
    const refreshed = await connectsDuring(() => refresh(proxiedId));
    assert.ok(refreshed.env.includes(hostPort(proxied.loginEndpoint)), `refresh CONNECTs: ${refreshed.env.join(', ')}`);
  });

  it("a workspace's http.proxy routes nothing (VS Code applies it from user or machine settings only)", async () => {
    const workspaceProxy = await startRealProxy();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    const settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const original = await Promise.resolve(vscode.workspace.fs.readFile(settingsFile)).catch(() => undefined);
    // A window-scoped setting beside it: when it shows up, VS Code has read the file.
    const sentinel = { 'http.proxy': workspaceProxy.url, 'outlook365.signInTimeoutMinutes': 9 };
    try {
      await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify(sentinel)));
      await waitFor(
        () => outlook().inspect('signInTimeoutMinutes')?.workspaceValue === 9,
        'VS Code to read the workspace settings',
        30_000,
      );
      assert.notEqual(http().get('proxy'), workspaceProxy.url, 'VS Code does not apply a workspace http.proxy');
      const all = await connectsDuring(async () => {
        await refresh(proxiedId);
        await testConnection(proxiedId);
      });
      assert.deepEqual(workspaceProxy.connects, [], "nothing through the workspace's proxy");
      assert.ok(all.env.includes(hostPort(proxied.loginEndpoint)), 'the user-level proxy (HTTPS_PROXY) still is used');
    } finally {
      if (original) await vscode.workspace.fs.writeFile(settingsFile, original);
      else await vscode.workspace.fs.delete(settingsFile);
      await workspaceProxy.stop();
    }
  });

  it('through a proxy that never answers, a refresh ends at its deadline and the next one works', async () => {
    const hung = await startHungProxy();
    try {
      await setUser('outlook365', 'requestTimeoutSeconds', 5);
      await setUser('http', 'proxy', hung.url);
      const started = Date.now();
      const failure = await api.sessions.getToken(proxiedId, { forceRefresh: true }).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(failure instanceof ConnectionError, String(failure));
      assert.match(formatMessage(failure.failure.message), /did not answer within 5 s/);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 4900 && elapsed < 25_000, `ended after ${elapsed} ms`);
      assert.ok(hung.connections >= 1, 'the request went to the hung proxy');
    } finally {
      await setUser('http', 'proxy', undefined);
      await hung.stop();
    }
    assert.ok((await api.sessions.getToken(proxiedId, { forceRefresh: true })).accessToken.reveal());
  });
});
