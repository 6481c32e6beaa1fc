#!/usr/bin/env node
// Fails on user-facing text written as a plain string literal in src/, i.e. outside the localization calls
// (`vscode.l10n.t('…')`, `msg('…')`, the form's `t('…')`), which scripts/l10n.mjs would never extract.
// The rule: a literal that reads like words (two words with a space, or one capitalized word such as
// "Browser") is user text unless it is the template of a localization call, a log line, a module path, a
// property key or type, a comparison / case label, or CSS; the form's html`…` templates are checked for
// text between tags and in placeholder / title / aria-label / label attributes. What is left and is not
// for people (ids, protocol words, product names in a URL) is named with its reason in
// scripts/l10nAllow.json (`pending`: real user text that another change still has to localize). Run
// `npm run l10n:literals`; the unit tests run it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { isLocalizationCall, sources } from './l10n.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Calls whose string arguments are for the log, not for people. */
const LOG_CALL = /(^|\.)(log|logger|console|channel|output|#log)\.(trace|debug|info|warn|error|log|append|appendLine)$/;
const USER_ATTRIBUTES = /\b(?:placeholder|title|aria-label|label)\s*=\s*"([^"$]*)"/g;

/** Reads like words for people: two words with a space, or one capitalized word. */
export function looksLikeText(raw) {
  const text = raw
    .replace(/\{\w+\}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // "Device code", "Connected as x", "Everything Outlook"; "Browser", "Account (UPN)" (not Mail.Read, Content-Type).
  return /[A-Za-z][a-z]+[,.:;!?]? [A-Za-z][a-z]+/.test(text) || /^[A-Z][a-z]{2,}(?![a-z]|[.\w-]\w)/.test(text);
}

function inLocalizationTemplate(node) {
  const parent = node.parent;
  return isLocalizationCall(parent) && parent.arguments[0] === node;
}

function inLogCall(node) {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isCallExpression(n) && LOG_CALL.test(n.expression.getText())) return true;
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
  }
  return false;
}

function notText(node) {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent))
    return true;
  if (ts.isCallExpression(parent) && /^(require|import)$/.test(parent.expression.getText())) return true;
  if (ts.isLiteralTypeNode(parent) || ts.isCaseClause(parent)) return true;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent)) &&
    parent.name === node
  )
    return true;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    const { SyntaxKind: K } = ts;
    if (
      [
        K.EqualsEqualsEqualsToken,
        K.ExclamationEqualsEqualsToken,
        K.EqualsEqualsToken,
        K.ExclamationEqualsToken,
        K.InKeyword,
      ].includes(op)
    )
      return true;
  }
  return inLocalizationTemplate(node) || inLogCall(node);
}

const HOLE = '\u0001';

/** A literal's raw text, with each `${…}` as HOLE. */
function rawText(node) {
  if (ts.isStringLiteral(node)) return node.text;
  if (ts.isNoSubstitutionTemplateLiteral(node)) return node.rawText ?? node.text;
  return [node.head, ...node.templateSpans.map((s) => s.literal)].map((p) => p.rawText ?? p.text).join(HOLE);
}

/** The pieces of an HTML text that people read: between tags, and user-facing attribute values. */
function htmlTexts(raw) {
  const attributes = [...raw.matchAll(USER_ATTRIBUTES)].map((m) => ({ text: m[1], at: m.index }));
  const between = [];
  const stripped = raw
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, (block) => ' '.repeat(block.length))
    .replace(/<[^>]*>/g, (tag) => ' '.repeat(tag.length))
    .replace(/<!--[\s\S]*?-->/g, '');
  // eslint-disable-next-line no-control-regex -- \u0001 marks where template code was cut out of the text
  for (const m of stripped.matchAll(/[^\s\u0001][^\n\u0001]*/g)) between.push({ text: m[0], at: m.index });
  return [...attributes, ...between];
}

function plainTexts(raw) {
  // eslint-disable-next-line no-control-regex -- \u0001 marks where template code was cut out of the text
  return [...raw.matchAll(/[^\u0001]+/g)].map((m) => ({ text: m[0], at: m.index }));
}

export function findLiterals(dir) {
  const found = [];
  for (const file of sources(dir)) {
    const text = readFileSync(file, 'utf8');
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const check = (node, html) => {
      const raw = rawText(node);
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart());
      for (const piece of html || /<[a-z!/]/i.test(raw) ? htmlTexts(raw) : plainTexts(raw)) {
        const literal = piece.text.trim();
        if (looksLikeText(literal))
          found.push({
            file: path.relative(root, file),
            line: line + 1 + (raw.slice(0, piece.at).match(/\n/g)?.length ?? 0),
            text: literal,
          });
      }
    };
    const visit = (node) => {
      if (ts.isTaggedTemplateExpression(node)) {
        const tag = node.tag.getText();
        if (tag === 'html') check(node.template, true);
        else if (tag !== 'css') check(node.template, false);
        if (ts.isTemplateExpression(node.template))
          node.template.templateSpans.forEach((span) => visit(span.expression));
        return;
      }
      if (
        (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) &&
        !notText(node)
      ) {
        check(node, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

export function check() {
  const allow = JSON.parse(readFileSync(path.join(root, 'scripts', 'l10nAllow.json'), 'utf8'));
  const allowed = new Set(Object.keys(allow.notUserText));
  const pending = new Set(Object.keys(allow.pending));
  const found = findLiterals();
  const problems = found.filter((f) => !allowed.has(f.text) && !pending.has(f.text));
  const seen = new Set(found.map((f) => f.text));
  const stale = [...allowed, ...pending].filter((text) => !seen.has(text));
  return { problems, stale, pending: found.filter((f) => pending.has(f.text)) };
}

const main = path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
if (main) {
  // `node scripts/l10nLiterals.mjs <folder>` checks another folder without the allow-list (the unit test's fixture).
  const dir = process.argv[2];
  const { problems, stale, pending } = dir
    ? { problems: findLiterals(path.resolve(dir)), stale: [], pending: [] }
    : check();
  for (const p of pending)
    console.log(`pending (see scripts/l10nAllow.json): ${p.file}:${p.line}  ${JSON.stringify(p.text)}`);
  for (const p of problems)
    console.error(`${p.file}:${p.line}  ${JSON.stringify(p.text)}  is user text outside vscode.l10n.t / msg / t`);
  for (const text of stale)
    console.error(`scripts/l10nAllow.json names ${JSON.stringify(text)}, which src/ no longer has: remove it`);
  if (problems.length || stale.length) process.exit(1);
  console.log('no user-facing literal outside the localization calls');
}
