/**
 * Where a connection's MSAL token cache lives. The extension stores it in SecretStorage; tests and the
 * benchmark use memory. The plugin deserializes before every MSAL cache access: MSAL may have cleared
 * its in-memory cache and expects the plugin to fill it (and another window may have signed in or out).
 * It writes only when MSAL changed the cache and the result differs from what is stored.
 *
 * A cache that holds a refresh token is stored before the token counts as done: a rotated refresh token
 * lost with the window would sign the user out. A cache without one (client credentials: access tokens
 * only) is written without waiting: losing it costs one token request, and waiting for SecretStorage was
 * most of what a refresh in the editor took beyond the token request itself (bench/RESULTS.md).
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

export interface TokenCacheStore {
  read(): Promise<string | undefined>;
  write(serializedCache: string): Promise<void>;
}

/** Whether a serialized MSAL cache holds a refresh token (MSAL's `RefreshToken` section is not empty). */
export function holdsRefreshToken(serializedCache: string): boolean {
  try {
    const section = (JSON.parse(serializedCache) as { RefreshToken?: unknown }).RefreshToken;
    return !!section && typeof section === 'object' && Object.keys(section).length > 0;
  } catch {
    return true; // unknown: wait, as for a refresh token
  }
}

export class MemoryTokenCacheStore implements TokenCacheStore {
  constructor(public value?: string) {}
  async read(): Promise<string | undefined> {
    return this.value;
  }
  async write(serializedCache: string): Promise<void> {
    this.value = serializedCache;
  }
}

const EMPTY_CACHE = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

/** `backgroundWriteFailed` hears of a write that was not waited for and failed (the next token request repairs it). */
export function createCachePlugin(
  store: TokenCacheStore,
  backgroundWriteFailed: (err: unknown) => void = () => undefined,
): ICachePlugin {
  // What this plugin last read or wrote: an unchanged cache is not written again.
  let known: string | undefined;
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const stored = await store.read();
      // A deleted entry (signed out elsewhere) empties the in-memory cache too.
      context.tokenCache.deserialize(stored || EMPTY_CACHE);
      known = stored;
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) {
        return;
      }
      const serialized = context.tokenCache.serialize();
      if (serialized !== known) {
        known = serialized;
        const written = store.write(serialized);
        if (holdsRefreshToken(serialized)) {
          await written.catch((err: unknown) => {
            known = undefined; // not stored: the next change is written even if it looks the same
            throw err;
          });
        } else {
          written.catch((err: unknown) => {
            known = undefined;
            backgroundWriteFailed(err);
          });
        }
      }
    },
  };
}
