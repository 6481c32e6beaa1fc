/**
 * The connections' configurations (no secrets) in `connections.json` under the extension's global storage
 * folder: `{ "version": 1, "connections": [ … ] }`, one record per connection, changed per record under the
 * file's lock (storedFile.ts), so two windows adding or editing different connections never undo each other.
 *
 * Not in globalState: VS Code keeps an extension's whole globalState as one value and each window writes
 * that value from its own copy in memory, which another window's change replaces only when it arrives
 * (ExtensionMemento.update → setValue(extensionId, whole object), VS Code 1.100.3:
 * https://github.com/microsoft/vscode/blob/1.100.3/src/vs/workbench/api/common/extHostMemento.ts, and
 * MainThreadStorage $acceptValue for changes from other windows:
 * https://github.com/microsoft/vscode/blob/1.100.3/src/vs/workbench/api/browser/mainThreadStorage.ts; in the
 * browser the storage is IndexedDB broadcast between windows, storage/browser/storageService.ts). So two
 * windows writing at nearly the same time lose one write, whatever the keys: measured, one of three.
 *
 * Records are kept as stored: an entry this version cannot read stays in the file untouched (the store shows it
 * as broken) until the user deletes it. An entry without an id, or with an id an earlier entry has, is kept and
 * given a fresh id derived from its place and content, so every window derives the same one.
 */
import { createHash } from 'node:crypto';
import type { FileLockOptions } from './fileLock';
import { StoredFile, type StoreProblem } from './storedFile';

export const CONNECTIONS_VERSION = 1;

/** A stored configuration as read, with a usable string id. Its other fields are checked by parseStoredConnection. */
export type StoredRecord = { id: string } & Record<string, unknown>;

interface Body {
  connections: StoredRecord[];
}

export class ConnectionsFile {
  readonly #stored: StoredFile<Body>;

  constructor(
    readonly file: string,
    report: (problem: StoreProblem) => void,
    lockOptions?: FileLockOptions,
  ) {
    this.#stored = new StoredFile(
      file,
      CONNECTIONS_VERSION,
      parseBody,
      () => ({ connections: [] }),
      report,
      lockOptions,
    );
  }

  /**
   * The records, and the format of the newer extension that wrote them (read-only then). Undefined when the
   * file cannot be read now (reported): keep what you have.
   */
  async load(): Promise<{ records: StoredRecord[]; readOnly?: number } | undefined> {
    const loaded = await this.#stored.load();
    return loaded && { records: loaded.body.connections, readOnly: loaded.readOnly };
  }

  /** Whether another window wrote the file since this window last read or wrote it. */
  changedElsewhere(): Promise<boolean> {
    return this.#stored.changedElsewhere();
  }

  /**
   * Puts one record in place of the one with its id, or at the end. `beforeCommit` runs once the new file is
   * written beside the old one, just before it replaces it (the caller's secrets: written only when the
   * configuration can be). Returns all records as now on disk.
   */
  async upsert(record: StoredRecord, beforeCommit?: () => Promise<void>): Promise<StoredRecord[]> {
    const body = await this.#stored.update((current) => {
      const index = current.connections.findIndex((r) => r.id === record.id);
      const connections = [...current.connections];
      if (index >= 0) connections[index] = record;
      else connections.push(record);
      return { connections };
    }, beforeCommit);
    return body.connections;
  }

  /**
   * Puts several records in place of those with their ids, or at the end, in one write under the lock: all of
   * them are in the file afterwards, or (when anything fails, `beforeCommit` included) none is.
   */
  async upsertMany(records: readonly StoredRecord[], beforeCommit?: () => Promise<void>): Promise<StoredRecord[]> {
    const body = await this.#stored.update((current) => {
      const byId = new Map(records.map((r) => [r.id, r]));
      const connections = current.connections.map((r) => byId.get(r.id) ?? r);
      const present = new Set(current.connections.map((r) => r.id));
      return { connections: [...connections, ...records.filter((r) => !present.has(r.id))] };
    }, beforeCommit);
    return body.connections;
  }

  async delete(id: string): Promise<StoredRecord[]> {
    const body = await this.#stored.update((current) => ({
      connections: current.connections.filter((r) => r.id !== id),
    }));
    return body.connections;
  }

  /**
   * Replaces the whole list under the lock with what `change` makes of the list now on disk (Settings Sync's
   * merge); `change` returning undefined writes nothing. Returns all records as now on disk.
   */
  async rewrite(change: (records: StoredRecord[]) => StoredRecord[] | undefined): Promise<StoredRecord[]> {
    const body = await this.#stored.update((current) => {
      const records = change(current.connections);
      return records ? { connections: withUniqueIds(records) } : current;
    });
    return body.connections;
  }

  /** Adds the records whose ids the file does not have yet (moving an earlier version's list over). */
  async addMissing(records: StoredRecord[]): Promise<StoredRecord[]> {
    const body = await this.#stored.update((current) => {
      const have = new Set(current.connections.map((r) => r.id));
      return { connections: [...current.connections, ...records.filter((r) => !have.has(r.id))] };
    });
    return body.connections;
  }
}

function parseBody(document: Record<string, unknown>): Body | undefined {
  return Array.isArray(document.connections) ? { connections: withUniqueIds(document.connections) } : undefined;
}

/**
 * Every entry as a record with its own id: an object keeps its fields, anything else is kept under `value`
 * (shown as broken). The first entry with an id keeps it; a missing, empty or repeated id is replaced.
 */
export function withUniqueIds(list: readonly unknown[]): StoredRecord[] {
  const seen = new Set<string>();
  const records: StoredRecord[] = [];
  list.forEach((entry, index) => {
    const object =
      entry && typeof entry === 'object' && !Array.isArray(entry)
        ? (entry as Record<string, unknown>)
        : { value: entry };
    let id = typeof object.id === 'string' && object.id ? object.id : undefined;
    if (id === undefined || seen.has(id)) {
      const digest = createHash('sha256')
        .update(`${index}\n${JSON.stringify(entry) ?? ''}`)
        .digest('hex');
      let length = 12;
      do id = `recovered-${digest.slice(0, length++)}`;
      while (seen.has(id));
    }
    seen.add(id);
    // A copy only when the id changed: with 1,000 connections every activation copied every record.
    records.push(object.id === id ? (object as StoredRecord) : { ...object, id });
  });
  return records;
}
