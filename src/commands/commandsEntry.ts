/**
 * What dist/commands.js holds (scripts/lazyChunks.mjs): the command handlers and their default dialogs,
 * loaded on the first command by registerCommands.ts. Activation only registers the ids.
 */
export { commandHandlers, confirmModal } from './commands';
export { askInputBox, chooseModal } from './copies';
export { askIdentifiers } from './copyDiagnostics';
export { defaultTransferUi } from './transferUi';
export { ConnectionImporter } from '../connections/connectionImport';
