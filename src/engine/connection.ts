/**
 * The connection model (DESIGN.md "Auth types"). A connection is a storable configuration (no secret
 * ever) plus, separately, its `ConnectionSecrets`. The two are different types so a secret cannot be
 * saved with the configuration by mistake.
 */
import type { EnvironmentId } from './clouds';
import type { ScopeSelection } from './scopes';
import type { Secret } from './secret';

export const AUTH_TYPES = ['authCode', 'byoApp', 'clientCredentials', 'clientCertificate', 'ropc'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export function isAuthType(value: unknown): value is AuthType {
  return typeof value === 'string' && (AUTH_TYPES as readonly string[]).includes(value);
}

/** How a delegated connection signs in interactively. `auto` = browser, or device code in a remote window. */
export const SIGN_IN_METHODS = ['auto', 'browser', 'deviceCode'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** Microsoft Graph Command Line Tools: the public client Connect-MgGraph uses. */
export const DEFAULT_PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

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

interface ConnectionBase {
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
}

export interface ClientCredentialsConnection extends ConnectionBase {
  authType: 'clientCredentials';
  clientId: string;
  /** The mailbox owner (UPN) that app-only calls act on. */
  account: string;
}

export interface ClientCertificateConnection extends ConnectionBase {
  authType: 'clientCertificate';
  clientId: string;
  account: string;
  /** SHA-256 thumbprint (hex) of the stored certificate: shown to the user, never secret. */
  certificateThumbprint: string;
  /** Certificate expiry (ISO), to warn before it runs out. */
  certificateNotAfter?: string;
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
  | AuthCodeConnection
  | ByoAppConnection
  | ClientCredentialsConnection
  | ClientCertificateConnection
  | RopcConnection;

/** The secret fields of a connection. Kept only in SecretStorage. */
export interface ConnectionSecrets {
  clientSecret?: Secret;
  /** The .pfx file, base64. */
  certificate?: Secret;
  certificatePassword?: Secret;
  password?: Secret;
}

export const SECRET_FIELDS = ['clientSecret', 'certificate', 'certificatePassword', 'password'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/** App-only grants act as the application, not as a user. */
export function isAppOnly(config: ConnectionConfig): config is ClientCredentialsConnection | ClientCertificateConnection {
  return config.authType === 'clientCredentials' || config.authType === 'clientCertificate';
}

/** The client id a connection signs in with: its own, else the public client pinned at save. */
export function clientIdOf(config: ConnectionConfig): string {
  return config.clientId ?? ('publicClientId' in config ? config.publicClientId : undefined) ?? DEFAULT_PUBLIC_CLIENT_ID;
}

/** Which secret fields each auth type uses (a field not listed is never stored for that type). */
export function secretFieldsFor(authType: AuthType): readonly SecretField[] {
  switch (authType) {
    case 'authCode':
      return [];
    case 'byoApp':
    case 'clientCredentials':
      return ['clientSecret'];
    case 'clientCertificate':
      return ['certificate', 'certificatePassword'];
    case 'ropc':
      return ['password'];
  }
}

/** The account a connection acts for, when the configuration names one. */
export function accountOf(config: ConnectionConfig): string | undefined {
  switch (config.authType) {
    case 'clientCredentials':
    case 'clientCertificate':
      return config.account;
    case 'ropc':
      return config.username;
    default:
      return undefined;
  }
}
