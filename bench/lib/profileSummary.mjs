// Summarizes a .cpuprofile: self time by package / source area, and the heaviest functions.
//   node bench/lib/profileSummary.mjs <file.cpuprofile> [--top 25] [--filter <url substring>]
//        [--map bench/.build/sourcemap/extension.js.map]   (frames of the minified extension.js → sources)
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';

export function summarizeProfile(profile, { top = 25, filter, map } = {}) {
  const sourceMap = map ? new SourceMap(JSON.parse(readFileSync(map, 'utf8'))) : undefined;
  if (sourceMap) {
    // Rewrites the frames of the bundle to their original source file and line.
    for (const node of profile.nodes) {
      const f = node.callFrame;
      if (!f.url.endsWith('/extension.js') || f.lineNumber < 0) continue;
      const entry = sourceMap.findEntry(f.lineNumber, f.columnNumber);
      if (entry?.originalSource) {
        const original = entry.originalSource.replace(/^.*?(node_modules\/|src\/)/, '$1');
        f.url = original.startsWith('node_modules/') ? `/${original}` : original;
        f.lineNumber = entry.originalLine;
        if (entry.name && /^.{1,3}$/.test(f.functionName)) f.functionName = `${f.functionName}→${entry.name}`;
      }
    }
  }
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byArea = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const t = self.get(node.id) ?? 0;
    total += t;
    const { url, functionName, lineNumber } = node.callFrame;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const area = !url
      ? functionName || '(native)'
      : m
        ? m[1]
        : url.startsWith('node:')
          ? `node:${url.slice(5).split('/').slice(0, 2).join('/')}`
          : url.startsWith('src/')
            ? url
            : path.basename(url);
    byArea.set(area, (byArea.get(area) ?? 0) + t);
    if (filter && !url.includes(filter)) continue;
    const key = `${functionName || '(anonymous)'}  ${url.startsWith('src/') ? url : path.basename(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + t);
  }
  const ms = (us) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(total),
    byArea: [...byArea]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, ms(v)]),
    byFunction: [...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, ms(v)]),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2];
  const i = process.argv.indexOf('--top');
  const f = process.argv.indexOf('--filter');
  const m = process.argv.indexOf('--map');
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), {
    top: i > 0 ? Number(process.argv[i + 1]) : 25,
    filter: f > 0 ? process.argv[f + 1] : undefined,
    map: m > 0 ? process.argv[m + 1] : undefined,
  });
  console.log(`total sampled: ${s.totalMs} ms\n-- by area`);
  for (const [k, v] of s.byArea) console.log(`${String(v).padStart(9)} ms  ${k}`);
  console.log('-- by function');
  for (const [k, v] of s.byFunction) console.log(`${String(v).padStart(9)} ms  ${k}`);
}
