/**
 * What an import would do, before it does anything: every entry of a parsed export file (importFile.ts)
 * validated by the form's own validator, sorted into new / same as an existing connection / conflict (same
 * id, or same name, with another configuration), the custom endpoints that differ from the user's setting
 * (to be confirmed), and, once the user chose Replace / Keep both / Skip for each conflict, the
 * configurations to write.
 *
 * Pure (no Node, no vscode).
 */
import { AUTH_TYPE_TABLE, type ConnectionConfig, type PinnedEndpoints, type SecretField } from './authTypes';
import type { CustomEnvironmentSetting } from './clouds';
import { exportFieldOf, sameConfiguration, secretsNeeded, type ExportEntry } from './connectionExport';
import { emptyDraft, type ConnectionDraft, type DraftField } from './draft';
import { entryLabel } from './importFile';
import { msg, type Message } from './messages';
import { endpointsFromSetting } from './pinning';
import { validateDraft } from './validate';

const MAX_NAME = 100;

export interface ExistingConnection {
  id: string;
  name: string;
  /** Absent for a stored entry that cannot be read (broken): it can be replaced, never be "the same". */
  config?: ConnectionConfig;
}

export interface ImportContext {
  /** The user-level `outlook365.customEnvironment` (never a workspace's). */
  customEnvironment?: CustomEnvironmentSetting;
  /** The user-level `outlook365.defaultPublicClientId`, pinned into entries on the default public client. */
  defaultPublicClientId: string;
  existing: readonly ExistingConnection[];
}

export type EntryStatus = 'new' | 'same' | 'conflict';

export interface PlannedEntry {
  /** Validated, with the file's id. */
  config: ConnectionConfig;
  status: EntryStatus;
  /** The existing connection it is the same as, or conflicts with. */
  target?: ExistingConnection;
  /** Secrets it cannot sign in without (an import brings none). */
  secretsNeeded: SecretField[];
}

export interface EntryProblems {
  /** `#2 "Team mailbox"`. */
  entry: string;
  problems: { field: string; message: Message }[];
}

export type ImportPlan =
  { ok: true; entries: PlannedEntry[]; foreignEndpoints: PinnedEndpoints[] } | { ok: false; invalid: EntryProblems[] };

export function planImport(entries: readonly ExportEntry[], ctx: ImportContext): ImportPlan {
  const planned: PlannedEntry[] = [];
  const invalid: EntryProblems[] = [];
  entries.forEach((entry, index) => {
    const result = validateDraft(entryDraft(entry), {
      // A custom entry's endpoints are checked as the setting would be, and pinned as they are (once confirmed).
      customEnvironment: entry.environment === 'custom' ? (entry.endpoints as CustomEnvironmentSetting) : undefined,
      defaultPublicClientId: ctx.defaultPublicClientId,
      // Secrets never travel: validate as if stored, so only what the file says is judged.
      storedSecrets: assumedSecrets(entry),
      newId: () => entry.id,
    });
    if (!result.ok) {
      const problems = (Object.entries(result.errors) as [DraftField, Message][]).map(([field, message]) => ({
        field: exportFieldOf(field, entry.authType),
        message,
      }));
      invalid.push({ entry: entryLabel(index, entry), problems });
      return;
    }
    planned.push(classify(result.config, ctx.existing));
  });
  if (invalid.length > 0) return { ok: false, invalid };
  return { ok: true, entries: planned, foreignEndpoints: foreignEndpoints(planned, ctx.customEnvironment) };
}

/** An entry as the form would hold it. */
function entryDraft(entry: ExportEntry): ConnectionDraft {
  const text = (key: string) => {
    const value = entry[key];
    return typeof value === 'string' ? value : '';
  };
  const scopes = entry.scopes as { preset: string; additional: string[]; operations?: string[] } | undefined;
  const operations = (entry.operations as string[] | undefined) ?? scopes?.operations ?? [];
  const empty = emptyDraft();
  return {
    ...empty,
    name: entry.name,
    authType: entry.authType,
    environment: text('environment'),
    tenant: text('tenant'),
    clientId: text('clientId'),
    account: text('account') || text('loginHint'),
    sharedMailbox: text('sharedMailbox'),
    username: text('username'),
    scopePreset: scopes?.preset ?? empty.scopePreset,
    additionalScopes: scopes?.additional.join(' ') ?? '',
    operations: operations.join(' '),
    signInMethod: text('signInMethod') || empty.signInMethod,
    sendX5c: entry.sendX5c === true,
  };
}

function assumedSecrets(entry: ExportEntry): SecretField[] {
  const fields = AUTH_TYPE_TABLE[entry.authType].secretFields;
  // Your own app is confidential exactly when a client secret is stored: the file says which it was.
  return entry.authType === 'byoApp' && entry.confidential !== true ? [] : [...fields];
}

function classify(config: ConnectionConfig, existing: readonly ExistingConnection[]): PlannedEntry {
  const name = config.name.toLowerCase();
  const target = existing.find((e) => e.id === config.id) ?? existing.find((e) => e.name.toLowerCase() === name);
  const status: EntryStatus = !target
    ? 'new'
    : target.config && sameConfiguration(target.config, config)
      ? 'same'
      : 'conflict';
  return { config, status, ...(target ? { target } : {}), secretsNeeded: secretsNeeded(config) };
}

/** Custom endpoints of the file that the user's setting does not name: never used without the user's word. */
function foreignEndpoints(entries: readonly PlannedEntry[], setting: CustomEnvironmentSetting | undefined) {
  const own = endpointsFromSetting(setting);
  const foreign = new Map<string, PinnedEndpoints>();
  for (const { config, status } of entries) {
    const e = config.endpoints;
    if (status === 'same' || config.environment !== 'custom' || !e) continue;
    if (own && own.loginEndpoint === e.loginEndpoint && own.graphEndpoint === e.graphEndpoint) continue;
    foreign.set(`${e.loginEndpoint} ${e.graphEndpoint}`, e);
  }
  return [...foreign.values()];
}

export type ConflictChoice = 'replace' | 'keepBoth' | 'skip';

export interface ImportChanges {
  /** Written in one go: new connections, replacements (the existing id) and copies (a new id and name). */
  upserts: ConnectionConfig[];
  /** Of the upserts, the ids of the connections they replace. */
  replaced: string[];
  skipped: number;
  same: number;
}

/**
 * The configurations to write, given a choice per conflict (by index in `entries`; a conflict without a
 * choice is skipped). Refused when two connections would end up with one name.
 */
export function resolveImport(
  entries: readonly PlannedEntry[],
  choices: ReadonlyMap<number, ConflictChoice>,
  existing: readonly ExistingConnection[],
  newId: () => string,
): { ok: true; changes: ImportChanges } | { ok: false; problem: Message } {
  const taken = new Set([...existing, ...entries.map((e) => e.config)].map((c) => c.name.toLowerCase()));
  const changes: ImportChanges = { upserts: [], replaced: [], skipped: 0, same: 0 };
  entries.forEach((entry, index) => {
    if (entry.status === 'same') {
      changes.same++;
      return;
    }
    if (entry.status === 'new') {
      changes.upserts.push(entry.config);
      return;
    }
    const choice = choices.get(index) ?? 'skip';
    if (choice === 'skip') {
      changes.skipped++;
    } else if (choice === 'replace') {
      changes.upserts.push({ ...entry.config, id: entry.target!.id });
      changes.replaced.push(entry.target!.id);
    } else {
      const name = uniqueName(entry.config.name, taken);
      taken.add(name.toLowerCase());
      changes.upserts.push({ ...entry.config, id: newId(), name });
    }
  });
  const written = new Set(changes.upserts.map((c) => c.id));
  const names = new Map<string, string>();
  for (const c of [...existing.filter((e) => !written.has(e.id)), ...changes.upserts]) {
    const key = c.name.toLowerCase();
    if (names.has(key)) {
      return {
        ok: false,
        problem: msg(
          'After the import two connections would be named "{name}": choose Keep both for it, or rename it in the file.',
          { name: c.name },
        ),
      };
    }
    names.set(key, c.name);
  }
  return { ok: true, changes };
}

/** `Name (2)`, `Name (3)`, … the first one free, within the form's 100 characters. */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
