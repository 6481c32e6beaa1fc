import * as assert from 'node:assert/strict';
import type { AuthCodeConnection } from '../../src/model/connection';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, makeClient, newId, withExpiredSignIn } from './support';

/**
 * One refresh flight per connection, silent or forced: two refreshes at once would send one refresh
 * token twice, and identity providers that rotate refresh tokens with reuse detection revoke the whole
 * token family when one is presented again (RFC 9700 §4.14.2, https://www.rfc-editor.org/rfc/rfc9700;
 * e.g. https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation).
 */
describe('engine: one refresh flight per connection', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const authCode = (): AuthCodeConnection => ({
    id: newId(),
    name: 'ac',
    authType: 'authCode',
    environment: 'custom',
    tenant: 'contoso.test',
    scopes: { preset: 'minimal', additional: [] },
    signInMethod: 'browser',
  });
  const refreshes = () => emulator.countRequests({ path: /\/token$/, grantType: 'refresh_token' });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  after(() => emulator.stop());

  it('a silent and a forced refresh at the same moment send one refresh-token request; both callers get its token', () =>
    withExpiredSignIn(emulator, authCode(), async (client) => {
      const before = refreshes();
      const [silent, forced] = await Promise.all([client.getToken(), client.getToken({ forceRefresh: true })]);
      assert.equal(refreshes() - before, 1);
      assert.equal(forced.fromCache, false);
      assert.equal(silent.accessToken.reveal(), forced.accessToken.reveal());
    }));

  it('a forced refresh, then a silent one at the same moment: the silent one takes the forced answer', () =>
    withExpiredSignIn(emulator, authCode(), async (client) => {
      const before = refreshes();
      const [forced, silent] = await Promise.all([client.getToken({ forceRefresh: true }), client.getToken()]);
      assert.equal(refreshes() - before, 1);
      assert.equal(silent.accessToken.reveal(), forced.accessToken.reveal());
    }));

  it('a forced refresh that meets a silent one answered from the cache still gets a new token, one request after the other', async () => {
    const client = makeClient(emulator, authCode());
    const first = await client.signIn({ ui: browserAs(ADELE) });
    const before = refreshes();
    const [silent, forced] = await Promise.all([client.getToken(), client.getToken({ forceRefresh: true })]);
    assert.equal(silent.fromCache, true);
    assert.equal(silent.accessToken.reveal(), first.accessToken.reveal());
    assert.equal(forced.fromCache, false);
    assert.notEqual(forced.accessToken.reveal(), first.accessToken.reveal());
    assert.equal(refreshes() - before, 1);
  });

  it('many silent and forced callers at once: still one refresh-token request', () =>
    withExpiredSignIn(emulator, authCode(), async (client) => {
      const before = refreshes();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => client.getToken({ forceRefresh: i % 2 === 0 })),
      );
      assert.equal(refreshes() - before, 1);
      assert.equal(new Set(results.map((r) => r.accessToken.reveal())).size, 1);
    }));
});
