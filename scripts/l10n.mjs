#!/usr/bin/env node
// Collects every user-facing string template into l10n/bundle.l10n.json, the English bundle that
// translators copy to bundle.l10n.<locale>.json. Templates come from `vscode.l10n.t('…')` (extension),
// `msg('…')` (engine messages, localized by the extension) and `t('…')` (the webview form).
// `--check` fails when the bundle is out of date (the unit tests run it).
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bundlePath = path.join(root, 'l10n', 'bundle.l10n.json');
const CALL = /(?:\bl10n\.t|\bmsg|(?<![\w.])t)\(\s*'((?:[^'\\]|\\.)*)'/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

export function collect() {
  const strings = new Set();
  for (const file of sources(path.join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(CALL)) {
      // The literal as JavaScript sees it: unescape \' \\ \n.
      strings.add(match[1].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1'));
    }
  }
  return Object.fromEntries([...strings].sort().map((s) => [s, s]));
}

const text = `${JSON.stringify(collect(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(bundlePath, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('l10n/bundle.l10n.json is out of date: run `node scripts/l10n.mjs`.');
    process.exit(1);
  }
} else {
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, text);
  console.log(`${Object.keys(JSON.parse(text)).length} strings → ${path.relative(root, bundlePath)}`);
}
