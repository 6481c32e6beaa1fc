import * as assert from 'node:assert/strict';
import type { ClientCredentialsConnection, RopcConnection } from '../../src/model/connection';
import { graphPermissions, summarizeScopes } from '../../src/model/scopes';
import { Secret } from '../../src/model/secret';
import { acquireSession } from '../../src/engine/sessionAcquire';
import type { ConnectionTokenClient } from '../../src/engine/tokenClient';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, authCodeConnection, browserAs, makeClient, newId, waitFor } from './support';

const CC_APP = 'c0ffee00-0000-4000-8000-00000000a5a1';

/** createSession's logic (engine/sessionAcquire) with the real token client against the emulator. */
describe('engine: a session asked for by another extension (silent first, the union of permissions)', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const authCode = () => authCodeConnection();
  const authorizeRequests = () => emulator.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/authorize'));

  function acquire(client: ConnectionTokenClient, requested: string[]) {
    const config = client.config;
    const interactiveCalls: string[][] = [];
    const result = acquireSession({
      requested,
      configured: 'scopes' in config ? graphPermissions(summarizeScopes(config.scopes)) : [],
      appOnly: config.authType === 'clientCredentials' || config.authType === 'clientCertificate',
      silent: () => client.getToken(),
      interactive: (add) => {
        interactiveCalls.push(add);
        return client.signIn({ ui: browserAs(ADELE), method: 'browser', addPermissions: add });
      },
    });
    return { result, interactiveCalls };
  }

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({
      clientId: CC_APP,
      publicClient: false,
      secrets: ['cc-secret-a5a1'],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
  });
  after(() => emulator.stop());
  afterEach(() => {
    emulator.withhold([]);
    emulator.setLifetimes({ accessTokenSeconds: 3600 });
  });

  it('a signed-in connection whose token has what is asked: no sign-in page, no token request', async () => {
    const client = makeClient(emulator, authCode());
    await client.signIn({ ui: browserAs(ADELE) });
    const authorizeBefore = authorizeRequests().length;
    const tokensBefore = emulator.countRequests({ path: /\/token$/ });
    const { result, interactiveCalls } = acquire(client, ['Mail.Read']);
    const token = await result;
    assert.ok(token.grantedScopes.includes('Mail.Read'));
    assert.deepEqual(interactiveCalls, []);
    assert.equal(authorizeRequests().length, authorizeBefore, 'no authorize request');
    assert.equal(emulator.countRequests({ path: /\/token$/ }), tokensBefore, 'answered from the cache');
  });

  it('an expired access token is refreshed silently (refresh token grant, no sign-in page)', async () => {
    emulator.setLifetimes({ accessTokenSeconds: 1 });
    const client = makeClient(emulator, authCode());
    const first = await client.signIn({ ui: browserAs(ADELE) });
    await waitFor(() => Date.now() > first.expiresOn.getTime() + 10, 'the access token to expire', 5000);
    emulator.setLifetimes({ accessTokenSeconds: 3600 });
    const authorizeBefore = authorizeRequests().length;
    const refreshBefore = emulator.countRequests({ grantType: 'refresh_token' });
    const { result, interactiveCalls } = acquire(client, []);
    const token = await result;
    assert.notEqual(token.accessToken.reveal(), first.accessToken.reveal());
    assert.deepEqual(interactiveCalls, []);
    assert.equal(authorizeRequests().length, authorizeBefore);
    assert.equal(emulator.countRequests({ grantType: 'refresh_token' }), refreshBefore + 1);
  });

  it('ROPC that was never signed in signs in with its stored password, silently', async () => {
    const config: RopcConnection = {
      id: newId(),
      name: 'ropc',
      authType: 'ropc',
      environment: 'custom',
      tenant: 'contoso.test',
      username: ADELE.upn,
      scopes: { preset: 'minimal', additional: [] },
    };
    const client = makeClient(emulator, config, { password: new Secret(ADELE.password) });
    const { result, interactiveCalls } = acquire(client, ['Mail.Read']);
    assert.equal((await result).account?.username, ADELE.upn);
    assert.deepEqual(interactiveCalls, []);
  });

  it('a revoked refresh token (interaction required) ends in the interactive sign-in', async () => {
    emulator.setLifetimes({ accessTokenSeconds: 1 });
    const client = makeClient(emulator, authCode());
    const first = await client.signIn({ ui: browserAs(ADELE) });
    emulator.setLifetimes({ accessTokenSeconds: 3600 });
    emulator.revokeRefreshTokens(ADELE.upn);
    await waitFor(() => Date.now() > first.expiresOn.getTime() + 10, 'the access token to expire', 5000);
    const { result, interactiveCalls } = acquire(client, []);
    await result;
    assert.deepEqual(interactiveCalls, [[]], 'one interactive sign-in, nothing added');
  });

  it('a permission the connection does not have: the sign-in asks for the union, and the session has it', async () => {
    const client = makeClient(emulator, authCode());
    await client.signIn({ ui: browserAs(ADELE) });
    const { result, interactiveCalls } = acquire(client, ['Mail.Send']);
    const token = await result;
    assert.deepEqual(interactiveCalls, [['Mail.Send']]);
    const asked = authorizeRequests()
      .at(-1)!
      .scope!.split(' ')
      .map((s) => s.replace(/^https:\/\/[^/]+\//, ''));
    for (const p of ['Mail.Read', 'Mail.Send', 'openid', 'offline_access'])
      assert.ok(asked.includes(p), `authorize asked for ${p}: ${asked.join(' ')}`);
    assert.ok(
      token.grantedScopes.includes('Mail.Send') && token.grantedScopes.includes('Mail.Read'),
      token.grantedScopes.join(' '),
    );
    assert.ok(
      token.requestedScopes.some((s) => s.endsWith('/Mail.Send')),
      'the union is what was requested',
    );
  });

  it('a permission Entra does not grant: an error that names it, never a session without it', async () => {
    emulator.withhold(['Calendars.Read']);
    const client = makeClient(emulator, authCode());
    await client.signIn({ ui: browserAs(ADELE) });
    const { result } = acquire(client, ['Mail.Read', 'Calendars.Read']);
    await assert.rejects(result, (err: Error & { failure?: { message: { args?: Record<string, unknown> } } }) => {
      assert.equal(err.failure?.message.args?.permissions, 'Calendars.Read');
      return true;
    });
  });

  it('delegated permissions asked of an app-only connection: a clear error, no sign-in', async () => {
    const config: ClientCredentialsConnection = {
      id: newId(),
      name: 'cc',
      authType: 'clientCredentials',
      environment: 'custom',
      tenant: 'contoso.test',
      clientId: CC_APP,
      account: ADELE.upn,
    };
    const client = makeClient(emulator, config, { clientSecret: new Secret('cc-secret-a5a1') });
    const ok = acquire(client, ['Mail.Read']);
    assert.ok((await ok.result).grantedScopes.includes('Mail.Read'), 'the granted application permission is fine');
    const { result, interactiveCalls } = acquire(client, ['Mail.Send']);
    await assert.rejects(
      result,
      (err: Error & { failure?: { message: { text: string; args?: Record<string, unknown> } } }) => {
        assert.match(err.failure!.message.text, /signs in as an app/);
        assert.equal(err.failure!.message.args?.permissions, 'Mail.Send');
        return true;
      },
    );
    assert.deepEqual(interactiveCalls, []);
  });
});
