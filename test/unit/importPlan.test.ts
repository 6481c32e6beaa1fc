import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AUTH_TYPES } from '../../src/model/authTypes';
import {
  COMMON_EXPORT_FIELDS,
  EXPORT_FIELDS,
  EXPORT_SCHEMA_URI,
  exportDocument,
  exportText,
  sameConfiguration,
  secretsNeeded,
} from '../../src/model/connectionExport';
import { parseImportText } from '../../src/model/importFile';
import {
  planImport,
  resolveImport,
  uniqueName,
  type ExistingConnection,
  type ImportContext,
} from '../../src/model/importPlan';
import { formatMessage } from '../../src/model/messages';
import { OPERATION_IDS } from '../../src/model/operations';
import { SCOPE_PRESET_IDS } from '../../src/model/scopes';
import { APP, SANDBOX, config, everyType } from './transferFixtures';

const DEFAULT_CLIENT = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
const context = (existing: ExistingConnection[] = []): ImportContext => ({
  customEnvironment: SANDBOX,
  defaultPublicClientId: DEFAULT_CLIENT,
  existing,
});
const existingOf = (...configs: ReturnType<typeof config>[]) =>
  configs.map((c) => ({ id: c.id, name: c.name, config: c }));

function plan(text: string, ctx = context()) {
  const parsed = parseImportText(text);
  assert.ok(parsed.ok, parsed.ok ? '' : formatMessage(parsed.problem));
  return planImport(parsed.entries, ctx);
}

describe('export document', () => {
  it('holds configuration only: never a secret field, a thumbprint or a fact', () => {
    const doc = exportDocument(everyType());
    assert.equal(doc.$schema, EXPORT_SCHEMA_URI);
    assert.equal(doc.version, 1);
    const keys = new Set(doc.connections.flatMap((e) => Object.keys(e)));
    for (const banned of [
      'clientSecret',
      'certificate',
      'certificatePassword',
      'password',
      'certificateThumbprint',
      'certificateNotAfter',
      'certificateThumbprintSha1',
      'secretExpiresOn',
      'publicClientId',
      'signedIn',
      'account_',
    ]) {
      assert.ok(!keys.has(banned), banned);
    }
    assert.deepEqual(Object.keys(doc.connections[6].endpoints as object), ['name', 'loginEndpoint', 'graphEndpoint']);
    assert.equal(doc.connections[0].endpoints, undefined);
  });

  it('the shipped JSON schema lists exactly the fields of each auth type, closed to others', () => {
    interface Branch {
      properties: Record<string, { const?: string; enum?: string[] }>;
      additionalProperties: boolean;
    }
    const schema = JSON.parse(
      readFileSync(path.join(__dirname, '../../../media/schemas/connections-export.schema.json'), 'utf8'),
    ) as Branch & { properties: { connections: { items: { oneOf: Branch[] } } } };
    assert.equal(schema.additionalProperties, false);
    const branches = schema.properties.connections.items.oneOf;
    assert.deepEqual(
      branches.map((b) => b.properties.authType.const),
      [...AUTH_TYPES],
    );
    for (const branch of branches) {
      const type = branch.properties.authType.const as (typeof AUTH_TYPES)[number];
      assert.equal(branch.additionalProperties, false);
      assert.deepEqual(
        Object.keys(branch.properties).sort(),
        [...COMMON_EXPORT_FIELDS, ...EXPORT_FIELDS[type]].sort(),
        type,
      );
    }
    assert.deepEqual(branches[0].properties.environment.enum, ['global', 'usGovL4', 'usGovL5', 'china', 'custom']);
    // The presets and operations the schema offers are the model's (a new one must reach the schema too).
    const scopes = branches[0].properties.scopes as unknown as {
      properties: { preset: { enum: string[] }; operations: { items: { enum: string[] } } };
    };
    assert.deepEqual(scopes.properties.preset.enum, [...SCOPE_PRESET_IDS]);
    assert.deepEqual(scopes.properties.operations.items.enum, [...OPERATION_IDS]);
    const appOnly = branches[3].properties.operations as unknown as { items: { enum: string[] } };
    assert.deepEqual(appOnly.items.enum, [...OPERATION_IDS]);
  });

  it('secretsNeeded: the types that cannot sign in without a secret', () => {
    assert.deepEqual(
      everyType().map((c) => secretsNeeded(c)),
      [[], [], ['clientSecret'], ['clientSecret'], ['certificate'], ['password'], []],
    );
  });
});

describe('import plan', () => {
  it('round trip: every exported configuration comes back the same (ids aside), with the user setting pinned', () => {
    const configs = everyType();
    const result = plan(exportText(configs));
    assert.ok(result.ok);
    result.entries.forEach((e, i) => {
      assert.equal(e.status, 'new');
      assert.ok(sameConfiguration(e.config, configs[i]), e.config.name);
      assert.deepEqual(e.config, configs[i]);
    });
    assert.deepEqual(result.foreignEndpoints, []);
  });

  it('round trip: app-only service accounts without a mailbox', () => {
    const configs = [
      config({ name: 'No mailbox (secret)', authType: 'clientCredentials', clientId: APP }),
      config({ name: 'No mailbox (certificate)', authType: 'clientCertificate', clientId: APP }),
    ];
    const result = plan(exportText(configs));
    assert.ok(result.ok);
    result.entries.forEach((e, i) => assert.deepEqual(e.config, configs[i]));
  });

  it('validates each entry with the form validator and names the entry and field of each problem', () => {
    const text = exportText(everyType())
      .replace('"tenant": "contoso.onmicrosoft.com"', '"tenant": "common"')
      .replace('"account": "svc@contoso.com"', '"account": "not-an-email"')
      .replace(`"clientId": "${APP}"`, '"clientId": "nope"');
    const result = plan(text);
    assert.ok(!result.ok);
    const lines = result.invalid.flatMap((e) =>
      e.problems.map((p) => `${e.entry} ${p.field}: ${formatMessage(p.message)}`),
    );
    // The public app may use "common": only the two others are wrong.
    assert.deepEqual(lines, [
      '#2 "Own app" clientId: The client ID is a GUID like 00000000-0000-0000-0000-000000000000.',
      '#4 "Service" account: "not-an-email" is not an email address or user principal name (name@domain).',
    ]);
  });

  it('an entry of another tenant alias the type refuses is refused', () => {
    const text = exportText([everyType()[3]]).replace(
      '"tenant": "contoso.onmicrosoft.com"',
      '"tenant": "organizations"',
    );
    const result = plan(text);
    assert.ok(!result.ok);
    assert.equal(result.invalid[0].problems[0].field, 'tenant');
  });

  it('custom endpoints other than the user setting are listed to confirm (also without a setting), never the same ones', () => {
    const foreign = {
      name: 'Elsewhere',
      loginEndpoint: 'https://login.elsewhere.test',
      graphEndpoint: 'https://graph.elsewhere.test',
    };
    const sandbox = everyType()[6];
    const elsewhere = { ...sandbox, id: 'other-id', name: 'Elsewhere', endpoints: foreign };
    const both = plan(exportText([sandbox, elsewhere]));
    assert.ok(both.ok);
    assert.deepEqual(both.foreignEndpoints, [foreign]);
    assert.deepEqual(both.entries[1].config.endpoints, foreign, 'pinned as the file says, once confirmed');
    const noSetting = plan(exportText([sandbox]), { ...context(), customEnvironment: undefined });
    assert.ok(noSetting.ok);
    assert.deepEqual(noSetting.foreignEndpoints, [SANDBOX]);
    const http = plan(
      exportText([{ ...elsewhere, endpoints: { ...foreign, loginEndpoint: 'http://login.elsewhere.test' } }]),
    );
    assert.ok(!http.ok, 'endpoints are checked like the setting: https only');
  });

  it('classifies new, same (by id or by name) and conflict (same id or name, other configuration)', () => {
    const [a, b, c, d] = everyType();
    const renamed = { ...c, id: 'file-only-id' }; // same name and configuration, another id
    const changedById = { ...b, tenant: 'fabrikam.com' };
    const changedByName = { ...d, id: 'another-id', account: 'other@contoso.com' };
    const result = plan(
      exportText([a, renamed, changedById, changedByName, config({ name: 'Brand new', authType: 'authCode' })]),
      context(existingOf(a, b, c, d)),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.entries.map((e) => [e.status, e.target?.name]),
      [
        ['same', 'Delegated'],
        ['same', 'Own app (secret)'],
        ['conflict', 'Own app'],
        ['conflict', 'Service'],
        ['new', undefined],
      ],
    );
  });

  it('a broken stored entry with the id is a conflict, never the same', () => {
    const [a] = everyType();
    const result = plan(exportText([a]), context([{ id: a.id, name: a.name }]));
    assert.ok(result.ok);
    assert.equal(result.entries[0].status, 'conflict');
  });

  it('resolves Replace (existing id), Keep both (new id, numbered name) and Skip', () => {
    const [a, b, c] = everyType();
    const existing = existingOf(a, b, c);
    const file = [
      { ...a, tenant: 'fabrikam.com' },
      { ...b, id: 'x-1', tenant: 'fabrikam.com' },
      { ...c, tenant: 'fabrikam.com' },
    ];
    const planned = plan(exportText(file), context(existing));
    assert.ok(planned.ok);
    const resolved = resolveImport(
      planned.entries,
      new Map([
        [0, 'replace'],
        [1, 'keepBoth'],
        [2, 'skip'],
      ]),
      existing,
      () => 'new-id',
    );
    assert.ok(resolved.ok);
    const { upserts, replaced, skipped } = resolved.changes;
    assert.deepEqual(
      upserts.map((u) => [u.id, u.name, u.tenant]),
      [
        [a.id, a.name, 'fabrikam.com'],
        ['new-id', `${b.name} (2)`, 'fabrikam.com'],
      ],
    );
    assert.deepEqual(replaced, [a.id]);
    assert.equal(skipped, 1);
  });

  it('refuses a Replace that would leave two connections with one name', () => {
    const [a, b] = everyType();
    const existing = existingOf(a, b);
    // Same id as a, but named like b.
    const planned = plan(exportText([{ ...a, name: b.name, tenant: 'fabrikam.com' }]), context(existing));
    assert.ok(planned.ok);
    const resolved = resolveImport(planned.entries, new Map([[0, 'replace']]), existing, () => 'n');
    assert.ok(!resolved.ok);
    assert.match(formatMessage(resolved.problem), /two connections would be named "Own app"/);
  });

  it('uniqueName numbers past taken names and keeps 100 characters', () => {
    assert.equal(uniqueName('A', new Set(['a', 'a (2)'])), 'A (3)');
    assert.equal(uniqueName('x'.repeat(100), new Set()).length, 100);
  });
});
