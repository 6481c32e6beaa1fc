#!/usr/bin/env node
// Writes l10n/bundle.l10n.json, the English bundle that translators copy to bundle.l10n.<locale>.json, with
// @vscode/l10n-dev (the maintained extractor of `vscode.l10n.t` / `l10n.t` calls). Our code has two more
// localization calls that l10n-dev does not know: `msg('…')` (engine messages, localized by the extension)
// and `t('…')` (the webview form, translated from the bundle the extension hands over). This script shows
// l10n-dev each source with those two callees renamed to `l10n.t` (found with the TypeScript parser, so
// only real calls of a bare `msg` / `t` are renamed), and every call's template literal written out as
// JSON: l10n-dev 0.0.35 reads only three hex digits of a `\uXXXX` escape (`\u2019` became U+0201), so it
// gets the text the runtime sees, never an escape.
// `--check` fails when the bundle is out of date (the unit tests run it).
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { getL10nJson } from '@vscode/l10n-dev';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bundlePath = path.join(root, 'l10n', 'bundle.l10n.json');
/** Bare callees that are localization calls besides `vscode.l10n.t`. */
const ALIASES = new Set(['msg', 't']);

export function sources(dir = path.join(root, 'src')) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** `vscode.l10n.t(…)`, `l10n.t(…)`, `msg(…)` or `t(…)`. */
export function isLocalizationCall(node) {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return ALIASES.has(callee.text);
  return (
    ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && /(^|\.)l10n$/.test(callee.expression.getText())
  );
}

/** The source as l10n-dev should read it: `msg(` / `t(` calls become `l10n.t(`, `l10n` imported. */
function adapt(file, text) {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits = [];
  let renamed = false;
  const visit = (node) => {
    if (isLocalizationCall(node)) {
      if (ts.isIdentifier(node.expression)) {
        edits.push({ start: node.expression.getStart(), end: node.expression.getEnd(), text: 'l10n.t' });
        renamed = true;
      }
      const [template] = node.arguments;
      if (template && (ts.isStringLiteral(template) || ts.isNoSubstitutionTemplateLiteral(template))) {
        edits.push({ start: template.getStart(), end: template.getEnd(), text: JSON.stringify(template.text) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  let adapted = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    adapted = `${adapted.slice(0, edit.start)}${edit.text}${adapted.slice(edit.end)}`;
  }
  return renamed ? `import * as l10n from '@vscode/l10n';\n${adapted}` : adapted;
}

export async function collect() {
  const files = sources().map((file) => ({ extension: '.ts', contents: adapt(file, readFileSync(file, 'utf8')) }));
  const bundle = await getL10nJson(files);
  const sorted = Object.keys(bundle).sort();
  return Object.fromEntries(sorted.map((key) => [key, bundle[key]]));
}

const main = path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
if (main) {
  const text = `${JSON.stringify(await collect(), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(bundlePath, 'utf8');
    } catch {}
    if (current !== text) {
      console.error('l10n/bundle.l10n.json is out of date: run `npm run l10n`.');
      process.exit(1);
    }
  } else {
    mkdirSync(path.dirname(bundlePath), { recursive: true });
    writeFileSync(bundlePath, text);
    console.log(`${Object.keys(JSON.parse(text)).length} strings → ${path.relative(root, bundlePath)}`);
  }
}
