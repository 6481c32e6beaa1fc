#!/usr/bin/env node
// `npm run package`: the production bundle, then `vsce package --no-dependencies` into
// <root>/outlook365-connections.vsix, then a check of what the .vsix holds: only the bundles (extension,
// engine, forge, form), media,
// l10n, the manifest and its strings, README and LICENSE; anything else (sources, tests, out/,
// scripts, node_modules, source maps, .ci) fails the script.
//
// Usage: node scripts/package.mjs [--out <file.vsix>] [--skip-build]
// API:   packageExtension({ out?, skipBuild?, log? }) -> { vsix, bytes, entries }
//
// vsce's questions are answered by flags instead of by package.json: the manifest has no `repository`
// (--allow-missing-repository) and the repository no LICENSE file (--skip-license); the README's
// screenshots stay relative links (--no-rewrite-relative-links): they show on GitHub and in the repo.
//
// Telemetry: the publisher's Application Insights connection string comes from the environment variable
// OUTLOOK365_TELEMETRY_CONNECTION_STRING at build time (esbuild.mjs puts it into the bundle); without it
// the package creates no telemetry reporter and sends nothing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_VSIX = path.join(root, 'outlook365-connections.vsix');

/** What may be inside the .vsix (paths inside the zip). */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[a-z-]+)?\.json$/i,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/license(\.md|\.txt)?$/i,
  /^extension\/dist\/(extension|engine|forge|formHost|commands|sync|graph|telemetry)\.js$/,
  /^extension\/dist\/webview\/form\.js$/,
  /^extension\/media\/[^/]+\.(svg|png|css)$/,
  /^extension\/media\/schemas\/[^/]+\.schema\.json$/,
  /^extension\/l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/i,
];
/** Must be inside (the extension does not work without them). */
const REQUIRED = [
  'extension/package.json',
  'extension/package.nls.json',
  'extension/dist/extension.js',
  'extension/dist/engine.js',
  'extension/dist/forge.js',
  'extension/dist/formHost.js',
  'extension/dist/commands.js',
  'extension/dist/sync.js',
  'extension/dist/graph.js',
  'extension/dist/telemetry.js',
  'extension/dist/webview/form.js',
  'extension/media/form.css',
  'extension/media/activitybar.svg',
  'extension/media/schemas/connections-export.schema.json',
];

function run(command, args, { log }) {
  log(`$ ${[command, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0] ?? ''} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** The entries of a zip file (names and sizes), read from its central directory. */
export function listZip(file) {
  const buf = readFileSync(file);
  // End of central directory: signature 0x06054b50 within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const compressed = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, size, compressed });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Names that are not on the allow-list, and required names that are missing. */
export function checkEntries(entries) {
  const names = entries.map((e) => e.name).filter((n) => !n.endsWith('/'));
  return {
    unexpected: names.filter((n) => !ALLOWED.some((re) => re.test(n))),
    missing: REQUIRED.filter((r) => !names.includes(r)),
  };
}

/**
 * Builds the production bundle and the .vsix; throws when a step fails or the .vsix holds a file
 * outside the allow-list.
 */
export async function packageExtension({ out = DEFAULT_VSIX, skipBuild = false, log = (l) => console.log(l) } = {}) {
  const t0 = Date.now();
  const vsix = path.resolve(out);
  if (!skipBuild) {
    log(
      process.env.OUTLOOK365_TELEMETRY_CONNECTION_STRING
        ? 'telemetry: on, to the connection string in OUTLOOK365_TELEMETRY_CONNECTION_STRING'
        : 'telemetry: off (OUTLOOK365_TELEMETRY_CONNECTION_STRING is not set; the package sends nothing)',
    );
    await run(process.execPath, ['esbuild.mjs', '--production'], { log });
  }
  rmSync(vsix, { force: true });
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(vsce)) throw new Error('vsce is missing (node_modules/@vscode/vsce): run npm install');
  await run(
    process.execPath,
    [
      vsce,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--no-rewrite-relative-links',
      '--out',
      vsix,
    ],
    { log },
  );
  if (!existsSync(vsix)) throw new Error(`vsce did not write ${vsix}`);

  const entries = listZip(vsix);
  const { unexpected, missing } = checkEntries(entries);
  log(`contents of ${path.relative(process.cwd(), vsix) || vsix}:`);
  for (const e of entries) log(`  ${String(e.size).padStart(9)}  ${e.name}`);
  const bytes = statSync(vsix).size;
  if (unexpected.length || missing.length) {
    const problems = [
      ...unexpected.map((n) => `not allowed in the .vsix: ${n}`),
      ...missing.map((n) => `missing from the .vsix: ${n}`),
    ];
    throw new Error(`the .vsix is wrong (fix .vscodeignore or the build):\n  ${problems.join('\n  ')}`);
  }
  log(
    `${path.basename(vsix)}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB), ${entries.length} entries; ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
  return { vsix, bytes, entries };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  packageExtension({
    out: outIndex >= 0 ? args[outIndex + 1] : undefined,
    skipBuild: args.includes('--skip-build'),
  }).catch((e) => {
    console.error(`package FAILED: ${e.message}`);
    process.exit(1);
  });
}
