#!/usr/bin/env node
// Checks every translation against the English bundles: package.nls.<lang>.json against package.nls.json,
// l10n/bundle.l10n.<lang>.json against l10n/bundle.l10n.json. Each English key is there, no other key (a
// key the English bundle lacks is never looked up: usually an old or mistyped template), the same
// placeholders ({0}, {name}), no empty value, and no value left in English, except a value that is only
// product names, codes, URLs and placeholders, or one named in scripts/l10nAllow.json `sameAsEnglish`.
// `node scripts/l10nLanguages.mjs [root]` (default: this repository); the unit tests run it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Words that stay as they are in every language: names of products, protocols and standards. */
const NAMES =
  /\b(Microsoft( Entra ID| Entra| Graph( Command Line Tools)?| Outlook 365)?|Outlook( 365)?|Office 365|Entra ID|VS Code|SecretStorage|OAuth 2\.0|OAuth|ROPC|PKCE|UPN|MFA|JSON|HTTPS?|TypeScript|x5c|Base64|GUID|URIs?|ID|AADSTS\d+)\b/g;

const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const textOf = (value) => (typeof value === 'string' ? value : value?.message);
const placeholders = (text) => [...new Set(text.match(/\{[^{}\s]+\}/g) ?? [])].sort().join(' ');

/** An unchanged English value that still has words once names, codes, URLs and placeholders are gone. */
function stillEnglish(text) {
  const rest = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(NAMES, ' ')
    .replace(/\b[A-Z][a-z]+(\.[A-Z][A-Za-z]+)+\b/g, ' '); // Mail.Read.Shared
  return /[A-Za-z]{3,}/.test(rest);
}

export function checkLanguage(english, translated, sameAsEnglish) {
  const problems = [];
  for (const [key, value] of Object.entries(english)) {
    const source = textOf(value);
    if (!(key in translated)) {
      problems.push(`missing ${JSON.stringify(key)}`);
      continue;
    }
    const text = textOf(translated[key]);
    if (typeof text !== 'string' || !text.trim()) {
      problems.push(`empty ${JSON.stringify(key)}`);
      continue;
    }
    if (placeholders(text) !== placeholders(source)) {
      problems.push(
        `placeholders ${placeholders(text) || 'none'} instead of ${placeholders(source) || 'none'} in ${JSON.stringify(key)}`,
      );
    }
    if (text === source && stillEnglish(text) && !sameAsEnglish.has(text)) {
      problems.push(`still English: ${JSON.stringify(key)}`);
    }
  }
  for (const key of Object.keys(translated)) {
    if (!(key in english)) problems.push(`not in the English bundle (stale or mistyped): ${JSON.stringify(key)}`);
  }
  return problems;
}

/** Every language file under root, each with its problems. */
export function checkAll(root = here) {
  const allow = read(path.join(here, 'scripts', 'l10nAllow.json')).sameAsEnglish ?? {};
  const results = [];
  const pairs = [
    { dir: root, english: 'package.nls.json', pattern: /^package\.nls\.([a-z]{2}(?:-[a-z]+)?)\.json$/i },
    {
      dir: path.join(root, 'l10n'),
      english: 'bundle.l10n.json',
      pattern: /^bundle\.l10n\.([a-z]{2}(?:-[a-z]+)?)\.json$/i,
    },
  ];
  for (const { dir, english, pattern } of pairs) {
    if (!existsSync(dir)) continue;
    const source = read(path.join(dir, english));
    for (const name of readdirSync(dir).sort()) {
      const lang = pattern.exec(name)?.[1];
      if (!lang) continue;
      const same = new Set([...(allow['*'] ?? []), ...(allow[lang.toLowerCase()] ?? [])]);
      results.push({
        file: path.relative(root, path.join(dir, name)),
        lang,
        problems: checkLanguage(source, read(path.join(dir, name)), same),
      });
    }
  }
  return results;
}

const main = path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
if (main) {
  const results = checkAll(path.resolve(process.argv[2] ?? here));
  if (!results.length) console.log('no translations yet (package.nls.<lang>.json, l10n/bundle.l10n.<lang>.json)');
  for (const { file, problems } of results) {
    console.log(`${file}: ${problems.length ? `${problems.length} problem(s)` : 'complete'}`);
    for (const problem of problems) console.error(`  ${file}: ${problem}`);
  }
  if (results.some((r) => r.problems.length)) process.exit(1);
}
