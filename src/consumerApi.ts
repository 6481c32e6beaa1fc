/**
 * The API `activate()` returns to other extensions; its types are published for them in
 * `api/outlook365.d.ts`, which this module implements (so the compiler keeps the two in step). It
 * describes connections from their configuration and last facts, without the network: no token and
 * no secret ever passes through it (tokens go only through `vscode.authentication`).
 */
import * as vscode from 'vscode';
import type { Outlook365Api, Outlook365Connection, Outlook365ConnectionsChange } from '../api/outlook365';
import { isAppOnly, type ConnectionConfig } from './model/connection';
import { graphPermissions, summarizeScopes } from './model/scopes';
import { isBroken } from './model/storedConnection';
import type { Configurations } from './connections/configurations';
import type { ConnectionsView } from './connections/connectionStore';
import type { Settings } from './settings';
import { statusOf } from './connections/facts';
import type { GraphRequests } from './connections/graphRequests';
import { ConnectionError } from './engine/connectionError';
import { t } from './localize';

export class ConsumerApi implements vscode.Disposable {
  readonly #onDidChange = new vscode.EventEmitter<Outlook365ConnectionsChange>();
  /** Each connection's last description, kept only once someone listens (to tell what changed). */
  #known: Map<string, string> | undefined;
  readonly #subscriptions: vscode.Disposable[];
  /** What other extensions get: plain functions and the event, nothing of the store behind them. */
  readonly api: Outlook365Api;

  constructor(
    private readonly connections: ConnectionsView,
    private readonly configurations: Pick<Configurations, 'environmentOf'>,
    settings: Settings,
    graph?: Pick<GraphRequests, 'request'>,
  ) {
    this.#subscriptions = [
      connections.onDidChange((id) => this.#changed(id)),
      settings.onDidChange(() => this.#changed(undefined)),
    ];
    this.api = {
      version: 1,
      listConnections: () => this.#list(),
      getConnection: (id: string) => this.describe(id),
      onDidChangeConnections: (listener, thisArgs, disposables) => {
        this.#known ??= new Map(this.#list().map((c) => [c.id, JSON.stringify(c)]));
        return this.#onDidChange.event(listener, thisArgs, disposables);
      },
      ...(graph
        ? {
            graphRequest: (session, path, init) =>
              graph.request(session, path, init).catch((err: unknown) => {
                // The caller's error in the user's language, with the code when Graph or Entra gave one.
                if (!(err instanceof ConnectionError)) throw err;
                const { message, code } = err.failure;
                throw new Error(`${t(message)}${code ? ` (${code})` : ''}`);
              }),
          }
        : {}),
    };
  }

  describe(id: string): Outlook365Connection | undefined {
    const config = typeof id === 'string' ? this.connections.getConfig(id) : undefined;
    return config ? this.#describe(config) : undefined;
  }

  #list(): Outlook365Connection[] {
    return this.connections
      .list()
      .filter((e): e is ConnectionConfig => !isBroken(e))
      .map((c) => this.#describe(c));
  }

  #describe(config: ConnectionConfig): Outlook365Connection {
    const facts = this.connections.facts(config.id);
    let endpoints: { loginEndpoint?: string; graphEndpoint?: string } = {};
    try {
      const environment = this.configurations.environmentOf(config);
      endpoints = { loginEndpoint: environment.loginEndpoint, graphEndpoint: environment.graphEndpoint };
    } catch {
      // Custom endpoints without their setting: the connection is still listed, its hosts unknown.
    }
    return {
      id: config.id,
      name: config.name,
      authType: config.authType,
      environment: config.environment,
      loginEndpoint: endpoints.loginEndpoint,
      graphEndpoint: endpoints.graphEndpoint,
      tenant: config.tenant,
      mailbox: config.sharedMailbox ?? (isAppOnly(config) ? config.account : undefined),
      requestedPermissions: 'scopes' in config ? graphPermissions(summarizeScopes(config.scopes)) : [],
      grantedPermissions: graphPermissions(facts.grantedScopes ?? []),
      status: statusOf(facts, new Date(), config),
    };
  }

  /** One connection (`id`) or all of them (undefined) may have changed: tell listeners what did. */
  #changed(id: string | undefined): void {
    const known = this.#known;
    if (!known) return;
    const ids = id !== undefined ? [id] : [...new Set([...known.keys(), ...this.connections.list().map((e) => e.id)])];
    const change = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
    for (const each of ids) {
      const current = this.describe(each);
      const text = current && JSON.stringify(current);
      const before = known.get(each);
      if (text === before) continue;
      if (text === undefined) {
        known.delete(each);
        change.removed.push(each);
      } else {
        known.set(each, text);
        (before === undefined ? change.added : change.changed).push(each);
      }
    }
    if (change.added.length + change.removed.length + change.changed.length > 0) {
      this.#onDidChange.fire(change);
    }
  }

  dispose(): void {
    for (const d of this.#subscriptions) d.dispose();
    this.#onDidChange.dispose();
  }
}
