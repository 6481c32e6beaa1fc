#!/usr/bin/env node
// The layer check (part of `npm run lint` and of `npm test`'s first stage): reads every import of src/
// (static, `export … from`, `import()`, `require()`) with the TypeScript parser and fails on
//   - an import cycle between modules of src/ (type-only imports included: they still tie two modules);
//   - an upward import: src/model/** (the pure model) importing anything outside src/model, or
//     src/engine/** (the Node token engine) anything outside src/engine and src/model; neither `vscode`;
//   - the webview form (src/webview/form/**) importing anything but itself, the webview-safe engine
//     modules below and the browser packages below (type-only imports may also name the message protocol);
//     a webview-safe engine module must itself import only webview-safe modules;
//   - a cycle between the host folders (src/tree, src/commands, the webview host src/webview/*.ts).
// Known violations that other work removes are allowed by name (ALLOWED) and printed as warnings;
// an allowed entry that no longer occurs is an error, so the list cannot go stale.
// `node scripts/checkLayers.mjs` prints what it checked; exits 1 on a violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * What runs in the browser too (bundled into dist/webview/form.js): the pure model, no Node, no `vscode`.
 * An entry ending in `/` names a folder.
 */
export const WEBVIEW_SAFE_ENGINE = ['src/model/'];

/** Packages the form may import (they are bundled for the browser). */
const WEBVIEW_PACKAGES = ['lit', '@vscode-elements/elements'];

/** Modules the form may import for their types only (erased from the bundle). */
const WEBVIEW_TYPE_ONLY = ['src/webview/protocol.ts'];

/**
 * Today's known violations, allowed until the work that removes them is merged. Each entry is the exact
 * text the check prints for the violation.
 */
const ALLOWED = [];

/** The host folders that must not import each other in a cycle. */
const HOST_AREAS = {
  tree: (file) => file.startsWith('src/tree/'),
  commands: (file) => file.startsWith('src/commands/'),
  'webview host': (file) => /^src\/webview\/[^/]+\.ts$/.test(file),
};

function listTs(dir) {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) return listTs(rel);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every module specifier of a file, with whether the import is for types only. */
function importsOf(file) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier as a repository path (`src/…/x.ts`); a package as its name; `node:` builtins as is. */
function resolve(from, specifier) {
  if (!specifier.startsWith('.')) return { external: specifier };
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    try {
      if (statSync(path.join(root, candidate)).isFile()) return { file: candidate };
    } catch {
      // not this one
    }
  }
  return { file: base };
}

const packageName = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

const files = listTs('src').sort();
/** file → [{ target (file or package), external, typeOnly }] */
const graph = new Map(
  files.map((file) => [
    file,
    importsOf(file).map(({ specifier, typeOnly }) => {
      const r = resolve(file, specifier);
      return r.external
        ? { target: r.external, external: true, typeOnly }
        : { target: r.file, external: false, typeOnly };
    }),
  ]),
);

const violations = [];

// Upward imports: the model is the bottom layer, the token engine sits on it; neither knows `vscode`.
for (const [file, imports] of graph) {
  const layer = file.startsWith('src/model/')
    ? ['src/model/']
    : file.startsWith('src/engine/')
      ? ['src/engine/', 'src/model/']
      : undefined;
  if (!layer) continue;
  for (const i of imports) {
    if (i.external && i.target === 'vscode') violations.push(`upward: ${file} imports vscode`);
    if (!i.external && !layer.some((dir) => i.target.startsWith(dir)))
      violations.push(`upward: ${file} imports ${i.target}`);
  }
}

// The webview form and the engine modules it shares.
const webviewSafe = {
  has: (file) => WEBVIEW_SAFE_ENGINE.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry)),
};
for (const [file, imports] of graph) {
  const isForm = file.startsWith('src/webview/form/');
  if (!isForm && !webviewSafe.has(file)) continue;
  const who = isForm ? 'the form' : 'a model module';
  for (const i of imports) {
    if (i.external) {
      if (!WEBVIEW_PACKAGES.includes(packageName(i.target)) && !i.typeOnly) {
        violations.push(`webview: ${file} (${who}) imports ${i.target}`);
      }
    } else if (
      !(isForm && i.target.startsWith('src/webview/form/')) &&
      !webviewSafe.has(i.target) &&
      !(i.typeOnly && WEBVIEW_TYPE_ONLY.includes(i.target))
    ) {
      violations.push(`webview: ${file} (${who}) imports ${i.target}`);
    }
  }
}

/** Strongly connected components with more than one member (or a self-import): Tarjan's algorithm. */
function cycles(nodes, edgesOf) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const connect = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of edgesOf(v)) {
      if (!state.has(w)) {
        connect(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) {
        state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
      }
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edgesOf(v).includes(v)) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!state.has(v)) connect(v);
  return found;
}

/** One concrete cycle through a component, as `a -> b -> … -> a` (the shortest from its first member). */
function describe(component, edgesOf) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edgesOf(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain = [];
        for (let at = v; at !== null; at = previous.get(at)) chain.unshift(at);
        return [...chain, start].join(' -> ');
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component.join(', ');
}

const moduleEdges = (file) => [
  ...new Set((graph.get(file) ?? []).filter((i) => !i.external && graph.has(i.target)).map((i) => i.target)),
];
for (const component of cycles(files, moduleEdges)) {
  violations.push(`cycle: ${describe(component, moduleEdges)}`);
}

const areaOf = (file) => Object.keys(HOST_AREAS).find((area) => HOST_AREAS[area](file));
const areaEdges = (area) => [
  ...new Set(
    files
      .filter((file) => areaOf(file) === area)
      .flatMap((file) => moduleEdges(file).map(areaOf))
      .filter((to) => to && to !== area),
  ),
];
for (const component of cycles(Object.keys(HOST_AREAS), areaEdges)) {
  violations.push(`folder cycle: ${describe(component, areaEdges)}`);
}

const allowed = violations.filter((v) => ALLOWED.includes(v));
const errors = violations.filter((v) => !ALLOWED.includes(v));
const stale = ALLOWED.filter((a) => !violations.includes(a));

const imports = [...graph.values()].reduce((n, list) => n + list.length, 0);
console.log(`layer check: ${files.length} modules of src/, ${imports} imports`);
console.log('  no import cycles between modules of src/');
console.log(
  '  src/model/** imports only src/model; src/engine/** only src/engine and src/model; neither imports vscode',
);
console.log(
  `  src/webview/form/** imports only itself, ${WEBVIEW_PACKAGES.join(', ')} and the pure model (${WEBVIEW_SAFE_ENGINE.join(', ')}) (types also from ${WEBVIEW_TYPE_ONLY.join(', ')})`,
);
console.log(`  no cycle between the host folders: ${Object.keys(HOST_AREAS).join(', ')}`);
for (const v of allowed) console.log(`  warning (allowed for now, scripts/checkLayers.mjs ALLOWED): ${v}`);
for (const a of stale) console.log(`  error: allowed violation no longer occurs, remove it from ALLOWED: ${a}`);
for (const v of errors) console.log(`  error: ${v}`);
if (errors.length || stale.length) process.exit(1);
console.log('layer check: ok');
