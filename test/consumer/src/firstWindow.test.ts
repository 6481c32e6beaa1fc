/**
 * The consumer's first window after the seed: public API only (`vscode.authentication`, `vscode.commands`,
 * `vscode.env.clipboard`). VS Code's dialogs are real; the runner answers them as a person would: Allow on
 * "wants to sign in", Open on "open the external website", the emulator's login page, and on the
 * provider's "A command asked to copy the access token" question Cancel (or Continue, when a test plays
 * the person who started the copy). The runner records each dialog it answered and each quick pick it
 * saw (and dismissed); the tests read that.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ADELE } from './seed';
import {
  answerTokenQuestionWith,
  answeredDialogs,
  emulatorControl,
  emulatorRequests,
  graphStatus,
  readState,
  seenQuickPicks,
  updateState,
} from './state';

const PROVIDER = 'outlook365';
const isAuthorize = (r: { path: string }) => r.path.endsWith('/oauth2/v2.0/authorize');
const isToken = (r: { path: string }) => r.path.endsWith('/oauth2/v2.0/token');

/**
 * Runs `request` and checks that no quick pick came up meanwhile (the runner notes each one and dismisses
 * it, which fails the request: the picker is checked first, so a failure names what it listed).
 */
async function withoutPicker<T>(request: () => Thenable<T>): Promise<T> {
  const before = seenQuickPicks().length;
  const outcome = await Promise.resolve(request()).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  assert.deepEqual(seenQuickPicks().slice(before), [], "no quick pick (VS Code's account picker) came up");
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

describe('a consumer extension in the first window', () => {
  const { connectionId: id, connectionName, secondConnectionId: secondId, secondConnectionName } = readState();

  after(async () => {
    updateState({ tokenRequestsAtEnd: (await emulatorRequests()).filter(isToken).length });
  });

  it('createIfNone for a valid connection by id: VS Code asks once (Allow), no sign-in page, a token Graph accepts', async () => {
    const authorizeBefore = (await emulatorRequests()).filter(isAuthorize).length;
    const dialogsBefore = answeredDialogs().length;
    const session = await vscode.authentication.getSession(PROVIDER, [`connection:${id}`], { createIfNone: true });
    assert.deepEqual(
      answeredDialogs()
        .slice(dialogsBefore)
        .map((d) => d.button),
      ['Allow'],
      'one dialog: VS Code\'s "wants to sign in", answered Allow',
    );
    assert.equal(session.id, id);
    // The account's id and label (VS Code 1.139 adds an `icon`, undefined for ours).
    assert.deepEqual(
      { id: session.account.id, label: session.account.label },
      { id, label: `${connectionName} (${ADELE.upn})` },
      'the account names the connection and its user',
    );
    assert.ok(
      session.scopes.includes(`connection:${id}`) && session.scopes.includes('Mail.Read'),
      session.scopes.join(' '),
    );
    assert.equal((await emulatorRequests()).filter(isAuthorize).length, authorizeBefore, 'no authorize request');
    assert.equal(await graphStatus(session.accessToken), 200);
  });

  it('by permission, silently: the connection that has it', async () => {
    const session = await vscode.authentication.getSession(PROVIDER, ['Mail.Read'], { silent: true });
    assert.equal(session?.id, id);
  });

  // VS Code 1.100 lists every account of a multiple-accounts provider in its picker (selectSession), also
  // for a request naming one connection; the provider registers as single-account, so VS Code hands out the
  // session getSessions returns for the request, after asking once per connection whether the extension may.
  it('by id, the second of two signed-in connections: that connection, VS Code asks once (Allow), no account picker', async () => {
    const dialogsBefore = answeredDialogs().length;
    const session = await withoutPicker(() =>
      vscode.authentication.getSession(PROVIDER, [`connection:${secondId}`], { createIfNone: true }),
    );
    assert.equal(session.id, secondId);
    assert.deepEqual(
      { id: session.account.id, label: session.account.label },
      { id: secondId, label: `${secondConnectionName} (${ADELE.upn})` },
    );
    const asked = answeredDialogs().slice(dialogsBefore);
    assert.deepEqual(
      asked.map((d) => d.button),
      ['Allow'],
      `one dialog: VS Code's "wants to sign in" (${JSON.stringify(asked)})`,
    );
  });

  // Without `connection:<id>` VS Code picks among the sessions getSessions returns (view order): the account
  // it remembers for the extension (its "account preference", set by the last interactive getSession) when
  // it is among them, otherwise the first one the extension may use (doGetSession in
  // https://github.com/microsoft/vscode/blob/1.100.3/src/vs/workbench/api/browser/mainThreadAuthentication.ts).
  it('by a permission both connections have, createIfNone: the connection VS Code last gave the extension (the second), no picker, no dialog', async () => {
    const dialogsBefore = answeredDialogs().length;
    const session = await withoutPicker(() =>
      vscode.authentication.getSession(PROVIDER, ['Mail.Read'], { createIfNone: true }),
    );
    assert.equal(session.id, secondId, `the second connection, not ${session.account.label}`);
    assert.deepEqual(answeredDialogs().slice(dialogsBefore), [], 'no dialog: the extension may already use it');
  });

  it('the same with clearSessionPreference: the first in view order, no picker, no dialog', async () => {
    const dialogsBefore = answeredDialogs().length;
    const session = await withoutPicker(() =>
      vscode.authentication.getSession(PROVIDER, ['Mail.Read'], { createIfNone: true, clearSessionPreference: true }),
    );
    assert.equal(session.id, id, `the first connection, not ${session.account.label}`);
    assert.deepEqual(answeredDialogs().slice(dialogsBefore), [], 'no dialog: the extension may already use it');
  });

  it('one more permission: the sign-in asks for the union, and the session has it', async () => {
    const session = await vscode.authentication.getSession(PROVIDER, [`connection:${id}`, 'Mail.Send'], {
      createIfNone: true,
    });
    const asked = (await emulatorRequests()).filter(isAuthorize).at(-1)?.scope?.split(' ') ?? [];
    assert.ok(
      asked.some((s) => s.endsWith('/Mail.Send')) && asked.some((s) => s.endsWith('/Mail.Read')),
      `authorize asked for ${asked.join(' ')}`,
    );
    assert.equal(session.id, id);
    assert.ok(session.scopes.includes('Mail.Send') && session.scopes.includes('Mail.Read'), session.scopes.join(' '));
  });

  it('a permission Entra does not grant: an error that names it, no session', async () => {
    await emulatorControl('withhold', { permissions: ['Calendars.Read'] });
    try {
      const authorizeBefore = (await emulatorRequests()).filter(isAuthorize).length;
      await assert.rejects(
        async () =>
          vscode.authentication.getSession(PROVIDER, [`connection:${id}`, 'Calendars.Read'], { createIfNone: true }),
        (err: Error) => /Calendars\.Read/.test(err.message),
      );
      const asked = (await emulatorRequests()).filter(isAuthorize);
      assert.equal(asked.length, authorizeBefore + 1, 'one sign-in was tried');
      assert.ok(asked.at(-1)?.scope?.includes('/Calendars.Read'), 'and it asked for the permission');
    } finally {
      await emulatorControl('withhold', { permissions: [] });
    }
  });

  describe('executeCommand("outlook365.copyAccessToken", id) from another extension', () => {
    const sentinel = `consumer-sentinel-${Date.now()}`;
    const question = `asked to copy the access token of "${connectionName}"`;

    beforeEach(async () => {
      await vscode.env.clipboard.writeText(sentinel);
      assert.equal(await vscode.env.clipboard.readText(), sentinel, 'the clipboard works in this workbench');
    });

    afterEach(async () => {
      answerTokenQuestionWith(undefined);
      await vscode.env.clipboard.writeText('');
    });

    it('asks the user in a modal naming the connection; Cancel (the user did not start it) leaves the clipboard as it was', async () => {
      const before = answeredDialogs().length;
      await vscode.commands.executeCommand('outlook365.copyAccessToken', id);
      // Not assert.equal: its message would print the clipboard, which must not be a token in test output.
      assert.ok((await vscode.env.clipboard.readText()) === sentinel, 'the clipboard still holds the sentinel');
      const asked = answeredDialogs().slice(before);
      assert.equal(asked.length, 1, `one question: ${JSON.stringify(asked)}`);
      assert.ok(asked[0].text.includes(question), `the question names the connection: ${asked[0].text}`);
      assert.equal(asked[0].button, 'Cancel');
    });

    it("Continue (the user started it): the connection's token, which the Graph emulator accepts", async () => {
      answerTokenQuestionWith('Continue');
      const before = answeredDialogs().length;
      await vscode.commands.executeCommand('outlook365.copyAccessToken', id);
      const asked = answeredDialogs().slice(before);
      assert.ok(
        asked.length === 1 && asked[0].text.includes(question) && asked[0].button === 'Continue',
        JSON.stringify(asked),
      );
      const copied = await vscode.env.clipboard.readText();
      assert.ok(copied !== sentinel, 'a token replaced the sentinel');
      assert.equal(await graphStatus(copied), 200);
    });
  });
});
