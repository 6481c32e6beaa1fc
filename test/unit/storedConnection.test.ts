import * as assert from 'node:assert/strict';
import { isBroken, parseStoredConnection } from '../../src/model/storedConnection';

describe('stored connections', () => {
  const good = {
    id: 'a',
    name: 'Work',
    authType: 'authCode',
    environment: 'global',
    tenant: 'organizations',
    scopes: { preset: 'minimal', additional: [] },
    signInMethod: 'auto',
  };
  it('a well-formed entry comes back as it was stored', () => {
    assert.deepEqual(parseStoredConnection(good, 0), good);
  });
  const damaged: [string, unknown][] = [
    ['not an object', 'x'],
    ['null', null],
    ['no id', { ...good, id: undefined }],
    ['an unknown auth type', { ...good, authType: 'magic' }],
    ['an unknown environment', { ...good, environment: 'mars' }],
    ['scopes of the wrong shape', { ...good, scopes: ['Mail.Read'] }],
    [
      'a certificate connection without its thumbprint',
      { ...good, authType: 'clientCertificate', clientId: 'c', account: 'a@b.c', sendX5c: false },
    ],
  ];
  for (const [why, value] of damaged) {
    it(`an entry with ${why} becomes a broken entry that can still be listed and deleted`, () => {
      const entry = parseStoredConnection(value, 3);
      assert.ok(isBroken(entry));
      assert.ok(entry.id && entry.name && entry.broken);
    });
  }
});
