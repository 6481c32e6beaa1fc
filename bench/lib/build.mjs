// Builds what the bench runs:
//  - the extension as users get it: `node esbuild.mjs --production`, run in a staging folder
//    (bench/.build/extension) whose `src` is a link to the real one, so the repository's own dist/
//    (which other work may be using) is left alone. The staged folder is a complete extension
//    (manifest, strings, l10n, media, dist) and is what the editor runs load.
//  - the bench's own TypeScript (bench/src) bundled with esbuild: the in-editor suite and the Node
//    token bench. They import the repository's src/ and test/sandbox/ directly.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chunkEntries, lazyChunks, vscodeOnce } from '../../scripts/lazyChunks.mjs';

export const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const root = path.dirname(benchDir);
export const buildDir = path.join(benchDir, '.build');
export const stageDir = path.join(buildDir, 'extension');

/** The production bundle, built by the project's own esbuild.mjs in the staging folder. */
export function buildExtension() {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  for (const f of ['package.json', 'package.nls.json', 'l10n', 'media', 'README.md', 'LICENSE']) {
    if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(stageDir, f), { recursive: true });
  }
  symlinkSync(path.join(root, 'src'), path.join(stageDir, 'src'), 'dir');
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], {
    cwd: stageDir,
    encoding: 'utf8',
  });
  const buildMs = performance.now() - t0;
  const file = path.join(stageDir, 'dist', 'extension.js');
  // Loaded later, on first use (scripts/lazyChunks.mjs).
  const chunks = Object.fromEntries(
    chunkEntries
      .map(({ outfile }) => path.basename(outfile))
      .map((f) => [f, statSync(path.join(stageDir, 'dist', f)).size]),
  );
  return { file, bytes: statSync(file).size, chunks, buildMs, log: out.trim() };
}

/**
 * A source map for the staged production bundle, to read CPU profiles taken in the editor: the same
 * esbuild options as esbuild.mjs --production plus an external map, written beside (not into) the
 * stage. Returns the map's path when the code is byte-identical to the staged bundle.
 */
export async function buildSourceMap() {
  const outfile = path.join(buildDir, 'sourcemap', 'extension.js');
  await esbuild.build({
    entryPoints: [path.join(stageDir, 'src', 'extension.ts')],
    absWorkingDir: stageDir,
    bundle: true,
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyChunks, vscodeOnce],
    outfile,
  });
  const same = readFileSync(outfile).equals(readFileSync(path.join(stageDir, 'dist', 'extension.js')));
  return same ? `${outfile}.map` : undefined;
}

/** Where each package's (or our own folder's) bytes in a bundle come from, biggest first. */
export async function bundleComposition(entry = path.join(root, 'src', 'extension.ts'), extra = {}) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    metafile: true,
    write: false,
    outfile: path.join(buildDir, 'composition.js'),
    logLevel: 'silent',
    plugins: [lazyChunks, vscodeOnce],
    ...extra,
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const by = new Map();
  for (const [file, info] of Object.entries(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : file.replace(/^(src\/[^/]+)\/.*$/, '$1/');
    by.set(key, (by.get(key) ?? 0) + info.bytesInOutput);
  }
  return { bytes: output.bytes, parts: [...by].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes })) };
}

/** Bundles the bench's own sources into bench/.build. */
export async function buildBench() {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    absWorkingDir: root,
  };
  await Promise.all([
    // Runs inside the extension host: only `vscode` comes from outside.
    esbuild.build({
      ...common,
      entryPoints: [path.join(benchDir, 'src/editor/suite.ts')],
      outfile: path.join(buildDir, 'editor/index.js'),
      external: ['vscode'],
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(benchDir, 'src/node/tokens.ts')],
      outfile: path.join(buildDir, 'node/tokens.js'),
      external: ['@azure/identity'],
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(benchDir, 'src/node/emulatorProcess.ts')],
      outfile: path.join(buildDir, 'node/emulatorProcess.js'),
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'test/sandbox/ensureCa.ts')],
      outfile: path.join(buildDir, 'node/ensureCa.js'),
    }),
  ]);
  return {
    suite: path.join(buildDir, 'editor/index.js'),
    tokens: path.join(buildDir, 'node/tokens.js'),
    emulatorProcess: path.join(buildDir, 'node/emulatorProcess.js'),
    ensureCa: path.join(buildDir, 'node/ensureCa.js'),
  };
}
