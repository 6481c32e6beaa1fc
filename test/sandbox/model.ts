/** The emulated tenant: users, mailboxes, app registrations, and the grants in flight. */
import { randomUUID } from 'node:crypto';

export const PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const DEFAULT_TENANT = { id: '72f988bf-0000-4000-8000-00000000c0de', domain: 'contoso.test' } as const;
/**
 * A tenant of another cloud (US Government L4, GCC High): the emulator knows its OpenID configuration
 * only, as Entra's global login host answers for a US Government tenant (`cloud_instance_name`
 * `microsoftonline.us`); signing in to it here fails with AADSTS90002 like any tenant of another cloud.
 */
export const US_GOV_TENANT = { id: '0d1e2f3a-0000-4000-8000-00000000a11c', domain: 'fabrikam-gov.test' } as const;

export const OUTLOOK_DELEGATED = [
  'Mail.Read',
  'Mail.Read.Shared',
  'Mail.ReadWrite',
  'Mail.ReadWrite.Shared',
  'Mail.Send',
  'Mail.Send.Shared',
  'MailboxSettings.ReadWrite',
  'Calendars.Read',
  'Calendars.Read.Shared',
  'Calendars.ReadWrite',
  'Calendars.ReadWrite.Shared',
  'User.Read',
];

export interface UserSpec {
  upn: string;
  password: string;
  displayName?: string;
  mfaRequired?: boolean;
  /** Other mailboxes (shared mailboxes) this user may open. */
  mailboxAccess?: string[];
  admin?: boolean;
  /** A Conditional Access policy blocks every token for this user (AADSTS53003). */
  blockedByConditionalAccess?: boolean;
}

export interface User extends Required<Omit<UserSpec, 'mailboxAccess'>> {
  oid: string;
  mailboxAccess: string[];
}

export const DEFAULT_USERS: readonly UserSpec[] = [
  {
    upn: 'adele@contoso.test',
    password: 'Passw0rd!adele',
    displayName: 'Adele Vance',
    mailboxAccess: ['support@contoso.test'],
    admin: true,
  },
  { upn: 'megan@contoso.test', password: 'Passw0rd!megan', displayName: 'Megan Bowen', mfaRequired: true },
];
export const SHARED_MAILBOXES: readonly string[] = ['support@contoso.test'];

export interface AppSpec {
  clientId: string;
  displayName?: string;
  publicClient: boolean;
  secrets?: string[];
  /** Secrets past their expiry date: refused with AADSTS7000222. */
  expiredSecrets?: string[];
  certificates?: { certPem: string }[];
  redirectUris: string[];
  allowPublicClientFlows?: boolean;
  /** Delegated permissions consented for the tenant. */
  consentedScopes?: string[];
  /** Application permissions granted (app-only tokens carry them as `roles`). */
  appRoles?: string[];
}

export interface App extends Required<AppSpec> {
  servicePrincipalId: string;
}

export function makeUser(spec: UserSpec): User {
  return {
    upn: spec.upn.toLowerCase(),
    password: spec.password,
    displayName: spec.displayName ?? spec.upn.split('@')[0],
    mfaRequired: !!spec.mfaRequired,
    mailboxAccess: (spec.mailboxAccess ?? []).map((m) => m.toLowerCase()),
    admin: !!spec.admin,
    blockedByConditionalAccess: !!spec.blockedByConditionalAccess,
    oid: randomUUID(),
  };
}

export function makeApp(spec: AppSpec): App {
  return {
    clientId: spec.clientId,
    displayName: spec.displayName ?? `App ${spec.clientId.slice(0, 8)}`,
    publicClient: spec.publicClient,
    secrets: spec.secrets ?? [],
    expiredSecrets: spec.expiredSecrets ?? [],
    certificates: spec.certificates ?? [],
    redirectUris: spec.redirectUris,
    allowPublicClientFlows: spec.allowPublicClientFlows ?? spec.publicClient,
    consentedScopes: spec.consentedScopes ?? [],
    appRoles: spec.appRoles ?? [],
    servicePrincipalId: randomUUID(),
  };
}

export const DEFAULT_APPS: readonly AppSpec[] = [
  {
    clientId: PUBLIC_CLIENT_ID,
    displayName: 'Microsoft Graph Command Line Tools',
    publicClient: true,
    redirectUris: ['http://localhost'],
    allowPublicClientFlows: true,
    consentedScopes: OUTLOOK_DELEGATED,
  },
];

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  scopes: RequestedScope[];
  user: User;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

export interface RefreshToken {
  user: User;
  clientId: string;
  scopes: RequestedScope[];
  expiresAt: number;
  revoked: boolean;
  /** The user's MFA requirement was met when it was issued (an interactive sign-in does MFA). */
  mfa: boolean;
}

export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: RequestedScope[];
  expiresAt: number;
  status: 'pending' | 'approved' | 'declined';
  user?: User;
}

/** One requested scope, remembered in the form it was asked for (the token response echoes it). */
export interface RequestedScope {
  asked: string;
  /** Short name for Graph permissions, the OIDC scope itself, or `.default`. */
  name: string;
  kind: 'oidc' | 'graph' | 'default';
}

export type FaultEndpoint = 'token' | 'devicecode' | 'authorize' | 'metadata' | 'graph';
export interface FaultSpec {
  endpoint: FaultEndpoint;
  /** `hang`: the request is read and never answered (the socket stays open until the client gives up). */
  kind: 'status' | 'throttle' | 'slow' | 'drop' | 'hang';
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  times?: number;
  /** Only token requests of this grant type (e.g. `password`, `device_code`). */
  grantType?: string;
}

export interface RequestRecord {
  host: 'login' | 'graph';
  method: string;
  path: string;
  grantType?: string;
  clientId?: string;
  /** The `scope` parameter of an authorize or token request, as sent. */
  scope?: string;
  status: number;
  /** The OAuth `error` of an error answer of the login host. */
  error?: string;
}
