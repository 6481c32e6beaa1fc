/**
 * Registers every command id at activation with a thin handler; the handlers themselves (commands.ts and
 * what it uses) load from dist/commands.js on the first command (scripts/lazyChunks.mjs). Unbundled
 * (tests) the require is a plain one.
 */
import * as vscode from 'vscode';
import type { CommandDeps } from './commands';
import { COMMAND_IDS } from './commandIds';

export type CommandsChunk = typeof import('./commandsEntry');

let chunk: CommandsChunk | undefined;

export function loadCommands(): CommandsChunk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (chunk ??= require('./commandsEntry') as CommandsChunk);
}

/** `deps` is asked for once, on the first command, with the loaded chunk (its default dialogs and classes). */
export function registerCommands(deps: (chunk: CommandsChunk) => CommandDeps): vscode.Disposable[] {
  let handlers: ReturnType<CommandsChunk['commandHandlers']> | undefined;
  const run = (id: string, args: unknown[]) => {
    const loaded = loadCommands();
    handlers ??= loaded.commandHandlers(deps(loaded));
    // Every id has a handler (commands.ts builds them from the same list of names).
    return handlers[id]?.(...args);
  };
  return COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(id, args)));
}
