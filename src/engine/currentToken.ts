/**
 * The connection's current access token, kept beside the token cache it is in: a silent request
 * answers from here without MSAL while the stored cache is still the one the token came with.
 *
 * MSAL's cache plugin deserializes the whole cache before every access (another window may have signed
 * in or out), which made a token from the cache cost about twice @azure/identity's (bench/RESULTS.md).
 * Here the check is one read of the cache store (memory in the extension: SecretStore keeps it between
 * changes) and a comparison: any change of the cache (sign-out, refresh, another window's write, a
 * deleted entry) makes it differ, and the next request goes through MSAL again. An edit builds a new
 * client (and so a new index); a sign-in or refresh replaces the token.
 */
import type { TokenCacheStore } from './tokenCache';

/** MSAL renews a token this long before it expires (its default `tokenRenewalOffsetSeconds`): so does the index. */
const RENEWAL_MARGIN_MS = 5 * 60 * 1000;

export class CurrentToken<T extends { accessToken: { reveal(): string }; expiresOn: Date }> {
  #entry: { result: T; cache: string } | undefined;

  constructor(private readonly store: TokenCacheStore) {}

  /** The indexed token, when it is not about to expire and the stored cache is still the one it is in. */
  async get(): Promise<T | undefined> {
    const entry = this.#entry;
    if (!entry || entry.result.expiresOn.getTime() - Date.now() <= RENEWAL_MARGIN_MS) return undefined;
    const stored = await this.store.read();
    return stored === entry.cache && this.#entry === entry ? entry.result : undefined;
  }

  /** Indexes a token MSAL just handed out, with the cache as stored now, if that cache holds it. */
  async set(result: T): Promise<void> {
    this.#entry = undefined;
    const cache = await this.store.read();
    // A cache without the token (another window changed it meanwhile) is not the one to compare with.
    if (cache?.includes(result.accessToken.reveal())) this.#entry = { result, cache };
  }

  clear(): void {
    this.#entry = undefined;
  }
}
