/**
 * The consumer after a reload (a new workbench start on the same user data and browser storage: a new
 * extension host with nothing in memory). Public API only; silent calls (no dialog may show).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { emulatorRequests, graphStatus, readState } from './state';

const PROVIDER = 'outlook365';
const isToken = (r: { path: string }) => r.path.endsWith('/oauth2/v2.0/token');

describe('a consumer extension after a reload', () => {
  const { connectionId: id, tokenRequestsAtEnd } = readState();

  it('the window start sent no token request (VS Code listing accounts is answered from stored facts)', async () => {
    // The provider is registered and VS Code has listed its accounts once the provider's extension is active.
    await vscode.extensions.getExtension('outlook365-connections.outlook365-connections')?.activate();
    await vscode.authentication.getAccounts(PROVIDER);
    assert.equal((await emulatorRequests()).filter(isToken).length, tokenRequestsAtEnd);
  });

  it('by id, silently: a token the Graph emulator accepts', async () => {
    const session = await vscode.authentication.getSession(PROVIDER, [`connection:${id}`], { silent: true });
    assert.ok(session, 'a session after the reload');
    assert.equal(session.id, id);
    assert.equal(await graphStatus(session.accessToken), 200);
  });

  it('by permission, silently: the connection', async () => {
    const session = await vscode.authentication.getSession(PROVIDER, ['Mail.Read'], { silent: true });
    assert.equal(session?.id, id);
    assert.ok(session?.accessToken && (await graphStatus(session.accessToken)) === 200);
  });
});
