// Bundles the extension (Node, CommonJS, `vscode` external) and the webview script (browser, IIFE).
// `--production` minifies without sourcemaps; `--watch` rebuilds and prints problem-matcher lines;
// `--outdir <dir>` writes the bundles elsewhere than dist/ (the in-editor telemetry test's own build).
//
// Telemetry: OUTLOOK365_TELEMETRY_CONNECTION_STRING (the publisher's Application Insights connection
// string) is put into the bundle; without it the extension creates no telemetry reporter at all.
//
// The extension is three files, so that activation reads and compiles only what it needs:
//   dist/extension.js  activation, tree, provider, commands, form host
//   dist/engine.js     the token engine (MSAL, flows, network), loaded for the first token
//   dist/forge.js      node-forge, loaded when a .pfx is first opened
// (the plugin that splits them: scripts/lazyChunks.mjs).
// Modules both use (messages, failures, clouds…) are in both; `ConnectionError` is recognised across
// the copies by a brand (src/engine/failures.ts).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { chunkEntries, lazyChunks, vscodeOnce } from './scripts/lazyChunks.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex >= 0 ? process.argv[outdirIndex + 1] : 'dist';
const inOutdir = (file) => file.replace(/^dist\//, `${outdir}/`);
const telemetryConnectionString = process.env.OUTLOOK365_TELEMETRY_CONNECTION_STRING ?? '';

/** Prints what VS Code's `$esbuild-watch` problem matcher expects. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  metafile: true,
  define: { 'process.env.OUTLOOK365_TELEMETRY_CONNECTION_STRING': JSON.stringify(telemetryConnectionString) },
};
const builds = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: inOutdir('dist/extension.js'),
    plugins: [...common.plugins, lazyChunks, vscodeOnce],
  },
  ...chunkEntries.map(({ entry, outfile }) => ({
    ...node,
    entryPoints: [entry],
    outfile: inOutdir(outfile),
    plugins: [...common.plugins, lazyChunks, vscodeOnce],
  })),
];
if (existsSync('src/webview/form/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/form/main.ts'],
    outfile: inOutdir('dist/webview/form.js'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // The first thing the script does: the bench reads when it began to run (src/webview/form/main.ts).
    banner: { js: "performance.mark('outlook365:script');" },
  });
}

if (watch) {
  await Promise.all(builds.map(async (options) => (await esbuild.context(options)).watch()));
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const sizes = results
    .flatMap((r) => Object.entries(r.metafile?.outputs ?? {}))
    .filter(([, o]) => o.entryPoint)
    .map(([file, o]) => `${file}: ${o.bytes} bytes`);
  console.log(
    `${sizes.join(', ')}${production ? ' (production)' : ''}; telemetry ${telemetryConnectionString ? 'on (connection string from the build)' : 'off (no OUTLOOK365_TELEMETRY_CONNECTION_STRING)'}`,
  );
}
