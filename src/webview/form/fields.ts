/**
 * The form's field table: each field's label, description, placeholder and input type, as functions of
 * the state (the text depends on the auth type, the environment, what is stored). The view lays the
 * fields out; the words live here, each a literal `t('…')` so the l10n extraction finds it.
 */
import { AUTH_TYPE_TABLE, DEFAULT_PUBLIC_CLIENT_ID } from '../../model/authTypes';
import type { DraftField } from '../../model/draft';
import { authTypeOf, defaultTenant, localize, type FormState, type Translate } from './model';

export interface FieldText {
  label: (t: Translate) => string;
  description?: (state: FormState, t: Translate) => string;
  placeholder?: (state: FormState, t: Translate) => string | undefined;
  /** Text fields only. */
  input?: 'text' | 'password' | 'email' | 'date';
}

const GUID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const defaultClientId = (state: FormState) => state.init.defaultPublicClientId || DEFAULT_PUBLIC_CLIENT_ID;
const is = (state: FormState, ...types: string[]) => types.includes(authTypeOf(state.draft));

export const FIELDS: Readonly<Record<DraftField, FieldText>> = {
  name: {
    label: (t) => t('Connection name'),
    description: (_, t) => t('Shown in the Connections view; must be unique.'),
    placeholder: (_, t) => t('e.g. Sales mailbox'),
    input: 'text',
  },
  authType: {
    label: (t) => t('Authentication type'),
    description: (state, t) => localize(AUTH_TYPE_TABLE[authTypeOf(state.draft)].description, t),
  },
  environment: {
    label: (t) => t('Environment'),
    description: (state, t) => {
      const custom =
        state.draft.environment === 'custom' ? state.init.environments.find((e) => e.id === 'custom') : undefined;
      return custom?.loginEndpoint && custom.graphEndpoint
        ? t(
            'Login host {login}, Graph host {graph}. The connection keeps these hosts; a later change of the setting applies only through Update Endpoints.',
            {
              login: new URL(custom.loginEndpoint).host,
              graph: new URL(custom.graphEndpoint).host,
            },
          )
        : t('The Microsoft cloud your tenant is in.');
    },
  },
  tenant: {
    label: (t) => t('Tenant'),
    description: (state, t) => {
      const fallback = defaultTenant(state.draft);
      return fallback
        ? t(
            'Tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com. Empty means \u201c{tenant}\u201d.',
            { tenant: fallback },
          )
        : t(
            'Tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com. App-only sign-in needs one tenant.',
          );
    },
    placeholder: (state) => defaultTenant(state.draft) ?? 'contoso.onmicrosoft.com',
    input: 'text',
  },
  clientId: {
    label: (t) => t('Application (client) ID'),
    description: (state, t) =>
      is(state, 'ropc')
        ? t('Optional. Empty uses Microsoft Graph Command Line Tools ({clientId}).', {
            clientId: defaultClientId(state),
          })
        : t('From the Overview page of the app registration in Microsoft Entra ID.'),
    placeholder: (state) => (is(state, 'ropc') ? defaultClientId(state) : GUID_PLACEHOLDER),
    input: 'text',
  },
  clientSecret: {
    label: (t) => t('Client secret'),
    description: (state, t) =>
      is(state, 'byoApp')
        ? t(
            'Optional. With a secret the app is a confidential client (browser sign-in only); without one it is a public client.',
          )
        : t('The secret\u2019s value (not its ID), from Certificates & secrets of the app registration.'),
    placeholder: (state, t) => (is(state, 'byoApp') ? t('None (public client)') : undefined),
    input: 'password',
  },
  secretExpiresOn: {
    label: (t) => t('Secret expires on'),
    description: (_, t) =>
      t(
        'Optional. The Expires date of the secret under Certificates & secrets: you are warned 30 days before, and the connection shows when it runs out.',
      ),
    input: 'date',
  },
  certificate: {
    label: (t) => t('Certificate'),
    description: (_, t) =>
      t('A .pfx (PKCS #12) file with the private key: choose the file, or paste its content as base64.'),
    placeholder: (_, t) => t('Base64 text of the .pfx file'),
  },
  certificatePassword: {
    label: (t) => t('Certificate password'),
    description: (_, t) => t('Leave empty when the .pfx has no password.'),
    input: 'password',
  },
  sendX5c: {
    label: (t) => t('Certificate chain'),
    description: (_, t) => t('Needed for subject name and issuer authentication; leave off otherwise.'),
  },
  account: {
    label: (t) => t('Account (UPN)'),
    description: (state, t) =>
      is(state, 'authCode', 'byoApp')
        ? t('Optional. The account to sign in with: the sign-in page starts with it (login_hint).')
        : t(
            'Optional. The mailbox whose mail and calendar the app works with, for example automation@contoso.com. Leave it empty for a service account without a mailbox.',
          ),
    placeholder: () => 'name@contoso.com',
    input: 'email',
  },
  sharedMailbox: {
    label: (t) => t('Shared mailbox'),
    description: (_, t) => t('Optional. A shared mailbox to work with instead of the signed-in account\u2019s own.'),
    placeholder: () => 'shared@contoso.com',
    input: 'email',
  },
  username: {
    label: (t) => t('Username (UPN)'),
    description: (_, t) => t('The work account, for example name@contoso.com.'),
    placeholder: () => 'name@contoso.com',
    input: 'email',
  },
  password: { label: (t) => t('Password'), input: 'password' },
  operations: {
    label: (t) => t('What this connection does'),
    description: (state, t) =>
      is(state, 'clientCredentials', 'clientCertificate')
        ? t(
            'The app signs in with /.default and gets the application permissions an administrator granted it. Tick what it does to see which to grant.',
          )
        : state.draft.scopePreset === 'appDefault'
          ? t(
              'The sign-in asks for the permissions configured on the app (/.default). Tick what you will do to see which the app registration needs.',
            )
          : t(
              'Tick what you will do: the least-privileged permissions for it are requested, and the summary says why.',
            ),
  },
  scopePreset: {
    label: (t) => t('Permissions'),
    description: (_, t) => t('Delegated Microsoft Graph permissions to request.'),
  },
  additionalScopes: {
    label: (t) => t('Additional scopes'),
    description: (_, t) =>
      t('Separated by spaces or commas: names such as Mail.Send, or full URIs on this environment\u2019s Graph host.'),
    placeholder: () => 'Mail.Send, Contacts.Read',
    input: 'text',
  },
  signInMethod: {
    label: (t) => t('Sign-in method'),
    description: (state, t) =>
      state.init.remote
        ? t(
            'This window is remote: device code is recommended, because a browser here cannot reach its loopback redirect.',
          )
        : t('Automatic opens a browser, or uses a device code in a remote window.'),
  },
};

/** The placeholder: "stored" for a secret the extension keeps, else the field's own. */
export function placeholderOf(field: DraftField, state: FormState, t: Translate): string | undefined {
  return (state.init.storedSecrets as readonly string[]).includes(field)
    ? t('Stored \u2014 leave empty to keep')
    : FIELDS[field].placeholder?.(state, t);
}

/** Required fields are marked (the validator says the same): the name, the tenant without a default, and what the auth type requires. */
export function isRequired(field: DraftField, state: FormState): boolean {
  const stored = (state.init.storedSecrets as readonly string[]).includes(field);
  switch (field) {
    case 'name':
      return true;
    case 'tenant':
      return !defaultTenant(state.draft);
    default:
      return (
        AUTH_TYPE_TABLE[authTypeOf(state.draft)].required.includes(field) &&
        !stored &&
        !(field === 'certificate' && state.certificateFile)
      );
  }
}
