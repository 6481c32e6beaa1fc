import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_IDS } from '../../src/commands/commandIds';

const dist = path.resolve(__dirname, '..', '..', '..', 'dist');

// The bundles as esbuild.mjs wrote them (scripts/test.mjs builds before the tests): what activation
// loads stays free of the token engine and node-forge, which load from their own files on first use.
describe('bundles', () => {
  it('dist/extension.js requires the engine from its own file, and node-forge comes from its own through the engine and form', () => {
    const main = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.match(main, /require\("\.\/engine\.js"\)/);
    // Strings of MSAL's and node-forge's own code (they survive minification).
    assert.doesNotMatch(main, /x-client-SKU/, 'MSAL is in the activation bundle');
    assert.doesNotMatch(main, /Too few bytes to read ASN\.1 value/, 'node-forge is in the activation bundle');
    // The .pfx parser is the engine's (a client with a certificate) and the form's (its expiry), not activation's.
    assert.match(readFileSync(path.join(dist, 'engine.js'), 'utf8'), /require\("\.\/forge\.js"\)/);
    assert.match(readFileSync(path.join(dist, 'formHost.js'), 'utf8'), /require\("\.\/forge\.js"\)/);
    assert.match(readFileSync(path.join(dist, 'engine.js'), 'utf8'), /x-client-SKU/);
    assert.match(readFileSync(path.join(dist, 'forge.js'), 'utf8'), /Too few bytes to read ASN\.1 value/);
  });

  it('dist/extension.js requires the form host and the telemetry SDK from their own files, loaded on first use', () => {
    const main = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.match(main, /require\("\.\/formHost\.js"\)/);
    assert.match(main, /require\("\.\/telemetry\.js"\)/);
    // The form panel is the one place that creates a webview; the Application Insights channel's name.
    assert.doesNotMatch(main, /createWebviewPanel/, 'the form host is in the activation bundle');
    assert.doesNotMatch(main, /AppInsightsChannelPlugin/, 'the Application Insights SDK is in the activation bundle');
    assert.match(readFileSync(path.join(dist, 'formHost.js'), 'utf8'), /createWebviewPanel/);
    assert.match(readFileSync(path.join(dist, 'telemetry.js'), 'utf8'), /AppInsightsChannelPlugin/);
  });

  it('dist/extension.js registers the commands and requires their handlers from dist/commands.js on the first command', () => {
    const main = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.match(main, /require\("\.\/commands\.js"\)/);
    // Strings of the handlers themselves (Delete's question, Export's save dialog, Copy Diagnostics'
    // report); and of the engine's failure table and certificate parser, which commands and requests
    // reach through dist/engine.js.
    for (const [text, what] of [
      [/Its configuration, secrets and tokens are removed/, 'the command handlers'],
      [/showSaveDialog/, 'Export / Import'],
      [/vscodeVersion/, 'Copy Diagnostics'],
      [/AADSTS90094/, 'the failure table'],
      [/tooManyIterations/, 'the .pfx parser'],
    ] as const) {
      assert.doesNotMatch(main, text, `${what} in the activation bundle`);
    }
    const chunk = readFileSync(path.join(dist, 'commands.js'), 'utf8');
    assert.match(chunk, /Its configuration, secrets and tokens are removed/);
    assert.match(chunk, /showSaveDialog/);
  });

  it("dist/extension.js requires Settings Sync's merge from dist/sync.js, loaded once the setting is on", () => {
    const main = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.match(main, /require\("\.\/sync\.js"\)/);
    // The merge's log line (syncMerge.ts).
    assert.doesNotMatch(main, /from Settings Sync: /, 'the merge is in the activation bundle');
    assert.match(readFileSync(path.join(dist, 'sync.js'), 'utf8'), /from Settings Sync: /);
  });

  it("dist/extension.js requires the exported API's Graph requests from dist/graph.js, on the first graphRequest", () => {
    const main = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.match(main, /require\("\.\/graph\.js"\)/);
    // graphRequests.ts's refusal of a session that is not the connection's current one.
    assert.doesNotMatch(main, /is not the connection\\u2019s current one|is not the connection’s current one/);
    const chunk = readFileSync(path.join(dist, 'graph.js'), 'utf8');
    assert.match(chunk, /current one\. Get a session again/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the chunk as the lazy require loads it
    const graph = require(path.join(dist, 'graph.js')) as { GraphRequests?: unknown };
    assert.equal(typeof graph.GraphRequests, 'function');
  });

  it("the commands registered at activation are exactly package.json's contributes.commands", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the manifest as VS Code reads it
    const manifest = require(path.join(dist, '..', 'package.json')) as {
      contributes: { commands: { command: string }[] };
    };
    assert.deepEqual([...COMMAND_IDS].sort(), manifest.contributes.commands.map((c) => c.command).sort());
  });

  it('dist/engine.js and dist/forge.js load in plain Node and export what the lazy requires expect', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the built bundle as the extension does
    const engine = require(path.join(dist, 'engine.js')) as typeof import('../../src/engine/lazyEntry');
    for (const name of [
      'ConnectionTokenClient',
      'classifyFailure',
      'probeGraph',
      'acquireSession',
      'CertificateCache',
      'ClaimsChallengeAnswerer',
      'missingPermissionsOf',
      'networkFailureOf',
    ] as const) {
      assert.equal(typeof engine[name], 'function', name);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the built bundle as the extension does
    const forge = require(path.join(dist, 'forge.js')) as typeof import('node-forge');
    assert.equal(typeof forge.pkcs12.pkcs12FromAsn1, 'function');
  });
});
