/**
 * The consumer after a reload (a new workbench start on the same user data and browser storage: a new
 * extension host with nothing in memory). Public API only; the connection's access token from the first
 * window is still valid. Listing sessions comes from the stored facts without a token request; a session
 * that is used may refresh silently (the connection still asks for the permission withheld in the first
 * window), never with a dialog or a sign-in page.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ADELE } from './seed';
import { answeredDialogs, emulatorRequests, graphStatus, readState } from './state';

const PROVIDER = 'outlook365';
const isAuthorize = (r: { path: string }) => r.path.endsWith('/oauth2/v2.0/authorize');
const isToken = (r: { path: string }) => r.path.endsWith('/oauth2/v2.0/token');
const tokenRequests = async () => (await emulatorRequests()).filter(isToken).length;
/** The token requests after the first `n`, by grant and scope, for a failure's message. */
const tokenRequestsAfter = async (n: number) =>
  JSON.stringify(
    (await emulatorRequests())
      .filter(isToken)
      .slice(n)
      .map((r) => ({ grantType: r.grantType, scope: r.scope })),
  );

describe('a consumer extension after a reload', () => {
  const {
    connectionId: id,
    connectionName,
    secondConnectionId,
    secondConnectionName,
    tokenRequestsAtEnd,
  } = readState();

  it('the window start and VS Code listing the accounts sent no token request; the accounts name the connections', async () => {
    // The provider is registered once its extension is active; listing the accounts (what the Accounts menu
    // does) asks it for every session without a connection, which it answers from stored facts.
    await vscode.extensions.getExtension('outlook365-connections.outlook365-connections')?.activate();
    const accounts = await vscode.authentication.getAccounts(PROVIDER);
    assert.deepEqual(
      accounts.map((a) => ({ id: a.id, label: a.label })),
      [
        { id, label: `${connectionName} (${ADELE.upn})` },
        { id: secondConnectionId, label: `${secondConnectionName} (${ADELE.upn})` },
      ],
    );
    assert.equal(await tokenRequests(), tokenRequestsAtEnd, await tokenRequestsAfter(tokenRequestsAtEnd ?? 0));
  });

  it('by id, silently: the session, with a token the Graph emulator accepts', async () => {
    const session = await vscode.authentication.getSession(PROVIDER, [`connection:${id}`], { silent: true });
    assert.ok(session, 'a session after the reload');
    assert.equal(session.id, id);
    assert.equal(await graphStatus(session.accessToken), 200);
  });

  it('by permission, silently: the first connection (also the one VS Code last gave the extension)', async () => {
    const session = await vscode.authentication.getSession(PROVIDER, ['Mail.Read'], { silent: true });
    assert.equal(session?.id, id);
    assert.ok(session?.accessToken && (await graphStatus(session.accessToken)) === 200, 'Graph accepts its token');
  });

  it('createIfNone for the valid connection: no dialog (already allowed), no authorize request', async () => {
    const authorizeBefore = (await emulatorRequests()).filter(isAuthorize).length;
    const dialogsBefore = answeredDialogs().length;
    const session = await vscode.authentication.getSession(PROVIDER, [`connection:${id}`, 'Mail.Read'], {
      createIfNone: true,
    });
    assert.equal(session.id, id);
    assert.deepEqual(answeredDialogs().slice(dialogsBefore), []);
    assert.equal((await emulatorRequests()).filter(isAuthorize).length, authorizeBefore, 'no authorize request');
  });
});
