/** The synced key: the mirror every machine reads and writes. */
export const MIRROR_KEY = 'outlook365.syncedConnections';
/** Not synced: the mirror this machine agreed on last (what tells another machine's change from its own). */
export const BASE_KEY = 'outlook365.syncBase';
