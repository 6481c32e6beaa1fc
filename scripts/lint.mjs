#!/usr/bin/env node
// `npm run lint`, and the first stage of `npm test`: ESLint (eslint.config.mjs), the Prettier format check
// (.prettierrc.json) on the files listed in FORMAT_CHECKED, and the layer check (scripts/checkLayers.mjs).
// Runs all three and fails if any fails. `npm run format` formats every TypeScript and JavaScript file.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The files the format check covers: every TypeScript and JavaScript file (.prettierignore says what is not ours). */
export const FORMAT_CHECKED = ['.'];

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(name, command, args) {
  return new Promise((resolve) => {
    console.log(`--- ${name}`);
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => {
      if (code !== 0) console.log(`--- ${name}: failed (exit ${code})`);
      resolve(code === 0);
    });
  });
}

const results = [
  await run('eslint', bin('eslint'), ['--max-warnings', '0', '.']),
  await run(`prettier --check (${FORMAT_CHECKED.length} paths, scripts/lint.mjs FORMAT_CHECKED)`, bin('prettier'), [
    '--check',
    ...FORMAT_CHECKED,
  ]),
  await run('layer check', process.execPath, [path.join(root, 'scripts/checkLayers.mjs')]),
];
process.exit(results.every(Boolean) ? 0 : 1);
