/**
 * One connection's tokens: sign in (the grant its auth type calls for), get a token silently (from the
 * cache, or by refresh), sign out. Every failure leaves here as a `ConnectionError` carrying a
 * classified `ConnectionFailure`; concurrent callers share one network request.
 */
import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import { decodeJwtClaims, grantedScopesOf } from '../model/claims';
import type { Environment } from '../model/clouds';
import { isAppOnly, type ConnectionConfig, type ConnectionSecrets, type SignInMethod } from '../model/connection';
import { ConnectionError, classifyFailure, noAnswerFailure } from './failures';
import { passwordFlow, signInFlowFor, type InteractionUi } from './flows/signInFlows';
import { msg } from '../model/messages';
import { CurrentToken } from './currentToken';
import { createMsalApp, refuseInvalidCertificate, type MsalApp, type MsalAppOptions } from './msalApp';
import { appOnlyScope, resolveDelegatedScopes } from '../model/scopes';
import { Secret } from '../model/secret';
import { SingleFlight } from './singleFlight';

export interface TokenAccount {
  /** MSAL's home account id (`oid.tid`). */
  id: string;
  username: string;
  tenantId: string;
  name?: string;
}

export interface TokenResult {
  accessToken: Secret;
  expiresOn: Date;
  /** From the token itself: `scp` (delegated) or `roles` (app-only). */
  grantedScopes: string[];
  /** The scopes that were asked for (fully qualified), to compare with the granted ones. */
  requestedScopes: string[];
  account?: TokenAccount;
  fromCache: boolean;
}

export type { InteractionUi };

export interface SignInOptions {
  ui: InteractionUi;
  /** The interactive method for delegated connections (`auto` resolved by the caller). */
  method?: Exclude<SignInMethod, 'auto'>;
  /** The account the browser sign-in starts with (`login_hint`); the connection's own hint when absent. */
  loginHint?: string;
  /** Sign In with Another Account: Entra's account picker (`prompt=select_account`), no hint. */
  selectAccount?: boolean;
  signal?: AbortSignal;
  /** Limit for an interactive sign-in; 5 minutes by default. */
  timeoutMs?: number;
  /** Delegated permissions (short names) to ask for on top of the configuration's (a caller asked for more). */
  addPermissions?: readonly string[];
  /** A claims challenge's claims (JSON) the new token must satisfy (claimsChallenge.ts). */
  claims?: string;
}

export interface GetTokenOptions {
  forceRefresh?: boolean;
  signal?: AbortSignal;
  /** A claims challenge's claims (JSON): a new token is requested with them, never one from the cache. */
  claims?: string;
}

export const INTERACTIVE_TIMEOUT_MS = 5 * 60 * 1000;

export interface TokenClientOptions extends MsalAppOptions {
  /** The home account id recorded at the connection's last sign-in: the account silent calls use. */
  homeAccountId?: string;
  /**
   * The user signed out and has not signed in since (the caller keeps this across reloads): no silent
   * sign-in with the stored password until `signIn()`.
   */
  signedOut?: boolean;
  /** The clock a certificate's validity is checked against (tests move it). */
  now?: () => Date;
}

/** Grants without the user never open a browser or show a code. */
const NO_UI: InteractionUi = { openBrowser: async () => undefined, showDeviceCode: () => undefined };

/** The single-flight key of every token request that is not an explicit sign-in. */
const REFRESH = 'refresh';

export class ConnectionTokenClient {
  readonly #msal: MsalApp;
  readonly #flights = new SingleFlight<TokenResult>();
  readonly #current: CurrentToken<TokenResult>;
  readonly config: ConnectionConfig;
  readonly environment: Environment;
  readonly #secrets: ConnectionSecrets;
  #homeAccountId: string | undefined;
  #signedOut: boolean;
  readonly #now: () => Date;

  constructor(options: TokenClientOptions) {
    this.config = options.config;
    this.environment = options.environment;
    this.#secrets = options.secrets;
    this.#homeAccountId = options.homeAccountId;
    this.#signedOut = !!options.signedOut;
    this.#now = options.now ?? (() => new Date());
    this.#msal = createMsalApp(options);
    this.#current = new CurrentToken(options.cacheStore);
  }

  /** The scopes this connection asks for, fully qualified for its cloud. */
  get scopes(): string[] {
    return this.#scopesWith([]);
  }

  #scopesWith(add: readonly string[]): string[] {
    if (isAppOnly(this.config)) {
      return [appOnlyScope(this.environment)];
    }
    const selection = this.config.scopes;
    return resolveDelegatedScopes({ ...selection, additional: [...selection.additional, ...add] }, this.environment);
  }

  /** Requests sent to the login host so far (the single-flight tests and the benchmark read it). */
  get requestCount(): number {
    return this.#msal.network.requestCount;
  }

  /** Signs in with the grant of the connection's auth type; interactive grants use `options.ui`. */
  signIn(options: SignInOptions): Promise<TokenResult> {
    return this.#flights.run('signIn', async () => {
      const result = await this.#guard(options.signal, () => this.#signIn(options).then((r) => this.#adopt(r)));
      this.#signedOut = false;
      await this.#current.set(result);
      return result;
    });
  }

  /**
   * A token without user interaction: from the cache, or refreshed. Throws `reconnectRequired` when that is impossible.
   *
   * Silent and forced refreshes share one flight: two at once would send one refresh token twice, and
   * identity providers that rotate refresh tokens revoke the whole grant when one is reused. A forced
   * refresh that finds a refresh in flight takes its answer when that came from the network (it is as
   * fresh as its own would be), and forces one of its own only when the answer came from the cache.
   */
  async getToken(options: GetTokenOptions = {}): Promise<TokenResult> {
    const claims = options.claims;
    if (claims) {
      // After any refresh in flight (one refresh token is never sent twice at once), one with the claims.
      for (let inFlight = this.#flights.current(REFRESH); inFlight; inFlight = this.#flights.current(REFRESH)) {
        await inFlight.catch(() => undefined);
      }
      return this.#flights.run(REFRESH, () =>
        this.#guard(options.signal, () => this.#silent(true, claims), this.#refreshesDelegated),
      );
    }
    const current = options.forceRefresh ? undefined : await this.#current.get();
    if (current) {
      return { ...current, fromCache: true };
    }
    for (
      let inFlight = this.#flights.current(REFRESH);
      options.forceRefresh && inFlight;
      inFlight = this.#flights.current(REFRESH)
    ) {
      const result = await inFlight; // its failure is this caller's too: it is the answer of the same server
      if (!result.fromCache) {
        return result;
      }
    }
    return this.#flights.run(REFRESH, async () => {
      const result = await this.#guard(
        options.signal,
        () => this.#silent(!!options.forceRefresh),
        this.#refreshesDelegated,
      );
      await this.#current.set(result);
      return result;
    });
  }

  /** Removes this connection's tokens from its cache (which then is written back empty). */
  async signOut(): Promise<void> {
    this.#signedOut = true;
    this.#current.clear();
    const cache = this.#msal.app.getTokenCache();
    for (const account of await cache.getAllAccounts()) {
      await cache.removeAccount(account);
    }
    if (isAppOnly(this.config)) {
      // App tokens have no account to remove; clearing drops them from memory and the next write.
      this.#msal.app.clearCache();
    }
  }

  /** A silent token comes from a refresh token the user signed in for (MFA then means "sign in again"). */
  get #refreshesDelegated(): boolean {
    return !isAppOnly(this.config) && this.config.authType !== 'ropc';
  }

  async #guard(
    signal: AbortSignal | undefined,
    work: () => Promise<TokenResult>,
    delegatedRefresh = false,
  ): Promise<TokenResult> {
    const network = this.#msal.network;
    refuseInvalidCertificate(this.#msal, this.#now());
    network.bind(signal);
    try {
      return await work();
    } catch (err) {
      if (network.lastTimeout && !signal?.aborted) {
        // MSAL reports the aborted request as a bare network_error; say which host kept silent, and for how long.
        throw new ConnectionError(noAnswerFailure('login', network.lastTimeout.timeoutMs));
      }
      const failure = classifyFailure(err, { lastRequest: network.lastRequest, delegatedRefresh });
      throw new ConnectionError(
        signal?.aborted ? { ...failure, kind: 'cancelled', message: msg('Sign-in was cancelled.') } : failure,
      );
    }
  }

  /** The sign-in flow the connection's auth type, client and method call for (flows/signInFlows.ts). */
  async #signIn(options: SignInOptions): Promise<TokenResult> {
    const config = this.config;
    const scopes = this.#scopesWith(options.addPermissions ?? []);
    const flow = signInFlowFor({
      appOnly: isAppOnly(config),
      password: config.authType === 'ropc',
      method: options.method ?? 'browser',
      client: this.#msal.kind,
    });
    const loginHint = options.selectAccount
      ? undefined
      : (options.loginHint ?? ('loginHint' in config ? config.loginHint : undefined));
    const result = await flow.trigger({
      msal: this.#msal,
      scopes,
      ui: options.ui,
      ...this.#passwordCredentials(),
      ...(loginHint ? { loginHint } : {}),
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? INTERACTIVE_TIMEOUT_MS,
      ...(options.claims ? { claims: options.claims } : {}),
    });
    return this.#result(result, false, scopes);
  }

  async #silent(forceRefresh: boolean, claims?: string): Promise<TokenResult> {
    const msal = this.#msal;
    const withClaims = claims ? { claims } : {};
    if (msal.kind === 'confidential' && isAppOnly(this.config)) {
      // Client credentials need no refresh token: MSAL answers from its cache or asks again.
      const result = await msal.app.acquireTokenByClientCredential({
        scopes: this.scopes,
        skipCache: forceRefresh,
        ...withClaims,
      });
      return this.#result(result, !!result?.fromCache);
    }
    const account = await this.#cachedAccount();
    if (!account) {
      if (this.#mayRenewWithPassword()) {
        return this.#result(await this.#ropc(), false);
      }
      throw new ConnectionError({
        kind: 'reconnect',
        status: 'reconnectRequired',
        message: msg('Not signed in. Sign in to connect.'),
      });
    }
    try {
      // With claims MSAL skips its cache and redeems the refresh token with them.
      const result = await msal.app.acquireTokenSilent({ account, scopes: this.scopes, forceRefresh, ...withClaims });
      return this.#result(result, result.fromCache);
    } catch (err) {
      // ROPC keeps the password, so a lost refresh token is renewed without the user.
      if (this.#mayRenewWithPassword() && classifyFailure(err).kind === 'reconnect') {
        return this.#result(await this.#ropc(), false);
      }
      throw err;
    }
  }

  /** ROPC keeps the password, so it signs in again without the user: unless the user signed out. */
  #mayRenewWithPassword(): boolean {
    return this.config.authType === 'ropc' && !!this.#secrets.password && !this.#signedOut;
  }

  /** ROPC's silent renewal: the password flow without the user. */
  async #ropc(): Promise<AuthenticationResult | null> {
    return passwordFlow.trigger({
      msal: this.#msal,
      scopes: this.scopes,
      ui: NO_UI,
      ...this.#passwordCredentials(),
      timeoutMs: INTERACTIVE_TIMEOUT_MS,
    });
  }

  #passwordCredentials(): { username?: string; password?: Secret } {
    return this.config.authType === 'ropc' ? { username: this.config.username, password: this.#secrets.password } : {};
  }

  /**
   * The signed-in user becomes the connection's only account: every other account (an earlier user of
   * this connection) leaves the cache, so no later silent call, window or restart can fall back to it.
   */
  async #adopt(result: TokenResult): Promise<TokenResult> {
    if (!result.account) {
      return result;
    }
    this.#homeAccountId = result.account.id;
    const cache = this.#msal.app.getTokenCache();
    for (const account of await cache.getAllAccounts()) {
      if (account.homeAccountId !== result.account.id) {
        await cache.removeAccount(account);
      }
    }
    return result;
  }

  /**
   * The connection's account in the cache: the recorded one. When it is not there (another window
   * signed in as someone else and this window has not read its facts yet), a cache of exactly one
   * account names it, because a sign-in leaves only its own account; a cache of several without the
   * recorded one (written before accounts were recorded) names nobody: reconnect.
   */
  async #cachedAccount(): Promise<AccountInfo | undefined> {
    const cache = this.#msal.app.getTokenCache();
    const recorded = this.#homeAccountId ? await cache.getAccountByHomeId(this.#homeAccountId) : null;
    if (recorded) {
      return recorded;
    }
    const accounts = await cache.getAllAccounts();
    return accounts.length === 1 ? accounts[0] : undefined;
  }

  #result(result: AuthenticationResult | null, fromCache: boolean, requestedScopes = this.scopes): TokenResult {
    if (!result?.accessToken) {
      throw new ConnectionError({
        kind: 'unknown',
        status: 'error',
        message: msg('Microsoft Entra returned no access token.'),
      });
    }
    const claims = decodeJwtClaims(result.accessToken);
    const granted = grantedScopesOf(claims);
    const exp = typeof claims?.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
    return {
      accessToken: new Secret(result.accessToken),
      expiresOn: result.expiresOn ?? exp ?? new Date(),
      // A JWT says what was granted (possibly nothing); an opaque token leaves MSAL's word for it.
      grantedScopes: claims ? granted : result.scopes,
      requestedScopes,
      ...(result.account ? { account: toAccount(result.account) } : {}),
      fromCache,
    };
  }
}

function toAccount(account: AccountInfo): TokenAccount {
  return {
    id: account.homeAccountId,
    username: account.username,
    tenantId: account.tenantId,
    ...(account.name ? { name: account.name } : {}),
  };
}
