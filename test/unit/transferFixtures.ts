/** Configurations of every auth type, built by the form's validator, for the export / import unit tests. */
import type { ConnectionConfig } from '../../src/model/connection';
import { emptyDraft, validateDraft, type ConnectionDraft } from '../../src/model/validate';

export const SANDBOX = {
  name: 'Sandbox',
  loginEndpoint: 'https://login.sandbox.test',
  graphEndpoint: 'https://graph.sandbox.test',
};
export const APP = '0b7c7c5e-1111-4222-8333-944444444444';

let counter = 0;
export function config(fields: Partial<ConnectionDraft>, secretsStored: boolean = true): ConnectionConfig {
  const result = validateDraft(
    { ...emptyDraft(), tenant: 'contoso.onmicrosoft.com', ...fields },
    {
      customEnvironment: SANDBOX,
      defaultPublicClientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
      storedSecrets: secretsStored ? ['clientSecret', 'certificate', 'password'] : [],
      newId: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
    },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/** One of each auth type (byoApp twice: public and confidential), one of them on custom endpoints. */
export function everyType(): ConnectionConfig[] {
  return [
    config({
      name: 'Delegated',
      authType: 'authCode',
      scopePreset: 'sharedMailbox',
      sharedMailbox: 'team@contoso.com',
      operations: 'readSharedMailbox sendMail',
    }),
    config(
      { name: 'Own app', authType: 'byoApp', clientId: APP, signInMethod: 'deviceCode', scopePreset: 'appDefault' },
      false,
    ),
    config({ name: 'Own app (secret)', authType: 'byoApp', clientId: APP, account: 'adele@contoso.com' }),
    config({
      name: 'Service',
      authType: 'clientCredentials',
      clientId: APP,
      account: 'svc@contoso.com',
      operations: 'readMail profile',
    }),
    config({
      name: 'Certificate',
      authType: 'clientCertificate',
      clientId: APP,
      account: 'svc@contoso.com',
      sendX5c: true,
    }),
    config({ name: 'Password', authType: 'ropc', username: 'megan@contoso.com', additionalScopes: 'Mail.Send' }),
    config({ name: 'Sandbox', authType: 'authCode', environment: 'custom', tenant: 'contoso.test' }),
  ];
}
