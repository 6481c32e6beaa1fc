/**
 * Everything secret, in SecretStorage only: per connection its secret fields and its MSAL token cache.
 * Typed key names; accessors never log values. Writes by this window are remembered so that
 * `onDidChange` (fired for every window's writes) reports only what another window changed.
 */
import * as vscode from 'vscode';
import { SECRET_FIELDS, type ConnectionSecrets, type SecretField } from '../engine/connection';
import { Secret } from '../engine/secret';
import type { TokenCacheStore } from '../engine/tokenCache';

const PREFIX = 'outlook365';
export const REVISION_KEY = `${PREFIX}/revision`;
const secretsKey = (id: string) => `${PREFIX}/${id}/secrets`;
const cacheKey = (id: string) => `${PREFIX}/${id}/tokenCache`;

/** A stored secret entry that cannot be read (corrupt JSON, wrong shape). */
export class CorruptSecretError extends Error {}

export type SecretChange = { kind: 'revision' } | { kind: 'secrets' | 'tokenCache'; connectionId: string };

export class SecretStore implements vscode.Disposable {
  readonly #storage: vscode.SecretStorage;
  /** key → what this window last wrote (undefined = deleted), to tell our own writes from others'. */
  readonly #ownWrites = new Map<string, string | undefined>();
  readonly #onDidChangeElsewhere = new vscode.EventEmitter<SecretChange>();
  readonly onDidChangeElsewhere = this.#onDidChangeElsewhere.event;
  readonly #subscription: vscode.Disposable;

  constructor(storage: vscode.SecretStorage) {
    this.#storage = storage;
    this.#subscription = storage.onDidChange((e) => void this.#changed(e.key));
  }

  async #changed(key: string): Promise<void> {
    if (!key.startsWith(`${PREFIX}/`)) {
      return;
    }
    if (this.#ownWrites.has(key) && (await this.#storage.get(key)) === this.#ownWrites.get(key)) {
      return;
    }
    if (key === REVISION_KEY) {
      this.#onDidChangeElsewhere.fire({ kind: 'revision' });
      return;
    }
    const match = /^outlook365\/(.+)\/(secrets|tokenCache)$/.exec(key);
    if (match) {
      this.#onDidChangeElsewhere.fire({ kind: match[2] as 'secrets' | 'tokenCache', connectionId: match[1] });
    }
  }

  async #store(key: string, value: string): Promise<void> {
    this.#ownWrites.set(key, value);
    await this.#storage.store(key, value);
  }

  async #delete(key: string): Promise<void> {
    this.#ownWrites.set(key, undefined);
    await this.#storage.delete(key);
  }

  /** Tells other windows that the configuration (in globalState) changed. */
  async bumpRevision(): Promise<void> {
    await this.#store(REVISION_KEY, `${Date.now()}-${Math.random().toString(36).slice(2)}`);
  }

  /** The connection's secret fields. Throws `CorruptSecretError` when the entry is unreadable. */
  async getSecrets(connectionId: string): Promise<ConnectionSecrets> {
    const raw = await this.#storage.get(secretsKey(connectionId));
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
    } catch {
      // A corrupt entry is replaced by what the user entered now.
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

  tokenCache(connectionId: string): TokenCacheStore {
    const key = cacheKey(connectionId);
    return {
      read: async () => this.#storage.get(key),
      write: async (serialized: string) => this.#store(key, serialized),
    };
  }

  async deleteTokenCache(connectionId: string): Promise<void> {
    await this.#delete(cacheKey(connectionId));
  }

  async deleteAll(connectionId: string): Promise<void> {
    await this.#delete(secretsKey(connectionId));
    await this.#delete(cacheKey(connectionId));
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#onDidChangeElsewhere.dispose();
  }
}
