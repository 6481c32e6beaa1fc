/**
 * Where a connection's MSAL token cache lives. The extension stores it in SecretStorage; tests and the
 * benchmark use memory. The plugin deserializes before every MSAL cache access: MSAL may have cleared
 * its in-memory cache and expects the plugin to fill it (and another window may have signed in or out).
 * It writes only when MSAL changed the cache and the result differs from what is stored.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

export interface TokenCacheStore {
  read(): Promise<string | undefined>;
  write(serializedCache: string): Promise<void>;
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

export function createCachePlugin(store: TokenCacheStore): ICachePlugin {
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
        await store.write(serialized);
        known = serialized;
      }
    },
  };
}
