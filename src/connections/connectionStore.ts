/**
 * Connection configurations (in globalState) and their last known facts (in a file, see FactsFile); no
 * secrets: those are in SecretStore. Loading never throws: a damaged entry is kept as a
 * `BrokenConnection`. Changes fire `onDidChange`, and other windows learn of them through the
 * SecretStore revision.
 */
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../engine/connection';
import type { FailureKind, FailureStatus } from '../engine/failures';
import type { Message } from '../engine/messages';
import type { ProbeStep } from '../engine/graphProbe';
import { isBroken, parseStoredConnection, type BrokenConnection } from '../engine/storedConnection';
import type { FactsFile } from './factsFile';

const CONFIG_KEY = 'outlook365.connections';
/** Where facts were kept before they moved to the facts file; moved over once, then removed. */
const LEGACY_FACTS_KEY = 'outlook365.facts';

/** What the last sign-in, refresh or test said. Shown without touching the network. */
export interface ConnectionFacts {
  signedIn?: boolean;
  /**
   * The user signed out and has not signed in since: ROPC then does not sign in again by itself with
   * the stored password. A fact, not configuration: it is not a secret, it changes with every sign-in
   * and sign-out as `signedIn` does (in the same write, kept across reloads and shared with other
   * windows like the rest of the facts), and saving configuration would make every window rebuild its
   * token clients.
   */
  signedOut?: boolean;
  account?: string;
  expiresOn?: string;
  grantedScopes?: string[];
  requestedScopes?: string[];
  failure?: { status: FailureStatus; kind: FailureKind; code?: string; message: Message; at: string };
  lastTest?: { ok: boolean; summary: Message; at: string; steps: ProbeStep[] };
}

export type ConnectionEntry = ConnectionConfig | BrokenConnection;

export class ConnectionStore implements vscode.Disposable {
  #entries: ConnectionEntry[] = [];
  /** The same entries by id (the tree looks one up per item). */
  #byId = new Map<string, ConnectionEntry>();
  readonly #onDidChange = new vscode.EventEmitter<string | undefined>();
  /** Fires with a connection id, or undefined when everything may have changed. */
  readonly onDidChange = this.#onDidChange.event;

  private constructor(
    private readonly memento: vscode.Memento,
    private readonly factsFile: FactsFile,
  ) {
    this.#loadConfigs();
  }

  /** The store with its configurations and facts read (facts of an earlier version moved to the file). */
  static async open(memento: vscode.Memento, factsFile: FactsFile): Promise<ConnectionStore> {
    const store = new ConnectionStore(memento, factsFile);
    await factsFile.load();
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
    this.#loadConfigs();
    await this.factsFile.load();
    this.#onDidChange.fire(undefined);
  }

  /** Reads the facts again (another window signed in, refreshed or tested). */
  async reloadFacts(): Promise<void> {
    await this.factsFile.load();
    this.#onDidChange.fire(undefined);
  }

  #loadConfigs(): void {
    const raw = this.memento.get<unknown>(CONFIG_KEY);
    const list = Array.isArray(raw) ? raw : [];
    const seen = new Set<string>();
    this.#entries = list.map(parseStoredConnection).filter((e) => !seen.has(e.id) && seen.add(e.id));
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

  async upsert(config: ConnectionConfig): Promise<void> {
    const index = this.#entries.findIndex((e) => e.id === config.id);
    const next = [...this.#entries];
    if (index >= 0) next[index] = config;
    else next.push(config);
    await this.#saveEntries(next);
    this.#onDidChange.fire(config.id);
  }

  async delete(id: string): Promise<void> {
    await this.#saveEntries(this.#entries.filter((e) => e.id !== id));
    this.factsFile.delete(id);
    this.#onDidChange.fire(id);
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

  async #saveEntries(entries: ConnectionEntry[]): Promise<void> {
    this.#entries = entries;
    this.#byId = new Map(entries.map((e) => [e.id, e]));
    // Broken entries are kept as they were stored, so nothing is lost until the user deletes them.
    const raw = this.memento.get<unknown[]>(CONFIG_KEY) ?? [];
    const rawById = new Map(raw.filter((r): r is { id: string } => !!r && typeof (r as { id?: unknown }).id === 'string').map((r) => [r.id, r]));
    await this.memento.update(
      CONFIG_KEY,
      entries.map((e) => (isBroken(e) ? (rawById.get(e.id) ?? e) : e)),
    );
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }
}
