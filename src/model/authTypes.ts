/**
 * The auth types (../shared/DESIGN.md "Auth types"), one table entry each: label and description, the
 * form's fields, which of them are required or secret, the tenant rules, whether a user or the app signs
 * in, which MSAL application it needs, the shape of its stored configuration and how the validator builds
 * it. The validator, the stored-data check, the MSAL builder, the form and the labels all read this
 * table: adding an auth type means adding its configuration interface and its entry here.
 *
 * Webview-safe (bundled into the form): no Node import.
 */
import type { EnvironmentId } from './clouds';
import type { ConnectionDraft, DraftField } from './draft';
import { msg, type Message } from './messages';
import type { OperationId } from './operations';
import { isScopePresetId, type ScopeSelection } from './scopes';

/** How a delegated connection signs in interactively. `auto` = browser, or device code in a remote window. */
export const SIGN_IN_METHODS = ['auto', 'browser', 'deviceCode'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** Microsoft Graph Command Line Tools: the public client Connect-MgGraph uses. */
export const DEFAULT_PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

export const SECRET_FIELDS = ['clientSecret', 'certificate', 'certificatePassword', 'password'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/**
 * The endpoints of a `custom` connection, copied from the user's `outlook365.customEnvironment` when it
 * is saved (https origins). A connection never reads the setting again: a later change, or a workspace
 * that tries to set it, cannot send its secrets or tokens to another host (only "Update Endpoints" can).
 */
export interface PinnedEndpoints {
  name: string;
  loginEndpoint: string;
  graphEndpoint: string;
}

/** What every stored configuration has (never a secret: those are `ConnectionSecrets`). */
export interface ConnectionBase {
  /** Stable id, also the key of this connection's secrets. */
  readonly id: string;
  name: string;
  environment: EnvironmentId;
  /** `custom` only: where its requests go. Absent only on a connection stored before endpoints were pinned. */
  endpoints?: PinnedEndpoints;
  tenant: string;
  sharedMailbox?: string;
}

export interface AuthCodeConnection extends ConnectionBase {
  authType: 'authCode';
  /** Absent = the default public client, `publicClientId`. */
  clientId?: string;
  /**
   * The default public client (`outlook365.defaultPublicClientId`) when the connection was saved. Pinned
   * like the endpoints: a client id decides which app the user's password or consent goes to, so a later
   * setting change must not switch it silently. Absent only on a connection stored before it was pinned.
   */
  publicClientId?: string;
  scopes: ScopeSelection;
  signInMethod: SignInMethod;
  /** Account (UPN) the browser sign-in starts with (`login_hint`); optional. */
  loginHint?: string;
}

export interface ByoAppConnection extends ConnectionBase {
  authType: 'byoApp';
  clientId: string;
  /** True when a client secret is stored: a confidential client, browser sign-in only. */
  confidential: boolean;
  scopes: ScopeSelection;
  signInMethod: SignInMethod;
  loginHint?: string;
  /** `YYYY-MM-DD` the client secret expires, as typed from Entra (to warn before; not secret). */ secretExpiresOn?: string;
}

export interface ClientCredentialsConnection extends ConnectionBase {
  authType: 'clientCredentials';
  clientId: string;
  /** The mailbox (UPN) app-only calls act on; absent for a service account without one (../shared/seeds/, German). */
  account?: string;
  /** As on `ByoAppConnection`. */ secretExpiresOn?: string;
  /** What the app does (./operations.ts): the application permissions to grant. Delegated types: in `scopes`. */
  operations?: OperationId[];
}

export interface ClientCertificateConnection extends ConnectionBase {
  authType: 'clientCertificate';
  clientId: string;
  account?: string;
  operations?: OperationId[];
  /** SHA-256 thumbprint (hex) of the stored certificate: shown to the user, never secret. */
  certificateThumbprint: string;
  /** Certificate expiry (ISO), to warn before it runs out. */
  certificateNotAfter?: string;
  /** Validity start (ISO) and SHA-1 thumbprint (hex, the one Entra lists); absent when saved by older versions. */
  certificateNotBefore?: string;
  certificateThumbprintSha1?: string;
  /** Send the x5c chain (subject name + issuer authentication). */
  sendX5c: boolean;
}

export interface RopcConnection extends ConnectionBase {
  authType: 'ropc';
  clientId?: string;
  /** As on `AuthCodeConnection`. */
  publicClientId?: string;
  username: string;
  scopes: ScopeSelection;
}

export type ConnectionConfig =
  AuthCodeConnection | ByoAppConnection | ClientCredentialsConnection | ClientCertificateConnection | RopcConnection;
export type AuthType = ConnectionConfig['authType'];

/** What the validator has checked, for an entry's `build`. */
export interface BuildInput {
  base: ConnectionBase;
  /** Trimmed; empty when not given. */
  clientId: string;
  /** The default public client to pin (an edit keeps the one pinned before). */
  publicClientId: string;
  account?: string;
  username?: string;
  scopes?: ScopeSelection;
  signInMethod: SignInMethod;
  /** A client secret is typed now or stored. */
  hasSecret: boolean;
  sendX5c: boolean;
  /** The certificate's facts: of the one given now, else of the one stored before. */
  certificate: { thumbprint: string; notAfter?: string; notBefore?: string; thumbprintSha1?: string };
}

type Stored = Readonly<Record<string, unknown>>;

export interface AuthTypeSpec<C extends ConnectionConfig = ConnectionConfig> {
  label: Message;
  description: Message;
  /** The fields the form shows after the auth type, in order. */
  fields: readonly DraftField[];
  /** Fields that must be given; a secret field only when none is stored. (The name always; the tenant when there is no default.) */
  required: readonly DraftField[];
  /** The secret fields it stores (a field not listed is never stored for this type). */
  secretFields: readonly SecretField[];
  /** Tenant used when the field is left empty; undefined = the field is required. */
  defaultTenant?: string;
  /** Multi-tenant aliases it cannot use, and what the validator says then. */
  refusedTenants: readonly string[];
  refusedTenant: (tenant: string) => Message;
  /** `appOnly`: the app signs in with application permissions; `delegated`: a user signs in. */
  grant: 'delegated' | 'appOnly';
  /** The MSAL application: public; confidential with a client secret or a certificate; or confidential only when a client secret is stored. */
  client: 'public' | 'secret' | 'certificate' | 'publicUnlessSecret';
  /** Messages the validator always gives on these fields. */
  warnings?: Partial<Record<DraftField, Message>>;
  /** The stored configuration's own fields are well formed (storedConnection.ts checks the common ones). */
  storedShapeOk: (stored: Stored) => boolean;
  build: (input: BuildInput) => C;
  /** Its own fields back into a draft, to edit it (never a secret: the form shows those as stored). */
  toDraft(config: C): Partial<ConnectionDraft>;
}

/** Checks of one stored field, for the shape checks below and in storedConnection.ts. */
export const storedField = {
  text: (r: Stored, key: string) => typeof r[key] === 'string' && r[key].length > 0,
  optionalText: (r: Stored, key: string) => r[key] === undefined || typeof r[key] === 'string',
  scopes: (r: Stored) => {
    const s = r.scopes as Stored | undefined;
    return (
      !!s &&
      typeof s === 'object' &&
      isScopePresetId(s.preset) &&
      Array.isArray(s.additional) &&
      s.additional.every((a) => typeof a === 'string')
    );
  },
  signInMethod: (r: Stored) => (SIGN_IN_METHODS as readonly unknown[]).includes(r.signInMethod),
};
const { text, optionalText, scopes, signInMethod } = storedField;

const appOnlyTenant = (tenant: string) =>
  msg('App-only sign-in needs one tenant: enter its ID (GUID) or domain, not "{tenant}".', { tenant });
const loginHint = (account: string | undefined) => (account ? { loginHint: account } : {});
const mailbox = (account: string | undefined) => (account ? { account } : {});
const delegatedDraft = (c: AuthCodeConnection | ByoAppConnection) => ({
  scopePreset: c.scopes.preset,
  additionalScopes: c.scopes.additional.join(' '),
  signInMethod: c.signInMethod,
  account: c.loginHint ?? '',
});
const SCOPE_FIELDS = ['operations', 'scopePreset', 'additionalScopes'] as const;
const DELEGATED_FIELDS = ['account', 'sharedMailbox', ...SCOPE_FIELDS, 'signInMethod'] as const;
/** A client secret and the optional day it expires (credentialExpiry.ts). */
const CLIENT_SECRET_FIELDS = ['clientSecret', 'secretExpiresOn'] as const;
const APP_ONLY_TENANTS = ['common', 'organizations', 'consumers'];

export const AUTH_TYPE_TABLE: { readonly [K in AuthType]: AuthTypeSpec<Extract<ConnectionConfig, { authType: K }>> } = {
  authCode: {
    label: msg('OAuth 2.0 authorization code (Microsoft public app)'),
    description: msg('Sign in with your work account through Microsoft\u2019s public app. No app registration needed.'),
    fields: ['name', 'environment', 'tenant', ...DELEGATED_FIELDS],
    required: [],
    secretFields: [],
    defaultTenant: 'organizations',
    refusedTenants: ['consumers'],
    // Not an app-only matter: the Microsoft public app signs in work and school accounts, never personal ones.
    refusedTenant: (tenant) =>
      msg(
        'The Microsoft public app signs in work or school accounts only: enter your tenant ID or domain, or leave it empty, not "{tenant}".',
        { tenant },
      ),
    grant: 'delegated',
    client: 'public',
    storedShapeOk: (r) =>
      optionalText(r, 'clientId') &&
      optionalText(r, 'publicClientId') &&
      scopes(r) &&
      signInMethod(r) &&
      optionalText(r, 'loginHint'),
    build: (i) => ({
      ...i.base,
      authType: 'authCode',
      publicClientId: i.publicClientId,
      scopes: i.scopes!,
      signInMethod: i.signInMethod,
      ...loginHint(i.account),
    }),
    toDraft: (c) => ({ clientId: c.clientId || '', ...delegatedDraft(c) }),
  },
  byoApp: {
    label: msg('Bring your own OAuth 2.0 app'),
    description: msg(
      'Sign in through your own app registration in Microsoft Entra ID, as a public or a confidential client.',
    ),
    fields: ['name', 'environment', 'clientId', ...CLIENT_SECRET_FIELDS, 'tenant', ...DELEGATED_FIELDS],
    required: ['clientId'],
    secretFields: ['clientSecret'],
    defaultTenant: 'common',
    refusedTenants: [],
    refusedTenant: appOnlyTenant,
    grant: 'delegated',
    client: 'publicUnlessSecret',
    storedShapeOk: (r) =>
      text(r, 'clientId') &&
      typeof r.confidential === 'boolean' &&
      scopes(r) &&
      signInMethod(r) &&
      optionalText(r, 'loginHint'),
    build: (i) => ({
      ...i.base,
      authType: 'byoApp',
      clientId: i.clientId,
      confidential: i.hasSecret,
      scopes: i.scopes!,
      signInMethod: i.signInMethod,
      ...loginHint(i.account),
    }),
    toDraft: (c) => ({ clientId: c.clientId, ...delegatedDraft(c) }),
  },
  clientCredentials: {
    label: msg('OAuth 2.0 client credentials (service account)'),
    description: msg(
      'App-only access with a client secret: no user signs in. Needs application permissions with admin consent.',
    ),
    fields: [
      'name',
      'environment',
      'clientId',
      ...CLIENT_SECRET_FIELDS,
      'tenant',
      'account',
      'sharedMailbox',
      'operations',
    ],
    required: ['clientId', 'clientSecret'],
    secretFields: ['clientSecret'],
    refusedTenants: APP_ONLY_TENANTS,
    refusedTenant: appOnlyTenant,
    grant: 'appOnly',
    client: 'secret',
    storedShapeOk: (r) => text(r, 'clientId') && optionalText(r, 'account'),
    build: (i) => ({ ...i.base, authType: 'clientCredentials', clientId: i.clientId, ...mailbox(i.account) }),
    toDraft: (c) => ({ clientId: c.clientId, account: c.account ?? '' }),
  },
  clientCertificate: {
    label: msg('Client certificate'),
    description: msg(
      'App-only access with a certificate: no user signs in. Needs application permissions with admin consent.',
    ),
    fields: [
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
    ],
    required: ['clientId', 'certificate'],
    secretFields: ['certificate', 'certificatePassword'],
    refusedTenants: APP_ONLY_TENANTS,
    refusedTenant: appOnlyTenant,
    grant: 'appOnly',
    client: 'certificate',
    storedShapeOk: (r) =>
      text(r, 'clientId') &&
      optionalText(r, 'account') &&
      typeof r.certificateThumbprint === 'string' &&
      typeof r.sendX5c === 'boolean' &&
      optionalText(r, 'certificateNotAfter') &&
      optionalText(r, 'certificateNotBefore') &&
      optionalText(r, 'certificateThumbprintSha1'),
    build: (i) => ({
      ...i.base,
      authType: 'clientCertificate',
      clientId: i.clientId,
      ...mailbox(i.account),
      certificateThumbprint: i.certificate.thumbprint,
      ...(i.certificate.notAfter ? { certificateNotAfter: i.certificate.notAfter } : {}),
      ...(i.certificate.notBefore ? { certificateNotBefore: i.certificate.notBefore } : {}),
      ...(i.certificate.thumbprintSha1 ? { certificateThumbprintSha1: i.certificate.thumbprintSha1 } : {}),
      sendX5c: i.sendX5c,
    }),
    toDraft: (c) => ({ clientId: c.clientId, account: c.account ?? '', sendX5c: c.sendX5c }),
  },
  ropc: {
    label: msg('Username and password (ROPC, not recommended)'),
    description: msg(
      'Sends a username and password directly to Microsoft Entra ID. Use only where nothing else is possible.',
    ),
    fields: ['name', 'environment', 'clientId', 'tenant', 'username', 'password', ...SCOPE_FIELDS],
    required: ['username', 'password'],
    secretFields: ['password'],
    defaultTenant: 'organizations',
    refusedTenants: ['common', 'consumers'],
    refusedTenant: (tenant) =>
      msg('Username and password sign-in cannot use "{tenant}": enter your tenant ID or domain.', { tenant }),
    grant: 'delegated',
    client: 'public',
    warnings: {
      password: msg(
        'Username and password sign-in is not recommended: it cannot do MFA, federated or personal accounts, and Microsoft has deprecated it.',
      ),
    },
    storedShapeOk: (r) =>
      optionalText(r, 'clientId') && optionalText(r, 'publicClientId') && text(r, 'username') && scopes(r),
    build: (i) => ({
      ...i.base,
      authType: 'ropc',
      ...(i.clientId ? { clientId: i.clientId } : { publicClientId: i.publicClientId }),
      username: i.username!,
      scopes: i.scopes!,
    }),
    toDraft: (c) => ({
      clientId: c.clientId || '',
      username: c.username,
      scopePreset: c.scopes.preset,
      additionalScopes: c.scopes.additional.join(' '),
    }),
  },
};

/** In the table's order (the form's selector). */
export const AUTH_TYPES = Object.keys(AUTH_TYPE_TABLE) as readonly AuthType[];

export function isAuthType(value: unknown): value is AuthType {
  return typeof value === 'string' && Object.hasOwn(AUTH_TYPE_TABLE, value);
}

/** App-only grants act as the application, not as a user. */
export function isAppOnly(
  config: ConnectionConfig,
): config is ClientCredentialsConnection | ClientCertificateConnection {
  return AUTH_TYPE_TABLE[config.authType].grant === 'appOnly';
}

/** Which secret fields an auth type uses (a field not listed is never stored for that type). */
export function secretFieldsFor(authType: AuthType): readonly SecretField[] {
  return AUTH_TYPE_TABLE[authType].secretFields;
}
