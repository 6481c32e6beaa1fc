/**
 * The Settings Sync mirror of the connections (`outlook365.syncConnections`): the configurations of
 * connections.json, copied into one globalState key that VS Code roams, and merged back on every machine.
 *
 * Each entry carries the time this machine saw it change (`at`); a deleted connection leaves an entry
 * without a configuration (a tombstone) for `TOMBSTONE_DAYS`. Two machines' mirrors merge per connection:
 * the later entry wins. That keeps concurrent changes to different connections (Settings Sync keeps only
 * one machine's value of a key) and lets a deletion travel. What the merge never does:
 * - delete a connection this machine never had in a mirror (created here while sync was off, or not yet
 *   pushed): a tombstone only removes what it is newer than, and an entry of this machine's own is stamped
 *   when this machine first mirrors it;
 * - carry a secret: configurations hold none, and a field named like one is dropped all the same.
 *
 * Pure (no Node, no vscode): the runtime is connections/settingsSync.ts.
 */
import { SECRET_FIELDS } from './connection';

export const MIRROR_VERSION = 1;
/** How long a deletion is remembered; a machine offline for longer may bring the connection back (never loses one). */
export const TOMBSTONE_DAYS = 90;

export type SyncRecord = { id: string } & Record<string, unknown>;

export interface MirrorEntry {
  id: string;
  /** When a machine saw this entry change (ISO time). The later entry of two wins. */
  at: string;
  /** The configuration; absent: the connection was deleted at `at`. */
  config?: SyncRecord;
}

export interface Mirror {
  version: number;
  entries: MirrorEntry[];
}

export interface SyncPlan {
  /** connections.json's records after the merge; undefined when they stay as they are. */
  records: SyncRecord[] | undefined;
  /** What this machine writes into the mirror (and keeps as what it agreed on last). */
  mirror: Mirror;
  added: string[];
  updated: string[];
  removed: string[];
}

/** A mirror as read from globalState: undefined when absent or not a mirror; 'newer' when a newer version wrote it. */
export function parseMirror(value: unknown): Mirror | 'newer' | undefined {
  if (!isObject(value) || typeof value.version !== 'number' || !Array.isArray(value.entries)) return undefined;
  if (value.version > MIRROR_VERSION) return 'newer';
  if (value.version !== MIRROR_VERSION) return undefined;
  const byId = new Map<string, MirrorEntry>();
  for (const raw of value.entries as unknown[]) {
    const entry = parseEntry(raw);
    if (entry) byId.set(entry.id, later(byId.get(entry.id), entry));
  }
  return { version: MIRROR_VERSION, entries: [...byId.values()] };
}

function parseEntry(raw: unknown): MirrorEntry | undefined {
  if (!isObject(raw) || typeof raw.id !== 'string' || !raw.id || PROTOTYPE_KEYS.has(raw.id)) return undefined;
  if (typeof raw.at !== 'string' || Number.isNaN(Date.parse(raw.at))) return undefined;
  if (raw.config === undefined) return { id: raw.id, at: raw.at };
  if (!isObject(raw.config) || raw.config.id !== raw.id) return undefined;
  return { id: raw.id, at: raw.at, config: scrub(raw.config as SyncRecord) };
}

/** Never keys of a copied object: `copy['__proto__'] = …` would set its prototype. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The configuration as it travels: without any field named like a secret (configurations have none). */
export function scrub(record: SyncRecord): SyncRecord {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!(SECRET_FIELDS as readonly string[]).includes(key) && !PROTOTYPE_KEYS.has(key)) copy[key] = value;
  }
  return copy as SyncRecord;
}

/** Whether two mirrors say the same (entry order aside). */
export function sameMirror(a: Mirror | undefined, b: Mirror | undefined): boolean {
  if (!a || !b) return a === b;
  const key = (m: Mirror) => canonical([...m.entries].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)));
  return key(a) === key(b);
}

/**
 * This machine's connections as a mirror: an entry unchanged since `base` (what this machine agreed on
 * last) keeps its time; a new or changed one gets `now`; one that `base` had and that is gone from
 * connections.json becomes a tombstone at `now`. Records `syncable` refuses (damaged ones) stay out, and
 * so does a tombstone for them.
 */
export function mirrorOf(
  records: readonly SyncRecord[],
  syncable: (record: SyncRecord) => boolean,
  base: Mirror | undefined,
  now: Date,
): Mirror {
  const at = now.toISOString();
  const baseById = new Map((base?.entries ?? []).map((e) => [e.id, e]));
  const localIds = new Set(records.map((r) => r.id));
  const entries: MirrorEntry[] = [];
  for (const record of records) {
    const before = baseById.get(record.id);
    if (!syncable(record)) {
      if (before) entries.push(before);
      continue;
    }
    const config = scrub(record);
    entries.push({ id: record.id, at: before?.config && sameConfig(before.config, config) ? before.at : at, config });
  }
  for (const entry of base?.entries ?? []) {
    if (localIds.has(entry.id)) continue;
    entries.push(entry.config ? { id: entry.id, at } : entry);
  }
  return { version: MIRROR_VERSION, entries: pruned(entries, now) };
}

/** Per connection, the later of the two entries. */
export function mergeMirrors(a: Mirror, b: Mirror, now: Date): Mirror {
  const byId = new Map(a.entries.map((e) => [e.id, e]));
  for (const entry of b.entries) byId.set(entry.id, later(byId.get(entry.id), entry));
  return { version: MIRROR_VERSION, entries: pruned([...byId.values()], now) };
}

/**
 * What a reconciliation does: this machine's connections (`records`, read under the file's lock) as a
 * mirror, merged with what arrived (`remote`, when it differs from `base`), and the records that result.
 * A remote configuration `syncable` refuses is never applied; a damaged local record is never touched.
 */
export function planSync(
  records: readonly SyncRecord[],
  syncable: (record: SyncRecord) => boolean,
  base: Mirror | undefined,
  remote: Mirror | undefined,
  now: Date,
): SyncPlan {
  const mine = mirrorOf(records, syncable, base, now);
  const merged = remote ? mergeMirrors(mine, remote, now) : mine;
  const winners = new Map(merged.entries.map((e) => [e.id, e]));
  const synced = new Set((base?.entries ?? []).filter((e) => e.config).map((e) => e.id));
  const plan: SyncPlan = { records: undefined, mirror: merged, added: [], updated: [], removed: [] };
  const next: SyncRecord[] = [];
  for (const record of records) {
    const winner = winners.get(record.id);
    if (!winner || !syncable(record)) next.push(record);
    else if (!winner.config && !synced.has(record.id)) {
      // A deletion of a connection this machine never had in a mirror (another machine's clock ahead):
      // it stays, and its entry goes out again, later than the deletion.
      next.push(record);
      const again = Math.max(now.getTime(), Date.parse(winner.at) + 1);
      winners.set(record.id, { id: record.id, at: new Date(again).toISOString(), config: scrub(record) });
    } else if (!winner.config) plan.removed.push(record.id);
    else if (syncable(winner.config) && !sameConfig(scrub(record), winner.config)) {
      plan.updated.push(record.id);
      next.push(winner.config);
    } else next.push(record);
  }
  const localIds = new Set(records.map((r) => r.id));
  for (const entry of merged.entries) {
    if (entry.config && !localIds.has(entry.id) && syncable(entry.config)) {
      plan.added.push(entry.id);
      next.push(entry.config);
    }
  }
  plan.mirror = { version: MIRROR_VERSION, entries: [...winners.values()] };
  if (plan.added.length || plan.updated.length || plan.removed.length) plan.records = next;
  return plan;
}

function later(current: MirrorEntry | undefined, candidate: MirrorEntry): MirrorEntry {
  if (!current) return candidate;
  const diff = Date.parse(candidate.at) - Date.parse(current.at);
  if (diff !== 0) return diff > 0 ? candidate : current;
  // The same time on two machines: any fixed choice, so that both choose alike.
  return canonical(candidate) > canonical(current) ? candidate : current;
}

function pruned(entries: MirrorEntry[], now: Date): MirrorEntry[] {
  const oldest = now.getTime() - TOMBSTONE_DAYS * 24 * 60 * 60 * 1000;
  return entries.filter((e) => e.config || Date.parse(e.at) >= oldest);
}

function sameConfig(a: SyncRecord, b: SyncRecord): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted: the same configuration gives the same text whatever its key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
