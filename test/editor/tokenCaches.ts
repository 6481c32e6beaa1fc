/**
 * The token caches as they sit in SecretStorage (src/connections/tokenCacheMap.ts: one entry for all
 * connections), read and written the way another window's extension would.
 */
import type * as vscode from 'vscode';
import { TOKEN_CACHES_KEY } from '../../src/connections/tokenCacheMap';

interface Stored {
  version: 1;
  caches: Record<string, { cache: string | null; seq: number; at: number }>;
}

async function entries(secrets: vscode.SecretStorage): Promise<Stored> {
  const raw = await secrets.get(TOKEN_CACHES_KEY);
  return raw ? (JSON.parse(raw) as Stored) : { version: 1, caches: {} };
}

/** The connection's stored token cache (undefined: none, or deleted). */
export async function storedTokenCache(secrets: vscode.SecretStorage, id: string): Promise<string | undefined> {
  return (await entries(secrets)).caches[id]?.cache ?? undefined;
}

/** Another window's write of the connection's cache (null: its sign-out), one sequence number above. */
export async function writeTokenCacheElsewhere(
  secrets: vscode.SecretStorage,
  id: string,
  cache: string | null,
): Promise<void> {
  const stored = await entries(secrets);
  stored.caches[id] = { cache, seq: (stored.caches[id]?.seq ?? 0) + 1, at: Date.now() };
  await secrets.store(TOKEN_CACHES_KEY, JSON.stringify(stored));
}
