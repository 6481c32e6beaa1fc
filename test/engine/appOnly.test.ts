import * as assert from 'node:assert/strict';
import type { ClientCertificateConnection, ClientCredentialsConnection } from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { Secret } from '../../src/model/secret';
import { makeClientCertificate } from '../sandbox/certs';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { makeClient, newId } from './support';

const APP = 'c0ffee00-0000-4000-8000-0000000000c1';
const CERT_APP = 'c0ffee00-0000-4000-8000-0000000000c2';
const NO_ROLES_APP = 'c0ffee00-0000-4000-8000-0000000000c3';

describe('engine: app-only grants against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  const registered = makeClientCertificate({ commonName: 'outlook365-test', password: 'pfx-pass' });
  const chained = makeClientCertificate({ commonName: 'outlook365-chain', password: 'pfx-pass', withChain: true });
  const stranger = makeClientCertificate({ commonName: 'not-registered', password: 'pfx-pass' });

  const credentials = (clientId = APP): ClientCredentialsConnection => ({
    id: newId(),
    name: 'cc',
    authType: 'clientCredentials',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId,
    account: 'adele@contoso.test',
  });
  const certificate = (sendX5c = false): ClientCertificateConnection => ({
    id: newId(),
    name: 'cert',
    authType: 'clientCertificate',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId: CERT_APP,
    account: 'adele@contoso.test',
    certificateThumbprint: '',
    sendX5c,
  });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({
      clientId: APP,
      publicClient: false,
      secrets: ['cc-secret'],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    emulator.addApp({
      clientId: CERT_APP,
      publicClient: false,
      certificates: [{ certPem: registered.certPem }, { certPem: chained.certPem }],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    emulator.addApp({ clientId: NO_ROLES_APP, publicClient: false, secrets: ['cc-secret'], redirectUris: [] });
  });
  after(() => emulator.stop());

  it('client credentials with a secret get an app-only token whose roles are the granted permissions', async () => {
    const result = await makeClient(emulator, credentials(), { clientSecret: new Secret('cc-secret') }).signIn({
      ui: noUi,
    });
    assert.deepEqual(result.grantedScopes, ['Mail.Read']);
    assert.deepEqual(result.requestedScopes, [`${emulator.graphEndpoint}/.default`]);
    assert.equal(result.account, undefined);
  });

  it('client credentials answer a second request from MSAL’s cache', async () => {
    const client = makeClient(emulator, credentials(), { clientSecret: new Secret('cc-secret') });
    await client.signIn({ ui: noUi });
    const count = client.requestCount;
    const again = await client.getToken();
    assert.equal(again.fromCache, true);
    assert.equal(client.requestCount, count);
  });

  it('a wrong client secret → badClientSecret', async () => {
    await expectKind(
      makeClient(emulator, credentials(), { clientSecret: new Secret('wrong') }).signIn({ ui: noUi }),
      'badClientSecret',
    );
  });

  it('an unknown app → unknownApp', async () => {
    await expectKind(
      makeClient(emulator, credentials('99999999-9999-4999-8999-999999999998'), {
        clientSecret: new Secret('x'),
      }).signIn({ ui: noUi }),
      'unknownApp',
    );
  });

  it('a client certificate (.pfx, SHA-256 thumbprint, PS256 assertion) gets a token', async () => {
    const result = await makeClient(emulator, certificate(), {
      certificate: new Secret(registered.pfxBase64),
      certificatePassword: new Secret('pfx-pass'),
    }).signIn({ ui: noUi });
    assert.deepEqual(result.grantedScopes, ['Mail.Read']);
  });

  it('a client certificate with its x5c chain gets a token', async () => {
    const result = await makeClient(emulator, certificate(true), {
      certificate: new Secret(chained.pfxBase64),
      certificatePassword: new Secret('pfx-pass'),
    }).signIn({ ui: noUi });
    assert.deepEqual(result.grantedScopes, ['Mail.Read']);
  });

  it('a certificate the app does not know → badCertificate', async () => {
    await expectKind(
      makeClient(emulator, certificate(), {
        certificate: new Secret(stranger.pfxBase64),
        certificatePassword: new Secret('pfx-pass'),
      }).signIn({ ui: noUi }),
      'badCertificate',
    );
  });

  it('an app without application permissions gets a token without roles', async () => {
    const result = await makeClient(emulator, credentials(NO_ROLES_APP), {
      clientSecret: new Secret('cc-secret'),
    }).signIn({ ui: noUi });
    assert.deepEqual(result.grantedScopes, []);
  });
});

const noUi = {
  openBrowser: async () => assert.fail('app-only grants open no browser'),
  showDeviceCode: () => assert.fail('app-only grants show no device code'),
};

async function expectKind(promise: Promise<unknown>, kind: string): Promise<void> {
  const err = await promise.then(
    () => assert.fail(`expected ${kind}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectionError, String(err));
  assert.equal(err.failure.kind, kind, JSON.stringify(err.failure));
}
