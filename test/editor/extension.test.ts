import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { completeAuthorizeInBrowser, completeDeviceCode } from '../sandbox/browserBot';
import { makeClientCertificate } from '../sandbox/certs';
import type { Emulator } from '../sandbox/emulator';
import { ConnectionStore } from '../../src/connections/connectionStore';
import { statusOf, type ConnectionFacts } from '../../src/connections/facts';
import { ConnectionsFile } from '../../src/connections/connectionsFile';
import { FactsFile } from '../../src/connections/factsFile';
import { ADELE, addServiceApp, addConnection, labelText, sandbox, stopSandbox, testingApi, waitFor } from './support';
import { storedTokenCache, writeTokenCacheElsewhere } from './tokenCaches';
import type { TestingApi } from '../../src/extension';
import { formatMessage } from '../../src/model/messages';

const ALL_COMMANDS = [
  'addConnection',
  'editConnection',
  'deleteConnection',
  'signIn',
  'signOut',
  'refreshToken',
  'testConnection',
  'copyAccessToken',
  'showTokenClaims',
  'copyAdminConsentLink',
  'copyRedirectUri',
  'showLog',
].map((c) => `outlook365.${c}`);

const CC_APP = 'c0ffee00-0000-4000-8000-00000000ed01';
const CERT_APP = 'c0ffee00-0000-4000-8000-00000000ed02';
const TEST_SECRETS = ['cc-secret-ed01', ADELE.password, 'pfx-pass-ed02'];

describe('Outlook 365 Connections in VS Code', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let emulator: Emulator;
  const certificate = makeClientCertificate({ commonName: 'editor-suite', password: 'pfx-pass-ed02' });
  const tokensSeen: string[] = [];

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    addServiceApp(emulator, CC_APP, { secrets: ['cc-secret-ed01'] });
    addServiceApp(emulator, CERT_APP, { certificates: [{ certPem: certificate.certPem }] });
    // The suite plays the browser: it completes the emulator's login page over HTTP as adele.
    api.setOpenExternal(async (url) => {
      void completeAuthorizeInBrowser(url, ADELE).catch(() => undefined);
    });
  });

  after(async () => {
    api.setOpenExternal(undefined);
    await stopSandbox();
  });

  it('activates and registers every command of DESIGN.md', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ALL_COMMANDS) assert.ok(commands.includes(command), `${command} is registered`);
  });

  it('registers the outlook365 authentication provider', async () => {
    // A silent request to an unregistered provider throws; ours answers (no session yet).
    const session = await vscode.authentication.getSession('outlook365', ['connection:none'], { silent: true });
    assert.equal(session, undefined);
  });

  it('adds a connection through the form’s code path: configuration in the connections file, secrets in SecretStorage', async () => {
    const id = await addConnection(api, {
      name: 'Service',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: 'cc-secret-ed01',
      account: ADELE.upn,
    });
    const config = api.store.getConfig(id);
    assert.equal(config?.authType, 'clientCredentials');
    const onDisk = JSON.parse(await readFile(api.connectionsFile, 'utf8')) as {
      version: number;
      connections: { id: string }[];
    };
    assert.equal(onDisk.version, 1);
    assert.ok(onDisk.connections.some((c) => c.id === id));
    assert.deepEqual(await api.configurations.storedSecretFields(id), ['clientSecret']);
  });

  it('signs in with the authorization code grant (loopback + PKCE) through the provider; callers get the session by connection or by permission', async () => {
    const id = await addConnection(api, {
      name: 'Delegated',
      authType: 'authCode',
      signInMethod: 'browser',
      scopePreset: 'minimal',
      additionalScopes: 'User.Read',
    });
    const session = await signIn(id);
    assert.equal(session.id, id);
    assert.ok(session.scopes.includes('Mail.Read'));
    tokensSeen.push(session.accessToken);
    const byPermission = await api.provider.getSessions(['Mail.Read']);
    assert.ok(
      byPermission.some((s) => s.id === id),
      'a caller asking for a permission finds a connection that has it',
    );
    const missing = await api.provider.getSessions(['Calendars.ReadWrite']);
    assert.ok(!missing.some((s) => s.id === id), 'and not one that lacks it');
    const before = emulator.countRequests({ path: /\/token$/ });
    const all = await api.provider.getSessions(undefined);
    assert.ok(
      all.some((s) => s.id === id),
      'VS Code listing accounts sees it',
    );
    assert.equal(emulator.countRequests({ path: /\/token$/ }), before, 'listing sessions sends no token request');
  });

  it('signs in with the device code grant', async () => {
    emulator.setDeviceCode({ intervalSeconds: 1, expiresInSeconds: 60 });
    const id = await addConnection(api, { name: 'Device', authType: 'authCode', signInMethod: 'deviceCode' });
    const codes = api.sessions.onDidShowDeviceCode(
      (e) => void completeDeviceCode(e.verificationUri, e.userCode, ADELE),
    );
    try {
      const session = await signIn(id);
      tokensSeen.push(session.accessToken);
      assert.equal(api.store.facts(id).account, ADELE.upn);
    } finally {
      codes.dispose();
    }
  });

  it('signs in with client credentials and with a client certificate', async () => {
    const cc = api.store.list().find((e) => e.name === 'Service')!.id;
    const s1 = await signIn(cc);
    assert.ok(s1.scopes.includes('Mail.Read'));
    const cert = await addConnection(api, {
      name: 'Certificate',
      authType: 'clientCertificate',
      clientId: CERT_APP,
      certificate: certificate.pfxBase64,
      certificatePassword: 'pfx-pass-ed02',
      account: ADELE.upn,
    });
    assert.equal(api.store.getConfig(cert)?.authType, 'clientCertificate');
    const s2 = await signIn(cert);
    tokensSeen.push(s1.accessToken, s2.accessToken);
    const result = await api.tester.test(cert);
    assert.equal(result.ok, true, JSON.stringify(result.checks));
  });

  it('signs in with ROPC', async () => {
    const id = await addConnection(api, {
      name: 'Legacy',
      authType: 'ropc',
      username: ADELE.upn,
      password: ADELE.password,
    });
    const session = await signIn(id);
    tokensSeen.push(session.accessToken);
  });

  it('sign-out removes the session and keeps the configuration', async () => {
    const id = api.store.list().find((e) => e.name === 'Legacy')!.id;
    const removed = waitForSessionChange();
    await vscode.commands.executeCommand('outlook365.signOut', id);
    await removed;
    assert.ok(api.store.getConfig(id), 'configuration kept');
    assert.deepEqual(await api.provider.getSessions([`connection:${id}`]), []);
    assert.equal(statusOf(api.store.facts(id)), 'notSignedIn');
  });

  it('the token cache another window wrote is the one the next refresh uses (this window’s copy in memory is dropped)', async () => {
    const id = api.store.list().find((e) => e.name === 'Device')!.id;
    const original = await storedTokenCache(api.rawSecrets, id);
    assert.ok(original, 'Device has a token cache');
    await api.sessions.getToken(id, { forceRefresh: true }); // this window now holds the cache in memory
    // Another window leaves an empty cache (no account, no refresh token): the next refresh cannot work.
    await writeTokenCacheElsewhere(
      api.rawSecrets,
      id,
      JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} }),
    );
    await waitFor(() => api.sessions.cachedToken(id) === undefined, 'the change to reach this window');
    await assert.rejects(api.sessions.getToken(id, { forceRefresh: true }), /sign in/i);
    // And puts the original back: refreshing works again.
    await writeTokenCacheElsewhere(api.rawSecrets, id, original);
    await waitFor(
      async () => !!(await api.sessions.getToken(id, { forceRefresh: true }).catch(() => undefined)),
      'a refresh with the restored cache',
    );
  });

  it('a revoked refresh token shows reconnectRequired on the tree item', async () => {
    const id = api.store.list().find((e) => e.name === 'Delegated')!.id;
    emulator.revokeRefreshTokens(ADELE.upn);
    await vscode.commands.executeCommand('outlook365.refreshToken', id).then(undefined, () => undefined);
    await waitFor(() => statusOf(api.store.facts(id)) === 'reconnectRequired', 'reconnectRequired');
    const item = api.tree.getTreeItem({ kind: 'connection', id });
    assert.match(String(item.contextValue), /status-reconnectRequired/);
    assert.match(String(item.description), /reconnect/i);
  });

  it('tree items carry the account, expiry, and granted / missing scopes as children', async () => {
    const id = api.store.list().find((e) => e.name === 'Device')!.id;
    const item = api.tree.getTreeItem({ kind: 'connection', id });
    assert.match(String(item.description), /adele@contoso\.test · expires in \d+ (min|h)/);
    const hovered = api.tree.resolveTreeItem(item, { kind: 'connection', id });
    const tooltip = (hovered.tooltip as vscode.MarkdownString).value;
    for (const row of ['Auth type', 'Environment', 'Tenant', 'Client', 'Account', 'Scopes'])
      assert.match(tooltip, new RegExp(`\\*\\*${row}:\\*\\*`));
    const children = api.tree.getChildren({ kind: 'connection', id });
    const labels = children.map((c) => api.tree.getTreeItem(c)).map((i) => `${labelText(i.label)} ${i.description}`);
    assert.ok(
      labels.some((l) => /^Mail\.Read granted/.test(l)),
      labels.join(' | '),
    );
    assert.ok(
      labels.some((l) => /^Token expires in/.test(l)),
      labels.join(' | '),
    );
  });

  it('another window signing out (its SecretStorage write) reaches this window: session dropped, status updated', async () => {
    const id = api.store.list().find((e) => e.name === 'Certificate')!.id;
    const other = api.store.list().find((e) => e.name === 'Device')!.id;
    assert.ok(api.sessions.cachedToken(other), 'this window holds a token for Device');
    // What another window's sign-out leaves in the shared SecretStorage: the token cache is gone.
    await writeTokenCacheElsewhere(api.rawSecrets, other, null);
    await waitFor(() => api.sessions.cachedToken(other) === undefined, 'the in-memory token to be dropped');
    assert.deepEqual(await api.provider.getSessions([`connection:${other}`]), [], 'no session without a cache');
    await waitFor(
      () => statusOf(api.store.facts(other)) === 'reconnectRequired',
      'reconnectRequired after the other window signed out',
    );
    assert.ok(api.sessions.cachedToken(id), 'other connections are untouched');
  });

  it('20 concurrent refreshes of one connection right after its client was dropped make one token request', async () => {
    const id = api.store.list().find((e) => e.name === 'Certificate')!.id;
    // Another window changing the configuration makes this window drop its token clients.
    await api.rawSecrets.store('outlook365/revision', `elsewhere-${Date.now()}`);
    const before = emulator.countRequests({ path: /\/token$/ });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.sessions.getToken(id, { forceRefresh: true })),
    );
    assert.equal(emulator.countRequests({ path: /\/token$/ }) - before, 1);
    assert.equal(new Set(results.map((r) => r.accessToken.reveal())).size, 1);
  });

  it('a corrupt secret entry marks that one connection broken, the others keep working', async () => {
    const id = await addConnection(api, {
      name: 'Corrupt',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: 'cc-secret-ed01',
      account: ADELE.upn,
    });
    await api.rawSecrets.store(`outlook365/${id}/secrets`, '{not json');
    // Test Connection reports it as its failed token check (the checklist), with the sentence.
    const broken = await api.tester.test(id);
    assert.equal(broken.ok, false);
    assert.match(formatMessage(broken.checks.find((c) => c.name === 'token')!.detail), /cannot be read/);
    await waitFor(() => statusOf(api.store.facts(id)) === 'error', 'the corrupt connection in error');
    const healthy = api.store.list().find((e) => e.name === 'Certificate')!.id;
    assert.equal((await api.tester.test(healthy)).ok, true);
  });

  it('another window’s facts (its write of the facts file) reach this window', async () => {
    const id = api.store.list().find((e) => e.name === 'Certificate')!.id;
    await api.store.flush();
    const stored = JSON.parse(await readFile(api.factsFile, 'utf8')) as {
      version: number;
      facts: Record<string, ConnectionFacts>;
    };
    assert.ok(stored.facts[id]?.signedIn, 'this window’s facts are on disk');
    // What another window leaves behind after testing the connection: its write of the file (as every
    // window writes it: under the lock, to a temp file renamed over the old one), then the revision.
    const at = new Date().toISOString();
    const elsewhere = new FactsFile(api.factsFile, () => undefined);
    await elsewhere.load();
    elsewhere.set(id, {
      ...stored.facts[id],
      lastTest: { ok: false, summary: { text: 'Tested elsewhere' }, at, checks: [] },
    });
    await elsewhere.flush();
    await api.rawSecrets.store('outlook365/factsRevision', `elsewhere-${Date.now()}`);
    await waitFor(() => api.store.facts(id).lastTest?.at === at, 'the other window’s test result');
  });

  it('configurations and facts of an earlier version (in globalState) move to their files once, ids kept or given', async () => {
    const legacyConfig = {
      id: 'legacy',
      name: 'Legacy',
      authType: 'clientCredentials',
      environment: 'custom',
      tenant: 'contoso.test',
      clientId: CC_APP,
      account: ADELE.upn,
    };
    const values = new Map<string, unknown>([
      ['outlook365.connections', [legacyConfig, { ...legacyConfig, id: undefined, name: 'No id' }]],
      ['outlook365.facts', { legacy: { signedIn: true, account: 'adele@contoso.test' }, broken: 'not an object' }],
    ]);
    const memento = {
      keys: () => [...values.keys()],
      get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
      update: async (key: string, value: unknown) =>
        void (value === undefined ? values.delete(key) : values.set(key, value)),
    } as unknown as vscode.Memento;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'outlook365-migrate-'));
    try {
      const file = path.join(dir, 'facts.json');
      const configs = new ConnectionsFile(path.join(dir, 'connections.json'), () => undefined);
      const store = await ConnectionStore.open(memento, configs, new FactsFile(file, () => undefined));
      assert.equal(store.facts('legacy').account, 'adele@contoso.test');
      assert.equal(values.has('outlook365.facts'), false, 'the old key is removed');
      assert.equal(values.has('outlook365.connections'), false, 'the old key is removed');
      const onDisk = JSON.parse(await readFile(file, 'utf8')) as { facts: Record<string, unknown> };
      assert.deepEqual(Object.keys(onDisk.facts), ['legacy']);
      assert.deepEqual(
        store.list().map((e) => e.name),
        ['Legacy', 'No id'],
      );
      assert.equal(store.getConfig('legacy')?.name, 'Legacy');
      assert.match(store.list()[1].id, /^recovered-/);
      assert.ok(store.getConfig(store.list()[1].id), 'the entry without an id is a working connection with a fresh id');
      store.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a connection list of an earlier version that is not a list is kept aside in globalState and reported', async () => {
    const values = new Map<string, unknown>([['outlook365.connections', { not: 'a list' }]]);
    const memento = {
      keys: () => [...values.keys()],
      get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
      update: async (key: string, value: unknown) =>
        void (value === undefined ? values.delete(key) : values.set(key, value)),
    } as unknown as vscode.Memento;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'outlook365-migrate-'));
    try {
      const reported: string[] = [];
      const configs = new ConnectionsFile(path.join(dir, 'connections.json'), () => undefined);
      const store = await ConnectionStore.open(
        memento,
        configs,
        new FactsFile(path.join(dir, 'facts.json'), () => undefined),
        (_key, keptAs) => reported.push(keptAs),
      );
      assert.equal(reported.length, 1);
      assert.deepEqual(values.get(reported[0]), { not: 'a list' }, 'kept as it was');
      assert.deepEqual(store.list(), []);
      store.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('after the suite no secret, password or token is in globalState, the connections and facts files, settings, the log or telemetry', async () => {
    const needles = [...TEST_SECRETS, certificate.pfxBase64.slice(0, 40), ...tokensSeen.map((t) => t.slice(-40))];
    const globalState = JSON.stringify(api.store.list());
    await api.store.flush();
    const connectionsFile = await readFile(api.connectionsFile, 'utf8');
    const factsFile = await readFile(api.factsFile, 'utf8');
    assert.ok(factsFile.length > 100, 'the facts file holds the suite’s connections');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('outlook365'));
    const log = api.log.captured.join('\n');
    const telemetry = JSON.stringify(api.telemetry.sent);
    for (const [where, text] of Object.entries({ globalState, connectionsFile, factsFile, settings, log, telemetry })) {
      for (const needle of needles) assert.ok(!text.includes(needle), `a secret leaked into ${where}`);
    }
    assert.ok(api.log.captured.length > 0 && (api.telemetry.sent?.length ?? 0) > 0, 'log and telemetry were exercised');
  });

  /**
   * Signs a connection in the way `getSession(…, { createIfNone: true })` does once the user allowed
   * it. Under test VS Code refuses its consent dialog ("refused to show dialog in tests") and, without
   * that consent, hands no session to a silent caller; so the suite calls the registered provider's
   * createSession, checks VS Code heard of it, and reads it back through the provider's getSessions.
   * The full path with the Allow dialog is covered by the UI tests in a normal workbench.
   */
  async function signIn(id: string): Promise<vscode.AuthenticationSession> {
    const heard = waitForSessionChange();
    const created = await api.provider.createSession([`connection:${id}`]);
    await heard;
    const [session] = await api.provider.getSessions([`connection:${id}`]);
    assert.ok(session, 'the provider answers for the new session');
    assert.equal(session.accessToken, created.accessToken, 'answered from memory');
    return session;
  }

  it('telemetry follows the user’s level (off here, so nothing is sent) and carries only closed-set properties', () => {
    assert.equal(api.telemetry.level, 'off', 'code-server runs with telemetry disabled');
    const events = api.telemetry.sent ?? [];
    assert.ok(events.some((e) => e.name === 'operation' && e.properties.operation === 'signIn'));
    const allowed: Record<string, RegExp> = {
      operation: /^(signIn|refresh|test|add|edit|delete|signOut)$/,
      authType: /^(authCode|byoApp|clientCredentials|clientCertificate|ropc)$/,
      environment: /^(global|usGovL4|usGovL5|china|custom)$/,
      result: /^(ok|cancelled|failed)$/,
      errorCode: /^(AADSTS\d+|HTTP\d+|[a-zA-Z]+)$/,
    };
    for (const event of events) {
      for (const [key, value] of Object.entries(event.properties)) {
        assert.ok(allowed[key]?.test(value), `telemetry property ${key}=${value} is not in its closed set`);
      }
      assert.deepEqual(
        Object.keys(event.measurements).sort(),
        event.name === 'activated' ? ['connectionCount', 'durationMs'] : ['durationMs'],
      );
    }
  });

  function waitForSessionChange(): Promise<void> {
    return new Promise((resolve) => {
      const d = vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'outlook365') {
          d.dispose();
          resolve();
        }
      });
    });
  }
});
