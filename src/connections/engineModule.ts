/**
 * The token engine (MSAL, the failure table, the Graph probe) is loaded when a connection first needs
 * it, not at activation (dist/engine.js, scripts/lazyChunks.mjs). Unbundled (tests) it is a plain require.
 */
let engine: typeof import('../engine/lazyEntry') | undefined;

export function loadEngine(): typeof import('../engine/lazyEntry') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (engine ??= require('../engine/lazyEntry') as typeof import('../engine/lazyEntry'));
}
