/**
 * One merge of Settings Sync (settingsSync.ts): what arrived in the mirror key into the store, this
 * machine's connections back into the key. Loaded from dist/sync.js only once the setting is on
 * (scripts/lazyChunks.mjs); the merge rules themselves are model/syncMirror.ts.
 */
import type * as vscode from 'vscode';
import { isBroken, parseStoredConnection } from '../model/storedConnection';
import { secretsMissing } from '../model/secretsNeeded';
import { signInChanges } from '../model/signInIdentity';
import { parseMirror, planSync, sameMirror, type Mirror, type SyncPlan, type SyncRecord } from '../model/syncMirror';
import { draftFromConfig } from '../model/validate';
import { SECRET_FIELDS, type ConnectionConfig } from '../model/connection';
import type { Log } from '../log';
import type { ConnectionEntry, ConnectionStore } from './connectionStore';
import type { SecretStore } from './secretStore';
import type { Sessions } from './sessions';
import { BASE_KEY, MIRROR_KEY } from './syncKeys';

export interface MergeContext {
  memento: vscode.Memento;
  store: ConnectionStore;
  secrets: SecretStore;
  sessions: Sessions;
  log: Log;
}

/** What ConnectionsSync remembers between merges. */
export interface MergeState {
  /** The value of the mirror key when last looked at (by identity). */
  seen: unknown;
  /** The store's list when last mirrored (replaced on every change of a configuration, not of the facts). */
  list: unknown;
  newerReported: boolean;
  /** The last failure's code, logged once while it repeats (the next look tries again). */
  lastFailure: string | undefined;
}

export async function mergeSync(ctx: MergeContext, state: MergeState): Promise<void> {
  const raw = ctx.memento.get<unknown>(MIRROR_KEY);
  const remote = parseMirror(raw);
  if (remote === 'newer') {
    state.seen = raw;
    if (!state.newerReported)
      ctx.log.warn('sync', 'the synced connections were written by a newer version; not merged');
    state.newerReported = true;
    return;
  }
  const storedBase = parseMirror(ctx.memento.get<unknown>(BASE_KEY));
  const base = storedBase === 'newer' ? undefined : storedBase;
  const arrived = remote && !sameMirror(remote, base) ? remote : undefined;
  if (remote && !arrived && ctx.store.list() === state.list) {
    state.seen = raw; // the echo of this window's own write, or another key: nothing to merge or push
    return;
  }
  const before = new Map(ctx.store.list().map((e) => [e.id, e]));
  const signedIn = new Set([...before.keys()].filter((id) => ctx.store.facts(id).signedIn));
  let plan: SyncPlan | undefined;
  await ctx.store.rewrite((records) => {
    plan = planSync(records, syncable, base, arrived, new Date());
    return plan.records;
  });
  state.list = ctx.store.list();
  if (!plan) return;
  if (plan.records) {
    ctx.log.info(
      'sync',
      `from Settings Sync: ${plan.added.length} added, ${plan.updated.length} updated, ${plan.removed.length} removed`,
    );
    await applied(ctx, plan, before, signedIn);
  }
  await write(ctx, state, plan.mirror, raw, remote, base);
}

/** What goes with the configurations: removed ones' secrets and sessions, changed ones' clients, missing secrets. */
async function applied(
  ctx: MergeContext,
  plan: SyncPlan,
  before: Map<string, ConnectionEntry>,
  signedIn: Set<string>,
): Promise<void> {
  for (const id of plan.removed) {
    await ctx.secrets.deleteAll(id);
    ctx.sessions.deleted(id, signedIn.has(id));
  }
  for (const id of plan.updated) {
    const old = before.get(id);
    const config = ctx.store.getConfig(id);
    if (!config) continue;
    if (old && !isBroken(old) && signInChanges(draftFromConfig(old), draftFromConfig(config), []).length > 0) {
      await ctx.sessions.forget(id); // another app, tenant or user: its tokens do not belong to it
    } else {
      ctx.sessions.dropClients(id);
      if (old && !isBroken(old) && old.name !== config.name) ctx.sessions.renamed(id);
    }
  }
  for (const id of [...plan.added, ...plan.updated]) {
    const config = ctx.store.getConfig(id);
    if (config && (await secretMissing(ctx, config))) ctx.store.setFacts(id, { secretNeeded: true });
  }
}

async function secretMissing(ctx: MergeContext, config: ConnectionConfig): Promise<boolean> {
  try {
    const stored = await ctx.secrets.getSecrets(config.id);
    return secretsMissing(
      config,
      SECRET_FIELDS.filter((f) => stored[f] !== undefined),
    );
  } catch {
    return false; // unreadable right now, or damaged: its first use says which
  }
}

/** `raw`: the key's value this merge started from. */
async function write(
  ctx: MergeContext,
  state: MergeState,
  mirror: Mirror,
  raw: unknown,
  remote: Mirror | undefined,
  base: Mirror | undefined,
): Promise<void> {
  let seen = raw;
  if (!sameMirror(mirror, remote)) {
    const written = ctx.memento.update(MIRROR_KEY, mirror);
    // The memento holds the new value at once; taken now, not after the await, so that a value arriving
    // meanwhile (Settings Sync) still differs from what was seen and is merged at the next look.
    seen = ctx.memento.get(MIRROR_KEY);
    await written;
  }
  if (!sameMirror(mirror, base)) await ctx.memento.update(BASE_KEY, mirror);
  // Seen only once merged: a merge that failed (a lock held too long) is tried again at the next look.
  state.seen = seen;
  state.lastFailure = undefined;
}

/** Only configurations this version reads whole travel, and only such are applied. */
function syncable(record: SyncRecord): boolean {
  return !isBroken(parseStoredConnection(record, 0));
}
