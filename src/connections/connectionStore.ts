/**
 * Connection configurations and their last known facts, in globalState (no secrets: those are in
 * SecretStore). Loading never throws: a damaged entry is kept as a `BrokenConnection`. Changes fire
 * `onDidChange`, and other windows learn of them through the SecretStore revision.
 */
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../engine/connection';
import type { FailureKind, FailureStatus } from '../engine/failures';
import type { Message } from '../engine/messages';
import type { ProbeStep } from '../engine/graphProbe';
import { isBroken, parseStoredConnection, type BrokenConnection } from '../engine/storedConnection';

const CONFIG_KEY = 'outlook365.connections';
const FACTS_KEY = 'outlook365.facts';

/** What the last sign-in, refresh or test said. Shown without touching the network. */
export interface ConnectionFacts {
  signedIn?: boolean;
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
  #facts: Record<string, ConnectionFacts> = {};
  readonly #onDidChange = new vscode.EventEmitter<string | undefined>();
  /** Fires with a connection id, or undefined when everything may have changed. */
  readonly onDidChange = this.#onDidChange.event;

  constructor(private readonly memento: vscode.Memento) {
    this.reload(false);
  }

  /** Reads globalState again (after another window changed it). */
  reload(fire = true): void {
    const raw = this.memento.get<unknown>(CONFIG_KEY);
    const list = Array.isArray(raw) ? raw : [];
    const seen = new Set<string>();
    this.#entries = list.map(parseStoredConnection).filter((e) => !seen.has(e.id) && seen.add(e.id));
    this.#byId = new Map(this.#entries.map((e) => [e.id, e]));
    const facts = this.memento.get<unknown>(FACTS_KEY);
    this.#facts = facts && typeof facts === 'object' && !Array.isArray(facts) ? (facts as Record<string, ConnectionFacts>) : {};
    if (fire) {
      this.#onDidChange.fire(undefined);
    }
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
    return this.#facts[id] ?? {};
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
    const { [id]: _removed, ...rest } = this.#facts;
    this.#facts = rest;
    await this.memento.update(FACTS_KEY, this.#facts);
    this.#onDidChange.fire(id);
  }

  /** Replaces the given facts of one connection (undefined values remove a fact). */
  async setFacts(id: string, changes: Partial<ConnectionFacts>): Promise<void> {
    const next: ConnectionFacts = { ...this.facts(id), ...changes };
    for (const key of Object.keys(next) as (keyof ConnectionFacts)[]) {
      if (next[key] === undefined) delete next[key];
    }
    this.#facts = { ...this.#facts, [id]: next };
    await this.memento.update(FACTS_KEY, this.#facts);
    this.#onDidChange.fire(id);
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
