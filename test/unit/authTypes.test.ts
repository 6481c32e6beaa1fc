import * as assert from 'node:assert/strict';
import { AUTH_TYPES, AUTH_TYPE_TABLE, SECRET_FIELDS, type AuthType } from '../../src/model/authTypes';
import { isBroken, parseStoredConnection } from '../../src/model/storedConnection';
import { draftFromConfig, emptyDraft, validateDraft, type ConnectionDraft } from '../../src/model/validate';

const GUID = '11111111-2222-3333-4444-555555555555';
/** A valid draft of each auth type, filling every field the table says it shows. */
const VALID: Record<AuthType, Partial<ConnectionDraft>> = {
  authCode: { tenant: 'contoso.com', account: 'a@contoso.com', sharedMailbox: 's@contoso.com' },
  byoApp: {
    tenant: 'contoso.com',
    clientId: GUID,
    clientSecret: 'shh',
    account: 'a@contoso.com',
    signInMethod: 'browser',
  },
  clientCredentials: { clientId: GUID, clientSecret: 'shh', tenant: 'contoso.com', account: 'a@contoso.com' },
  clientCertificate: {
    clientId: GUID,
    certificate: 'pfx',
    certificatePassword: 'pw',
    sendX5c: true,
    tenant: 'contoso.com',
    account: 'a@contoso.com',
  },
  ropc: { clientId: GUID, tenant: 'contoso.com', username: 'u@contoso.com', password: 'pw' },
};

describe('the auth-type table', () => {
  for (const authType of AUTH_TYPES) {
    const spec = AUTH_TYPE_TABLE[authType];
    it(`${authType}: required and secret fields are fields it shows`, () => {
      for (const field of [...spec.required, ...spec.secretFields]) assert.ok(spec.fields.includes(field), field);
      assert.deepEqual(
        SECRET_FIELDS.filter((f) => spec.fields.includes(f)),
        [...spec.secretFields],
        'every secret field it shows is one it stores',
      );
    });

    it(`${authType}: what its builder makes passes its stored-shape check and edits back into the same draft`, () => {
      const draft: ConnectionDraft = { ...emptyDraft(), name: 'Test', authType, ...VALID[authType] };
      const result = validateDraft(draft, {
        openCertificate: () => ({ thumbprintSha256: 'AB'.repeat(32), notAfter: new Date('2099-01-01') }),
        now: new Date('2030-01-01'),
      });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
      const stored = parseStoredConnection(JSON.parse(JSON.stringify(result.config)), 0);
      assert.ok(!isBroken(stored), isBroken(stored) ? stored.broken.text : '');
      const edited = draftFromConfig(stored);
      for (const field of spec.fields) {
        if (!(SECRET_FIELDS as readonly string[]).includes(field)) assert.deepEqual(edited[field], draft[field], field);
      }
      for (const field of SECRET_FIELDS) assert.equal(edited[field], '', `${field} never comes back into a draft`);
    });
  }
});
