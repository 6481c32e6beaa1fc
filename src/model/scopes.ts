/**
 * Delegated permission presets and scope resolution (DESIGN.md "Scopes"). Raw scope text from the form
 * or a setting is parsed here once; beyond this module scopes are `ScopeSet`s.
 */
import { characterProblem } from './characters';
import type { Environment } from './clouds';
import { msg, type Message } from './messages';
import { derivePermissions, parseOperations, type OperationId } from './operations';

/** OpenID Connect scopes: they ask for an id token or a refresh token, not for a Graph permission. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export const DELEGATED_OUTLOOK_SCOPES = [
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
  'profile',
  'openid',
  'email',
  'offline_access',
  'User.Read',
] as const;

export const SCOPE_PRESET_IDS = [
  'minimal',
  'sharedMailbox',
  'calendar',
  'sharedCalendar',
  'everything',
  'custom',
  'appDefault',
] as const;
export type ScopePresetId = (typeof SCOPE_PRESET_IDS)[number];

export interface ScopePreset {
  readonly id: ScopePresetId;
  readonly label: Message;
  readonly scopes: readonly string[];
}

/** `openid` and `offline_access` are in every preset: without them there is no account and no refresh. */
const CONNECT = ['openid', 'offline_access'];

export const SCOPE_PRESETS: readonly ScopePreset[] = [
  { id: 'minimal', label: msg('Minimal to connect'), scopes: [...CONNECT, 'Mail.Read'] },
  { id: 'sharedMailbox', label: msg('Shared mailbox triggers'), scopes: [...CONNECT, 'Mail.Read', 'Mail.Read.Shared'] },
  { id: 'calendar', label: msg('Calendar events'), scopes: [...CONNECT, 'Calendars.Read'] },
  { id: 'sharedCalendar', label: msg('Shared calendar events'), scopes: [...CONNECT, 'Calendars.Read.Shared'] },
  { id: 'everything', label: msg('Everything Outlook'), scopes: [...DELEGATED_OUTLOOK_SCOPES] },
  { id: 'custom', label: msg('Custom'), scopes: [] },
  // Your own app only: `/.default` asks for the permissions configured on the app registration, and
  // Entra refuses it together with other Graph permissions (AADSTS70011), so nothing is added to it.
  {
    id: 'appDefault',
    label: msg('Only the permissions configured on the app (/.default)'),
    scopes: [...CONNECT, '.default'],
  },
];

export function isScopePresetId(value: unknown): value is ScopePresetId {
  return typeof value === 'string' && (SCOPE_PRESET_IDS as readonly string[]).includes(value);
}

export function presetById(id: ScopePresetId): ScopePreset {
  return SCOPE_PRESETS.find((p) => p.id === id)!;
}

/**
 * What the user chose: a preset, the operations ticked (./operations.ts; absent on connections stored
 * before there were any: nothing is derived for them) and additional scopes (short names or full URIs).
 */
export interface ScopeSelection {
  preset: ScopePresetId;
  operations?: OperationId[];
  additional: string[];
}

const SHORT_SCOPE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

function isOidc(scope: string): boolean {
  return (OIDC_SCOPES as readonly string[]).includes(scope.toLowerCase());
}

/**
 * Why one additional scope is not acceptable for this cloud, or undefined. A full URI must be on the
 * cloud's own Graph host: a permission for another cloud's Graph would send our token there. It must
 * also be written exactly as `{graph}/{permission}`: no user info, query or fragment, and nothing that
 * `URL` would normalize away (a default port, dot segments, backslashes), so what is checked is what
 * is sent, and `.default` is only ever `{graph}/.default`.
 */
export function scopeProblem(scope: string, graphEndpoint: string | undefined): Message | undefined {
  if (!scope) {
    return msg('A scope cannot be empty.');
  }
  const characters = characterProblem(scope);
  if (characters) {
    return characters;
  }
  if (/\s/.test(scope)) {
    return msg('"{scope}" contains a space; separate scopes with spaces or commas.', { scope });
  }
  if (scope.includes('://')) {
    let url: URL;
    try {
      url = new URL(scope);
    } catch {
      return msg('"{scope}" is not a valid scope URI.', { scope });
    }
    if (url.protocol !== 'https:') {
      return msg('"{scope}" must use https.', { scope });
    }
    if (url.username || url.password || /^[^/]*\/\/[^/]*@/.test(scope)) {
      return msg('"{scope}" must not contain a user name or password.', { scope });
    }
    if (url.search || url.hash || /[?#]/.test(scope)) {
      return msg('"{scope}" must not have a query (?) or fragment (#).', { scope });
    }
    if (graphEndpoint && url.origin !== graphEndpoint) {
      return msg('"{scope}" is not on this environment\'s Graph host ({graph}).', { scope, graph: graphEndpoint });
    }
    const name = url.pathname.replace(/^\//, '');
    const written =
      scope.slice(0, url.origin.length).toLowerCase() === url.origin && scope.slice(url.origin.length) === url.pathname;
    if (!written || (name !== '.default' && !SHORT_SCOPE.test(name))) {
      return msg('"{scope}" does not name a permission (expected {graph}/Mail.Read).', {
        scope,
        graph: graphEndpoint ?? 'https://graph.microsoft.com',
      });
    }
    return undefined;
  }
  if (!SHORT_SCOPE.test(scope)) {
    return msg('"{scope}" is not a permission name like Mail.Read.', { scope });
  }
  return undefined;
}

/** Splits free text ("Mail.Send, Contacts.Read") into scope strings. */
export function parseScopeText(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The short permission name of a scope: `https://graph.microsoft.com/Mail.Read` → `Mail.Read`. */
export function shortScopeName(scope: string): string {
  if (scope.includes('://')) {
    try {
      return new URL(scope).pathname.replace(/^\//, '');
    } catch {
      return scope;
    }
  }
  return scope;
}

function dedupe(scopes: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const s of scopes) {
    const key = s.toLowerCase();
    if (!seen.has(key)) {
      seen.set(key, s);
    }
  }
  return [...seen.values()];
}

/**
 * The union of the preset, the operations' least-privileged delegated permissions and the additional
 * scopes, short names, in a stable order (the permission summary). `/.default` stands alone.
 */
export function summarizeScopes(selection: ScopeSelection): string[] {
  const preset = presetById(selection.preset).scopes;
  if (selection.preset === 'appDefault') {
    return [...preset];
  }
  const derived = derivePermissions(parseOperations(selection.operations), 'delegated').map((d) => d.permission);
  return dedupe([...preset, ...derived, ...selection.additional.map(shortScopeName)]);
}

/**
 * Scopes as sent to the login host: Graph permissions fully qualified on the cloud's Graph host (short
 * names would mean the global Graph in some clouds), OIDC scopes as they are.
 */
export function resolveDelegatedScopes(selection: ScopeSelection, environment: Environment): string[] {
  return summarizeScopes(selection).map((s) => (isOidc(s) ? s.toLowerCase() : `${environment.graphEndpoint}/${s}`));
}

/** The only scope an app-only grant can ask for. */
export function appOnlyScope(environment: Environment): string {
  return `${environment.graphEndpoint}/.default`;
}

/** Graph permissions in a list, without OIDC scopes or `.default` (what a token can grant or lack). */
export function graphPermissions(scopes: readonly string[]): string[] {
  return dedupe(scopes.map(shortScopeName).filter((s) => !isOidc(s) && s !== '.default'));
}

export interface ScopeComparison {
  granted: string[];
  missing: string[];
}

/** Requested vs granted, case-insensitively (Entra may change case). */
export function compareScopes(requested: readonly string[], granted: readonly string[]): ScopeComparison {
  const grantedSet = new Set(granted.map((s) => s.toLowerCase()));
  return {
    granted: [...granted],
    missing: graphPermissions(requested).filter((s) => !grantedSet.has(s.toLowerCase())),
  };
}
