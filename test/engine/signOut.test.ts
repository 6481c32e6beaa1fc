import * as assert from 'node:assert/strict';
import type { RopcConnection } from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { Secret } from '../../src/model/secret';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import { ConnectionTokenClient } from '../../src/engine/tokenClient';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, environmentOf, newId } from './support';

/**
 * Sign Out of a username/password connection holds: the stored password is not used to sign in again
 * by itself (a refresh, a copy, a test) until the user signs in explicitly. The extension keeps the
 * marker across reloads in the connection's facts and hands it to a new client (`signedOut`).
 */
describe('engine: ROPC sign-out holds until an explicit sign-in', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const ropc = (): RopcConnection => ({
    id: newId(),
    name: 'ropc',
    authType: 'ropc',
    environment: 'custom',
    tenant: 'contoso.test',
    username: ADELE.upn,
    scopes: { preset: 'minimal', additional: [] },
  });
  const clientOf = (config: RopcConnection, options: { signedOut?: boolean } = {}) =>
    new ConnectionTokenClient({
      config,
      environment: environmentOf(emulator),
      secrets: { password: new Secret(ADELE.password) },
      cacheStore: new MemoryTokenCacheStore(),
      ...options,
    });
  const tokenRequests = () => emulator.countRequests({ path: /\/token$/ });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  after(() => emulator.stop());

  async function assertNotSignedIn(promise: Promise<unknown>): Promise<void> {
    const err = await promise.then(
      () => assert.fail('expected no token'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectionError, String(err));
    assert.equal(err.failure.kind, 'reconnect');
    assert.match(err.failure.message.text, /^Not signed in/);
  }

  it('after signOut(), neither a silent nor a forced refresh signs in with the stored password; signIn() does, and renewal works again', async () => {
    const client = clientOf(ropc());
    await client.signIn({ ui: browserAs(ADELE) });
    await client.signOut();
    const before = tokenRequests();
    await assertNotSignedIn(client.getToken());
    await assertNotSignedIn(client.getToken({ forceRefresh: true }));
    assert.equal(tokenRequests(), before, 'no token request after the sign-out');
    await client.signIn({ ui: browserAs(ADELE) });
    assert.equal(tokenRequests() - before, 1);
    // Signed in again: a lost refresh token is renewed with the password as before.
    emulator.revokeRefreshTokens(ADELE.upn);
    const renewed = await client.getToken({ forceRefresh: true });
    assert.equal(renewed.fromCache, false);
  });

  it('a new client with the kept marker (after a reload) does not sign in by itself; without it, it does (the password renewal ROPC is for)', async () => {
    const config = ropc();
    const before = tokenRequests();
    await assertNotSignedIn(clientOf(config, { signedOut: true }).getToken());
    assert.equal(tokenRequests(), before, 'no token request while signed out');
    const renewed = await clientOf(config).getToken();
    assert.equal(renewed.account?.username, ADELE.upn);
    assert.equal(tokenRequests() - before, 1);
  });
});
