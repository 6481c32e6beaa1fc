/**
 * Settings Sync of the connection definitions, when the user turns `outlook365.syncConnections` on (user
 * settings only). The configurations live in connections.json, which VS Code does not roam, so they are
 * mirrored into one globalState key registered with `setKeysForSync`; the merge is model/syncMirror.ts.
 * Never in the mirror: secrets, tokens, passwords, certificates, facts.
 *
 * How another machine's definitions reach a running window: Settings Sync writes the extension's state into
 * the workbench's storage, MainThreadStorage hands the new value to the extension host ($acceptValue), and
 * the host's memento replaces its copy without any event for the extension (VS Code 1.100.3,
 * https://github.com/microsoft/vscode/blob/1.100.3/src/vs/workbench/api/common/extHostMemento.ts and
 * .../api/common/extHostStorage.ts; no change event: https://github.com/microsoft/vscode/issues/152238).
 * So the key is looked at on activation, when the window gains focus (Settings Sync itself syncs then) and
 * every few seconds; a look is one `globalState.get` compared by identity (the host parses a new object for
 * every change), nothing more.
 *
 * Turning the setting off stops roaming here: no more keys for sync, the mirror and the base are removed.
 * Settings Sync may then empty the key on other machines (it copies the keys for sync of the remote
 * state, src/vs/platform/userDataSync/common/extensionsSync.ts updateExtensionState): an absent or
 * emptied mirror never deletes anything; those machines keep their connections and write the key again.
 */
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { Settings } from '../settings';
import type { ConnectionStore } from './connectionStore';
import type { SecretStore } from './secretStore';
import type { Sessions } from './sessions';
import { BASE_KEY, MIRROR_KEY } from './syncKeys';
import type { MergeState } from './syncMerge';

export { BASE_KEY, MIRROR_KEY };

const POLL_MS = 5_000;

/** `context.globalState.setKeysForSync`, passed in so that what it was given can be read back (VS Code shows it to no extension). */
export type SetKeysForSync = (keys: readonly string[]) => void;

export class ConnectionsSync implements vscode.Disposable {
  #enabled = false;
  #keysGiven: readonly string[] | undefined;
  /** What the merges (syncMerge.ts) remember between them. */
  readonly #state: MergeState = { seen: undefined, list: undefined, newerReported: false, lastFailure: undefined };
  #queue: Promise<void> = Promise.resolve();
  readonly #disposables: vscode.Disposable[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly setKeysForSync: SetKeysForSync,
    private readonly store: ConnectionStore,
    private readonly secrets: SecretStore,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {}

  /** Applies the setting now and follows it, the store and the mirror key from then on. */
  async start(): Promise<void> {
    this.#disposables.push(
      this.settings.onDidChange(() => void this.#applySetting()),
      this.store.onDidChange(() => {
        if (this.#enabled && this.store.list() !== this.#state.list) void this.reconcile();
      }),
      vscode.window.onDidChangeWindowState((state) => state.focused && this.#look()),
    );
    this.#timer = setInterval(() => this.#look(), POLL_MS);
    this.#timer.unref?.();
    await this.#applySetting(true);
  }

  /** What `setKeysForSync` was given last (the suite reads it). */
  get keysForSync(): readonly string[] | undefined {
    return this.#keysGiven;
  }

  #setKeys(keys: readonly string[]): void {
    this.#keysGiven = [...keys];
    this.setKeysForSync(keys);
  }

  async #applySetting(first = false): Promise<void> {
    const enabled = this.settings.syncConnections();
    if (!first && enabled === this.#enabled) return;
    this.#enabled = enabled;
    if (enabled) {
      this.#setKeys([MIRROR_KEY]);
      this.log.info('sync', 'Settings Sync of connection definitions on');
      await this.reconcile();
    } else {
      this.#setKeys([]);
      await this.#enqueue(async () => {
        if (this.memento.get(MIRROR_KEY) !== undefined || this.memento.get(BASE_KEY) !== undefined) {
          await this.memento.update(MIRROR_KEY, undefined);
          await this.memento.update(BASE_KEY, undefined);
          this.log.info('sync', 'Settings Sync of connection definitions off: mirror removed');
        }
      });
    }
  }

  #look(): void {
    if (this.#enabled && this.memento.get(MIRROR_KEY) !== this.#state.seen) void this.reconcile();
  }

  /** Merges what arrived and writes this machine's connections into the mirror (one at a time). */
  reconcile(): Promise<void> {
    return this.#enqueue(() => this.#reconcile());
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
      if (code !== this.#state.lastFailure)
        this.log.warn('sync', `Settings Sync of connections failed (${code}); tried again later`);
      this.#state.lastFailure = code;
    });
    this.#queue = next;
    return next;
  }

  async #reconcile(): Promise<void> {
    if (!this.#enabled || this.store.readOnly !== undefined) return;
    // The merge itself loads from dist/sync.js (scripts/lazyChunks.mjs): only once the setting is on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { mergeSync } = require('./syncMerge') as typeof import('./syncMerge');
    const { memento, store, secrets, sessions, log } = this;
    await mergeSync({ memento, store, secrets, sessions, log }, this.#state);
  }

  dispose(): void {
    clearInterval(this.#timer);
    for (const d of this.#disposables) d.dispose();
  }
}
