/**
 * Changes to what a connection is: save (configuration, then its secrets), delete, and where its requests
 * go (endpoints and public client pinned when saved; moved only on the user's word). Reads come from the
 * store (`ConnectionsView`); the sessions drop what was built from an old configuration.
 */
import type { Environment } from '../model/clouds';
import {
  SECRET_FIELDS,
  secretFieldsFor,
  type ConnectionConfig,
  type ConnectionSecrets,
  type SecretField,
} from '../model/connection';
import {
  connectionEnvironment,
  needsPinning,
  pinMissing,
  routingChange,
  withCurrentRouting,
  type RoutingChange,
  type RoutingSettings,
} from '../model/pinning';
import { signInChanges } from '../model/signInIdentity';
import { secretsMissing } from '../model/secretsNeeded';
import { draftFromConfig, newConnectionId } from '../model/validate';
import type { Log } from '../log';
import type { Settings } from '../settings';
import type { ConnectionStore } from './connectionStore';
import type { StoredRecord } from './connectionsFile';
import type { OutcomeRecorder } from './outcomes';
import type { SecretStore } from './secretStore';
import { configOf, type Sessions } from './sessions';

export class Configurations {
  /** The user's routing settings, read once per change (the tree asks per item on every draw). */
  #routing: RoutingSettings | undefined;
  readonly #subscription: { dispose(): void };

  constructor(
    private readonly store: ConnectionStore,
    private readonly secrets: SecretStore,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly outcomes: OutcomeRecorder,
    private readonly log: Log,
  ) {
    this.#subscription = settings.onDidChange(() => {
      this.#routing = undefined;
      void this.pinMissing().catch((err: unknown) =>
        this.log.warn('store', `could not pin endpoints (${(err as Error).name})`),
      );
    });
  }

  /** Where a connection's requests go: built in, or its pinned endpoints (never the setting). */
  environmentOf(config: ConnectionConfig): Environment {
    return connectionEnvironment(config);
  }

  /** Which secret fields are stored, for display: none when they cannot be read (saving tells why). */
  storedSecretFields(id: string): Promise<SecretField[]> {
    return this.secrets.storedSecretFields(id);
  }

  /**
   * Saves configuration and secrets; drops what was built from the old ones. An edit that changes what
   * identifies the sign-in (signInIdentity.ts) also drops the old tokens and facts: they belong to
   * another app, tenant, user or set of permissions.
   */
  async save(config: ConnectionConfig, secrets: ConnectionSecrets): Promise<void> {
    const started = Date.now();
    const isNew = !this.store.get(config.id);
    const existing = this.store.getConfig(config.id);
    const typed = SECRET_FIELDS.filter((f) => secrets[f] !== undefined);
    const signsOut =
      !isNew && (!existing || signInChanges(draftFromConfig(existing), draftFromConfig(config), typed).length > 0);
    if (signsOut) {
      await this.sessions.forget(config.id);
    }
    // Secrets only once the configuration is written and about to take effect: no orphaned secrets.
    await this.store.upsert(config, () =>
      this.secrets.updateSecrets(config.id, secrets, secretFieldsFor(config.authType)),
    );
    this.sessions.reset(config.id);
    // The validator asked for every secret the connection needs (typed now or stored): none is missing now.
    if (this.store.facts(config.id).secretNeeded) this.store.setFacts(config.id, { secretNeeded: undefined });
    if (!signsOut && existing && existing.name !== config.name) this.sessions.renamed(config.id);
    this.outcomes.saved(config, isNew, started);
  }

  /**
   * A copy of a connection's configuration under a new id and name: with its secrets when `withSecrets`
   * (never its tokens or facts), else marked "secret needed on this machine" when it needs one.
   */
  async duplicate(id: string, name: string, withSecrets: boolean): Promise<ConnectionConfig> {
    const source = configOf(this.store, id);
    const copy = { ...source, id: newConnectionId(), name } as ConnectionConfig;
    const secrets = withSecrets ? await this.secrets.getSecrets(id) : {};
    await this.save(copy, secrets);
    const copied = SECRET_FIELDS.filter((f) => secrets[f] !== undefined);
    if (secretsMissing(copy, copied)) this.store.setFacts(copy.id, { secretNeeded: true });
    return copy;
  }

  /** A new name only: tokens, secrets and facts stay (no new sign-in); the session's account label follows. */
  async rename(id: string, name: string): Promise<void> {
    const config = configOf(this.store, id);
    if (config.name === name) return;
    await this.store.upsert({ ...config, name });
    this.sessions.renamed(id);
    this.log.info('store', `[${id}] renamed`);
  }

  async delete(id: string): Promise<void> {
    const config = this.store.getConfig(id);
    const signedIn = !!this.store.facts(id).signedIn;
    await this.store.delete(id); // first: a store that refuses the change (read-only) keeps the secrets too
    await this.secrets.deleteAll(id);
    this.outcomes.deleted(id, config);
    this.sessions.deleted(id, signedIn);
  }

  /**
   * Connections stored before endpoints and public clients were pinned get them once, from the user's
   * settings (never a workspace's). A custom connection whose user setting is missing waits for it.
   */
  async pinMissing(): Promise<void> {
    const unpinned: ConnectionConfig[] = [];
    for (const entry of this.store.list()) {
      const config = this.store.getConfig(entry.id);
      if (config && needsPinning(config)) unpinned.push(config);
    }
    // The settings only when something is to be pinned: reading them was 5 ms of every activation (the
    // extension host's first look at the configuration), and after the one update nothing is.
    if (!unpinned.length) return;
    const routing = this.#routingSettings();
    const pinned = unpinned.map((c) => pinMissing(c, routing)).filter((c) => !!c);
    if (!pinned.length) return;
    // One write for all: a write per connection rewrote the whole file each time (1,000 connections
    // stored before pinning took 8 s of the first activation after the update, bench/RESULTS.md).
    // Under the file's lock, only connections still on disk: one another window deleted meanwhile stays deleted.
    const byId = new Map(pinned.map((c) => [c.id, c as unknown as StoredRecord]));
    await this.store.rewrite((records) =>
      records.some((r) => byId.has(r.id)) ? records.map((r) => byId.get(r.id) ?? r) : undefined,
    );
    for (const { id } of pinned) this.sessions.dropClients(id);
    this.log.info('store', `${pinned.length} connection(s): endpoints or public client pinned from the user settings`);
  }

  /** How a connection's pinned endpoints / public client differ from the user's settings now, if they do. */
  routingChange(id: string): RoutingChange | undefined {
    const config = this.store.getConfig(id);
    return config && routingChange(config, this.#routingSettings());
  }

  /**
   * Moves a connection to the endpoints and public client of the user's settings (after the user
   * confirmed). Its tokens go: they were issued by, or for, the old host and client.
   */
  async updateEndpoints(id: string): Promise<void> {
    const config = configOf(this.store, id);
    const next = withCurrentRouting(config, this.#routingSettings());
    await this.sessions.signOut(id);
    await this.store.upsert(next);
    this.sessions.dropClients(id);
    this.log.info('store', `[${id}] endpoints updated from the user settings`);
  }

  #routingSettings(): RoutingSettings {
    return (this.#routing ??= this.settings.routing());
  }

  dispose(): void {
    this.#subscription.dispose();
  }
}
