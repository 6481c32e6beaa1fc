/**
 * A connection's permissions as the form explains them: what its sign-in asks for, why each permission
 * is there (an operation, the preset, an additional scope), which ones the app registration must have
 * (app-only types, and "only the permissions configured on the app"), and the warnings before saving
 * when the choices cannot do what was ticked. The form and the validator both ask this module.
 *
 * Webview-safe (bundled into the form): no Node import.
 */
import { AUTH_TYPE_TABLE, isAppOnly, isAuthType, type AuthType, type ConnectionConfig } from './authTypes';
import type { ConnectionDraft } from './draft';
import { APP_ONLY_SOURCE_MINIMUM, KNOWN_PERMISSIONS } from './graphPermissions';
import { msg, type Message } from './messages';
import { allows, derivePermissions, parseOperations, type OperationId, type PermissionKind } from './operations';
import {
  OIDC_SCOPES,
  isScopePresetId,
  parseScopeText,
  presetById,
  scopeProblem,
  shortScopeName,
  summarizeScopes,
  type ScopePresetId,
} from './scopes';

export type Reason =
  | { kind: 'operation'; operation: OperationId }
  | { kind: 'preset'; preset: ScopePresetId }
  | { kind: 'additional' }
  /** openid and offline_access: an account and a refresh token. */
  | { kind: 'signIn' }
  /** App-only, nothing ticked: the source documents' minimum (Mail.Read, User.Read.All). */
  | { kind: 'sourceMinimum' };

export interface PlannedPermission {
  permission: string;
  reasons: Reason[];
  /** Microsoft's reference says an administrator must consent to it (every application permission). */
  adminConsent: boolean;
}

export interface PlanWarning {
  field: 'sharedMailbox' | 'operations';
  message: Message;
}

export interface PermissionPlan {
  kind: PermissionKind;
  /** What the sign-in asks for, short names; `.default` (the app registration decides) for app-only types. */
  requested: string[];
  /**
   * `requested` with reasons; or, when `configuredOnApp`, the permissions the app registration needs
   * (application permissions an administrator grants, or the delegated ones configured on the app).
   */
  permissions: PlannedPermission[];
  configuredOnApp: boolean;
  warnings: PlanWarning[];
}

/** Only a bring-your-own app has its own configured permissions; the other types cannot use that preset. */
export function presetAllowed(preset: ScopePresetId, authType: AuthType): boolean {
  return preset !== 'appDefault' || authType === 'byoApp';
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const isOidc = (s: string) => (OIDC_SCOPES as readonly string[]).some((o) => same(o, s));

function adminConsent(permission: string, kind: PermissionKind): boolean {
  if (kind === 'application') return true;
  const known = (KNOWN_PERMISSIONS as Record<string, { delegated?: { adminConsent: boolean } }>)[permission];
  return !!known?.delegated?.adminConsent;
}

/** The plan of a draft (the form) or of the parts of a stored connection. */
export function permissionPlan(input: {
  authType: AuthType;
  preset: ScopePresetId;
  operations: readonly OperationId[];
  /** Additional scopes as typed (short names or URIs); only acceptable ones. */
  additional: readonly string[];
  sharedMailbox: string;
}): PermissionPlan {
  const { authType, preset, operations } = input;
  const kind: PermissionKind = AUTH_TYPE_TABLE[authType].grant === 'appOnly' ? 'application' : 'delegated';
  const derived = derivePermissions(operations, kind);
  const fromOperations = (permission: string): Reason[] =>
    (derived.find((d) => same(d.permission, permission))?.operations ?? []).map((operation) => ({
      kind: 'operation',
      operation,
    }));

  if (kind === 'application' || preset === 'appDefault') {
    const needed: PlannedPermission[] = derived.length
      ? derived.map((d) => ({ permission: d.permission, reasons: fromOperations(d.permission), adminConsent: false }))
      : kind === 'application'
        ? APP_ONLY_SOURCE_MINIMUM.map((p) => ({
            permission: p,
            reasons: [{ kind: 'sourceMinimum' }],
            adminConsent: false,
          }))
        : [];
    return {
      kind,
      requested: kind === 'application' ? ['.default'] : summarizeScopes({ preset, additional: [] }),
      permissions: needed.map((p) => ({ ...p, adminConsent: adminConsent(p.permission, kind) })),
      configuredOnApp: true,
      warnings: [],
    };
  }

  const additional = input.additional.map(shortScopeName);
  const requested = summarizeScopes({ preset, operations: [...operations], additional });
  const presetScopes = presetById(preset).scopes;
  const permissions = requested.map((permission): PlannedPermission => {
    const reasons: Reason[] = isOidc(permission) ? [{ kind: 'signIn' }] : [];
    if (!isOidc(permission) && presetScopes.some((s) => same(s, permission))) reasons.push({ kind: 'preset', preset });
    reasons.push(...fromOperations(permission));
    if (additional.some((s) => same(s, permission))) reasons.push({ kind: 'additional' });
    return { permission, reasons, adminConsent: adminConsent(permission, kind) };
  });
  return {
    kind,
    requested,
    permissions,
    configuredOnApp: false,
    warnings: sharedMailboxWarnings(input.sharedMailbox.trim(), operations, requested),
  };
}

/** With a shared mailbox, own-mailbox operations act on it: each needs its `.Shared` permission (delegated). */
const SHARED_COUNTERPARTS: readonly [own: OperationId, shared: OperationId, warning: Message][] = [
  [
    'writeMail',
    'writeSharedMailbox',
    msg(
      'Changing mail in the shared mailbox needs Mail.ReadWrite.Shared: tick \u201cChange mail in a shared mailbox\u201d.',
    ),
  ],
  [
    'sendMail',
    'sendAsShared',
    msg(
      'Sending from the shared mailbox needs Mail.Send.Shared: tick \u201cSend as or on behalf of a shared mailbox\u201d.',
    ),
  ],
  [
    'readCalendars',
    'readSharedCalendars',
    msg('The shared mailbox\u2019s calendar needs Calendars.Read.Shared: tick \u201cRead shared calendars\u201d.'),
  ],
  [
    'writeCalendars',
    'writeSharedCalendars',
    msg(
      'Changing the shared mailbox\u2019s calendar needs Calendars.ReadWrite.Shared: tick \u201cChange shared calendars\u201d.',
    ),
  ],
];

/**
 * Warnings, not errors: the connection still signs in and works on the user's own mailbox, a permission
 * can be added later (Edit, or another extension asking for it), and Exchange decides the mailbox rights.
 */
function sharedMailboxWarnings(
  sharedMailbox: string,
  operations: readonly OperationId[],
  requested: readonly string[],
): PlanWarning[] {
  if (!sharedMailbox) return [];
  const warnings: PlanWarning[] = [];
  // Test Connection and every caller read the shared mailbox's inbox (/users/{mailbox}/…).
  if (!allows(requested, 'readSharedMailbox', 'delegated')) {
    warnings.push({
      field: 'sharedMailbox',
      message: msg('Reading the shared mailbox needs Mail.Read.Shared: tick \u201cRead a shared mailbox\u201d.'),
    });
  }
  for (const [own, shared, warning] of SHARED_COUNTERPARTS) {
    if (operations.includes(own) && !allows(requested, shared, 'delegated')) {
      warnings.push({ field: 'operations', message: warning });
    }
  }
  // https://learn.microsoft.com/graph/outlook-change-notifications-overview: delegated subscriptions only
  // in the signed-in user's own mailbox; the .Shared permissions do not support them.
  if (operations.includes('mailNotifications') || operations.includes('eventNotifications')) {
    warnings.push({
      field: 'operations',
      message: msg(
        'Change notifications with delegated permissions cover only the signed-in user\u2019s own mailbox, not the shared mailbox: use an app-only connection for those.',
      ),
    });
  }
  return warnings;
}

/** The plan of a draft as the form holds it; undefined while its auth type or preset is not a valid choice. */
export function planOfDraft(draft: ConnectionDraft, graphEndpoint?: string): PermissionPlan | undefined {
  if (!isAuthType(draft.authType)) return undefined;
  const delegated = AUTH_TYPE_TABLE[draft.authType].grant === 'delegated';
  if (delegated && !isScopePresetId(draft.scopePreset)) return undefined;
  const acceptable = (s: string) => !scopeProblem(s, graphEndpoint) && !s.endsWith('/.default');
  return permissionPlan({
    authType: draft.authType,
    preset: delegated ? (draft.scopePreset as ScopePresetId) : 'minimal',
    operations: parseOperations(draft.operations),
    additional: parseScopeText(draft.additionalScopes).filter(acceptable),
    sharedMailbox: draft.sharedMailbox,
  });
}

/** Why the preset, operations and additional scopes cannot be requested together, or undefined. */
export function selectionProblem(
  preset: ScopePresetId,
  operations: readonly OperationId[],
  additional: readonly string[],
): Message | undefined {
  if (preset === 'custom' && additional.length === 0 && operations.length === 0) {
    return msg('With the Custom preset, tick an operation or enter at least one scope.');
  }
  if (preset === 'appDefault' && additional.length > 0) {
    // Entra refuses /.default together with other Graph permissions (AADSTS70011):
    // https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/4071
    return msg('The permissions configured on the app come alone: add these to the app registration instead.');
  }
  if (additional.some((s) => s.endsWith('/.default'))) {
    return msg('/.default is for app-only connections; list the delegated permissions instead.');
  }
  return undefined;
}

/** App-only types keep their ticked operations beside the configuration (delegated ones in `scopes`). */
export function withOperations(config: ConnectionConfig, draft: ConnectionDraft): ConnectionConfig {
  const operations = parseOperations(draft.operations);
  return isAppOnly(config) && operations.length ? { ...config, operations } : config;
}

/** The plan's warning on the shared mailbox field (the others show with the operations). */
export function planFieldWarnings(draft: ConnectionDraft, graphEndpoint?: string): { sharedMailbox?: Message } {
  const warning = planOfDraft(draft, graphEndpoint)?.warnings.find((w) => w.field === 'sharedMailbox');
  return warning ? { sharedMailbox: warning.message } : {};
}

/** The operations stored with a connection (none on one stored before there were any). */
export function operationsOf(config: ConnectionConfig): OperationId[] {
  return parseOperations('scopes' in config ? config.scopes.operations : config.operations);
}
