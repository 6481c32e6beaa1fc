/**
 * One connection's tokens: sign in (the grant its auth type calls for), get a token silently (from the
 * cache, or by refresh), sign out. Every failure leaves here as a `ConnectionError` carrying a
 * classified `ConnectionFailure`; concurrent callers share one network request.
 */
import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import { decodeJwtClaims, grantedScopesOf } from './claims';
import type { Environment } from './clouds';
import { isAppOnly, type ConnectionConfig, type ConnectionSecrets, type SignInMethod } from './connection';
import { ConnectionError, classifyFailure } from './failures';
import { signInWithDeviceCode, type DeviceCodeInfo } from './flows/deviceCode';
import { signInWithLoopback } from './flows/loopback';
import { msg } from './messages';
import { createMsalApp, type MsalApp, type MsalAppOptions } from './msalApp';
import { appOnlyScope, resolveDelegatedScopes } from './scopes';
import { Secret } from './secret';
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

export interface InteractionUi {
  /** Opens the sign-in page; resolves once the browser was asked to open it, not after sign-in. */
  openBrowser(url: string): Promise<void>;
  showDeviceCode(info: DeviceCodeInfo): void;
}

export interface SignInOptions {
  ui: InteractionUi;
  /** The interactive method for delegated connections (`auto` resolved by the caller). */
  method?: Exclude<SignInMethod, 'auto'>;
  signal?: AbortSignal;
  /** Limit for an interactive sign-in; 5 minutes by default. */
  timeoutMs?: number;
  /** Delegated permissions (short names) to ask for on top of the configuration's (a caller asked for more). */
  addPermissions?: readonly string[];
}

export interface GetTokenOptions {
  forceRefresh?: boolean;
  signal?: AbortSignal;
}

export const INTERACTIVE_TIMEOUT_MS = 5 * 60 * 1000;

export class ConnectionTokenClient {
  readonly #msal: MsalApp;
  readonly #flights = new SingleFlight<TokenResult>();
  readonly config: ConnectionConfig;
  readonly environment: Environment;
  readonly #secrets: ConnectionSecrets;

  constructor(options: MsalAppOptions) {
    this.config = options.config;
    this.environment = options.environment;
    this.#secrets = options.secrets;
    this.#msal = createMsalApp(options);
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
    return this.#flights.run('signIn', () => this.#guard(options.signal, () => this.#signIn(options)));
  }

  /** A token without user interaction: from the cache, or refreshed. Throws `reconnectRequired` when that is impossible. */
  getToken(options: GetTokenOptions = {}): Promise<TokenResult> {
    const key = options.forceRefresh ? 'refresh' : 'silent';
    return this.#flights.run(key, () => this.#guard(options.signal, () => this.#silent(!!options.forceRefresh)));
  }

  /** The signed-in account, from the token cache (no network). */
  async getAccount(): Promise<TokenAccount | undefined> {
    const account = await this.#cachedAccount();
    return account ? toAccount(account) : undefined;
  }

  /** Removes this connection's tokens from its cache (which then is written back empty). */
  async signOut(): Promise<void> {
    const cache = this.#msal.app.getTokenCache();
    for (const account of await cache.getAllAccounts()) {
      await cache.removeAccount(account);
    }
    if (isAppOnly(this.config)) {
      // App tokens have no account to remove; clearing drops them from memory and the next write.
      this.#msal.app.clearCache();
    }
  }

  async #guard(signal: AbortSignal | undefined, work: () => Promise<TokenResult>): Promise<TokenResult> {
    this.#msal.network.bind(signal);
    try {
      return await work();
    } catch (err) {
      const failure = classifyFailure(err, {
        lastStatus: this.#msal.network.lastStatus,
        retryAfterSeconds: this.#msal.network.lastRetryAfterSeconds,
        lastServerError: this.#msal.network.lastServerError,
      });
      throw new ConnectionError(signal?.aborted ? { ...failure, kind: 'cancelled', message: msg('Sign-in was cancelled.') } : failure);
    }
  }

  async #signIn(options: SignInOptions): Promise<TokenResult> {
    const msal = this.#msal;
    const config = this.config;
    const scopes = this.#scopesWith(options.addPermissions ?? []);
    if (msal.kind === 'confidential' && isAppOnly(config)) {
      return this.#result(await msal.app.acquireTokenByClientCredential({ scopes: this.scopes, skipCache: true }), false);
    }
    if (config.authType === 'ropc') {
      return this.#result(await this.#ropc(scopes), false, scopes);
    }
    const method = options.method ?? 'browser';
    if (method === 'deviceCode') {
      if (msal.kind !== 'public') {
        throw new ConnectionError({
          kind: 'configuration',
          status: 'error',
          message: msg('Device code sign-in works only without a client secret (a public client).'),
        });
      }
      return this.#result(
        await signInWithDeviceCode(msal.app, { scopes, showDeviceCode: options.ui.showDeviceCode, signal: options.signal }),
        false,
        scopes,
      );
    }
    return this.#result(
      await signInWithLoopback(msal.app, {
        scopes,
        openBrowser: options.ui.openBrowser,
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? INTERACTIVE_TIMEOUT_MS,
      }),
      false,
      scopes,
    );
  }

  async #silent(forceRefresh: boolean): Promise<TokenResult> {
    const msal = this.#msal;
    if (msal.kind === 'confidential' && isAppOnly(this.config)) {
      // Client credentials need no refresh token: MSAL answers from its cache or asks again.
      const result = await msal.app.acquireTokenByClientCredential({ scopes: this.scopes, skipCache: forceRefresh });
      return this.#result(result, !!result?.fromCache);
    }
    const account = await this.#cachedAccount();
    if (!account) {
      if (this.config.authType === 'ropc' && this.#secrets.password) {
        return this.#result(await this.#ropc(), false);
      }
      throw new ConnectionError({ kind: 'reconnect', status: 'reconnectRequired', message: msg('Not signed in. Sign in to connect.') });
    }
    try {
      const result = await msal.app.acquireTokenSilent({ account, scopes: this.scopes, forceRefresh });
      return this.#result(result, result.fromCache);
    } catch (err) {
      // ROPC keeps the password, so a lost refresh token is renewed without the user.
      if (this.config.authType === 'ropc' && this.#secrets.password && classifyFailure(err).kind === 'reconnect') {
        return this.#result(await this.#ropc(), false);
      }
      throw err;
    }
  }

  async #ropc(scopes = this.scopes): Promise<AuthenticationResult | null> {
    if (this.config.authType !== 'ropc' || !this.#secrets.password) {
      throw new ConnectionError({ kind: 'configuration', status: 'error', message: msg('Enter the password: edit the connection.') });
    }
    return this.#msal.app.acquireTokenByUsernamePassword({
      scopes,
      username: this.config.username,
      password: this.#secrets.password.reveal(),
    });
  }

  async #cachedAccount(): Promise<AccountInfo | undefined> {
    const accounts = await this.#msal.app.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  #result(result: AuthenticationResult | null, fromCache: boolean, requestedScopes = this.scopes): TokenResult {
    if (!result?.accessToken) {
      throw new ConnectionError({ kind: 'unknown', status: 'error', message: msg('Microsoft Entra returned no access token.') });
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
