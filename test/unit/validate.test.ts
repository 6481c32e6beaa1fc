import * as assert from 'node:assert/strict';
import { formatMessage } from '../../src/model/messages';
import { Secret } from '../../src/model/secret';
import { AUTH_TYPE_TABLE } from '../../src/model/authTypes';
import {
  draftFromConfig,
  emptyDraft,
  parseDraft,
  validateDraft,
  type ConnectionDraft,
  type DraftField,
  type ValidationContext,
} from '../../src/model/validate';

const GUID = '11111111-2222-3333-4444-555555555555';
const draft = (fields: Partial<ConnectionDraft>): ConnectionDraft => ({ ...emptyDraft(), name: 'Test', ...fields });
const errorsOf = (d: ConnectionDraft, ctx?: ValidationContext) => {
  const result = validateDraft(d, ctx);
  return result.ok ? {} : result.errors;
};
const fakeCertificate: ValidationContext['openCertificate'] = (pfx, password) => {
  if (password !== 'right') throw new Error('The certificate password is wrong.');
  return { thumbprintSha256: 'AB'.repeat(32), notAfter: new Date(pfx === 'old' ? '2020-01-01' : '2099-01-01') };
};

describe('connection validation', () => {
  it('each auth type shows exactly its fields (DESIGN.md)', () => {
    assert.deepEqual(AUTH_TYPE_TABLE.clientCertificate.fields, [
      'name',
      'environment',
      'clientId',
      'certificate',
      'certificatePassword',
      'sendX5c',
      'tenant',
      'account',
      'sharedMailbox',
      'operations',
    ]);
    assert.ok(!AUTH_TYPE_TABLE.authCode.fields.includes('clientId'), 'the public app needs no client id');
    assert.ok(!AUTH_TYPE_TABLE.clientCredentials.fields.includes('scopePreset'), 'app-only uses /.default');
  });

  // [why, draft, field expected in error, or undefined = valid]
  const table: [string, Partial<ConnectionDraft>, DraftField | undefined][] = [
    ['authCode with defaults is valid (tenant organizations)', { authType: 'authCode' }, undefined],
    ['a name is required', { authType: 'authCode', name: ' ' }, 'name'],
    ['an unknown environment is refused', { authType: 'authCode', environment: 'mars' }, 'environment'],
    [
      'custom environment without the setting is refused',
      { authType: 'authCode', environment: 'custom' },
      'environment',
    ],
    ['tenant must be a GUID or domain', { authType: 'authCode', tenant: 'not a tenant' }, 'tenant'],
    ['tenant as domain is fine', { authType: 'authCode', tenant: 'contoso.onmicrosoft.com' }, undefined],
    ['shared mailbox must be an address', { authType: 'authCode', sharedMailbox: 'support' }, 'sharedMailbox'],
    [
      'additional scopes are validated',
      { authType: 'authCode', additionalScopes: 'Mail.Send bad scope!' },
      'additionalScopes',
    ],
    [
      'another cloud’s scope URI is refused',
      { authType: 'authCode', additionalScopes: 'https://graph.microsoft.us/Mail.Send' },
      'additionalScopes',
    ],
    ['custom preset needs a scope', { authType: 'authCode', scopePreset: 'custom' }, 'additionalScopes'],
    ['byoApp needs a client id', { authType: 'byoApp' }, 'clientId'],
    ['client id must be a GUID', { authType: 'byoApp', clientId: 'my-app' }, 'clientId'],
    ['byoApp public client is valid with tenant common', { authType: 'byoApp', clientId: GUID }, undefined],
    [
      'byoApp with a secret cannot use device code',
      { authType: 'byoApp', clientId: GUID, clientSecret: 's', signInMethod: 'deviceCode' },
      'signInMethod',
    ],
    [
      'client credentials need a tenant',
      { authType: 'clientCredentials', clientId: GUID, clientSecret: 's', account: 'a@contoso.com' },
      'tenant',
    ],
    [
      'client credentials refuse common',
      { authType: 'clientCredentials', clientId: GUID, clientSecret: 's', account: 'a@contoso.com', tenant: 'common' },
      'tenant',
    ],
    [
      'client credentials refuse organizations',
      {
        authType: 'clientCredentials',
        clientId: GUID,
        clientSecret: 's',
        account: 'a@contoso.com',
        tenant: 'organizations',
      },
      'tenant',
    ],
    [
      'client credentials need the secret',
      { authType: 'clientCredentials', clientId: GUID, tenant: GUID, account: 'a@contoso.com' },
      'clientSecret',
    ],
    [
      // ../shared/seeds/ (German): without an account the connection is a service account without a mailbox.
      'client credentials without a mailbox are valid (a service account)',
      { authType: 'clientCredentials', clientId: GUID, tenant: GUID, clientSecret: 's' },
      undefined,
    ],
    [
      'client credentials: a mailbox given must be an address',
      { authType: 'clientCredentials', clientId: GUID, tenant: GUID, clientSecret: 's', account: 'automation' },
      'account',
    ],
    [
      'client credentials valid',
      {
        authType: 'clientCredentials',
        clientId: GUID,
        tenant: 'contoso.com',
        clientSecret: 's',
        account: 'a@contoso.com',
      },
      undefined,
    ],
    [
      'certificate required',
      { authType: 'clientCertificate', clientId: GUID, tenant: GUID, account: 'a@contoso.com' },
      'certificate',
    ],
    [
      'certificate with the wrong password',
      {
        authType: 'clientCertificate',
        clientId: GUID,
        tenant: GUID,
        account: 'a@contoso.com',
        certificate: 'QUJD',
        certificatePassword: 'wrong',
      },
      'certificatePassword',
    ],
    [
      'expired certificate',
      {
        authType: 'clientCertificate',
        clientId: GUID,
        tenant: GUID,
        account: 'a@contoso.com',
        certificate: 'old',
        certificatePassword: 'right',
      },
      'certificate',
    ],
    [
      'certificate valid',
      {
        authType: 'clientCertificate',
        clientId: GUID,
        tenant: GUID,
        account: 'a@contoso.com',
        certificate: 'QUJD',
        certificatePassword: 'right',
      },
      undefined,
    ],
    ['ROPC refuses common', { authType: 'ropc', tenant: 'common', username: 'a@contoso.com', password: 'p' }, 'tenant'],
    ['ROPC needs the password', { authType: 'ropc', tenant: GUID, username: 'a@contoso.com' }, 'password'],
    [
      'ROPC valid with the default public client',
      { authType: 'ropc', tenant: GUID, username: 'a@contoso.com', password: 'p' },
      undefined,
    ],
  ];
  for (const [why, fields, field] of table) {
    it(why, () => {
      const errors = errorsOf(draft(fields), { openCertificate: fakeCertificate });
      if (field) {
        assert.ok(errors[field], `expected an error on ${field}, got ${JSON.stringify(errors)}`);
        assert.ok(formatMessage(errors[field]).length > 5);
      } else {
        assert.deepEqual(errors, {});
      }
    });
  }

  it('each auth type refuses the tenants it cannot use with its own reason', () => {
    const reason = (extra: Partial<ConnectionDraft>) => formatMessage(errorsOf(draft(extra)).tenant!);
    assert.match(reason({ authType: 'authCode', tenant: 'consumers' }), /work or school accounts only/);
    assert.doesNotMatch(reason({ authType: 'authCode', tenant: 'consumers' }), /App-only/);
    assert.match(
      reason({ authType: 'ropc', tenant: 'common', username: 'a@contoso.com', password: 'x' }),
      /Username and password/,
    );
    assert.match(
      reason({
        authType: 'clientCredentials',
        tenant: 'organizations',
        clientId: GUID,
        clientSecret: 's',
        account: 'a@contoso.com',
      }),
      /App-only sign-in needs one tenant/,
    );
  });

  it('names must be unique, case-insensitively', () => {
    assert.ok(errorsOf(draft({ name: 'Work' }), { otherNames: ['work'] }).name);
  });

  it('secrets come out separately, as Secret values that never serialize', () => {
    const result = validateDraft(
      draft({
        authType: 'clientCredentials',
        clientId: GUID,
        tenant: GUID,
        clientSecret: 'hunter2',
        account: 'a@contoso.com',
      }),
    );
    assert.ok(result.ok);
    assert.ok(result.secrets.clientSecret instanceof Secret);
    assert.equal(result.secrets.clientSecret.reveal(), 'hunter2');
    assert.doesNotMatch(JSON.stringify(result.config), /hunter2/);
    assert.doesNotMatch(JSON.stringify(result.secrets), /hunter2/);
    assert.doesNotMatch(String(result.secrets.clientSecret), /hunter2/);
  });

  it('a service account without a mailbox is saved without an account, and edits back to an empty field', () => {
    const result = validateDraft(
      draft({ authType: 'clientCredentials', clientId: GUID, tenant: GUID, clientSecret: 's', account: '' }),
    );
    assert.ok(result.ok);
    assert.equal('account' in result.config, false);
    assert.equal(draftFromConfig(result.config).account, '');
  });

  it('ROPC always carries the warning', () => {
    const result = validateDraft(draft({ authType: 'ropc', tenant: GUID, username: 'a@contoso.com', password: 'p' }));
    assert.ok(result.warnings.password);
  });

  it('editing keeps stored secrets when the field is left empty', () => {
    const first = validateDraft(
      draft({
        authType: 'clientCredentials',
        clientId: GUID,
        tenant: GUID,
        clientSecret: 's',
        account: 'a@contoso.com',
      }),
    );
    assert.ok(first.ok);
    const edited = validateDraft(
      { ...draftFromConfig(first.config), name: 'Renamed' },
      { existing: first.config, storedSecrets: ['clientSecret'] },
    );
    assert.ok(edited.ok);
    assert.equal(edited.config.id, first.config.id);
    assert.equal(edited.secrets.clientSecret, undefined, 'nothing to overwrite');
  });

  it('a draft from a config round-trips through validation', () => {
    const first = validateDraft(
      draft({
        authType: 'byoApp',
        clientId: GUID,
        sharedMailbox: 'support@contoso.com',
        additionalScopes: 'Mail.Send',
        scopePreset: 'sharedMailbox',
      }),
    );
    assert.ok(first.ok);
    const again = validateDraft(draftFromConfig(first.config), { existing: first.config });
    assert.ok(again.ok);
    assert.deepEqual(again.config, first.config);
  });

  const hostile: [string, unknown][] = [
    ['null', null],
    ['an array', []],
    ['a string', 'x'],
    ['an unknown key', { ...emptyDraft(), __proto__x: 1 }],
    ['a number where a string belongs', { ...emptyDraft(), name: 5 }],
    ['a string where the boolean belongs', { ...emptyDraft(), sendX5c: 'yes' }],
    ['an oversized field', { ...emptyDraft(), name: 'x'.repeat(5000) }],
  ];
  for (const [why, value] of hostile) {
    it(`parseDraft refuses ${why}`, () => assert.equal(parseDraft(value), undefined));
  }
  it('the delegated types take an optional Account (UPN) as the login hint (the Japanese seed asks for it with your own app)', () => {
    for (const authType of ['authCode', 'byoApp'] as const) {
      const fields = { authType, clientId: GUID };
      const hinted = validateDraft(draft({ ...fields, account: ' adele@contoso.com ' }));
      assert.ok(hinted.ok && 'loginHint' in hinted.config && hinted.config.loginHint === 'adele@contoso.com', authType);
      assert.equal(draftFromConfig(hinted.config).account, 'adele@contoso.com', 'the form shows it again');
      const none = validateDraft(draft(fields));
      assert.ok(none.ok && !('loginHint' in none.config), 'optional');
      assert.deepEqual(Object.keys(errorsOf(draft({ ...fields, account: 'adele' }))), ['account']);
    }
  });

  it('parseDraft accepts a partial, well-typed draft', () => {
    assert.deepEqual(parseDraft({ name: 'x', sendX5c: true }), { ...emptyDraft(), name: 'x', sendX5c: true });
  });
});
