/**
 * The connections' runtime: one token client per connection (built from its configuration and secrets),
 * tokens kept in memory while valid, sign-in / refresh / sign-out / test, the facts each leaves behind,
 * and the events the authentication provider and the tree listen to. No UI here: interactive steps go
 * through the `InteractionUi` the caller passes.
 */
import * as vscode from 'vscode';
import type { Environment } from '../engine/clouds';
import { SECRET_FIELDS, isAppOnly, secretFieldsFor, type ConnectionConfig, type ConnectionSecrets } from '../engine/connection';
import { ConnectionError, classifyFailure, type ConnectionFailure } from '../engine/failures';
import { probeGraph, type ProbeResult } from '../engine/graphProbe';
import { msg } from '../engine/messages';
import { connectionEnvironment, pinMissing, routingChange, withCurrentRouting, type RoutingChange, type RoutingSettings } from '../engine/pinning';
import { signInChanges } from '../engine/signInIdentity';
import { draftFromConfig } from '../engine/validate';
import type { ConnectionTokenClient, InteractionUi, TokenResult } from '../engine/tokenClient';
import { CertificateCache } from '../engine/certificate';
import { summarizeScopes, type ScopeSelection } from '../engine/scopes';
import { SecretStorageUnavailableError, type SecretStore } from './secretStore';
import type { Log } from '../log';
import type { Telemetry, OperationEvent } from '../telemetry';
import type { Settings } from '../settings';
import type { ConnectionStore } from './connectionStore';

/** A token younger than its expiry minus this margin is handed out from memory. */
const REUSE_MARGIN_MS = 2 * 60 * 1000;

/**
 * The token engine (MSAL and what it pulls in) is loaded when the first connection needs a client, not
 * at activation: drawing the tree and registering the provider do not need it.
 */
let tokenClientModule: typeof import('../engine/tokenClient') | undefined;
function loadTokenClient(): typeof import('../engine/tokenClient') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tokenClientModule ??= require('../engine/tokenClient') as typeof import('../engine/tokenClient'));
}

export interface SessionsChange {
  added: string[];
  removed: string[];
  changed: string[];
}

export class ConnectionService implements vscode.Disposable {
  /** Promises, set before the first await: concurrent first callers share one client (and its single flight). */
  readonly #clients = new Map<string, Promise<ConnectionTokenClient>>();
  readonly #tokens = new Map<string, TokenResult>();
  /** Opened .pfx files, per connection and stored version: a client build does not parse them again. */
  readonly #certificates = new CertificateCache();
  readonly #activeSignIns = new Map<string, AbortController>();
  /** The last sign-in failure per connection: errors lose their class crossing getSession, so the form reads it here. */
  readonly #lastSignInFailure = new Map<string, ConnectionFailure>();
  readonly #onDidChangeSessions = new vscode.EventEmitter<SessionsChange>();
  readonly onDidChangeSessions = this.#onDidChangeSessions.event;
  readonly #onDidShowDeviceCode = new vscode.EventEmitter<{ connectionId: string; userCode: string; verificationUri: string }>();
  readonly onDidShowDeviceCode = this.#onDidShowDeviceCode.event;
  readonly #disposables: vscode.Disposable[] = [];
  /** The user's routing settings, read once per change (the tree asks per item on every draw). */
  #routing: RoutingSettings | undefined;

  constructor(
    readonly store: ConnectionStore,
    readonly secrets: SecretStore,
    private readonly settings: Settings,
    private readonly log: Log,
    private readonly telemetry: Telemetry,
  ) {
    this.#disposables.push(
      secrets.onDidChangeElsewhere((change) => {
        if (change.kind === 'revision' || change.kind === 'facts') {
          this.changedElsewhere(change.kind === 'revision' ? 'configurations' : 'facts');
          return;
        }
        // Another window signed in, out or refreshed: drop what this window holds for that connection.
        this.#clients.delete(change.connectionId);
        const had = this.#tokens.delete(change.connectionId);
        this.#onDidChangeSessions.fire({ added: [], removed: [], changed: had ? [change.connectionId] : [] });
      }),
      settings.onDidChange(() => {
        this.#routing = undefined;
        this.#clients.clear();
        void this.pinMissing().catch((err: unknown) => this.log.warn('store', `could not pin endpoints (${(err as Error).name})`));
      }),
    );
  }

  /** Another window changed the configurations (clients built from them go) or the facts: read them again. */
  changedElsewhere(what: 'configurations' | 'facts'): void {
    if (what === 'configurations') {
      this.#clients.clear();
      void this.store.reload();
    } else {
      void this.store.reloadFacts();
    }
  }

  /** Where a connection's requests go: built in, or its pinned endpoints (never the setting). */
  environmentOf(config: ConnectionConfig): Environment {
    return connectionEnvironment(config);
  }

  /**
   * Connections stored before endpoints and public clients were pinned get them once, from the user's
   * settings (never a workspace's). A custom connection whose user setting is missing waits for it.
   */
  async pinMissing(): Promise<void> {
    const routing = this.#routingSettings();
    let changed = false;
    for (const entry of this.store.list()) {
      const config = this.store.getConfig(entry.id);
      const pinned = config && pinMissing(config, routing);
      if (!pinned) continue;
      await this.store.upsert(pinned);
      this.#clients.delete(pinned.id);
      this.log.info('store', `[${pinned.id}] endpoints pinned from the user settings`);
      changed = true;
    }
    if (changed) await this.secrets.bumpRevision();
  }

  #routingSettings(): RoutingSettings {
    return (this.#routing ??= this.settings.routing());
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
    const config = this.#config(id);
    const next = withCurrentRouting(config, this.#routingSettings());
    await this.signOut(id);
    await this.store.upsert(next);
    await this.secrets.bumpRevision();
    this.#clients.delete(id);
    this.log.info('store', `[${id}] endpoints updated from the user settings`);
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
    if (!isNew && (!existing || signInChanges(draftFromConfig(existing), draftFromConfig(config), typed).length > 0)) {
      await this.#forgetSignIn(config.id);
    }
    // Secrets only once the configuration is written and about to take effect: no orphaned secrets.
    await this.store.upsert(config, () => this.secrets.updateSecrets(config.id, secrets, secretFieldsFor(config.authType)));
    await this.secrets.bumpRevision();
    this.#clients.delete(config.id);
    this.#tokens.delete(config.id);
    this.log.info('store', `[${config.id}] ${isNew ? 'added' : 'updated'} (${config.authType}, ${config.environment})`);
    this.#event({ operation: isNew ? 'add' : 'edit', authType: config.authType, environment: config.environment, result: 'ok', durationMs: Date.now() - started });
  }

  /** Drops a connection's tokens and facts (an edit changed who or what it signs in as). */
  async #forgetSignIn(id: string): Promise<void> {
    this.#activeSignIns.get(id)?.abort();
    const signedIn = !!this.store.facts(id).signedIn;
    await this.secrets.deleteTokenCache(id);
    this.#tokens.delete(id);
    this.#clients.delete(id);
    this.store.setFacts(id, {
      signedIn: undefined,
      account: undefined,
      homeAccountId: undefined,
      expiresOn: undefined,
      grantedScopes: undefined,
      requestedScopes: undefined,
      failure: undefined,
      lastTest: undefined,
    });
    this.log.info('auth', `[${id}] the edit changed the sign-in: tokens and facts dropped`);
    if (signedIn) {
      this.#onDidChangeSessions.fire({ added: [], removed: [id], changed: [] });
    }
  }

  async delete(id: string): Promise<void> {
    const config = this.store.getConfig(id);
    const signedIn = !!this.store.facts(id).signedIn;
    await this.store.delete(id); // first: a store that refuses the change (read-only) keeps the secrets too
    await this.secrets.deleteAll(id);
    await this.secrets.bumpRevision();
    this.#clients.delete(id);
    this.#tokens.delete(id);
    this.#certificates.forget(id);
    this.log.info('store', `[${id}] deleted`);
    if (config) {
      this.#event({ operation: 'delete', authType: config.authType, environment: config.environment, result: 'ok', durationMs: 0 });
    }
    if (signedIn) {
      this.#onDidChangeSessions.fire({ added: [], removed: [id], changed: [] });
    }
  }

  /**
   * Runs the connection's grant (interactive where it needs the user). One at a time per connection.
   * The browser starts with the connection's known account, or with Entra's account picker when
   * `selectAccount` (Sign In with Another Account).
   * `addPermissions`: delegated permissions a caller asked for beyond the configuration's; the sign-in
   * requests the union, and once it is done they are saved on the connection (requested from now on,
   * granted or not: the tree shows which).
   */
  async signIn(
    id: string,
    ui: InteractionUi,
    signal?: AbortSignal,
    options: { selectAccount?: boolean; addPermissions?: readonly string[] } = {},
  ): Promise<TokenResult> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort);
    this.#activeSignIns.get(id)?.abort();
    this.#activeSignIns.set(id, controller);
    this.#lastSignInFailure.delete(id);
    try {
      const client = await this.#client(id);
      const config = client.config;
      // A client secret means a confidential client, which only the browser sign-in can use.
      const method = 'signInMethod' in config ? (config.authType === 'byoApp' && config.confidential ? 'browser' : this.settings.resolveSignInMethod(config.signInMethod)) : undefined;
      const addPermissions = options.addPermissions?.length && !isAppOnly(config) ? options.addPermissions : undefined;
      const wasSignedIn = !!this.store.facts(id).signedIn;
      const result = await this.#run(id, 'signIn', () =>
        client.signIn({
          signal: controller.signal,
          method,
          ...(options.selectAccount ? { selectAccount: true } : isAppOnly(config) || !this.store.facts(id).account ? {} : { loginHint: this.store.facts(id).account }),
          timeoutMs: this.settings.signInTimeoutMs(),
          ...(addPermissions ? { addPermissions } : {}),
          ui: {
            openBrowser: ui.openBrowser,
            showDeviceCode: (info) => {
              this.#onDidShowDeviceCode.fire({ connectionId: id, userCode: info.userCode, verificationUri: info.verificationUri });
              ui.showDeviceCode(info);
            },
          },
        }),
      );
      if (addPermissions && 'scopes' in config) {
        await this.#addPermissions(config, addPermissions);
      }
      this.#onDidChangeSessions.fire({ added: wasSignedIn ? [] : [id], removed: [], changed: wasSignedIn ? [id] : [] });
      return result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.#activeSignIns.get(id) === controller) {
        this.#activeSignIns.delete(id);
      }
    }
  }

  /** Saves permissions a caller added on the connection; its tokens stay (they were just issued for the union). */
  async #addPermissions(config: ConnectionConfig & { scopes: ScopeSelection }, add: readonly string[]): Promise<void> {
    const additional = [...config.scopes.additional, ...add.filter((p) => !summarizeScopes(config.scopes).some((s) => s.toLowerCase() === p.toLowerCase()))];
    await this.store.upsert({ ...config, scopes: { ...config.scopes, additional } } as ConnectionConfig);
    await this.secrets.bumpRevision();
    // The next silent request asks for the union too (a client is built from the configuration).
    this.#clients.delete(config.id);
    this.log.info('store', `[${config.id}] permissions added on request: ${add.join(', ')}`);
  }

  lastSignInFailure(id: string): ConnectionFailure | undefined {
    return this.#lastSignInFailure.get(id);
  }

  /** Cancels a sign-in in progress (from the form or the progress notification). */
  cancelSignIn(id: string): void {
    this.#activeSignIns.get(id)?.abort();
  }

  /**
   * A valid token without interaction: from memory while fresh, else from MSAL (cache or refresh).
   * Concurrent callers share one request.
   */
  async getToken(id: string, options: { forceRefresh?: boolean } = {}): Promise<TokenResult> {
    const cached = this.#tokens.get(id);
    if (!options.forceRefresh && cached && cached.expiresOn.getTime() - Date.now() > REUSE_MARGIN_MS) {
      return cached;
    }
    const client = await this.#client(id);
    const hadToken = !!cached;
    const result = await this.#run(id, 'refresh', () => client.getToken({ forceRefresh: options.forceRefresh }));
    if (!result.fromCache || !hadToken) {
      this.#onDidChangeSessions.fire({ added: [], removed: [], changed: [id] });
    }
    return result;
  }

  /** The token in memory, if any (no network). */
  cachedToken(id: string): TokenResult | undefined {
    return this.#tokens.get(id);
  }

  async signOut(id: string): Promise<void> {
    const config = this.store.getConfig(id);
    try {
      const client = await this.#client(id);
      await client.signOut();
    } catch (err) {
      // A connection whose secrets are unreadable is still signed out: its cache entry goes.
      this.log.warn('auth', `[${id}] sign-out could not open the token cache (${classifyFailure(err).kind}); deleting it`);
    }
    await this.secrets.deleteTokenCache(id);
    this.#tokens.delete(id);
    this.#clients.delete(id);
    this.store.setFacts(id, { signedIn: false, signedOut: true, expiresOn: undefined, grantedScopes: undefined, failure: undefined, account: undefined, homeAccountId: undefined });
    await this.store.flush(); // on disk before the sign-out is reported (other windows are told by the facts file's writer)
    this.log.info('auth', `[${id}] signed out`);
    if (config) {
      this.#event({ operation: 'signOut', authType: config.authType, environment: config.environment, result: 'ok', durationMs: 0 });
    }
    this.#onDidChangeSessions.fire({ added: [], removed: [id], changed: [] });
  }

  /** Test Connection: a token (silently), then real Graph calls. The outcome is kept on the connection. */
  async test(id: string): Promise<ProbeResult> {
    const config = this.#config(id);
    const started = Date.now();
    const token = await this.getToken(id);
    const result = await probeGraph(config, this.environmentOf(config), token.accessToken, { timeoutMs: this.settings.requestTimeoutMs() });
    this.store.setFacts(id, { lastTest: { ok: result.ok, summary: result.summary, at: result.testedAt, steps: result.steps } });
    this.log.info('test', `[${id}] ${result.ok ? 'ok' : 'failed'}: ${result.steps.map((s) => `${s.name} ${s.status}`).join(', ')}`);
    this.#event({
      operation: 'test',
      authType: config.authType,
      environment: config.environment,
      result: result.ok ? 'ok' : 'failed',
      ...(result.ok ? {} : { errorCode: `HTTP${result.steps.at(-1)?.status ?? 0}` }),
      durationMs: Date.now() - started,
    });
    return result;
  }

  async #run(id: string, operation: 'signIn' | 'refresh', work: () => Promise<TokenResult>): Promise<TokenResult> {
    const config = this.#config(id);
    const started = Date.now();
    try {
      const result = await work();
      this.#tokens.set(id, result);
      this.store.setFacts(id, {
        signedIn: true,
        account: result.account?.username ?? (isAppOnly(config) ? config.account : undefined),
        homeAccountId: result.account?.id,
        expiresOn: result.expiresOn.toISOString(),
        grantedScopes: result.grantedScopes,
        requestedScopes: result.requestedScopes,
        failure: undefined,
        signedOut: undefined,
      });
      if (!result.fromCache) {
        this.log.info('auth', `[${id}] ${operation} ok, token expires ${result.expiresOn.toISOString()}`);
        this.#event({ operation, authType: config.authType, environment: config.environment, result: 'ok', durationMs: Date.now() - started });
      }
      return result;
    } catch (err) {
      const failure = classifyFailure(err);
      if (operation === 'signIn') {
        this.#lastSignInFailure.set(id, failure);
      }
      await this.#recordFailure(id, failure);
      this.log.warn('auth', `[${id}] ${operation} failed: ${failure.kind}${failure.code ? ` ${failure.code}` : ''}${failure.detail ? ` (${failure.detail})` : ''}`);
      this.#event({
        operation,
        authType: config.authType,
        environment: config.environment,
        result: failure.kind === 'cancelled' ? 'cancelled' : 'failed',
        errorCode: failure.code ?? failure.kind,
        durationMs: Date.now() - started,
      });
      throw err instanceof ConnectionError ? err : new ConnectionError(failure);
    }
  }

  async #recordFailure(id: string, failure: ConnectionFailure): Promise<void> {
    // A cancel, a timeout or a passing fault says nothing about whether the connection still works.
    if (['cancelled', 'timeout', 'network', 'throttled', 'serverError'].includes(failure.kind)) {
      return;
    }
    // Never signed in: "not signed in" stays the honest status, not "reconnect required".
    if (failure.kind === 'reconnect' && !this.store.facts(id).signedIn) {
      return;
    }
    if (failure.status === 'reconnectRequired' || failure.status === 'consentRequired') {
      this.#tokens.delete(id);
    }
    this.store.setFacts(id, { failure: { status: failure.status, kind: failure.kind, code: failure.code, message: failure.message, at: new Date().toISOString() } });
    if (failure.status === 'reconnectRequired') {
      this.#onDidChangeSessions.fire({ added: [], removed: [], changed: [id] });
    }
  }

  #config(id: string): ConnectionConfig {
    const config = this.store.getConfig(id);
    if (!config) {
      throw new ConnectionError({ kind: 'configuration', status: 'error', message: msg('The connection no longer exists.') });
    }
    return config;
  }

  #client(id: string): Promise<ConnectionTokenClient> {
    let client = this.#clients.get(id);
    if (!client) {
      client = this.#buildClient(id);
      this.#clients.set(id, client);
      // A client that could not be built is not kept: the next call tries again.
      client.catch(() => this.#clients.get(id) === client && this.#clients.delete(id));
    }
    return client;
  }

  async #buildClient(id: string): Promise<ConnectionTokenClient> {
    const config = this.#config(id);
    let secrets: ConnectionSecrets;
    try {
      secrets = await this.secrets.getSecrets(id);
    } catch (err) {
      if (err instanceof SecretStorageUnavailableError) {
        // Says nothing lasting about the connection: not kept as its failure.
        throw new ConnectionError({ kind: 'configuration', status: 'error', message: msg('The stored secrets of this connection could not be read right now. Try again.') });
      }
      const failure: ConnectionFailure = {
        kind: 'configuration',
        status: 'error',
        message: msg('The stored secrets of this connection cannot be read. Edit the connection and enter them again.'),
      };
      this.store.setFacts(id, { failure: { ...failure, at: new Date().toISOString() } });
      throw new ConnectionError(failure);
    }
    let environment: Environment;
    try {
      environment = this.environmentOf(config);
    } catch (err) {
      throw new ConnectionError({ kind: 'configuration', status: 'error', message: msg((err as Error).message) });
    }
    const { ConnectionTokenClient } = loadTokenClient();
    const client = new ConnectionTokenClient({
      config,
      environment,
      secrets,
      cacheStore: this.secrets.tokenCache(id),
      homeAccountId: this.store.facts(id).homeAccountId,
      log: this.log.forConnection(id),
      requestTimeoutMs: this.settings.requestTimeoutMs(),
      signedOut: !!this.store.facts(id).signedOut,
      openCertificate: (pfx, password) => this.#certificates.open(id, pfx, password),
    });
    return client;
  }

  #event(event: OperationEvent): void {
    this.telemetry.operation(event);
  }

  dispose(): void {
    for (const c of this.#activeSignIns.values()) c.abort();
    this.#disposables.forEach((d) => d.dispose());
    this.#onDidChangeSessions.dispose();
    this.#onDidShowDeviceCode.dispose();
  }
}
