// The esbuild plugin that keeps what activation does not need out of dist/extension.js (used by
// esbuild.mjs and by the bench's own builds of the same bundle):
//   dist/engine.js  the token engine (MSAL, flows, network, failure classifier, Graph probe):
//                   `require('../engine/lazyEntry')` in src/connections/engineModule.ts, on first use
//   dist/forge.js   node-forge: `require('node-forge')` in src/engine/certificate.ts, on the first .pfx
//   dist/formHost.js the form's host side (controller, panel): `require('./webview/formParts')` in
//                   src/extension.ts, when the form is first opened
//   dist/commands.js   the command handlers (commands.ts, export/import, copies, Copy Diagnostics):
//                   `require('./commandsEntry')` in src/commands/registerCommands.ts, on the first command
//   dist/sync.js       Settings Sync's merge: `require('./syncMerge')` in src/connections/settingsSync.ts,
//                   once `outlook365.syncConnections` is on
//   dist/graph.js      the exported API's Graph requests: `require('./connections/graphRequests')` in
//                   src/extension.ts, on the first `api.graphRequest`
//   dist/telemetry.js  @vscode/extension-telemetry and the Application Insights SDK:
//                   `require('@vscode/extension-telemetry')` in src/telemetry.ts, once the user's telemetry is on
// Each require is turned into a require of the sibling file in dist/.
import { createRequire } from 'node:module';

/** Lazily `require`d specifiers (as written in src) → the sibling file in dist/ that holds them. */
const LAZY_REQUIRES = [
  { filter: /^\.\.\/engine\/lazyEntry$/, file: './engine.js' },
  { filter: /^\.\/webview\/formParts$/, file: './formHost.js' },
  { filter: /^\.\/commandsEntry$/, file: './commands.js' },
  { filter: /^\.\/syncMerge$/, file: './sync.js' },
  { filter: /^\.\/connections\/graphRequests$/, file: './graph.js' },
  { filter: /^@vscode\/extension-telemetry$/, file: './telemetry.js' },
];

export const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^node-forge$/ }, () => ({ path: './forge.js', external: true }));
    // Only a `require` call is redirected: `import type` leaves nothing behind, and a chunk's own entry
    // point resolves as usual.
    for (const { filter, file } of LAZY_REQUIRES) {
      build.onResolve({ filter }, (args) =>
        args.kind === 'require-call' ? { path: file, external: true } : undefined,
      );
    }
    // @vscode/extension-telemetry loads the 1DS SDK only for Microsoft-internal keys; ours is an
    // Application Insights connection string (src/telemetry.ts), so that branch is never taken.
    build.onResolve({ filter: /^@microsoft\/1ds-(core|post)-js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * `vscode` imported once per bundle. esbuild turns `import * as vscode from 'vscode'` of an external
 * module into a copy of the whole API object (a getter per property, a few hundred of them) in every
 * file that imports it: 23 copies at activation took 10 ms of it with 1,000 connections (bench, the
 * activation profile). Imported through one module that re-exports it, it is copied once.
 */
export const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
      contents: 'export * from "vscode";',
      loader: 'js',
    }));
  },
};

/** The entry points besides the extension itself, with their files in dist/ (paths from the working directory). */
export const chunkEntries = [
  { entry: 'src/engine/lazyEntry.ts', outfile: 'dist/engine.js' },
  { entry: createRequire(import.meta.url).resolve('node-forge'), outfile: 'dist/forge.js' },
  { entry: createRequire(import.meta.url).resolve('@vscode/extension-telemetry'), outfile: 'dist/telemetry.js' },
  { entry: 'src/webview/formParts.ts', outfile: 'dist/formHost.js' },
  { entry: 'src/commands/commandsEntry.ts', outfile: 'dist/commands.js' },
  { entry: 'src/connections/syncMerge.ts', outfile: 'dist/sync.js' },
  { entry: 'src/connections/graphRequests.ts', outfile: 'dist/graph.js' },
];
