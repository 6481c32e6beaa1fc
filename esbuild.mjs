// Bundles the extension (Node, CommonJS, `vscode` external) and the webview script (browser, IIFE).
// `--production` minifies without sourcemaps; `--watch` rebuilds and prints problem-matcher lines.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    metafile: true,
  },
];
if (existsSync('src/webview/form/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/form/main.ts'],
    outfile: 'dist/webview/form.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (watch) {
  await Promise.all(builds.map(async (options) => (await esbuild.context(options)).watch()));
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const bytes = Object.values(results[0].metafile.outputs).find((o) => o.entryPoint)?.bytes;
  console.log(`dist/extension.js: ${bytes} bytes${production ? ' (production)' : ''}`);
}
