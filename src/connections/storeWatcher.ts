/**
 * Watches the folder of the store files so that a window reads them again when another window wrote them.
 * The SecretStorage revision keys tell other windows too, but in VS Code in the browser (code-server) their
 * change events did not reach the other window: measured, a window never saw 20 connections another window
 * added. Every window's extension host that shares these files runs on the machine that holds them, so a
 * file watcher hears every write; own writes are told apart by the file's identity (storedFile.ts).
 */
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Calls `onChange(fileName)` (debounced per file) after a file of `dir` was replaced or changed. */
export function watchStoreFolder(
  dir: string,
  onChange: (fileName: string) => void,
  onError: (err: Error) => void,
): { dispose(): void } {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let watcher: FSWatcher | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    watcher = watch(dir, { persistent: false }, (_event, fileName) => {
      const name = fileName ? path.basename(fileName.toString()) : undefined;
      if (!name || !name.endsWith('.json')) return;
      clearTimeout(timers.get(name));
      timers.set(
        name,
        setTimeout(() => {
          timers.delete(name);
          onChange(name);
        }, 30),
      );
    });
    watcher.on('error', onError);
  } catch (err) {
    onError(err as Error);
  }
  return {
    dispose: () => {
      watcher?.close();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
