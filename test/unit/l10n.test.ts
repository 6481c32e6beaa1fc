import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

describe('localization', () => {
  it('l10n/bundle.l10n.json holds every user-facing template of the extension, engine and form', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'l10n.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('every %key% of package.json has its text in package.nls.json', () => {
    const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
    const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 15);
    for (const key of keys) assert.ok(nls[key], `package.nls.json lacks ${key}`);
  });
});
