/**
 * Everything secret, in SecretStorage only: per connection its secret fields; the MSAL token caches of
 * all connections in one entry, written once per burst (tokenCacheMap.ts). Typed key names; accessors
 * never log values. Writes by this window are remembered so that
 * `onDidChangeElsewhere` (SecretStorage fires for every window's writes) reports only what another
 * window changed. (The revision keys that tell other windows to read the store files are windowSync.ts's.)
 */
import * as vscode from 'vscode';
import { SECRET_FIELDS, type ConnectionSecrets, type SecretField } from '../model/connection';
import { Secret } from '../model/secret';
import type { TokenCacheStore } from '../engine/tokenCache';
import { TOKEN_CACHES_KEY, TokenCacheMap } from './tokenCacheMap';

const PREFIX = 'outlook365';
const secretsKey = (id: string) => `${PREFIX}/${id}/secrets`;
/** Where a connection's token cache was kept before they moved into one entry (read once, then moved). */
const cacheKey = (id: string) => `${PREFIX}/${id}/tokenCache`;
const isTokenCacheKey = (key: string) => key.endsWith('/tokenCache');

/** A stored secret entry that cannot be read (corrupt JSON, wrong shape): it stays so until replaced. */
export class CorruptSecretError extends Error {}

/**
 * SecretStorage refused a read or write, again and again until the deadline (the keychain was locked or
 * busy, the workbench did not answer): nothing is known about the stored value, so nothing is concluded
 * from it. Its message is for the user.
 */
export class SecretStorageUnavailableError extends Error {}

export interface SecretStoreOptions {
  /** Waits before the 2nd, 3rd… attempt of a rejected SecretStorage call (default 100, 300, 900 ms). */
  retryDelaysMs?: readonly number[];
  /** No attempt starts, and no call waits, past this time after the first one (default 5 s). */
  deadlineMs?: number;
}

export interface SecretChange {
  kind: 'secrets' | 'tokenCache';
  connectionId: string;
}

export class SecretStore implements vscode.Disposable {
  readonly #storage: vscode.SecretStorage;
  /** key → what this window last wrote (undefined = deleted), to tell our own writes from others'. */
  readonly #ownWrites = new Map<string, string | undefined>();
  /**
   * Old per-connection token caches as last read, by key (a change event for the key drops the value):
   * each SecretStorage read is a round trip to the workbench.
   */
  readonly #tokenCaches = new Map<string, string | undefined>();
  readonly #caches: TokenCacheMap;
  /** Counts changes per key: a read that overlapped a change is not remembered. */
  readonly #generations = new Map<string, number>();
  readonly #onDidChangeElsewhere = new vscode.EventEmitter<SecretChange>();
  readonly onDidChangeElsewhere = this.#onDidChangeElsewhere.event;
  readonly #subscription: vscode.Disposable;

  readonly #retryOptions: SecretStoreOptions;

  constructor(storage: vscode.SecretStorage, options: SecretStoreOptions = {}) {
    this.#storage = storage;
    this.#retryOptions = options;
    this.#caches = new TokenCacheMap({
      get: () => this.#retry(() => this.#storage.get(TOKEN_CACHES_KEY)),
      store: (value) => this.#retry(() => this.#storage.store(TOKEN_CACHES_KEY, value)),
      readLegacy: (id) => this.#readLegacyCache(cacheKey(id)),
      deleteLegacy: (id) => this.#delete(cacheKey(id)),
      changedElsewhere: (ids) => {
        for (const connectionId of ids) this.#onDidChangeElsewhere.fire({ kind: 'tokenCache', connectionId });
      },
    });
    this.#subscription = storage.onDidChange((e) => {
      if (e.key === TOKEN_CACHES_KEY) {
        void this.#caches.changed().catch(() => undefined); // cannot tell what changed; the next event will
        return;
      }
      this.#tokenCaches.delete(e.key);
      void this.#changed(e.key, this.#bump(e.key));
    });
  }

  #bump(key: string): number {
    const generation = (this.#generations.get(key) ?? 0) + 1;
    this.#generations.set(key, generation);
    return generation;
  }

  async #changed(key: string, generation: number): Promise<void> {
    if (!key.startsWith(`${PREFIX}/`)) {
      return;
    }
    if (this.#ownWrites.has(key)) {
      let stored: string | undefined;
      try {
        stored = await this.#retry(() => this.#storage.get(key));
      } catch {
        return; // cannot tell whose change it was; the next change will say
      }
      if (stored === this.#ownWrites.get(key)) {
        // This window's own write: a token cache is known again, unless something changed meanwhile.
        if (isTokenCacheKey(key) && this.#generations.get(key) === generation) this.#tokenCaches.set(key, stored);
        return;
      }
    }
    const match = /^outlook365\/(.+)\/(secrets|tokenCache)$/.exec(key);
    if (match) {
      this.#onDidChangeElsewhere.fire({ kind: match[2] as 'secrets' | 'tokenCache', connectionId: match[1] });
    }
  }

  async #store(key: string, value: string): Promise<void> {
    this.#ownWrites.set(key, value);
    this.#remember(key, value);
    await this.#retry(() => this.#storage.store(key, value));
  }

  async #delete(key: string): Promise<void> {
    this.#ownWrites.set(key, undefined);
    this.#remember(key, undefined);
    await this.#retry(() => this.#storage.delete(key));
  }

  #retry<T>(call: () => Thenable<T>): Promise<T> {
    return retrySecretStorage(call, this.#retryOptions);
  }

  /** After this window's write the value is known (a change by another window drops it again). */
  #remember(key: string, value: string | undefined): void {
    this.#bump(key);
    if (isTokenCacheKey(key)) this.#tokenCaches.set(key, value);
  }

  /**
   * The connection's secret fields. Throws `CorruptSecretError` when the entry is damaged, and
   * `SecretStorageUnavailableError` when SecretStorage does not answer now.
   */
  async getSecrets(connectionId: string): Promise<ConnectionSecrets> {
    const raw = await this.#retry(() => this.#storage.get(secretsKey(connectionId)));
    if (raw === undefined) {
      return {};
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new CorruptSecretError('stored secrets are not JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CorruptSecretError('stored secrets have the wrong shape');
    }
    const secrets: ConnectionSecrets = {};
    for (const field of SECRET_FIELDS) {
      const value = (parsed as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (typeof value !== 'string') {
        throw new CorruptSecretError('stored secrets have the wrong shape');
      }
      secrets[field] = new Secret(value);
    }
    return secrets;
  }

  /** Which fields are stored, for display: none when they cannot be read (saving tells why). */
  async storedSecretFields(connectionId: string): Promise<SecretField[]> {
    try {
      const secrets = await this.getSecrets(connectionId);
      return SECRET_FIELDS.filter((f) => secrets[f] !== undefined);
    } catch {
      return [];
    }
  }

  /**
   * Merges new secret values over the stored ones (a field not given keeps its value) and drops the
   * fields the auth type does not use.
   */
  async updateSecrets(connectionId: string, changes: ConnectionSecrets, keep: readonly SecretField[]): Promise<void> {
    let current: ConnectionSecrets = {};
    try {
      current = await this.getSecrets(connectionId);
    } catch (err) {
      // A damaged entry is replaced by what the user entered now; one that cannot be read now is not
      // (its fields the user did not retype would be lost).
      if (!(err instanceof CorruptSecretError)) throw err;
    }
    const next: Record<string, string> = {};
    for (const field of keep) {
      const value = changes[field] ?? current[field];
      if (value !== undefined) {
        next[field] = value.reveal();
      }
    }
    if (Object.keys(next).length === 0) {
      await this.#delete(secretsKey(connectionId));
    } else {
      await this.#store(secretsKey(connectionId), JSON.stringify(next));
    }
  }

  /** The connection's token cache. A write resolves once SecretStorage has it (with others of the same burst). */
  tokenCache(connectionId: string): TokenCacheStore {
    return {
      read: () => this.#caches.read(connectionId),
      write: (serialized: string) => this.#caches.write(connectionId, serialized),
    };
  }

  async #readLegacyCache(key: string): Promise<string | undefined> {
    if (this.#tokenCaches.has(key)) return this.#tokenCaches.get(key);
    const generation = this.#generations.get(key);
    const value = await this.#retry(() => this.#storage.get(key));
    if (this.#generations.get(key) === generation) this.#tokenCaches.set(key, value);
    return value;
  }

  async deleteTokenCache(connectionId: string): Promise<void> {
    await this.#caches.delete(connectionId);
  }

  async deleteAll(connectionId: string): Promise<void> {
    await this.#delete(secretsKey(connectionId));
    await this.#caches.delete(connectionId);
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#onDidChangeElsewhere.dispose();
  }
}

/**
 * Runs a SecretStorage call again while it is rejected, a few times and never past the deadline, then
 * throws `SecretStorageUnavailableError`. A call that does not settle by the deadline counts as rejected.
 */
export async function retrySecretStorage<T>(call: () => Thenable<T>, options: SecretStoreOptions = {}): Promise<T> {
  const { retryDelaysMs = [100, 300, 900], deadlineMs = 5000 } = options;
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('SecretStorage did not answer')), Math.max(0, deadline - Date.now()));
      });
      return await Promise.race([Promise.resolve(call()), late]);
    } catch {
      const wait = retryDelaysMs[attempt];
      if (wait === undefined || Date.now() + wait >= deadline) {
        throw new SecretStorageUnavailableError(
          vscode.l10n.t('The secure storage (SecretStorage) could not be read or written right now. Try again.'),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    } finally {
      clearTimeout(timer);
    }
  }
}
