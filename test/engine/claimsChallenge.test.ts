/**
 * Claims challenges (Continuous Access Evaluation) against the emulator, with the real MSAL: delegated
 * connections declare the `cp1` client capability in their token requests (MSAL's `claims` parameter with
 * `xms_cc`), and Test Connection answers Graph's `401` + `WWW-Authenticate: … error="insufficient_claims",
 * claims="…"` with a token requested with those claims, sending the request once more; a second challenge
 * is not answered again. https://learn.microsoft.com/entra/identity-platform/claims-challenge
 */
import * as assert from 'node:assert/strict';
import type { ClientCredentialsConnection } from '../../src/model/connection';
import { ConnectionError } from '../../src/engine/failures';
import { probeGraph } from '../../src/engine/graphProbe';
import { decodeJwtClaims } from '../../src/model/claims';
import { formatMessage } from '../../src/model/messages';
import { Secret } from '../../src/model/secret';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, authCodeConnection, browserAs, environmentOf, makeClient, newId } from './support';

const APP = 'c0ffee00-0000-4000-8000-0000000000c1';

describe('engine: claims challenges (CAE) and the cp1 client capability', function () {
  this.timeout(30_000);
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({ clientId: APP, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
  });
  after(() => emulator.stop());
  afterEach(() => emulator.challengeClaims(undefined));

  const tokenRequests = (from: number) =>
    emulator.requests.slice(from).filter((r) => r.host === 'login' && r.path.endsWith('/oauth2/v2.0/token'));

  it('a delegated sign-in and its refresh declare cp1 (xms_cc in claims); an app-only one does not', async () => {
    const start = emulator.requests.length;
    const client = makeClient(emulator, authCodeConnection());
    const signedIn = await client.signIn({ ui: browserAs(ADELE) });
    await client.getToken({ forceRefresh: true });
    const requests = tokenRequests(start);
    assert.deepEqual(
      requests.map((r) => [r.grantType, r.clientCapabilities]),
      [
        ['authorization_code', ['cp1']],
        ['refresh_token', ['cp1']],
      ],
    );
    // The authorize request (the browser's) declared it too, and the token is CAE-capable.
    assert.ok(
      emulator.requests.slice(start).some((r) => r.path.endsWith('/authorize') && r.clientCapabilities?.[0] === 'cp1'),
    );
    assert.deepEqual(decodeJwtClaims(signedIn.accessToken.reveal())?.xms_cc, ['cp1']);

    const appStart = emulator.requests.length;
    const appOnly: ClientCredentialsConnection = {
      id: newId(),
      name: 'cc',
      authType: 'clientCredentials',
      environment: 'custom',
      tenant: 'contoso.test',
      clientId: APP,
      account: ADELE.upn,
    };
    await makeClient(emulator, appOnly, { clientSecret: new Secret('s') }).getToken();
    assert.deepEqual(
      tokenRequests(appStart).map((r) => r.clientCapabilities),
      [undefined],
    );
  });

  it('Test Connection answers a challenge with a token carrying the claims and sends the request once more', async () => {
    const config = authCodeConnection({ scopes: { preset: 'minimal', additional: ['User.Read'] } });
    const client = makeClient(emulator, config);
    const first = await client.signIn({ ui: browserAs(ADELE) });
    emulator.challengeClaims({ acrs: 'c1' });
    const start = emulator.requests.length;
    const renewals: string[] = [];
    const result = await probeGraph(config, environmentOf(emulator), first.accessToken, {
      renewToken: async (claims) => {
        renewals.push(claims);
        return (await client.getToken({ claims })).accessToken;
      },
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    // The claims as the challenge had them, decoded from base64.
    assert.deepEqual(
      renewals.map((c) => JSON.parse(c) as unknown),
      [{ access_token: { acrs: { essential: true, value: 'c1' } } }],
    );
    const sent = emulator.requests.slice(start);
    const graph = sent.filter((r) => r.host === 'graph').map((r) => [r.path, r.status]);
    // The first check (the profile) is challenged and sent once more; the checks after it use the new token.
    assert.deepEqual(graph.slice(0, 2), [
      ['/v1.0/me', 401],
      ['/v1.0/me', 200],
    ]);
    assert.ok(graph.length > 2, JSON.stringify(graph));
    assert.deepEqual(
      graph.slice(2).filter(([, status]) => status !== 200),
      [],
    );
    // One new token, from the refresh token, whose request carried the challenge's claims and cp1 merged.
    const refreshes = tokenRequests(start);
    assert.equal(refreshes.length, 1);
    assert.equal(refreshes[0].grantType, 'refresh_token');
    const claims = JSON.parse(refreshes[0].claims!) as { access_token: Record<string, unknown> };
    assert.deepEqual(claims.access_token.acrs, { essential: true, value: 'c1' });
    assert.deepEqual(claims.access_token.xms_cc, { values: ['cp1'] });
  });

  it('a second challenge after the retry is not answered again: one renewal, a clear sentence', async () => {
    const config = authCodeConnection();
    const client = makeClient(emulator, config);
    const first = await client.signIn({ ui: browserAs(ADELE) });
    emulator.challengeClaims({ satisfiable: false });
    const start = emulator.requests.length;
    let renewals = 0;
    await assert.rejects(
      probeGraph(config, environmentOf(emulator), first.accessToken, {
        renewToken: async (claims) => {
          renewals += 1;
          return (await client.getToken({ claims })).accessToken;
        },
      }),
      (err: unknown) => {
        assert.ok(err instanceof ConnectionError);
        assert.equal(err.failure.code, 'insufficient_claims');
        assert.match(formatMessage(err.failure.message), /asked again for more claims/);
        return true;
      },
    );
    assert.equal(renewals, 1);
    assert.equal(emulator.requests.slice(start).filter((r) => r.host === 'graph').length, 2);
  });

  it('without a way to renew, a challenge is an honest 401', async () => {
    const config = authCodeConnection();
    const first = await makeClient(emulator, config).signIn({ ui: browserAs(ADELE) });
    emulator.challengeClaims({});
    const result = await probeGraph(config, environmentOf(emulator), first.accessToken);
    assert.equal(result.ok, false);
    assert.equal(result.checks.find((c) => c.status !== undefined)?.status, 401);
  });
});
