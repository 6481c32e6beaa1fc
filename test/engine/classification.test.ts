/**
 * What a failure says, end to end: the real MSAL over HTTPS against the emulator (or a server with a
 * bad certificate, or a host that does not resolve), classified as the user reads it.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type {
  AuthCodeConnection,
  ClientCertificateConnection,
  ClientCredentialsConnection,
  RopcConnection,
} from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { probeGraph } from '../../src/engine/graphProbe';
import { formatMessage } from '../../src/model/messages';
import { Secret } from '../../src/model/secret';
import type { InteractionUi } from '../../src/engine/tokenClient';
import { ensureTestCa, makeClientCertificate } from '../sandbox/certs';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, environmentOf, makeClient, newId, waitFor } from './support';

const SECRET_APP = 'c0ffee00-0000-4000-8000-0000000000f1';
const CERT_APP = 'c0ffee00-0000-4000-8000-0000000000f2';
const BLOCKED = { upn: 'blocked@contoso.test', password: 'Passw0rd!blocked' };
const MFA_LATER = { upn: 'mfa-later@contoso.test', password: 'Passw0rd!mfalater' };
const DEVICE_CODE_GRANT = 'device_code';

async function failureOf(promise: Promise<unknown>): Promise<ConnectionError> {
  const err = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectionError, String(err));
  return err;
}

const text = (err: ConnectionError) => formatMessage(err.failure.message);

describe('engine: what a failure says', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  const authCode = (extra: Partial<AuthCodeConnection> = {}): AuthCodeConnection => ({
    id: newId(),
    name: 'ac',
    authType: 'authCode',
    environment: 'custom',
    tenant: 'contoso.test',
    scopes: { preset: 'minimal', additional: [] },
    signInMethod: 'browser',
    ...extra,
  });
  const ropc = (username: string): RopcConnection => ({
    id: newId(),
    name: 'ropc',
    authType: 'ropc',
    environment: 'custom',
    tenant: 'contoso.test',
    username,
    scopes: { preset: 'minimal', additional: [] },
  });
  const credentials = (): ClientCredentialsConnection => ({
    id: newId(),
    name: 'cc',
    authType: 'clientCredentials',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId: SECRET_APP,
    account: ADELE.upn,
  });
  const registered = makeClientCertificate({ commonName: 'outlook365-skew', password: 'pfx-pass' });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addUser(BLOCKED);
    emulator.addUser(MFA_LATER);
    emulator.users.get(BLOCKED.upn)!.blockedByConditionalAccess = true;
    emulator.addApp({
      clientId: SECRET_APP,
      publicClient: false,
      secrets: ['current'],
      expiredSecrets: ['last-year'],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    emulator.addApp({
      clientId: CERT_APP,
      publicClient: false,
      certificates: [{ certPem: registered.certPem }],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
  });
  after(() => emulator.stop());
  afterEach(() => {
    emulator.clearFaults();
    emulator.setClockSkew(0);
  });

  describe('device code polling', () => {
    /** A UI that records the device code and lets the sign-in run on by itself. */
    const waitingUi = (): InteractionUi & { shown: boolean } => {
      const ui = {
        shown: false,
        openBrowser: async () => assert.fail('no browser for device code'),
        showDeviceCode: () => void (ui.shown = true),
      };
      return ui;
    };
    const polls = () => emulator.requests.filter((r) => r.grantType === DEVICE_CODE_GRANT);

    it('Entra’s timing scaled down: MSAL’s own deadline ends the poll → "the code expired", not authorization_pending / AADSTS70016', async () => {
      // Entra: interval 5 s, code lifetime = expires_in (900 s), and every poll takes a round trip, so the
      // last poll falls before the server's expiry and MSAL stops on its own deadline (DeviceCodeClient's
      // continuePolling → device_code_expired) without the server ever saying expired_token.
      // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code. Scaled: 2 s and 3 s
      // give polls at 0 s and 2 s (both "pending"), then MSAL's deadline at 3 s ends the wait at 4 s.
      emulator.setDeviceCode({ intervalSeconds: 2, expiresInSeconds: 3 });
      const before = polls().length;
      const ui = waitingUi();
      const err = await failureOf(
        makeClient(emulator, authCode({ signInMethod: 'deviceCode' })).signIn({ method: 'deviceCode', ui }),
      );
      assert.ok(ui.shown);
      const answers = polls()
        .slice(before)
        .map((r) => r.error);
      assert.ok(answers.length >= 1);
      assert.deepEqual(
        new Set(answers),
        new Set(['authorization_pending']),
        'the server only ever said "keep polling"',
      );
      assert.equal(err.failure.kind, 'codeExpired', JSON.stringify(err.failure));
      assert.equal(err.failure.code, undefined);
      assert.match(text(err), /code expired/);
      assert.doesNotMatch(`${text(err)} ${JSON.stringify(err.failure)}`, /70016|authorization_pending/);
    });

    it('a dropped connection while polling → network, not AADSTS70016', async () => {
      emulator.setDeviceCode({ intervalSeconds: 1, expiresInSeconds: 60 });
      const before = polls().length;
      const client = makeClient(emulator, authCode({ signInMethod: 'deviceCode' }));
      const promise = failureOf(client.signIn({ method: 'deviceCode', ui: waitingUi() }));
      // After the first "pending" answer, every later poll is dropped (more than the one resend on a new socket).
      await waitFor(
        () =>
          polls()
            .slice(before)
            .some((r) => r.error === 'authorization_pending'),
        'the first poll answered',
        20_000,
      );
      emulator.injectFault({ endpoint: 'token', grantType: DEVICE_CODE_GRANT, kind: 'drop', times: 5 });
      const err = await promise;
      assert.equal(err.failure.kind, 'network', JSON.stringify(err.failure));
      assert.equal(err.failure.code, undefined);
      assert.doesNotMatch(JSON.stringify(err.failure), /70016|authorization_pending/);
    });
  });

  it('a dropped connection during ROPC renewal after a revocation → network, not "reconnect required (AADSTS50173)"', async () => {
    const client = makeClient(emulator, ropc(ADELE.upn), { password: new Secret(ADELE.password) });
    await client.signIn({ ui: browserAs(ADELE) });
    emulator.revokeRefreshTokens(ADELE.upn);
    emulator.injectFault({ endpoint: 'token', grantType: 'password', kind: 'drop', times: 5 });
    const err = await failureOf(client.getToken({ forceRefresh: true }));
    assert.equal(
      emulator.requests.filter((r) => r.grantType === 'refresh_token').at(-1)?.error,
      'invalid_grant',
      'the refresh was refused first',
    );
    assert.equal(err.failure.kind, 'network', JSON.stringify(err.failure));
    assert.equal(err.failure.status, 'error');
    assert.equal(err.failure.code, undefined);
  });

  describe('Conditional Access (AADSTS53003)', () => {
    it('ROPC for a blocked user → conditionalAccess, with the Conditional Access sentence', async () => {
      const err = await failureOf(
        makeClient(emulator, ropc(BLOCKED.upn), { password: new Secret(BLOCKED.password) }).signIn({
          ui: browserAs(BLOCKED),
        }),
      );
      assert.equal(err.failure.kind, 'conditionalAccess');
      assert.equal(err.failure.code, 'AADSTS53003');
      assert.match(text(err), /Conditional Access/);
    });

    it('browser sign-in of a blocked user (access_denied + AADSTS53003) → conditionalAccess, not "declined … accept"', async () => {
      const err = await failureOf(makeClient(emulator, authCode()).signIn({ ui: browserAs(BLOCKED) }));
      assert.equal(err.failure.kind, 'conditionalAccess', JSON.stringify(err.failure));
      assert.doesNotMatch(text(err), /declined|accept/);
    });
  });

  it('MFA required on the refresh of a delegated connection (AADSTS50076) → reconnectRequired, saying MFA', async () => {
    const client = makeClient(emulator, authCode());
    await client.signIn({ ui: browserAs(MFA_LATER) });
    emulator.users.get(MFA_LATER.upn)!.mfaRequired = true;
    try {
      const err = await failureOf(client.getToken({ forceRefresh: true }));
      assert.equal(err.failure.status, 'reconnectRequired', JSON.stringify(err.failure));
      assert.equal(err.failure.code, 'AADSTS50076');
      assert.match(text(err), /multi-factor/);
      assert.doesNotMatch(text(err), /authorization code auth type/);
    } finally {
      emulator.users.get(MFA_LATER.upn)!.mfaRequired = false;
    }
  });

  it('an expired client secret (AADSTS7000222) → secretExpired', async () => {
    const err = await failureOf(
      makeClient(emulator, credentials(), { clientSecret: new Secret('last-year') }).signIn({ ui: browserAs(ADELE) }),
    );
    assert.equal(err.failure.kind, 'secretExpired');
    assert.equal(err.failure.code, 'AADSTS7000222');
    assert.match(text(err), /expired/);
  });

  it('a client assertion outside its time range (this computer’s clock an hour behind) → clockSkew (AADSTS700024)', async () => {
    emulator.setClockSkew(3600);
    const config: ClientCertificateConnection = {
      id: newId(),
      name: 'cert',
      authType: 'clientCertificate',
      environment: 'custom',
      tenant: 'contoso.test',
      clientId: CERT_APP,
      account: ADELE.upn,
      certificateThumbprint: '',
      sendX5c: false,
    };
    const err = await failureOf(
      makeClient(emulator, config, {
        certificate: new Secret(registered.pfxBase64),
        certificatePassword: new Secret('pfx-pass'),
      }).signIn({ ui: browserAs(ADELE) }),
    );
    assert.equal(err.failure.kind, 'clockSkew', JSON.stringify(err.failure));
    assert.equal(err.failure.code, 'AADSTS700024');
    assert.match(text(err), /clock/);
    assert.doesNotMatch(text(err), /public key/);
  });

  describe('TLS and DNS: the cause by name, with the host', () => {
    const servers: { server: Server; sockets: Set<Socket> }[] = [];
    after(() =>
      Promise.all(
        servers.map(({ server, sockets }) => {
          sockets.forEach((s) => s.destroy());
          return new Promise((resolve) => server.close(resolve));
        }),
      ),
    );

    /** An HTTPS server on 127.0.0.1 with the given certificate; no request gets past its handshake. */
    async function serverWith(cert: { certPem: string; keyPem: string }): Promise<string> {
      const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => res.end('{}'));
      const sockets = new Set<Socket>();
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push({ server, sockets });
      return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    const ca = ensureTestCa();
    const cases: [string, () => { certPem: string; keyPem: string }, string, RegExp][] = [
      [
        'a self-signed certificate',
        () => ca.issueServerCert(['127.0.0.1'], { selfSigned: true }),
        'DEPTH_ZERO_SELF_SIGNED_CERT',
        /not trusted/,
      ],
      [
        'a certificate for another host name',
        () => ca.issueServerCert(['login.other.test']),
        'ERR_TLS_CERT_ALTNAME_INVALID',
        /another host name/,
      ],
      [
        'an expired certificate',
        () => ca.issueServerCert(['127.0.0.1'], { notAfter: new Date(Date.now() - 3600_000) }),
        'CERT_HAS_EXPIRED',
        /expired/,
      ],
    ];
    for (const [what, cert, code, sentence] of cases) {
      it(`a login host with ${what} → network naming ${code}`, async () => {
        const loginEndpoint = await serverWith(cert());
        const err = await failureOf(
          makeClient({ ...emulator, loginEndpoint } as Emulator, credentials(), {
            clientSecret: new Secret('current'),
          }).signIn({ ui: browserAs(ADELE) }),
        );
        assert.equal(err.failure.kind, 'network', JSON.stringify(err.failure));
        assert.equal(err.failure.detail, code);
        assert.match(text(err), sentence);
        assert.match(text(err), /127\.0\.0\.1/);
      });

      it(`Test Connection against a Graph host with ${what} → network naming ${code}`, async () => {
        const graphEndpoint = await serverWith(cert());
        const environment = { ...environmentOf(emulator), graphEndpoint };
        // An opaque token: the probe checks the audience of JWTs only, and this test is about TLS.
        const err = await failureOf(probeGraph(credentials(), environment, new Secret('opaque-token')));
        assert.equal(err.failure.kind, 'network', JSON.stringify(err.failure));
        assert.equal(err.failure.detail, code);
        assert.match(text(err), sentence);
      });
    }

    // `.invalid` never resolves (RFC 2606 §2). The guard lets it through: it is the connection's own host.
    it('a login host that does not resolve → network naming the host (DNS)', async () => {
      const err = await failureOf(
        makeClient({ ...emulator, loginEndpoint: 'https://login.nonexistent.invalid' } as Emulator, credentials(), {
          clientSecret: new Secret('current'),
        }).signIn({ ui: browserAs(ADELE) }),
      );
      assert.equal(err.failure.kind, 'network', JSON.stringify(err.failure));
      assert.match(err.failure.detail ?? '', /^(ENOTFOUND|EAI_AGAIN)$/);
      assert.match(text(err), /login\.nonexistent\.invalid does not resolve/);
    });

    it('Test Connection against a Graph host that does not resolve → network naming the host, not "testConnection failed"', async () => {
      const environment = { ...environmentOf(emulator), graphEndpoint: 'https://graph.nonexistent.invalid' };
      const err = await failureOf(probeGraph(credentials(), environment, new Secret('opaque-token')));
      assert.equal(err.failure.kind, 'network');
      assert.match(text(err), /graph\.nonexistent\.invalid does not resolve/);
    });
  });
});
