import * as assert from 'node:assert/strict';
import { exportDocument, exportText } from '../../src/model/connectionExport';
import { formatMessage } from '../../src/model/messages';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES, parseImportText } from '../../src/model/importFile';
import { everyType } from './transferFixtures';

/** The refusal's English text (the parser must refuse). */
function refusal(text: string): string {
  const parsed = parseImportText(text);
  assert.equal(parsed.ok, false, `refused: ${text.slice(0, 200)}`);
  return parsed.ok ? '' : formatMessage(parsed.problem);
}

/** A valid export with `change` applied to its document. */
function edited(change: (doc: Record<string, unknown> & { connections: Record<string, unknown>[] }) => void): string {
  const doc = JSON.parse(exportText(everyType())) as Record<string, unknown> & {
    connections: Record<string, unknown>[];
  };
  change(doc);
  return JSON.stringify(doc);
}

describe('import file: parse and hostile checks', () => {
  it('reads back every auth type as exported', () => {
    const configs = everyType();
    const parsed = parseImportText(exportText(configs));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.entries, exportDocument(configs).connections);
  });

  it('refuses a file larger than 1 MB, before parsing it', () => {
    const big = edited((d) => (d.connections[0].name = 'x'.repeat(MAX_IMPORT_BYTES)));
    assert.match(refusal(big), /larger than 1 MB/);
    // Multi-byte characters count as bytes: 400,000 × 3 bytes is over the limit in fewer characters.
    assert.match(refusal(`{"version":1,"connections":[],"x":"${'あ'.repeat(400_000)}"}`), /larger than 1 MB/);
  });

  it('refuses what is not JSON, or not a JSON object', () => {
    assert.match(refusal('{"version": 1, "connections": ['), /not valid JSON/);
    assert.match(refusal('\u0000\u0001binary'), /not valid JSON/);
    assert.match(refusal('[1, 2]'), /no JSON object/);
    assert.match(refusal('"text"'), /no JSON object/);
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses the prototype key ${key} anywhere`, () => {
      assert.match(
        refusal(`{"${key}": {"polluted": true}, "version": 1, "connections": []}`),
        new RegExp(`key "${key}"`),
      );
      const nested = edited((d) => (d.connections[3].scopes = JSON.parse(`{"${key}": {"x": 1}}`) as unknown));
      assert.match(refusal(nested), new RegExp(`key "${key}"`));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  for (const key of [
    'clientSecret',
    'password',
    'certificate',
    'certificatePassword',
    'accessToken',
    'refresh_token',
    'tokenCache',
    'privateKey',
    'pfx',
  ]) {
    it(`refuses a secret-looking field "${key}", even where fields are otherwise known`, () => {
      const text = edited((d) => (d.connections[3][key] = 'value'));
      assert.match(refusal(text), new RegExp(`field "${key}" that looks like a secret`));
    });
  }

  it('refuses unknown fields at the top and in an entry (per auth type)', () => {
    assert.match(refusal(edited((d) => (d.extra = 1))), /unknown field "extra" at its top level/);
    assert.match(refusal(edited((d) => (d.connections[0].colour = 'red'))), /#1 "Delegated" has a field "colour"/);
    // `account` is a field of app-only types, not of the public app's.
    assert.match(
      refusal(edited((d) => (d.connections[0].account = 'a@b.com'))),
      /field "account" that a connection of its type/,
    );
    // Facts are never part of an export.
    assert.match(
      refusal(edited((d) => (d.connections[4].certificateThumbprint = 'ab'))),
      /field "certificateThumbprint"/,
    );
  });

  it('refuses a missing or unknown version', () => {
    assert.match(refusal(edited((d) => delete d.version)), /no "version"/);
    assert.match(
      refusal(edited((d) => (d.version = 2))),
      /format version 2; this version of the extension reads version 1/,
    );
    assert.match(refusal(edited((d) => (d.version = '1'))), /format version "1"/);
  });

  it('refuses a malformed $schema, no list, an empty list and too many entries', () => {
    assert.match(refusal(edited((d) => (d.$schema = 5))), /"\$schema" is not a string/);
    assert.match(refusal(edited((d) => delete (d as Record<string, unknown>).connections)), /no "connections" list/);
    assert.match(refusal(edited((d) => (d.connections = []))), /contains no connections/);
    const many = edited((d) => {
      d.connections = Array.from({ length: MAX_IMPORT_ENTRIES + 1 }, (_, i) => ({
        ...d.connections[0],
        id: `id-${i}`,
        name: `n${i}`,
      }));
    });
    assert.match(refusal(many), new RegExp(`has ${MAX_IMPORT_ENTRIES + 1} connections; at most ${MAX_IMPORT_ENTRIES}`));
  });

  it('refuses entries of the wrong shape, naming the entry', () => {
    assert.match(
      refusal(edited((d) => (d.connections[1] = [] as unknown as Record<string, unknown>))),
      /#2 is not a JSON object/,
    );
    assert.match(
      refusal(edited((d) => (d.connections[1].authType = 'kerberos'))),
      /#2 "Own app" has no known "authType"/,
    );
    assert.match(refusal(edited((d) => delete d.connections[1].tenant)), /#2 "Own app" has no "tenant"/);
    assert.match(refusal(edited((d) => delete d.connections[1].confidential)), /has no "confidential"/);
    assert.match(refusal(edited((d) => delete d.connections[6].endpoints)), /#7 "Sandbox" has no "endpoints"/);
    assert.match(
      refusal(edited((d) => (d.connections[0].endpoints = d.connections[6].endpoints))),
      /environment is not "custom"/,
    );
    assert.match(refusal(edited((d) => (d.connections[1].confidential = 'yes'))), /malformed "confidential"/);
    assert.match(refusal(edited((d) => (d.connections[0].scopes = { preset: 'minimal' }))), /malformed "scopes"/);
    assert.match(
      refusal(edited((d) => (d.connections[0].scopes = { preset: 'minimal', additional: [1] }))),
      /malformed "scopes"/,
    );
    assert.match(refusal(edited((d) => (d.connections[0].tenant = 'x'.repeat(2000)))), /malformed "tenant"/);
    assert.match(
      refusal(edited((d) => ((d.connections[6].endpoints as Record<string, unknown>).extra = 'x'))),
      /malformed "endpoints"/,
    );
    assert.match(refusal(edited((d) => (d.connections[0].id = '../../etc'))), /"id" that is not a connection ID/);
  });

  it('refuses nesting deeper than an export has', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { a: deep };
    assert.match(refusal(JSON.stringify({ version: 1, connections: [deep] })), /nested more deeply/);
  });

  it('refuses two entries with one id or one name', () => {
    assert.match(refusal(edited((d) => (d.connections[1].id = d.connections[0].id))), /two connections with the ID/);
    assert.match(refusal(edited((d) => (d.connections[1].name = 'DELEGATED'))), /two connections named "DELEGATED"/);
  });
});
