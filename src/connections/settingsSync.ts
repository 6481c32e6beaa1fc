/**
 * Settings Sync of the connection definitions, when the user turns `outlook365.syncConnections` on (user
 * settings only). The configurations live in connections.json, which VS Code does not roam, so they are
 * mirrored into one globalState key registered with `setKeysForSync`; the merge is model/syncMirror.ts.
 * Never in the mirror: secrets, tokens, passwords, certificates, facts.
 *
 * How another machine's definitions reach a running window: Settings Sync writes the extension's state into
 * the workbench's storage, MainThreadStorage hands the new value to the extension host ($acceptValue), and
 * the host's memento replaces its copy without any event for the extension (VS Code 1.100.3,
 * https://github.com/microsoft/vscode/blob/1.100.3/src/vs/workbench/api/common/extHostMemento.ts and
 * .../api/common/extHostStorage.ts; no change event: https://github.com/microsoft/vscode/issues/152238).
 * So the key is looked at on activation, when the window gains focus (Settings Sync itself syncs then) and
 * every few seconds; a look is one `globalState.get` compared by identity (the host parses a new object for
 * every change), nothing more.
 *
 * Turning the setting off stops roaming here: no more keys for sync, the mirror and the base are removed.
 * Settings Sync may then empty the key on other machines (it copies the keys for sync of the remote
 * state, src/vs/platform/userDataSync/common/extensionsSync.ts updateExtensionState): an absent or
 * emptied mirror never deletes anything; those machines keep their connections and write the key again.
 */
import * as vscode from 'vscode';
import { isBroken, parseStoredConnection } from '../model/storedConnection';
import { secretsMissing } from '../model/secretsNeeded';
import { signInChanges } from '../model/signInIdentity';
import { parseMirror, planSync, sameMirror, type Mirror, type SyncPlan, type SyncRecord } from '../model/syncMirror';
import { draftFromConfig } from '../model/validate';
import { SECRET_FIELDS, type ConnectionConfig } from '../model/connection';
import type { Log } from '../log';
import type { Settings } from '../settings';
import type { ConnectionEntry, ConnectionStore } from './connectionStore';
import type { SecretStore } from './secretStore';
import type { Sessions } from './sessions';

/** The synced key: the mirror every machine reads and writes. */
export const MIRROR_KEY = 'outlook365.syncedConnections';
/** Not synced: the mirror this machine agreed on last (what tells another machine's change from its own). */
export const BASE_KEY = 'outlook365.syncBase';
const POLL_MS = 5_000;

/** `context.globalState.setKeysForSync`, passed in so that what it was given can be read back (VS Code shows it to no extension). */
export type SetKeysForSync = (keys: readonly string[]) => void;

export class ConnectionsSync implements vscode.Disposable {
  #enabled = false;
  #keysGiven: readonly string[] | undefined;
  /** The value of the mirror key when last looked at (by identity). */
  #seen: unknown;
  /** The store's list when last mirrored (replaced on every change of a configuration, not of the facts). */
  #list: unknown;
  #queue: Promise<void> = Promise.resolve();
  #newerReported = false;
  /** The last failure's code, logged once while it repeats (the next look tries again). */
  #lastFailure: string | undefined;
  readonly #disposables: vscode.Disposable[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly setKeysForSync: SetKeysForSync,
    private readonly store: ConnectionStore,
    private readonly secrets: SecretStore,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {}

  /** Applies the setting now and follows it, the store and the mirror key from then on. */
  async start(): Promise<void> {
    this.#disposables.push(
      this.settings.onDidChange(() => void this.#applySetting()),
      this.store.onDidChange(() => {
        if (this.#enabled && this.store.list() !== this.#list) void this.reconcile();
      }),
      vscode.window.onDidChangeWindowState((state) => state.focused && this.#look()),
    );
    this.#timer = setInterval(() => this.#look(), POLL_MS);
    this.#timer.unref?.();
    await this.#applySetting(true);
  }

  /** What `setKeysForSync` was given last (the suite reads it). */
  get keysForSync(): readonly string[] | undefined {
    return this.#keysGiven;
  }

  #setKeys(keys: readonly string[]): void {
    this.#keysGiven = [...keys];
    this.setKeysForSync(keys);
  }

  async #applySetting(first = false): Promise<void> {
    const enabled = this.settings.syncConnections();
    if (!first && enabled === this.#enabled) return;
    this.#enabled = enabled;
    if (enabled) {
      this.#setKeys([MIRROR_KEY]);
      this.log.info('sync', 'Settings Sync of connection definitions on');
      await this.reconcile();
    } else {
      this.#setKeys([]);
      await this.#enqueue(async () => {
        if (this.memento.get(MIRROR_KEY) !== undefined || this.memento.get(BASE_KEY) !== undefined) {
          await this.memento.update(MIRROR_KEY, undefined);
          await this.memento.update(BASE_KEY, undefined);
          this.log.info('sync', 'Settings Sync of connection definitions off: mirror removed');
        }
      });
    }
  }

  #look(): void {
    if (this.#enabled && this.memento.get(MIRROR_KEY) !== this.#seen) void this.reconcile();
  }

  /** Merges what arrived and writes this machine's connections into the mirror (one at a time). */
  reconcile(): Promise<void> {
    return this.#enqueue(() => this.#reconcile());
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
      if (code !== this.#lastFailure)
        this.log.warn('sync', `Settings Sync of connections failed (${code}); tried again later`);
      this.#lastFailure = code;
    });
    this.#queue = next;
    return next;
  }

  async #reconcile(): Promise<void> {
    if (!this.#enabled || this.store.readOnly !== undefined) return;
    const raw = this.memento.get<unknown>(MIRROR_KEY);
    const remote = parseMirror(raw);
    if (remote === 'newer') {
      this.#seen = raw;
      if (!this.#newerReported)
        this.log.warn('sync', 'the synced connections were written by a newer version; not merged');
      this.#newerReported = true;
      return;
    }
    const storedBase = parseMirror(this.memento.get<unknown>(BASE_KEY));
    const base = storedBase === 'newer' ? undefined : storedBase;
    const arrived = remote && !sameMirror(remote, base) ? remote : undefined;
    if (remote && !arrived && this.store.list() === this.#list) {
      this.#seen = raw; // the echo of this window's own write, or another key: nothing to merge or push
      return;
    }
    const before = new Map(this.store.list().map((e) => [e.id, e]));
    const signedIn = new Set([...before.keys()].filter((id) => this.store.facts(id).signedIn));
    let plan: SyncPlan | undefined;
    await this.store.rewrite((records) => {
      plan = planSync(records, syncable, base, arrived, new Date());
      return plan.records;
    });
    this.#list = this.store.list();
    if (!plan) return;
    if (plan.records) {
      this.log.info(
        'sync',
        `from Settings Sync: ${plan.added.length} added, ${plan.updated.length} updated, ${plan.removed.length} removed`,
      );
      await this.#applied(plan, before, signedIn);
    }
    await this.#write(plan.mirror, raw, remote, base);
  }

  /** What goes with the configurations: removed ones' secrets and sessions, changed ones' clients, missing secrets. */
  async #applied(plan: SyncPlan, before: Map<string, ConnectionEntry>, signedIn: Set<string>): Promise<void> {
    for (const id of plan.removed) {
      await this.secrets.deleteAll(id);
      this.sessions.deleted(id, signedIn.has(id));
    }
    for (const id of plan.updated) {
      const old = before.get(id);
      const config = this.store.getConfig(id);
      if (!config) continue;
      if (old && !isBroken(old) && signInChanges(draftFromConfig(old), draftFromConfig(config), []).length > 0) {
        await this.sessions.forget(id); // another app, tenant or user: its tokens do not belong to it
      } else {
        this.sessions.dropClients(id);
        if (old && !isBroken(old) && old.name !== config.name) this.sessions.renamed(id);
      }
    }
    for (const id of [...plan.added, ...plan.updated]) {
      const config = this.store.getConfig(id);
      if (config && (await this.#secretMissing(config))) this.store.setFacts(id, { secretNeeded: true });
    }
  }

  async #secretMissing(config: ConnectionConfig): Promise<boolean> {
    try {
      const stored = await this.secrets.getSecrets(config.id);
      return secretsMissing(
        config,
        SECRET_FIELDS.filter((f) => stored[f] !== undefined),
      );
    } catch {
      return false; // unreadable right now, or damaged: its first use says which
    }
  }

  /** `raw`: the key's value this merge started from. */
  async #write(mirror: Mirror, raw: unknown, remote: Mirror | undefined, base: Mirror | undefined): Promise<void> {
    let seen = raw;
    if (!sameMirror(mirror, remote)) {
      const written = this.memento.update(MIRROR_KEY, mirror);
      // The memento holds the new value at once; taken now, not after the await, so that a value arriving
      // meanwhile (Settings Sync) still differs from what was seen and is merged at the next look.
      seen = this.memento.get(MIRROR_KEY);
      await written;
    }
    if (!sameMirror(mirror, base)) await this.memento.update(BASE_KEY, mirror);
    // Seen only once merged: a merge that failed (a lock held too long) is tried again at the next look.
    this.#seen = seen;
    this.#lastFailure = undefined;
  }

  dispose(): void {
    clearInterval(this.#timer);
    for (const d of this.#disposables) d.dispose();
  }
}

/** Only configurations this version reads whole travel, and only such are applied. */
function syncable(record: SyncRecord): boolean {
  return !isBroken(parseStoredConnection(record, 0));
}
