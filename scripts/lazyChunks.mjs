// The esbuild plugin that keeps what activation does not need out of dist/extension.js (used by
// esbuild.mjs and by the bench's own builds of the same bundle):
//   dist/engine.js  the token engine (MSAL, flows, network): `require('../engine/tokenClient')` in
//                   src/connections/connectionService.ts, on the first token a connection needs
//   dist/forge.js   node-forge: `require('node-forge')` in src/engine/certificate.ts, on the first .pfx
// Both requires are turned into requires of the sibling file in dist/.
import { createRequire } from 'node:module';

export const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^node-forge$/ }, () => ({ path: './forge.js', external: true }));
    build.onResolve({ filter: /^\.\.\/engine\/tokenClient$/ }, (args) =>
      args.kind === 'require-call' ? { path: './engine.js', external: true } : undefined,
    );
    // @vscode/extension-telemetry loads the 1DS SDK only for Microsoft-internal keys; ours is an
    // Application Insights connection string (src/telemetry.ts), so that branch is never taken.
    build.onResolve({ filter: /^@microsoft\/1ds-(core|post)-js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** The entry points besides the extension itself, with their files in dist/ (paths from the working directory). */
export const chunkEntries = [
  { entry: 'src/engine/tokenClient.ts', outfile: 'dist/engine.js' },
  { entry: createRequire(import.meta.url).resolve('node-forge'), outfile: 'dist/forge.js' },
];
