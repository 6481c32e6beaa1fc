/**
 * Keeps this window in step with other windows' changes of the store files. Two ways hear of them:
 * - revision keys in SecretStorage (`outlook365/revision` for the configurations, `outlook365/factsRevision`
 *   for the facts), changed after every write of the file; SecretStorage tells every window;
 * - a watcher of the store folder (storeWatcher.ts), because in VS Code in the browser the SecretStorage
 *   events did not reach the other window.
 * Either way the store reads the file again, and `onDidChangeConfigurations` tells what was built from
 * the configurations (token clients) to go. This window's own revision writes are told apart by value.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { ConnectionStore } from './connectionStore';
import type { ConnectionsFile } from './connectionsFile';
import type { FactsFile } from './factsFile';
import { retrySecretStorage, type SecretStoreOptions } from './secretStore';
import { watchStoreFolder } from './storeWatcher';

const REVISION_KEY = 'outlook365/revision';
const FACTS_REVISION_KEY = 'outlook365/factsRevision';

export interface SyncedFiles {
  folder: string;
  connections: ConnectionsFile;
  facts: FactsFile;
}

export class WindowSync implements vscode.Disposable {
  /** key → the revision this window wrote last, to tell its own writes from another window's. */
  readonly #ownWrites = new Map<string, string>();
  readonly #onDidChangeConfigurations = new vscode.EventEmitter<void>();
  /** Another window changed the configurations; fired before the store reads them again. */
  readonly onDidChangeConfigurations = this.#onDidChangeConfigurations.event;
  readonly #disposables: { dispose(): void }[] = [];
  #store: ConnectionStore | undefined;

  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly log: Log,
    private readonly retry: SecretStoreOptions = {},
  ) {}

  /** Starts listening, once the store is open (its files may be written before, while it opens). */
  follow(store: ConnectionStore, files: SyncedFiles): void {
    this.#store = store;
    this.#disposables.push(
      this.storage.onDidChange((e) => {
        if (e.key === REVISION_KEY || e.key === FACTS_REVISION_KEY) void this.#revisionChanged(e.key);
      }),
    );
    const byName = new Map<string, { file: ConnectionsFile | FactsFile; what: 'configurations' | 'facts' }>([
      [path.basename(files.connections.file), { file: files.connections, what: 'configurations' }],
      [path.basename(files.facts.file), { file: files.facts, what: 'facts' }],
    ]);
    this.#disposables.push(
      watchStoreFolder(
        files.folder,
        (name) => {
          const entry = byName.get(name);
          void entry?.file.changedElsewhere().then((changed) => changed && this.#changedElsewhere(entry.what));
        },
        (err) =>
          this.log.warn(
            'store',
            `cannot watch the store folder (${(err as NodeJS.ErrnoException).code ?? err.name}); other windows' changes arrive through SecretStorage only`,
          ),
      ),
    );
  }

  /** Tells other windows that this window wrote the configurations. Never throws: the file watcher tells them too. */
  async configurationsWritten(): Promise<void> {
    await this.#bump(REVISION_KEY).catch((err: unknown) =>
      this.log.warn('store', `could not tell other windows about new configurations (${(err as Error).name})`),
    );
  }

  /** Tells other windows that this window wrote the facts (in the background, as the facts are written). */
  factsWritten(): void {
    void this.#bump(FACTS_REVISION_KEY).catch((err: unknown) =>
      this.log.warn('store', `could not tell other windows about new facts (${(err as Error).name})`),
    );
  }

  async #bump(key: string): Promise<void> {
    const revision = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.#ownWrites.set(key, revision);
    await retrySecretStorage(() => this.storage.store(key, revision), this.retry);
  }

  async #revisionChanged(key: string): Promise<void> {
    if (this.#ownWrites.has(key)) {
      let stored: string | undefined;
      try {
        stored = await retrySecretStorage(() => this.storage.get(key), this.retry);
      } catch {
        return; // cannot tell whose change it was; the next change will say
      }
      if (stored === this.#ownWrites.get(key)) return;
    }
    this.#changedElsewhere(key === REVISION_KEY ? 'configurations' : 'facts');
  }

  #changedElsewhere(what: 'configurations' | 'facts'): void {
    if (what === 'configurations') {
      this.#onDidChangeConfigurations.fire();
      void this.#store?.reload();
    } else {
      void this.#store?.reloadFacts();
    }
  }

  dispose(): void {
    this.#disposables.forEach((d) => d.dispose());
    this.#onDidChangeConfigurations.dispose();
  }
}
