/**
 * Connection configurations (in a file, see ConnectionsFile) and their last known facts (in another, see
 * FactsFile); no secrets: those are in SecretStore. Loading never throws: a damaged entry is kept as a
 * `BrokenConnection`. Changes fire `onDidChange`; other windows learn of them through windowSync.ts.
 */
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../model/connection';
import { isBroken, parseStoredConnection, type BrokenConnection } from '../model/storedConnection';
import { withUniqueIds, type ConnectionsFile, type StoredRecord } from './connectionsFile';
import type { ConnectionFacts } from './facts';
import type { FactsFile } from './factsFile';
import { NewerVersionError } from './storedFile';

/** Where configurations were kept before they moved to the connections file; moved over once, then removed. */
const LEGACY_CONFIG_KEY = 'outlook365.connections';
/** Where facts were kept before they moved to the facts file; moved over once, then removed. */
const LEGACY_FACTS_KEY = 'outlook365.facts';

export type ConnectionEntry = ConnectionConfig | BrokenConnection;

/** What the views, commands, form and provider read of the store; changes go through the connections' verbs. */
export type ConnectionsView = Pick<ConnectionStore, 'list' | 'get' | 'getConfig' | 'facts' | 'onDidChange'>;

export class ConnectionStore implements vscode.Disposable {
  #entries: ConnectionEntry[] = [];
  /** The same entries by id (the tree looks one up per item). */
  #byId = new Map<string, ConnectionEntry>();
  /** The format of the newer extension that wrote the configurations, while they are read-only here. */
  #readOnly: number | undefined;
  readonly #onDidChange = new vscode.EventEmitter<string | undefined>();
  /** Fires with a connection id, or undefined when everything may have changed. */
  readonly onDidChange = this.#onDidChange.event;

  private constructor(
    private readonly configsFile: ConnectionsFile,
    private readonly factsFile: FactsFile,
    private readonly configurationsWritten: () => Promise<void>,
  ) {}

  /**
   * The store with its configurations and facts read. Configurations and facts an earlier version kept in
   * globalState are moved to their files once; a list that is not a list is kept aside under
   * `<key>.corrupt-<time>` and reported through `keptAside`. `configurationsWritten` runs after each
   * change of a configuration (to tell other windows).
   */
  static async open(
    memento: vscode.Memento,
    configsFile: ConnectionsFile,
    factsFile: FactsFile,
    keptAside: (key: string, keptAs: string) => void = () => {},
    configurationsWritten: () => Promise<void> = async () => {},
  ): Promise<ConnectionStore> {
    const store = new ConnectionStore(configsFile, factsFile, configurationsWritten);
    await store.#loadConfigs();
    factsFile.loadOnFirstUse();
    const legacyConfigs = memento.get<unknown>(LEGACY_CONFIG_KEY);
    if (legacyConfigs !== undefined && store.#readOnly === undefined) {
      if (Array.isArray(legacyConfigs)) {
        store.#setRecords(await configsFile.addMissing(withUniqueIds(legacyConfigs)));
      } else {
        const keptAs = `${LEGACY_CONFIG_KEY}.corrupt-${new Date().toISOString()}`;
        await memento.update(keptAs, legacyConfigs);
        keptAside(LEGACY_CONFIG_KEY, keptAs);
      }
      await memento.update(LEGACY_CONFIG_KEY, undefined);
    }
    const legacy = memento.get<unknown>(LEGACY_FACTS_KEY);
    if (legacy !== undefined) {
      if (legacy && typeof legacy === 'object' && !Array.isArray(legacy)) {
        for (const [id, facts] of Object.entries(legacy as Record<string, ConnectionFacts>)) {
          if (!factsFile.get(id) && facts && typeof facts === 'object') factsFile.set(id, facts);
        }
        await factsFile.flush();
      }
      await memento.update(LEGACY_FACTS_KEY, undefined);
    }
    return store;
  }

  /** Reads configurations and facts again (after another window changed them). */
  async reload(): Promise<void> {
    await Promise.all([this.#loadConfigs(), this.factsFile.load()]);
    this.#onDidChange.fire(undefined);
  }

  /** Reads the facts again (another window signed in, refreshed or tested). */
  async reloadFacts(): Promise<void> {
    await this.factsFile.load();
    this.#onDidChange.fire(undefined);
  }

  /** The format of the newer extension that wrote the configurations, while this version may not change them. */
  get readOnly(): number | undefined {
    return this.#readOnly;
  }

  async #loadConfigs(): Promise<void> {
    const loaded = await this.configsFile.load();
    if (!loaded) return; // unreadable now (reported): keep what this window knows
    this.#readOnly = loaded.readOnly;
    this.#setRecords(loaded.records);
  }

  #setRecords(records: readonly StoredRecord[]): void {
    this.#entries = records.map(parseStoredConnection);
    this.#byId = new Map(this.#entries.map((e) => [e.id, e]));
  }

  list(): readonly ConnectionEntry[] {
    return this.#entries;
  }

  get(id: string): ConnectionEntry | undefined {
    return this.#byId.get(id);
  }

  getConfig(id: string): ConnectionConfig | undefined {
    const entry = this.get(id);
    return entry && !isBroken(entry) ? entry : undefined;
  }

  facts(id: string): ConnectionFacts {
    return this.factsFile.get(id) ?? {};
  }

  /**
   * Saves one configuration, leaving every other as the file has it now (whichever window wrote it).
   * `beforeCommit` runs when the new file is written and about to replace the old one: a configuration
   * that cannot be written never leaves secrets behind.
   */
  async upsert(config: ConnectionConfig, beforeCommit?: () => Promise<void>): Promise<void> {
    await this.#change(() => this.configsFile.upsert(config as unknown as StoredRecord, beforeCommit));
    await this.configurationsWritten();
    this.#onDidChange.fire(config.id);
  }

  /** Saves several configurations in one write: all or none (see `ConnectionsFile.upsertMany`). */
  async upsertMany(configs: readonly ConnectionConfig[], beforeCommit?: () => Promise<void>): Promise<void> {
    await this.#change(() => this.configsFile.upsertMany(configs as unknown as StoredRecord[], beforeCommit));
    await this.configurationsWritten();
    this.#onDidChange.fire(undefined);
  }

  async delete(id: string): Promise<void> {
    await this.#change(() => this.configsFile.delete(id));
    await this.configurationsWritten();
    this.factsFile.delete(id);
    this.#onDidChange.fire(id);
  }

  /**
   * Settings Sync's merge (settingsSync.ts): `change` gets the list as on disk now, under the file's lock, and
   * returns the next one, or undefined to leave the file as it is. The facts of connections gone go with them.
   */
  async rewrite(change: (records: StoredRecord[]) => StoredRecord[] | undefined): Promise<void> {
    const before = new Set(this.#entries.map((e) => e.id));
    let changed = false;
    await this.#change(() =>
      this.configsFile.rewrite((records) => {
        const next = change(records);
        changed = !!next;
        return next;
      }),
    );
    if (!changed) return;
    await this.configurationsWritten();
    for (const id of before) if (!this.#byId.has(id)) this.factsFile.delete(id);
    this.#onDidChange.fire(undefined);
  }

  async #change(write: () => Promise<StoredRecord[]>): Promise<void> {
    if (this.#readOnly !== undefined) throw readOnlyError(this.#readOnly);
    try {
      this.#setRecords(await write());
    } catch (err) {
      if (!(err instanceof NewerVersionError)) throw err;
      this.#readOnly = err.version;
      throw readOnlyError(err.version);
    }
  }

  /**
   * Replaces the given facts of one connection (undefined values remove a fact). Takes effect at once;
   * the file is written in the background (`flush()` waits for it).
   */
  setFacts(id: string, changes: Partial<ConnectionFacts>): void {
    const next: ConnectionFacts = { ...this.facts(id), ...changes };
    for (const key of Object.keys(next) as (keyof ConnectionFacts)[]) {
      if (next[key] === undefined) delete next[key];
    }
    this.factsFile.set(id, next);
    this.#onDidChange.fire(id);
  }

  /** Waits until every fact set so far is on disk. */
  flush(): Promise<void> {
    return this.factsFile.flush();
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }
}

function readOnlyError(version: number): Error {
  return new Error(
    vscode.l10n.t(
      'The connections were saved by a newer version of this extension (format {0}). This version shows them but cannot change them: update the extension.',
      version,
    ),
  );
}
