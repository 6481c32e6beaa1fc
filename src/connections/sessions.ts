/**
 * The connections' sessions: one token client per connection (built from its configuration and secrets,
 * the token engine loaded on first use), tokens kept in memory while valid, sign-in, silent tokens and
 * refresh, sign-out, and the events the authentication provider listens to. What each leaves behind
 * (facts, log, telemetry) goes to the outcome recorder. No UI here: interactive steps go through the
 * `InteractionUi` the caller passes (auth/signInUi.ts is the one caller that shows them).
 */
import * as vscode from 'vscode';
import type { CertificateCache } from '../engine/certificate';
import type { Environment } from '../model/clouds';
import { isAppOnly, type ConnectionConfig, type ConnectionSecrets } from '../model/connection';
import { ConnectionError, type ConnectionFailure } from '../engine/connectionError';
import { msg } from '../model/messages';
import { connectionEnvironment } from '../model/pinning';
import { summarizeScopes, type ScopeSelection } from '../model/scopes';
import type { ConnectionTokenClient, InteractionUi, TokenResult } from '../engine/tokenClient';
import type { Log } from '../log';
import type { Settings } from '../settings';
import type { ConnectionStore } from './connectionStore';
import type { OutcomeRecorder } from './outcomes';
import { loadEngine } from './engineModule';
import { SecretStorageUnavailableError, type SecretStore } from './secretStore';

/** A token younger than its expiry minus this margin is handed out from memory. */
const REUSE_MARGIN_MS = 2 * 60 * 1000;

/** The failure table lives in the engine's file: a failure is classified there, loading it if need be. */
const classify = (err: unknown): ConnectionFailure => loadEngine().classifyFailure(err);

export interface SessionsChange {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface SignInRequest {
  /** Sign In with Another Account: Entra's account picker instead of the connection's known account. */
  selectAccount?: boolean;
  /**
   * Delegated permissions a caller asked for beyond the configuration's: the sign-in requests the union,
   * and once it is done they are saved on the connection (requested from now on, granted or not).
   */
  addPermissions?: readonly string[];
  /** A claims challenge's claims (JSON) the sign-in asks for (engine/claimsChallenge.ts). */
  claims?: string;
}

export class Sessions implements vscode.Disposable {
  /** Promises, set before the first await: concurrent first callers share one client (and its single flight). */
  readonly #clients = new Map<string, Promise<ConnectionTokenClient>>();
  readonly #tokens = new Map<string, TokenResult>();
  /** Opened .pfx files, per connection and stored version (from dist/engine.js, with the first client). */
  #certificates: CertificateCache | undefined;
  readonly #activeSignIns = new Map<string, AbortController>();
  readonly #onDidChangeSessions = new vscode.EventEmitter<SessionsChange>();
  readonly onDidChangeSessions = this.#onDidChangeSessions.event;
  readonly #onDidShowDeviceCode = new vscode.EventEmitter<{
    connectionId: string;
    userCode: string;
    verificationUri: string;
  }>();
  readonly onDidShowDeviceCode = this.#onDidShowDeviceCode.event;
  readonly #disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: ConnectionStore,
    private readonly secrets: SecretStore,
    private readonly settings: Settings,
    private readonly outcomes: OutcomeRecorder,
    private readonly log: Log,
  ) {
    this.#disposables.push(
      secrets.onDidChangeElsewhere((change) => {
        // Another window signed in, out or refreshed: drop what this window holds for that connection.
        this.#clients.delete(change.connectionId);
        const had = this.#tokens.delete(change.connectionId);
        this.#onDidChangeSessions.fire({ added: [], removed: [], changed: had ? [change.connectionId] : [] });
      }),
      settings.onDidChange(() => this.#clients.clear()),
    );
  }

  /** The configuration changed (here or in another window): clients built from it go, tokens stay. */
  dropClients(id?: string): void {
    if (id === undefined) this.#clients.clear();
    else this.#clients.delete(id);
  }

  /** Configuration and secrets were saved: the client and the token in memory go (the stored cache stays). */
  reset(id: string): void {
    this.#clients.delete(id);
    this.#tokens.delete(id);
  }

  /** The connection's name changed: its session's account label ("name (user)") with it, for other extensions. */
  renamed(id: string): void {
    if (this.store.facts(id).signedIn) this.#onDidChangeSessions.fire({ added: [], removed: [], changed: [id] });
  }

  /** Drops a connection's tokens and facts (an edit changed who or what it signs in as). */
  async forget(id: string): Promise<void> {
    this.#activeSignIns.get(id)?.abort();
    const signedIn = !!this.store.facts(id).signedIn;
    await this.secrets.deleteTokenCache(id);
    this.reset(id);
    this.outcomes.signInForgotten(id);
    if (signedIn) this.#onDidChangeSessions.fire({ added: [], removed: [id], changed: [] });
  }

  /** The connection is deleted (its secrets with it); `wasSignedIn` as its facts said before. */
  deleted(id: string, wasSignedIn: boolean): void {
    this.reset(id);
    this.#certificates?.forget(id);
    if (wasSignedIn) this.#onDidChangeSessions.fire({ added: [], removed: [id], changed: [] });
  }

  /**
   * Runs the connection's grant (interactive where it needs the user). One at a time per connection: a
   * new one cancels the one before. The browser starts with the connection's known account, or with
   * Entra's account picker when `selectAccount`.
   */
  async signIn(id: string, ui: InteractionUi, signal?: AbortSignal, request: SignInRequest = {}): Promise<TokenResult> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort);
    this.#activeSignIns.get(id)?.abort();
    this.#activeSignIns.set(id, controller);
    try {
      const client = await this.#client(id);
      const config = client.config;
      // A client secret means a confidential client, which only the browser sign-in can use.
      const method =
        'signInMethod' in config
          ? config.authType === 'byoApp' && config.confidential
            ? 'browser'
            : this.settings.resolveSignInMethod(config.signInMethod)
          : undefined;
      const addPermissions = request.addPermissions?.length && !isAppOnly(config) ? request.addPermissions : undefined;
      const facts = this.store.facts(id);
      const wasSignedIn = !!facts.signedIn;
      const result = await this.#run(id, 'signIn', () =>
        client.signIn({
          signal: controller.signal,
          method,
          ...(request.selectAccount
            ? { selectAccount: true }
            : isAppOnly(config) || !facts.account
              ? {}
              : { loginHint: facts.account }),
          timeoutMs: this.settings.signInTimeoutMs(),
          ...(addPermissions ? { addPermissions } : {}),
          ...(request.claims ? { claims: request.claims } : {}),
          ui: {
            openBrowser: ui.openBrowser,
            ...(ui.translate ? { translate: ui.translate } : {}),
            showDeviceCode: (info) => {
              this.#onDidShowDeviceCode.fire({
                connectionId: id,
                userCode: info.userCode,
                verificationUri: info.verificationUri,
              });
              ui.showDeviceCode(info);
            },
          },
        }),
      );
      // `/.default` asks for what the app registration has: nothing can be added to it (AADSTS70011).
      if (addPermissions && 'scopes' in config && config.scopes.preset !== 'appDefault') {
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
    const additional = [
      ...config.scopes.additional,
      ...add.filter((p) => !summarizeScopes(config.scopes).some((s) => s.toLowerCase() === p.toLowerCase())),
    ];
    await this.store.upsert({ ...config, scopes: { ...config.scopes, additional } } as ConnectionConfig);
    // The next silent request asks for the union too (a client is built from the configuration).
    this.#clients.delete(config.id);
    this.log.info('store', `[${config.id}] permissions added on request: ${add.join(', ')}`);
  }

  /**
   * A valid token without interaction: from memory while fresh, else from MSAL (cache or refresh).
   * Concurrent callers share one request.
   */
  async getToken(id: string, options: { forceRefresh?: boolean; claims?: string } = {}): Promise<TokenResult> {
    const cached = this.#tokens.get(id);
    const fresh = !options.forceRefresh && !options.claims;
    if (fresh && cached && cached.expiresOn.getTime() - Date.now() > REUSE_MARGIN_MS) {
      return cached;
    }
    const client = await this.#client(id);
    const result = await this.#run(id, 'refresh', () =>
      client.getToken({ forceRefresh: options.forceRefresh, ...(options.claims ? { claims: options.claims } : {}) }),
    );
    if (!result.fromCache || !cached) {
      this.#onDidChangeSessions.fire({ added: [], removed: [], changed: [id] });
    }
    return result;
  }

  /**
   * A token with a claims challenge's claims: silently (a refresh with them) where possible, otherwise
   * through `interactive` (the one interactive sign-in, auth/signInUi.ts) when the caller can show it.
   */
  async answerClaims(
    id: string,
    claims: string,
    interactive?: (id: string, claims: string) => Promise<TokenResult>,
  ): Promise<TokenResult> {
    try {
      return await this.getToken(id, { claims });
    } catch (err) {
      const kind = classify(err).kind;
      if (!interactive || !['reconnect', 'mfaRequired', 'conditionalAccess'].includes(kind)) throw err;
      return interactive(id, claims);
    }
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
      this.log.warn('auth', `[${id}] sign-out could not open the token cache (${classify(err).kind}); deleting it`);
    }
    await this.secrets.deleteTokenCache(id);
    this.reset(id);
    await this.outcomes.signedOut(id, config);
    this.#onDidChangeSessions.fire({ added: [], removed: [id], changed: [] });
  }

  async #run(id: string, operation: 'signIn' | 'refresh', work: () => Promise<TokenResult>): Promise<TokenResult> {
    const config = configOf(this.store, id);
    const started = Date.now();
    try {
      const result = await work();
      this.#tokens.set(id, result);
      this.outcomes.token(config, operation, result, started);
      return result;
    } catch (err) {
      const failure = classify(err);
      const kept = this.outcomes.tokenFailed(config, operation, failure, started);
      if (kept === 'reconnectRequired' || kept === 'consentRequired') this.#tokens.delete(id);
      if (kept === 'reconnectRequired') this.#onDidChangeSessions.fire({ added: [], removed: [], changed: [id] });
      throw err instanceof ConnectionError ? err : new ConnectionError(failure);
    }
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
    const config = configOf(this.store, id);
    if (this.store.facts(id).secretNeeded) {
      // Not kept as a failure: the status stays "secret needed on this machine", which says what to do.
      throw new ConnectionError({
        kind: 'configuration',
        status: 'error',
        message: msg(
          'The secret of this connection is not stored on this machine yet. Edit the connection and enter it.',
        ),
      });
    }
    let secrets: ConnectionSecrets;
    try {
      secrets = await this.secrets.getSecrets(id);
    } catch (err) {
      if (err instanceof SecretStorageUnavailableError) {
        // Says nothing lasting about the connection: not kept as its failure.
        throw new ConnectionError({
          kind: 'configuration',
          status: 'error',
          message: msg('The stored secrets of this connection could not be read right now. Try again.'),
        });
      }
      const failure: ConnectionFailure = {
        kind: 'configuration',
        status: 'error',
        message: msg('The stored secrets of this connection cannot be read. Edit the connection and enter them again.'),
      };
      this.outcomes.failure(id, failure);
      throw new ConnectionError(failure);
    }
    let environment: Environment;
    try {
      environment = connectionEnvironment(config);
    } catch (err) {
      throw new ConnectionError({ kind: 'configuration', status: 'error', message: msg((err as Error).message) });
    }
    const engine = loadEngine();
    const facts = this.store.facts(id);
    return new engine.ConnectionTokenClient({
      config,
      environment,
      secrets,
      cacheStore: this.secrets.tokenCache(id),
      homeAccountId: facts.homeAccountId,
      log: this.log.forConnection(id),
      requestTimeoutMs: this.settings.requestTimeoutMs(),
      signedOut: !!facts.signedOut,
      openCertificate: (pfx, pw) => (this.#certificates ??= new engine.CertificateCache()).open(id, pfx, pw),
    });
  }

  dispose(): void {
    for (const c of this.#activeSignIns.values()) c.abort();
    for (const d of this.#disposables) d.dispose();
    this.#onDidChangeSessions.dispose();
    this.#onDidShowDeviceCode.dispose();
  }
}

/** The connection's configuration, or the error a caller sees when it was deleted meanwhile. */
export function configOf(store: Pick<ConnectionStore, 'getConfig'>, id: string): ConnectionConfig {
  const config = store.getConfig(id);
  if (!config) {
    throw new ConnectionError({
      kind: 'configuration',
      status: 'error',
      message: msg('The connection no longer exists.'),
    });
  }
  return config;
}
