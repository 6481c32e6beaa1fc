/**
 * The one validator for connection input. The form runs it on every keystroke for inline messages,
 * and the extension runs it again on every message from the webview (never trusting the webview), so
 * both say the same thing. Input is a `ConnectionDraft` (flat strings, as a form has them); output is a
 * storable `ConnectionConfig` plus its `ConnectionSecrets`, or one message per field in error.
 */
import { characterProblem, JOINERS, LINE_BREAKS, SEPARATORS } from './characters';
import { customEnvironmentProblem, isEnvironmentId, resolveEnvironment, type CustomEnvironmentSetting } from './clouds';
import {
  AUTH_TYPES,
  DEFAULT_PUBLIC_CLIENT_ID,
  SECRET_FIELDS,
  SIGN_IN_METHODS,
  isAuthType,
  type AuthType,
  type ConnectionConfig,
  type ConnectionSecrets,
  type PinnedEndpoints,
  type SecretField,
  type SignInMethod,
} from './connection';
import { msg, type Message } from './messages';
import { endpointsFromSetting } from './pinning';
import { isScopePresetId, parseScopeText, scopeProblem, type ScopeSelection } from './scopes';
import { Secret } from './secret';

export interface ConnectionDraft {
  name: string;
  authType: string;
  environment: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  certificate: string;
  certificatePassword: string;
  sendX5c: boolean;
  account: string;
  sharedMailbox: string;
  username: string;
  password: string;
  scopePreset: string;
  additionalScopes: string;
  signInMethod: string;
}
export type DraftField = keyof ConnectionDraft;

const STRING_FIELDS = [
  'name',
  'authType',
  'environment',
  'tenant',
  'clientId',
  'clientSecret',
  'certificate',
  'certificatePassword',
  'account',
  'sharedMailbox',
  'username',
  'password',
  'scopePreset',
  'additionalScopes',
  'signInMethod',
] as const satisfies readonly DraftField[];

/** Upper bounds on input sizes: a .pfx of a long chain is a few KB; nothing legitimate comes near these. */
const MAX_LENGTH: Partial<Record<DraftField, number>> = { certificate: 256 * 1024, additionalScopes: 8 * 1024 };
const DEFAULT_MAX_LENGTH = 1024;

export function emptyDraft(): ConnectionDraft {
  return {
    name: '',
    authType: 'authCode',
    environment: 'global',
    tenant: '',
    clientId: '',
    clientSecret: '',
    certificate: '',
    certificatePassword: '',
    sendX5c: false,
    account: '',
    sharedMailbox: '',
    username: '',
    password: '',
    scopePreset: 'minimal',
    additionalScopes: '',
    signInMethod: 'auto',
  };
}

/**
 * Checks the shape of an untrusted draft (a webview message): an object with exactly the draft's keys,
 * strings within size limits and a boolean. Returns undefined when the shape is wrong.
 */
export function parseDraft(value: unknown): ConnectionDraft | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const allowed = new Set<string>([...STRING_FIELDS, 'sendX5c']);
  if (Object.keys(record).some((k) => !allowed.has(k))) {
    return undefined;
  }
  const draft = emptyDraft();
  for (const field of STRING_FIELDS) {
    const v = record[field];
    if (v === undefined) {
      continue;
    }
    if (typeof v !== 'string' || v.length > (MAX_LENGTH[field] ?? DEFAULT_MAX_LENGTH)) {
      return undefined;
    }
    draft[field] = v;
  }
  if (record.sendX5c !== undefined) {
    if (typeof record.sendX5c !== 'boolean') {
      return undefined;
    }
    draft.sendX5c = record.sendX5c;
  }
  return draft;
}

/** The fields the form shows for each auth type, in order (DESIGN.md "Auth types"). */
export const FIELDS_BY_AUTH_TYPE: Readonly<Record<AuthType, readonly DraftField[]>> = {
  authCode: ['name', 'environment', 'tenant', 'account', 'sharedMailbox', 'scopePreset', 'additionalScopes', 'signInMethod'],
  byoApp: ['name', 'environment', 'clientId', 'clientSecret', 'tenant', 'account', 'sharedMailbox', 'scopePreset', 'additionalScopes', 'signInMethod'],
  clientCredentials: ['name', 'environment', 'clientId', 'clientSecret', 'tenant', 'account', 'sharedMailbox'],
  clientCertificate: ['name', 'environment', 'clientId', 'certificate', 'certificatePassword', 'sendX5c', 'tenant', 'account', 'sharedMailbox'],
  ropc: ['name', 'environment', 'clientId', 'tenant', 'username', 'password', 'scopePreset', 'additionalScopes'],
};

/** Tenant used when the field is left empty; undefined = the field is required. */
export const DEFAULT_TENANT: Readonly<Record<AuthType, string | undefined>> = {
  authCode: 'organizations',
  byoApp: 'common',
  clientCredentials: undefined,
  clientCertificate: undefined,
  ropc: 'organizations',
};

/** Multi-tenant aliases each grant cannot use: app-only grants need one tenant, ROPC cannot use `common`. */
const REFUSED_TENANTS: Readonly<Record<AuthType, readonly string[]>> = {
  authCode: ['consumers'],
  byoApp: [],
  clientCredentials: ['common', 'organizations', 'consumers'],
  clientCertificate: ['common', 'organizations', 'consumers'],
  ropc: ['common', 'consumers'],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const EMAIL = /^[^\s@"<>(),;:\\[\]]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const TENANT_ALIASES = ['common', 'organizations', 'consumers'];

export type FieldMessages = Partial<Record<DraftField, Message>>;

export interface CertificateFacts {
  thumbprintSha256: string;
  notAfter: Date;
}

export interface ValidationContext {
  /** The user-level `outlook365.customEnvironment` (never a workspace's): pinned into a new custom connection. */
  customEnvironment?: CustomEnvironmentSetting;
  /** The user-level `outlook365.defaultPublicClientId`: pinned into a connection that uses the default public client. */
  defaultPublicClientId?: string;
  /** Names of the other connections (a name must be unique). */
  otherNames?: readonly string[];
  /** When editing: the connection being edited and which secret fields it has stored. */
  existing?: ConnectionConfig;
  storedSecrets?: readonly SecretField[];
  /** Opens a .pfx; absent in the webview (node-forge stays out of it), where the extension checks again. */
  openCertificate?: (pfxBase64: string, password: string) => CertificateFacts;
  /** Id for a new connection. */
  newId?: () => string;
  now?: Date;
}

export type ValidationResult =
  | { ok: true; config: ConnectionConfig; secrets: ConnectionSecrets; warnings: FieldMessages }
  | { ok: false; errors: FieldMessages; warnings: FieldMessages };

/**
 * Invisible or control characters a field may hold: line breaks in pasted base64, separators between
 * scopes, joiners in names. Every other field, including fields added later, allows none.
 */
const ALLOWED_CHARACTERS: Partial<Record<DraftField, string>> = { name: JOINERS, certificate: LINE_BREAKS, additionalScopes: SEPARATORS };

/**
 * The character rule (./characters.ts) applied to every string field of a draft, whatever its fields
 * are: the validator runs it first and its message wins, so no other message repeats such a value.
 */
export function characterErrors(draft: ConnectionDraft): FieldMessages {
  const errors: FieldMessages = {};
  for (const [field, value] of Object.entries(draft) as [DraftField, unknown][]) {
    if (typeof value === 'string') {
      const problem = characterProblem(value, {
        allowed: ALLOWED_CHARACTERS[field],
        secret: (SECRET_FIELDS as readonly string[]).includes(field),
      });
      if (problem) {
        errors[field] = problem;
      }
    }
  }
  return errors;
}

export function isValidTenantSyntax(tenant: string): boolean {
  return GUID.test(tenant) || DOMAIN.test(tenant) || TENANT_ALIASES.includes(tenant.toLowerCase());
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

export function validateDraft(draft: ConnectionDraft, ctx: ValidationContext = {}): ValidationResult {
  const errors: FieldMessages = {};
  const warnings: FieldMessages = {};
  const trimmed = (field: DraftField) => String(draft[field]).trim();
  const characters = characterErrors(draft);

  if (!isAuthType(draft.authType)) {
    errors.authType = msg('Choose an authentication type.');
    return { ok: false, errors: { ...errors, ...characters }, warnings };
  }
  const authType = draft.authType;
  const shown = new Set(FIELDS_BY_AUTH_TYPE[authType]);
  const stored = new Set(ctx.storedSecrets ?? []);

  // Name
  const name = trimmed('name');
  if (!name) {
    errors.name = msg('Enter a name for the connection.');
  } else if (name.length > 100) {
    errors.name = msg('The name is longer than 100 characters.');
  } else if (ctx.otherNames?.some((n) => n.toLowerCase() === name.toLowerCase())) {
    errors.name = msg('A connection named "{name}" already exists.', { name });
  }

  // Environment
  let graphEndpoint: string | undefined;
  let endpoints: PinnedEndpoints | undefined;
  if (!isEnvironmentId(draft.environment)) {
    errors.environment = msg('Choose an environment.');
  } else if (draft.environment === 'custom') {
    // An edit keeps the endpoints pinned at the first save ("Update Endpoints" changes them); a new custom
    // connection pins the user's setting now (pinning.ts).
    endpoints = (ctx.existing?.environment === 'custom' ? ctx.existing.endpoints : undefined) ?? endpointsFromSetting(ctx.customEnvironment);
    if (endpoints) graphEndpoint = endpoints.graphEndpoint;
    else errors.environment = customEnvironmentProblem(ctx.customEnvironment);
  } else {
    graphEndpoint = resolveEnvironment(draft.environment).graphEndpoint;
  }

  // Tenant
  const tenant = trimmed('tenant') || DEFAULT_TENANT[authType] || '';
  if (!tenant) {
    errors.tenant = msg('Enter the tenant: its ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.');
  } else if (!isValidTenantSyntax(tenant)) {
    errors.tenant = msg('"{tenant}" is not a tenant ID (GUID) or a domain name.', { tenant });
  } else if (REFUSED_TENANTS[authType].includes(tenant.toLowerCase())) {
    errors.tenant =
      authType === 'ropc'
        ? msg('Username and password sign-in cannot use "{tenant}": enter your tenant ID or domain.', { tenant })
        : msg('App-only sign-in needs one tenant: enter its ID (GUID) or domain, not "{tenant}".', { tenant });
  }

  // Client id
  const clientId = trimmed('clientId');
  const clientIdRequired = authType === 'byoApp' || authType === 'clientCredentials' || authType === 'clientCertificate';
  if (shown.has('clientId')) {
    if (!clientId && clientIdRequired) {
      errors.clientId = msg('Enter the application (client) ID of your app registration.');
    } else if (clientId && !GUID.test(clientId)) {
      errors.clientId = msg('The client ID is a GUID like 00000000-0000-0000-0000-000000000000.');
    }
  }

  // Secret fields: empty means "keep the stored value" when one is stored.
  const secrets: ConnectionSecrets = {};
  const clientSecret = draft.clientSecret;
  if (shown.has('clientSecret')) {
    if (clientSecret) {
      secrets.clientSecret = new Secret(clientSecret);
    } else if (authType === 'clientCredentials' && !stored.has('clientSecret')) {
      errors.clientSecret = msg('Enter the client secret.');
    }
  }
  const hasSecret = !!clientSecret || stored.has('clientSecret');

  let certificateFacts: CertificateFacts | undefined;
  if (authType === 'clientCertificate') {
    const certificate = draft.certificate.trim();
    if (certificate) {
      secrets.certificate = new Secret(certificate);
      secrets.certificatePassword = new Secret(draft.certificatePassword);
      if (ctx.openCertificate && !characters.certificate && !characters.certificatePassword) {
        try {
          certificateFacts = ctx.openCertificate(certificate, draft.certificatePassword);
          const now = ctx.now ?? new Date();
          if (certificateFacts.notAfter.getTime() < now.getTime()) {
            errors.certificate = msg('The certificate expired on {date}.', { date: certificateFacts.notAfter.toISOString().slice(0, 10) });
          }
        } catch (err) {
          const text = err instanceof Error ? err.message : String(err);
          const field: DraftField = /password/i.test(text) ? 'certificatePassword' : 'certificate';
          // A certificate error carries its template and arguments (to be translated); others their text.
          errors[field] = (err as { userMessage?: Message }).userMessage ?? msg(text);
        }
      }
    } else if (!stored.has('certificate')) {
      errors.certificate = msg('Choose the .pfx certificate file or paste it as base64.');
    } else if (draft.certificatePassword) {
      errors.certificatePassword = msg('To change the password, choose the certificate again too.');
    }
  }

  if (authType === 'ropc') {
    if (draft.password) {
      secrets.password = new Secret(draft.password);
    } else if (!stored.has('password')) {
      errors.password = msg('Enter the password.');
    }
    warnings.password = msg(
      'Username and password sign-in is not recommended: it cannot do MFA, federated or personal accounts, and Microsoft has deprecated it.',
    );
  }

  // Addresses
  const email = (field: 'account' | 'sharedMailbox' | 'username', missing?: Message) => {
    const value = trimmed(field);
    if (!value) {
      if (missing) {
        errors[field] = missing;
      }
      return undefined;
    }
    if (!EMAIL.test(value)) {
      errors[field] = msg('"{value}" is not an email address or user principal name (name@domain).', { value });
    }
    return value;
  };
  const appOnly = authType === 'clientCredentials' || authType === 'clientCertificate';
  // App-only: the mailbox owner (required); delegated: the optional login hint.
  const account = appOnly ? email('account', msg('Enter the account (UPN) whose mail and calendar the app works with.')) : shown.has('account') ? email('account') : undefined;
  const username = authType === 'ropc' ? email('username', msg('Enter the username (UPN).')) : undefined;
  const sharedMailbox = shown.has('sharedMailbox') ? email('sharedMailbox') : undefined;

  // Scopes
  let scopes: ScopeSelection | undefined;
  if (shown.has('scopePreset')) {
    if (!isScopePresetId(draft.scopePreset)) {
      errors.scopePreset = msg('Choose a permission preset.');
    } else {
      const additional = parseScopeText(draft.additionalScopes);
      const problem = additional.map((s) => scopeProblem(s, graphEndpoint)).find(Boolean);
      if (problem) {
        errors.additionalScopes = problem;
      } else if (draft.scopePreset === 'custom' && additional.length === 0) {
        errors.additionalScopes = msg('With the Custom preset, enter at least one scope.');
      } else if (additional.some((s) => s.endsWith('/.default'))) {
        errors.additionalScopes = msg('/.default is for app-only connections; list the delegated permissions instead.');
      }
      scopes = { preset: draft.scopePreset, additional };
    }
  }

  // Sign-in method
  let signInMethod: SignInMethod = 'auto';
  if (shown.has('signInMethod')) {
    if (!(SIGN_IN_METHODS as readonly string[]).includes(draft.signInMethod)) {
      errors.signInMethod = msg('Choose how to sign in.');
    } else {
      signInMethod = draft.signInMethod as SignInMethod;
      if (authType === 'byoApp' && hasSecret && signInMethod === 'deviceCode') {
        errors.signInMethod = msg('Device code sign-in works only without a client secret (a public client).');
      }
    }
  }

  Object.assign(errors, characters);
  if (Object.keys(errors).length > 0) {
    return { ok: false, errors, warnings };
  }

  const base = {
    id: ctx.existing?.id ?? ctx.newId?.() ?? newConnectionId(),
    name,
    environment: draft.environment as ConnectionConfig['environment'],
    ...(endpoints ? { endpoints } : {}),
    tenant,
    ...(sharedMailbox ? { sharedMailbox } : {}),
  };
  // The default public client is pinned like the endpoints; an edit keeps the one pinned before.
  const publicClientId =
    (ctx.existing && 'publicClientId' in ctx.existing ? ctx.existing.publicClientId : undefined) ?? ctx.defaultPublicClientId ?? DEFAULT_PUBLIC_CLIENT_ID;
  let config: ConnectionConfig;
  switch (authType) {
    case 'authCode':
      config = { ...base, authType, publicClientId, scopes: scopes!, signInMethod, ...(account ? { loginHint: account } : {}) };
      break;
    case 'byoApp':
      config = { ...base, authType, clientId, confidential: hasSecret, scopes: scopes!, signInMethod, ...(account ? { loginHint: account } : {}) };
      break;
    case 'clientCredentials':
      config = { ...base, authType, clientId, account: account! };
      break;
    case 'clientCertificate': {
      const previous = ctx.existing?.authType === 'clientCertificate' ? ctx.existing : undefined;
      config = {
        ...base,
        authType,
        clientId,
        account: account!,
        certificateThumbprint: certificateFacts?.thumbprintSha256 ?? previous?.certificateThumbprint ?? '',
        ...(certificateFacts
          ? { certificateNotAfter: certificateFacts.notAfter.toISOString() }
          : previous?.certificateNotAfter
            ? { certificateNotAfter: previous.certificateNotAfter }
            : {}),
        sendX5c: draft.sendX5c,
      };
      break;
    }
    case 'ropc':
      config = { ...base, authType, ...(clientId ? { clientId } : { publicClientId }), username: username!, scopes: scopes! };
      break;
  }
  return { ok: true, config, secrets, warnings };
}

export function newConnectionId(): string {
  return globalThis.crypto.randomUUID();
}

/** The draft that edits an existing connection: secret fields empty (the form shows "stored"). */
export function draftFromConfig(config: ConnectionConfig): ConnectionDraft {
  const draft = emptyDraft();
  draft.name = config.name;
  draft.authType = config.authType;
  draft.environment = config.environment;
  draft.tenant = config.tenant;
  draft.sharedMailbox = config.sharedMailbox ?? '';
  if ('clientId' in config && config.clientId) {
    draft.clientId = config.clientId;
  }
  if ('scopes' in config) {
    draft.scopePreset = config.scopes.preset;
    draft.additionalScopes = config.scopes.additional.join(' ');
  }
  if ('signInMethod' in config) {
    draft.signInMethod = config.signInMethod;
  }
  if ('account' in config) {
    draft.account = config.account;
  }
  if ('loginHint' in config) {
    draft.account = config.loginHint ?? '';
  }
  if (config.authType === 'ropc') {
    draft.username = config.username;
  }
  if (config.authType === 'clientCertificate') {
    draft.sendX5c = config.sendX5c;
  }
  return draft;
}

export { AUTH_TYPES };
