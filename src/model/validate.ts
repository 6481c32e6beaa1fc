/**
 * The one validator for connection input. The form runs it on every keystroke for inline messages,
 * and the extension runs it again on every message from the webview (never trusting the webview), so
 * both say the same thing. Input is a `ConnectionDraft` (flat strings, as a form has them); output is a
 * storable `ConnectionConfig` plus its `ConnectionSecrets`, or one message per field in error.
 */
import { AUTH_TYPE_TABLE, type AuthTypeSpec } from './authTypes';
import { characterErrors } from './draftCharacters';
import { customEnvironmentProblem, isEnvironmentId, resolveEnvironment, type CustomEnvironmentSetting } from './clouds';
import { AUTH_TYPES, DEFAULT_PUBLIC_CLIENT_ID, SIGN_IN_METHODS, isAuthType } from './connection';
import type { ConnectionConfig, ConnectionSecrets, PinnedEndpoints, SecretField, SignInMethod } from './connection';
import { emptyDraft, type ConnectionDraft, type DraftField } from './draft';
import { msg, type Message } from './messages';
import { endpointsFromSetting } from './pinning';
import { isScopePresetId, parseScopeText, scopeProblem, type ScopeSelection } from './scopes';
import { Secret } from './secret';

export { emptyDraft, parseDraft, type ConnectionDraft, type DraftField } from './draft';
export { characterErrors };

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

export function isValidTenantSyntax(tenant: string): boolean {
  return GUID.test(tenant) || DOMAIN.test(tenant) || TENANT_ALIASES.includes(tenant.toLowerCase());
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** One validation run: the draft, its auth type's entry, and the messages so far. */
interface Run {
  draft: ConnectionDraft;
  spec: AuthTypeSpec;
  ctx: ValidationContext;
  shown: ReadonlySet<DraftField>;
  stored: ReadonlySet<SecretField>;
  characters: FieldMessages;
  errors: FieldMessages;
}

const trimmed = (run: Run, field: DraftField) => String(run.draft[field]).trim();
/** Required by the auth type (a secret field: unless one is stored). */
const missing = (run: Run, field: DraftField) =>
  run.spec.required.includes(field) && !(run.stored as ReadonlySet<string>).has(field);

export function validateDraft(draft: ConnectionDraft, ctx: ValidationContext = {}): ValidationResult {
  const characters = characterErrors(draft);
  if (!isAuthType(draft.authType)) {
    return { ok: false, errors: { authType: msg('Choose an authentication type.'), ...characters }, warnings: {} };
  }
  const spec: AuthTypeSpec = AUTH_TYPE_TABLE[draft.authType];
  const run: Run = {
    draft,
    spec,
    ctx,
    shown: new Set(spec.fields),
    stored: new Set(ctx.storedSecrets ?? []),
    characters,
    errors: {},
  };
  const warnings: FieldMessages = { ...spec.warnings };

  const name = checkName(run);
  const { endpoints, graphEndpoint } = checkEnvironment(run);
  const tenant = checkTenant(run);
  const clientId = checkClientId(run);
  const { secrets, hasSecret, certificateFacts } = checkSecrets(run);
  const account = run.shown.has('account')
    ? emailField(run, 'account', msg('Enter the account (UPN) whose mail and calendar the app works with.'))
    : undefined;
  const username = run.shown.has('username')
    ? emailField(run, 'username', msg('Enter the username (UPN).'))
    : undefined;
  const sharedMailbox = run.shown.has('sharedMailbox') ? emailField(run, 'sharedMailbox') : undefined;
  const scopes = checkScopes(run, graphEndpoint);
  const signInMethod = checkSignInMethod(run, hasSecret);

  const errors = { ...run.errors, ...characters };
  if (Object.keys(errors).length > 0) {
    return { ok: false, errors, warnings };
  }
  const existing = ctx.existing;
  // The certificate's facts: of the one given now, else of the one stored before.
  const previous = existing && 'certificateThumbprint' in existing ? existing : undefined;
  const config = spec.build({
    base: {
      id: existing?.id ?? ctx.newId?.() ?? newConnectionId(),
      name,
      environment: draft.environment as ConnectionConfig['environment'],
      ...(endpoints ? { endpoints } : {}),
      tenant,
      ...(sharedMailbox ? { sharedMailbox } : {}),
    },
    clientId,
    // The default public client is pinned like the endpoints; an edit keeps the one pinned before.
    publicClientId:
      (existing && 'publicClientId' in existing ? existing.publicClientId : undefined) ??
      ctx.defaultPublicClientId ??
      DEFAULT_PUBLIC_CLIENT_ID,
    account,
    username,
    scopes,
    signInMethod,
    hasSecret,
    sendX5c: draft.sendX5c,
    certificate: {
      thumbprint: certificateFacts?.thumbprintSha256 ?? previous?.certificateThumbprint ?? '',
      notAfter: certificateFacts?.notAfter.toISOString() ?? previous?.certificateNotAfter,
    },
  });
  return { ok: true, config, secrets, warnings };
}

function checkName(run: Run): string {
  const problem = nameProblem(run.draft.name, run.ctx.otherNames);
  if (problem) run.errors.name = problem;
  return trimmed(run, 'name');
}

/** The rules for a connection's name (the form's, and Rename's input box): trimmed, 1–100 characters, unique. */
export function nameProblem(value: string, otherNames: readonly string[] = []): Message | undefined {
  const characters = characterErrors({ ...emptyDraft(), name: value }).name;
  if (characters) return characters;
  const name = value.trim();
  if (!name) return msg('Enter a name for the connection.');
  if (name.length > 100) return msg('The name is longer than 100 characters.');
  if (otherNames.some((n) => n.toLowerCase() === name.toLowerCase())) {
    return msg('A connection named "{name}" already exists.', { name });
  }
  return undefined;
}

function checkEnvironment(run: Run): { endpoints?: PinnedEndpoints; graphEndpoint?: string } {
  const { draft, ctx } = run;
  if (!isEnvironmentId(draft.environment)) {
    run.errors.environment = msg('Choose an environment.');
    return {};
  }
  if (draft.environment !== 'custom') {
    return { graphEndpoint: resolveEnvironment(draft.environment).graphEndpoint };
  }
  // An edit keeps the endpoints pinned at the first save ("Update Endpoints" changes them); a new custom
  // connection pins the user's setting now (pinning.ts).
  const endpoints =
    (ctx.existing?.environment === 'custom' ? ctx.existing.endpoints : undefined) ??
    endpointsFromSetting(ctx.customEnvironment);
  if (!endpoints) {
    run.errors.environment = customEnvironmentProblem(ctx.customEnvironment);
    return {};
  }
  return { endpoints, graphEndpoint: endpoints.graphEndpoint };
}

function checkTenant(run: Run): string {
  const tenant = trimmed(run, 'tenant') || run.spec.defaultTenant || '';
  if (!tenant) {
    run.errors.tenant = msg('Enter the tenant: its ID (a GUID) or a verified domain such as contoso.onmicrosoft.com.');
  } else if (!isValidTenantSyntax(tenant)) {
    run.errors.tenant = msg('"{tenant}" is not a tenant ID (GUID) or a domain name.', { tenant });
  } else if (run.spec.refusedTenants.includes(tenant.toLowerCase())) {
    run.errors.tenant = run.spec.refusedTenant(tenant);
  }
  return tenant;
}

function checkClientId(run: Run): string {
  const clientId = trimmed(run, 'clientId');
  if (run.shown.has('clientId')) {
    if (!clientId && missing(run, 'clientId')) {
      run.errors.clientId = msg('Enter the application (client) ID of your app registration.');
    } else if (clientId && !GUID.test(clientId)) {
      run.errors.clientId = msg('The client ID is a GUID like 00000000-0000-0000-0000-000000000000.');
    }
  }
  return clientId;
}

/** The secret fields: empty means "keep the stored value" when one is stored. */
function checkSecrets(run: Run): {
  secrets: ConnectionSecrets;
  hasSecret: boolean;
  certificateFacts?: CertificateFacts;
} {
  const { draft, shown, stored, errors } = run;
  const secrets: ConnectionSecrets = {};
  if (shown.has('clientSecret')) {
    if (draft.clientSecret) {
      secrets.clientSecret = new Secret(draft.clientSecret);
    } else if (missing(run, 'clientSecret')) {
      errors.clientSecret = msg('Enter the client secret.');
    }
  }
  const hasSecret = !!draft.clientSecret || stored.has('clientSecret');

  let certificateFacts: CertificateFacts | undefined;
  if (shown.has('certificate')) {
    const certificate = draft.certificate.trim();
    if (certificate) {
      secrets.certificate = new Secret(certificate);
      secrets.certificatePassword = new Secret(draft.certificatePassword);
      certificateFacts = openCertificate(run, certificate);
    } else if (missing(run, 'certificate')) {
      errors.certificate = msg('Choose the .pfx certificate file or paste it as base64.');
    } else if (draft.certificatePassword) {
      errors.certificatePassword = msg('To change the password, choose the certificate again too.');
    }
  }

  if (shown.has('password')) {
    if (draft.password) {
      secrets.password = new Secret(draft.password);
    } else if (missing(run, 'password')) {
      errors.password = msg('Enter the password.');
    }
  }
  return { secrets, hasSecret, certificateFacts };
}

/** Opens a given .pfx where the context can (the extension): its facts, or its message on the field it concerns. */
function openCertificate(run: Run, certificate: string): CertificateFacts | undefined {
  const { ctx, draft, characters, errors } = run;
  if (!ctx.openCertificate || characters.certificate || characters.certificatePassword) {
    return undefined;
  }
  try {
    const facts = ctx.openCertificate(certificate, draft.certificatePassword);
    const now = ctx.now ?? new Date();
    if (facts.notAfter.getTime() < now.getTime()) {
      errors.certificate = msg('The certificate expired on {date}.', {
        date: facts.notAfter.toISOString().slice(0, 10),
      });
    }
    return facts;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const field: DraftField = /password/i.test(text) ? 'certificatePassword' : 'certificate';
    // A certificate error carries its template and arguments (to be translated); others their text.
    errors[field] = (err as { userMessage?: Message }).userMessage ?? msg(text);
    return undefined;
  }
}

/** An address field: app-only types require the mailbox owner, delegated ones take an optional login hint. */
function emailField(
  run: Run,
  field: 'account' | 'sharedMailbox' | 'username',
  whenMissing?: Message,
): string | undefined {
  const value = trimmed(run, field);
  if (!value) {
    if (whenMissing && missing(run, field)) {
      run.errors[field] = whenMissing;
    }
    return undefined;
  }
  if (!EMAIL.test(value)) {
    run.errors[field] = msg('"{value}" is not an email address or user principal name (name@domain).', { value });
  }
  return value;
}

function checkScopes(run: Run, graphEndpoint: string | undefined): ScopeSelection | undefined {
  const { draft, errors } = run;
  if (!run.shown.has('scopePreset')) {
    return undefined;
  }
  if (!isScopePresetId(draft.scopePreset)) {
    errors.scopePreset = msg('Choose a permission preset.');
    return undefined;
  }
  const additional = parseScopeText(draft.additionalScopes);
  const problem = additional.map((s) => scopeProblem(s, graphEndpoint)).find(Boolean);
  if (problem) {
    errors.additionalScopes = problem;
  } else if (draft.scopePreset === 'custom' && additional.length === 0) {
    errors.additionalScopes = msg('With the Custom preset, enter at least one scope.');
  } else if (additional.some((s) => s.endsWith('/.default'))) {
    errors.additionalScopes = msg('/.default is for app-only connections; list the delegated permissions instead.');
  }
  return { preset: draft.scopePreset, additional };
}

function checkSignInMethod(run: Run, hasSecret: boolean): SignInMethod {
  if (!run.shown.has('signInMethod')) {
    return 'auto';
  }
  if (!(SIGN_IN_METHODS as readonly string[]).includes(run.draft.signInMethod)) {
    run.errors.signInMethod = msg('Choose how to sign in.');
    return 'auto';
  }
  const method = run.draft.signInMethod as SignInMethod;
  // A confidential client cannot redeem a device code.
  if (run.spec.client === 'publicUnlessSecret' && hasSecret && method === 'deviceCode') {
    run.errors.signInMethod = msg('Device code sign-in works only without a client secret (a public client).');
  }
  return method;
}

export function newConnectionId(): string {
  return globalThis.crypto.randomUUID();
}

/** The draft that edits an existing connection: secret fields empty (the form shows "stored"). */
export function draftFromConfig(config: ConnectionConfig): ConnectionDraft {
  const spec: AuthTypeSpec = AUTH_TYPE_TABLE[config.authType];
  const common = {
    name: config.name,
    authType: config.authType,
    environment: config.environment,
    tenant: config.tenant,
    sharedMailbox: config.sharedMailbox ?? '',
  };
  return { ...emptyDraft(), ...common, ...spec.toDraft(config) };
}

export { AUTH_TYPES };
