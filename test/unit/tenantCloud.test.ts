import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../src/model/clouds';
import { cloudOf, isLookupTenant, judgeTenant, tenantAnswerOf } from '../../src/model/tenantCloud';

const custom = resolveEnvironment('custom', {
  loginEndpoint: 'https://login.example.test',
  graphEndpoint: 'https://graph.example.test',
});

describe('the cloud read from the tenant (pure rules)', () => {
  it('looks up GUIDs and domains, never common / organizations / consumers or a malformed value', () => {
    assert.ok(isLookupTenant('contoso.onmicrosoft.com'));
    assert.ok(isLookupTenant('3f2504e0-4f89-11d3-9a0c-0305e82c3301'));
    for (const value of ['', 'common', 'Organizations', 'consumers', 'not a tenant', 'a/b.com', '../x']) {
      assert.equal(isLookupTenant(value), false, value);
    }
  });

  it("reads Entra's answers: metadata, 400 invalid_tenant (90002), anything else", () => {
    assert.deepEqual(
      tenantAnswerOf(200, {
        cloud_instance_name: 'microsoftonline.us',
        tenant_region_scope: 'USGov',
        tenant_region_sub_scope: 'DODCON',
        msgraph_host: 'graph.microsoft.us',
      }),
      {
        kind: 'found',
        cloudInstanceName: 'microsoftonline.us',
        regionScope: 'USGov',
        regionSubScope: 'DODCON',
        graphHost: 'graph.microsoft.us',
      },
    );
    const invalidTenant = {
      error: 'invalid_tenant',
      error_description: "AADSTS90002: Tenant 'x' not found.",
      error_codes: [90002],
    };
    assert.deepEqual(tenantAnswerOf(400, invalidTenant), { kind: 'notFound' });
    assert.deepEqual(tenantAnswerOf(400, { error: 'invalid_request', error_codes: [90002] }), { kind: 'notFound' });
    assert.deepEqual(tenantAnswerOf(400, { error: 'invalid_request', error_codes: [900023] }), { kind: 'unknown' });
    assert.deepEqual(tenantAnswerOf(500, invalidTenant), { kind: 'unknown' });
    assert.deepEqual(tenantAnswerOf(400, undefined), { kind: 'unknown' });
  });

  it('names the cloud from cloud_instance_name, msgraph_host and the region scopes', () => {
    const found = (fields: object) => ({ kind: 'found' as const, ...fields });
    assert.equal(cloudOf(found({ cloudInstanceName: 'microsoftonline.com', regionScope: 'NA' })), 'global');
    // GCC is a region of the global cloud, not another cloud.
    assert.equal(cloudOf(found({ cloudInstanceName: 'microsoftonline.com', regionScope: 'USG' })), 'global');
    assert.equal(
      cloudOf(found({ cloudInstanceName: 'microsoftonline.us', graphHost: 'graph.microsoft.us' })),
      'usGovL4',
    );
    assert.equal(cloudOf(found({ cloudInstanceName: 'microsoftonline.us', regionSubScope: 'DOD' })), 'usGovL5');
    assert.equal(
      cloudOf(found({ cloudInstanceName: 'microsoftonline.us', graphHost: 'dod-graph.microsoft.us' })),
      'usGovL5',
    );
    assert.equal(cloudOf(found({ cloudInstanceName: 'partner.microsoftonline.cn' })), 'china');
    assert.equal(cloudOf(found({ cloudInstanceName: 'chinacloudapi.cn' })), 'china');
    assert.equal(cloudOf(found({ cloudInstanceName: 'emulator.local' })), undefined);
  });

  it('judges: found in the chosen cloud is fine, elsewhere names it, not found only from the chosen host', () => {
    const us = { kind: 'found' as const, cloudInstanceName: 'microsoftonline.us', regionScope: 'USGov' };
    const com = { kind: 'found' as const, cloudInstanceName: 'microsoftonline.com' };
    const global = resolveEnvironment('global');
    assert.deepEqual(judgeTenant(global, { chosen: us }), { kind: 'otherCloud', environment: 'usGovL4' });
    assert.deepEqual(judgeTenant(global, { chosen: com }), { kind: 'ok' });
    assert.deepEqual(judgeTenant(resolveEnvironment('usGovL4'), { chosen: us, global: us }), { kind: 'ok' });
    // US Government without a sub-scope fits DoD as well.
    assert.deepEqual(judgeTenant(resolveEnvironment('usGovL5'), { chosen: us }), { kind: 'ok' });
    assert.deepEqual(judgeTenant(resolveEnvironment('china'), { chosen: { kind: 'notFound' }, global: com }), {
      kind: 'otherCloud',
      environment: 'global',
    });
    assert.deepEqual(
      judgeTenant(resolveEnvironment('china'), { chosen: { kind: 'notFound' }, global: { kind: 'unknown' } }),
      {
        kind: 'notFound',
      },
    );
    assert.deepEqual(judgeTenant(global, { chosen: { kind: 'unknown' } }), { kind: 'unknown' });
    // Custom endpoints: fine when the metadata names their Graph host or no known cloud.
    assert.deepEqual(judgeTenant(custom, { chosen: { kind: 'found', graphHost: 'graph.example.test' } }), {
      kind: 'ok',
    });
    assert.deepEqual(
      judgeTenant(custom, { chosen: { kind: 'found', cloudInstanceName: 'elsewhere.test', graphHost: 'g.test' } }),
      {
        kind: 'ok',
      },
    );
    assert.deepEqual(judgeTenant(custom, { chosen: { ...us, graphHost: 'graph.microsoft.us' } }), {
      kind: 'otherCloud',
      environment: 'usGovL4',
    });
  });
});
