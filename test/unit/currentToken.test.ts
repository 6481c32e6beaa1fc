import * as assert from 'node:assert/strict';
import { CurrentToken } from '../../src/engine/currentToken';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import { Secret } from '../../src/model/secret';

/** The in-memory index of a connection's current access token (src/engine/currentToken.ts). */
describe('the current access token beside its cache', () => {
  const token = (value: string, minutes: number) => ({
    accessToken: new Secret(value),
    expiresOn: new Date(Date.now() + minutes * 60_000),
  });

  it('answers while the stored cache is the one the token came with', async () => {
    const store = new MemoryTokenCacheStore('{"AccessToken":{"x":{"secret":"at-1"}}}');
    const current = new CurrentToken(store);
    const result = token('at-1', 60);
    await current.set(result);
    assert.equal(await current.get(), result);
  });

  it('any change of the stored cache (refresh, sign-out, another window) sends the next request to MSAL', async () => {
    const store = new MemoryTokenCacheStore('{"AccessToken":{"x":{"secret":"at-1"}}}');
    const current = new CurrentToken(store);
    await current.set(token('at-1', 60));
    store.value = '{"AccessToken":{"x":{"secret":"at-1"}},"Account":{}}';
    assert.equal(await current.get(), undefined);
    store.value = undefined; // deleted
    assert.equal(await current.get(), undefined);
  });

  it('a token inside MSAL’s renewal margin (5 minutes) is not answered from the index', async () => {
    const store = new MemoryTokenCacheStore('{"AccessToken":{"x":{"secret":"at-1"}}}');
    const current = new CurrentToken(store);
    await current.set(token('at-1', 4));
    assert.equal(await current.get(), undefined);
  });

  it('a cache that does not hold the token (changed between MSAL’s write and the index) is not indexed', async () => {
    const store = new MemoryTokenCacheStore('{"AccessToken":{}}');
    const current = new CurrentToken(store);
    await current.set(token('at-1', 60));
    assert.equal(await current.get(), undefined);
  });

  it('cleared at sign-out', async () => {
    const store = new MemoryTokenCacheStore('{"AccessToken":{"x":{"secret":"at-1"}}}');
    const current = new CurrentToken(store);
    await current.set(token('at-1', 60));
    current.clear();
    assert.equal(await current.get(), undefined);
  });
});
