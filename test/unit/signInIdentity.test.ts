import * as assert from 'node:assert/strict';
import type { ConnectionConfig } from '../../src/model/connection';
import { signInChanges } from '../../src/model/signInIdentity';
import { draftFromConfig, emptyDraft, type ConnectionDraft } from '../../src/model/validate';
import { signInChangesOf, type FormState, type InitMessage } from '../../src/webview/form/model';

const APP = '11111111-2222-3333-4444-555555555555';
const OTHER_APP = '66666666-2222-3333-4444-555555555555';

const byo: ConnectionConfig = {
  id: 'c1',
  name: 'Sales',
  authType: 'byoApp',
  clientId: APP,
  confidential: false,
  environment: 'global',
  tenant: 'contoso.com',
  scopes: { preset: 'minimal', additional: ['Mail.Send'] },
  signInMethod: 'auto',
  loginHint: 'adele@contoso.com',
};
const stored = draftFromConfig(byo);
const edited = (fields: Partial<ConnectionDraft>): ConnectionDraft => ({ ...stored, ...fields });

describe('what identifies a sign-in (an edit of it drops tokens and facts)', () => {
  // [why, edit, typed secrets, fields reported]
  const table: [string, Partial<ConnectionDraft>, ('clientSecret' | 'password')[], string[]][] = [
    ['nothing changed', {}, [], []],
    [
      'a new name, shared mailbox or sign-in method keeps the sign-in',
      { name: 'Renamed', sharedMailbox: 'support@contoso.com', signInMethod: 'deviceCode' },
      [],
      [],
    ],
    [
      'case and spacing are no change',
      {
        tenant: ' CONTOSO.com ',
        clientId: APP.toUpperCase(),
        account: 'Adele@Contoso.com',
        additionalScopes: ' mail.send ',
      },
      [],
      [],
    ],
    ['the auth type', { authType: 'authCode' }, [], ['authType']],
    ['the environment', { environment: 'usGovL4' }, [], ['environment']],
    ['the tenant', { tenant: 'fabrikam.com' }, [], ['tenant']],
    ['an empty tenant is its default (common), not the stored one', { tenant: '' }, [], ['tenant']],
    ['the client id', { clientId: OTHER_APP }, [], ['clientId']],
    ['the account (login hint)', { account: 'alex@contoso.com' }, [], ['account']],
    ['a secret typed anew', {}, ['clientSecret'], ['clientSecret']],
    ['another permission', { additionalScopes: 'Mail.Send Calendars.Read' }, [], ['additionalScopes']],
    ['another preset', { scopePreset: 'calendar' }, [], ['scopePreset']],
    [
      'another preset asking for the same permissions is no change',
      { scopePreset: 'custom', additionalScopes: 'openid offline_access Mail.Read Mail.Send' },
      [],
      [],
    ],
  ];
  for (const [why, fields, typed, expected] of table) {
    it(why, () => assert.deepEqual(signInChanges(stored, edited(fields), typed), expected));
  }

  it('the username and password of ROPC, the account and certificate of app-only', () => {
    const ropc = draftFromConfig({
      id: 'r',
      name: 'r',
      authType: 'ropc',
      environment: 'global',
      tenant: 'contoso.com',
      username: 'adele@contoso.com',
      scopes: { preset: 'minimal', additional: [] },
    });
    assert.deepEqual(signInChanges(ropc, { ...ropc, username: 'alex@contoso.com' }, ['password']), [
      'username',
      'password',
    ]);
    const cert = draftFromConfig({
      id: 'x',
      name: 'x',
      authType: 'clientCertificate',
      environment: 'global',
      tenant: 'contoso.com',
      clientId: APP,
      account: 'robot@contoso.com',
      certificateThumbprint: 'AB',
      sendX5c: false,
    });
    assert.deepEqual(
      signInChanges(cert, { ...cert, sendX5c: true }, []),
      [],
      'sending the chain does not change who signs in',
    );
    assert.deepEqual(
      signInChanges(cert, { ...cert, account: 'other@contoso.com' }, ['certificate', 'certificatePassword']),
      ['account', 'certificate', 'certificatePassword'],
    );
  });

  it('the form names the changed fields only when editing (a secret typed, or a certificate file picked, counts)', () => {
    const state = (mode: 'add' | 'edit', draft: ConnectionDraft, certificateFile?: FormState['certificateFile']) =>
      ({
        init: { mode, draft: stored } as InitMessage,
        draft,
        ...(certificateFile ? { certificateFile } : {}),
      }) as FormState;
    assert.deepEqual(signInChangesOf(state('edit', edited({ name: 'Renamed' }))), []);
    assert.deepEqual(signInChangesOf(state('edit', edited({ tenant: 'fabrikam.com', clientSecret: 'typed' }))), [
      'tenant',
      'clientSecret',
    ]);
    assert.deepEqual(signInChangesOf(state('add', { ...emptyDraft(), tenant: 'fabrikam.com' })), []);
    const certDraft = { ...emptyDraft(), authType: 'clientCertificate' };
    const certState = {
      init: { mode: 'edit', draft: certDraft } as InitMessage,
      draft: certDraft,
      certificateFile: { fileName: 'new.pfx' },
    } as FormState;
    assert.deepEqual(signInChangesOf(certState), ['certificate']);
  });
});
