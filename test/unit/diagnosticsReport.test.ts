import * as assert from 'node:assert/strict';
import { diagnosticsReport, type DiagnosticsInput } from '../../src/connections/diagnosticsReport';
import type { ConnectionConfig } from '../../src/model/connection';
import { msg } from '../../src/model/messages';

const SECRETS = {
  name1: 'Payroll mailbox of Ada',
  name2: 'Robot | with pipe',
  tenant: 'ada-corp.onmicrosoft.com',
  tenantId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
  clientId: '1e2d3c4b-5a69-4788-9aab-bccddeeff001',
  account: 'ada@ada-corp.onmicrosoft.com',
  mailbox: 'payroll@ada-corp.onmicrosoft.com',
  appAccount: 'robot@ada-corp.onmicrosoft.com',
  loginHost: 'login.private-cloud.example',
  graphHost: 'graph.private-cloud.example',
};

function input(includeIdentifiers: boolean): DiagnosticsInput {
  const delegated: ConnectionConfig = {
    id: 'a',
    name: SECRETS.name1,
    authType: 'byoApp',
    environment: 'custom',
    endpoints: {
      name: 'Private',
      loginEndpoint: `https://${SECRETS.loginHost}`,
      graphEndpoint: `https://${SECRETS.graphHost}`,
    },
    tenant: SECRETS.tenant,
    clientId: SECRETS.clientId,
    confidential: false,
    loginHint: SECRETS.account,
    sharedMailbox: SECRETS.mailbox,
    scopes: { preset: 'sharedMailbox', additional: [`https://${SECRETS.graphHost}/Mail.Send`] },
    signInMethod: 'browser',
  };
  const appOnly = {
    id: 'b',
    name: SECRETS.name2,
    authType: 'clientCredentials',
    environment: 'global',
    tenant: SECRETS.tenantId,
    clientId: SECRETS.clientId,
    account: SECRETS.appAccount,
  } as ConnectionConfig;
  return {
    environment: {
      extensionVersion: '9.9.9',
      vscodeVersion: '1.100.3',
      appName: 'Code',
      appHost: 'desktop',
      uiKind: 'desktop',
      remoteName: 'ssh-remote',
      language: 'de',
      proxy: { httpProxySetting: true, httpsProxyEnv: false, httpProxyEnv: true, noProxyEnv: false },
    },
    connections: [
      {
        entry: delegated,
        facts: {
          signedIn: true,
          account: SECRETS.account,
          grantedScopes: ['Mail.Read', 'openid'],
          failure: {
            status: 'consentRequired',
            kind: 'consent',
            code: 'AADSTS65001',
            message: msg(`The user ${SECRETS.account} of ${SECRETS.tenant} has not consented to ${SECRETS.clientId}.`),
            at: '2026-11-30T08:00:00.000Z',
            correlationId: '0f0e0d0c-0b0a-4908-8706-050403020100',
          },
        },
      },
      { entry: appOnly, facts: {} },
    ],
    includeIdentifiers,
    now: new Date('2026-11-30T09:00:00Z'),
  };
}

/** The facts: the JSON block of the Markdown report. */
function factsOf(report: string): {
  [key: string]: unknown;
  connections: Record<string, unknown>[];
} {
  const block = /```json\n([\s\S]*?)\n```/.exec(report);
  assert.ok(block, report);
  return JSON.parse(block[1]) as ReturnType<typeof factsOf>;
}

describe('Copy Diagnostics: the report', () => {
  it('without identifiers: none of the names, ids, accounts, mailboxes or custom hosts; the facts support needs', () => {
    const report = diagnosticsReport(input(false));
    for (const [what, value] of Object.entries(SECRETS)) {
      assert.ok(!report.toLowerCase().includes(value.toLowerCase()), `${what} leaked: ${value}`);
    }
    assert.match(report, /^# Outlook 365 Connections: diagnostics\n/);
    const facts = factsOf(report);
    assert.equal(facts.extension, '9.9.9');
    assert.equal(facts.remote, 'ssh-remote');
    assert.equal(facts.uiKind, 'desktop');
    assert.equal(facts.identifiersIncluded, false);
    assert.deepEqual(facts.proxy, { httpProxySetting: true, HTTPS_PROXY: false, HTTP_PROXY: true, NO_PROXY: false });
    assert.deepEqual(facts.connections[0], {
      connection: 'connection 1',
      authType: 'byoApp',
      environment: 'custom',
      status: 'consentRequired',
      signInMethod: 'browser',
      lastFailure: {
        code: 'AADSTS65001',
        at: '2026-11-30T08:00:00.000Z',
        correlationId: '0f0e0d0c-0b0a-4908-8706-050403020100',
      },
      lastTest: null,
      requestedPermissions: ['Mail.Read', 'Mail.Read.Shared', 'Mail.Send'],
      grantedPermissions: ['Mail.Read'],
      missingPermissions: ['Mail.Read.Shared', 'Mail.Send'],
      sharedMailbox: true,
    });
    assert.equal(facts.connections[1].connection, 'connection 2');
    assert.equal(facts.connections[1].status, 'notSignedIn');
    assert.deepEqual(facts.connections[1].requestedPermissions, ['.default']);
  });

  it('with identifiers: each one is there; a failure message never is; the heading is translated', () => {
    const report = diagnosticsReport({ ...input(true), translate: (t) => (t.startsWith('Outlook') ? 'Diagnose' : t) });
    for (const [what, value] of Object.entries(SECRETS)) {
      assert.ok(report.includes(value), `${what} missing`);
    }
    assert.match(report, /^# Diagnose\n/);
    const facts = factsOf(report);
    assert.equal(facts.connections[1].name, SECRETS.name2);
    assert.equal(facts.connections[1].account, SECRETS.appAccount);
    assert.ok(!report.includes('has not consented'), 'a failure message is never copied (it names users and tenants)');
  });
});

describe('the correlation id of a failure', () => {
  it("is Entra's from the error text, else MSAL's own, and only ever a GUID", async () => {
    const { correlationIdOf } = await import('../../src/engine/correlation');
    const server =
      'AADSTS7000215: Invalid client secret. Trace ID: 1b2c Correlation ID: 0F0E0D0C-0B0A-4908-8706-050403020100 Timestamp: x';
    assert.equal(
      correlationIdOf({ errorMessage: server, correlationId: 'aaaaaaaa-0000-4000-8000-000000000000' }),
      '0f0e0d0c-0b0a-4908-8706-050403020100',
    );
    assert.equal(
      correlationIdOf({ message: 'x', correlationId: 'aaaaaaaa-0000-4000-8000-000000000000' }),
      'aaaaaaaa-0000-4000-8000-000000000000',
    );
    assert.equal(correlationIdOf({ correlationId: 'adele@contoso.test' }), undefined);
    assert.equal(correlationIdOf('Correlation ID: 0f0e0d0c-0b0a-4908-8706-050403020100'), undefined);
  });
});
