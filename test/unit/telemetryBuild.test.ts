import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

/** Bundles the extension into a temporary folder with `connectionString` (or none) in the build's environment. */
function build(connectionString: string | undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-telemetry-build-'));
  try {
    const env = { ...process.env };
    delete env.OUTLOOK365_TELEMETRY_CONNECTION_STRING;
    if (connectionString !== undefined) env.OUTLOOK365_TELEMETRY_CONNECTION_STRING = connectionString;
    const result = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', dir], { cwd: root, env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return readFileSync(path.join(dir, 'extension.js'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Where telemetry goes is the publisher's choice at build time; a build without a connection string
// carries no key and creates no reporter (src/telemetry.ts).
describe('telemetry destination comes from the build', function () {
  this.timeout(180_000); // two esbuild runs as processes, beside the other test stages

  it('a build without OUTLOOK365_TELEMETRY_CONNECTION_STRING carries no instrumentation key or ingestion endpoint', () => {
    const bundle = build(undefined);
    assert.doesNotMatch(bundle, /InstrumentationKey=[0-9a-f]{8}-/i);
    assert.doesNotMatch(bundle, /IngestionEndpoint=/);
    assert.doesNotMatch(bundle, /0c6ae279-ed8c-4a4a-9a1c-2b1e9a1f3f6a/, 'the old made-up key is gone');
    assert.match(bundle, /\bCONNECTION_STRING = "";/, 'the define replaced the variable with an empty string');
  });

  it('a build with one carries exactly that connection string, read nowhere at run time', () => {
    const connectionString =
      'InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=https://ingest.example.test/';
    const bundle = build(connectionString);
    assert.ok(bundle.includes(JSON.stringify(connectionString)));
    assert.doesNotMatch(bundle, /process\.env\.OUTLOOK365_TELEMETRY/);
  });
});
