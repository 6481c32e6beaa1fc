import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { statusOf, type ConnectionFacts } from '../../src/connections/facts';
import { ConnectionError } from '../../src/engine/failures';
import { formatMessage } from '../../src/model/messages';
import type { TestingApi } from '../../src/extension';
import type { Emulator } from '../sandbox/emulator';
import { ADELE, addServiceApp, addConnection, sandbox, stopSandbox, testingApi } from './support';

const APP = 'c0ffee00-0000-4000-8000-00000000ed11';
const SECRET = 'cc-secret-ed11';

describe('Request deadlines and ROPC sign-out in VS Code', function () {
  this.timeout(90_000);
  let api: TestingApi;
  let emulator: Emulator;
  const settings = () => vscode.workspace.getConfiguration('outlook365');
  const tokenRequests = () => emulator.countRequests({ path: /\/oauth2\/v2\.0\/token$/ });

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    addServiceApp(emulator, APP, { secrets: [SECRET] });
  });

  after(async () => {
    await settings().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await stopSandbox();
  });

  /** The user-facing sentence of the failure `promise` ends with (its ConnectionError, formatted). */
  async function sentenceOf(promise: Promise<unknown>): Promise<string> {
    const err = await promise.then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectionError, String(err));
    assert.equal(err.failure.kind, 'network');
    return formatMessage(err.failure.message);
  }

  it('outlook365.requestTimeoutSeconds reaches the engine: a token endpoint and a Graph that never answer end after that many seconds, then work again', async () => {
    await settings().update('requestTimeoutSeconds', 5, vscode.ConfigurationTarget.Global);
    const id = await addConnection(api, {
      name: 'Deadline',
      authType: 'clientCredentials',
      clientId: APP,
      clientSecret: SECRET,
      account: ADELE.upn,
    });

    emulator.injectFault({ endpoint: 'token', kind: 'hang', times: 1 });
    let started = Date.now();
    assert.match(await sentenceOf(api.sessions.getToken(id)), /^The login host did not answer within 5 s\./);
    let elapsed = Date.now() - started;
    assert.ok(elapsed >= 4900 && elapsed < 25_000, `ended after ${elapsed} ms`);
    assert.ok((await api.sessions.getToken(id)).accessToken.reveal(), 'the next request is sent and answered');

    emulator.injectFault({ endpoint: 'graph', kind: 'hang', times: 1 });
    started = Date.now();
    assert.match(await sentenceOf(api.tester.test(id)), /^Microsoft Graph did not answer within 5 s\./);
    elapsed = Date.now() - started;
    assert.ok(elapsed >= 4900 && elapsed < 25_000, `ended after ${elapsed} ms`);
    assert.equal((await api.tester.test(id)).ok, true);
  });

  it('Sign Out of a username/password connection holds: Refresh Token, Copy Access Token, Test Connection and a silent getSession send no token request until Sign In', async () => {
    const id = await addConnection(api, {
      name: 'Legacy sign-out',
      authType: 'ropc',
      username: ADELE.upn,
      password: ADELE.password,
    });
    // VS Code refuses its consent dialog under test, so the suite calls the provider's createSession (what Sign In runs).
    await api.provider.createSession([`connection:${id}`]);
    assert.equal(statusOf(api.store.facts(id)), 'valid');
    await vscode.commands.executeCommand('outlook365.signOut', id);

    const before = tokenRequests();
    // Called with a bare id, Copy Access Token first asks the user (naming the connection): answered Continue.
    const asked: string[] = [];
    api.setConfirm(async (message) => (asked.push(message), true));
    try {
      for (const command of ['refreshToken', 'copyAccessToken', 'testConnection']) {
        await vscode.commands.executeCommand(`outlook365.${command}`, id); // each fails with a message the user reads
      }
    } finally {
      api.setConfirm(undefined);
    }
    assert.equal(asked.length, 1);
    assert.match(asked[0], /"Legacy sign-out"/);
    assert.equal(
      await vscode.authentication.getSession('outlook365', [`connection:${id}`], { silent: true }),
      undefined,
    );
    assert.equal(tokenRequests(), before, 'no token request after Sign Out');
    assert.equal(statusOf(api.store.facts(id)), 'notSignedIn');

    // Kept across a reload: the marker is in the facts file, which a new window reads at activation.
    await api.store.flush();
    const stored = JSON.parse(await readFile(api.factsFile, 'utf8')) as { facts: Record<string, ConnectionFacts> };
    assert.equal(stored.facts[id]?.signedOut, true);

    // An explicit sign-in lifts it: the password is sent once, and refreshing works again.
    await api.provider.createSession([`connection:${id}`]);
    assert.equal(tokenRequests() - before, 1);
    assert.equal(api.store.facts(id).signedOut, undefined);
    await vscode.commands.executeCommand('outlook365.refreshToken', id);
    assert.equal(tokenRequests() - before, 2);
    assert.equal(statusOf(api.store.facts(id)), 'valid');
  });
});
