/**
 * Test Connection as a checklist (issue #14 item 2) against the emulator's Graph, with the real MSAL: each
 * check failing alone with its missing permission and fix, Retry-After honoured, a service account
 * without a mailbox, and cloud isolation. Graph's error shapes: https://learn.microsoft.com/graph/errors,
 * https://learn.microsoft.com/graph/throttling (see test/sandbox/graph.ts for each endpoint's answers).
 */
import * as assert from 'node:assert/strict';
import type { AuthCodeConnection, ByoAppConnection, ClientCredentialsConnection } from '../../src/model/connection';
import type { ScopeSelection } from '../../src/model/scopes';
import { ConnectionError } from '../../src/engine/failures';
import { probeGraph, runChecklist, type Check, type CheckName, type ProbeResult } from '../../src/engine/graphProbe';
import { formatMessage } from '../../src/model/messages';
import { Secret } from '../../src/model/secret';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, environmentOf, makeClient, newId } from './support';

const APP = 'c0ffee00-0000-4000-8000-0000000000e1';
const NO_ROLES = 'c0ffee00-0000-4000-8000-0000000000e2';
const FULL_APP = 'c0ffee00-0000-4000-8000-0000000000e3';
const NO_SEND_CONSENT = 'c0ffee00-0000-4000-8000-0000000000e4';
const SHARED = 'support@contoso.test';
const ALEX = { upn: 'alex@contoso.test', password: 'Passw0rd!alex-check' };

describe('engine: Test Connection checklist and cloud isolation', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let otherCloud: Emulator;
  const delegated = (scopes: ScopeSelection, extra: Partial<AuthCodeConnection> = {}): AuthCodeConnection => ({
    id: newId(),
    name: 'ac',
    authType: 'authCode',
    environment: 'custom',
    tenant: 'contoso.test',
    scopes,
    signInMethod: 'browser',
    ...extra,
  });
  const appOnly = (
    clientId: string,
    extra: Partial<ClientCredentialsConnection> = {},
  ): ClientCredentialsConnection => ({
    id: newId(),
    name: 'cc',
    authType: 'clientCredentials',
    environment: 'custom',
    tenant: 'contoso.test',
    clientId,
    account: ADELE.upn,
    ...extra,
  });

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    otherCloud = await startEmulator({ quiet: true, name: 'other cloud' });
    emulator.addApp({ clientId: APP, publicClient: false, secrets: ['s'], redirectUris: [], appRoles: ['Mail.Read'] });
    emulator.addApp({ clientId: NO_ROLES, publicClient: false, secrets: ['s'], redirectUris: [] });
    emulator.addApp({
      clientId: FULL_APP,
      publicClient: false,
      secrets: ['s'],
      redirectUris: [],
      appRoles: ['Mail.Read', 'Calendars.Read', 'Mail.Send'],
    });
    emulator.addApp({
      clientId: NO_SEND_CONSENT,
      publicClient: true,
      redirectUris: ['http://localhost'],
      allowPublicClientFlows: true,
      consentedScopes: ['Mail.Read'],
    });
    emulator.addUser({ ...ALEX, displayName: 'Alex Wilber' });
  });
  after(async () => {
    await emulator.stop();
    await otherCloud.stop();
  });
  afterEach(() => {
    emulator.clearFaults();
    emulator.withhold([]);
    emulator.deniedToApps.clear();
  });

  async function tokenFor(config: AuthCodeConnection | ClientCredentialsConnection, as = ADELE) {
    const secrets = config.authType === 'clientCredentials' ? { clientSecret: new Secret('s') } : {};
    return (await makeClient(emulator, config, secrets).signIn({ ui: browserAs(as) })).accessToken;
  }
  async function test(config: AuthCodeConnection | ClientCredentialsConnection, as = ADELE): Promise<ProbeResult> {
    return probeGraph(config, environmentOf(emulator), await tokenFor(config, as));
  }
  const check = (result: ProbeResult, name: CheckName): Check => result.checks.find((c) => c.name === name)!;
  const results = (result: ProbeResult) => Object.fromEntries(result.checks.map((c) => [c.name, c.result]));
  const graphRequests = () => emulator.requests.filter((r) => r.host === 'graph');

  it('delegated with every permission: all six checks pass, each Graph check is one GET, nothing is sent', async () => {
    const config = delegated({ preset: 'everything', additional: [] }, { sharedMailbox: SHARED });
    const before = graphRequests().length;
    const result = await test(config);
    assert.equal(result.ok, true, JSON.stringify(result.checks));
    assert.deepEqual(results(result), {
      token: 'passed',
      profile: 'passed',
      mailbox: 'passed',
      sharedMailbox: 'passed',
      calendar: 'passed',
      send: 'passed',
    });
    const sent = graphRequests().slice(before);
    assert.deepEqual(
      sent.map((r) => `${r.method} ${r.path}`),
      [
        'GET /v1.0/me',
        'GET /v1.0/me/messages',
        `GET /v1.0/users/${encodeURIComponent(SHARED)}/messages`,
        'GET /v1.0/me/events',
      ],
    );
    assert.match(formatMessage(check(result, 'token').detail), /Mail\.Send\.Shared/, 'the token’s scp is decoded');
    assert.match(formatMessage(result.summary), /All checks passed: 6 passed, 0 skipped/);
  });

  it('token refused (consent missing, AADSTS65001): the token check waits for admin consent, the rest is skipped, Graph sees nothing', async () => {
    const config: ByoAppConnection = {
      id: newId(),
      name: 'byo',
      authType: 'byoApp',
      clientId: NO_SEND_CONSENT,
      confidential: false,
      environment: 'custom',
      tenant: 'contoso.test',
      scopes: { preset: 'minimal', additional: ['Mail.Send'] },
      signInMethod: 'browser',
    };
    const before = graphRequests().length;
    const client = makeClient(emulator, config);
    const result = await runChecklist(
      config,
      environmentOf(emulator),
      async () => (await client.signIn({ ui: browserAs(ADELE) })).accessToken,
    );
    assert.equal(result.ok, false);
    const token = check(result, 'token');
    assert.equal(token.result, 'failed');
    assert.deepEqual(token.fix, { kind: 'adminConsent' });
    assert.match(formatMessage(token.detail), /^Waiting for admin consent \(AADSTS65001\)/);
    assert.deepEqual(
      result.checks.filter((c) => c.name !== 'token').map((c) => c.result),
      ['skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
    );
    assert.equal(graphRequests().length, before);
  });

  it('a token Graph refuses (401): the first Graph check fails with "sign in again", the others are not sent', async () => {
    const config = delegated({ preset: 'minimal', additional: ['User.Read', 'Calendars.Read'] });
    const token = await tokenFor(config);
    const before = graphRequests().length;
    const result = await probeGraph(config, environmentOf(emulator), new Secret(token.reveal().slice(0, -4) + 'AAAA'));
    assert.equal(check(result, 'profile').status, 401);
    assert.deepEqual(check(result, 'profile').fix, { kind: 'signIn' });
    assert.equal(check(result, 'mailbox').result, 'skipped');
    assert.equal(check(result, 'calendar').result, 'skipped');
    assert.equal(graphRequests().length - before, 1);
  });

  it('/me 403 without User.Read (requested, not granted): profile fails alone, fix the admin consent link', async () => {
    emulator.withhold(['User.Read']);
    const result = await test(delegated({ preset: 'minimal', additional: ['User.Read'] }));
    const profile = check(result, 'profile');
    assert.equal(profile.status, 403);
    assert.equal(profile.errorCode, 'Authorization_RequestDenied');
    assert.equal(profile.missingPermission, 'User.Read');
    assert.deepEqual(profile.fix, { kind: 'adminConsent' });
    assert.equal(check(result, 'mailbox').result, 'passed');
    assert.equal(result.ok, false);
    assert.match(formatMessage(result.summary), /^Permission missing: User\.Read\./);
  });

  it('profile is skipped when User.Read is not requested', async () => {
    const result = await test(delegated({ preset: 'minimal', additional: [] }));
    assert.equal(check(result, 'profile').result, 'skipped');
    assert.equal(result.ok, true, JSON.stringify(result.checks));
  });

  it('own mailbox 403 (Mail.Read requested, not granted): mailbox fails alone with Mail.Read and the admin consent link; the calendar passes', async () => {
    emulator.withhold(['Mail.Read']);
    const result = await test(delegated({ preset: 'minimal', additional: ['Calendars.Read'] }));
    const mailbox = check(result, 'mailbox');
    assert.equal(mailbox.status, 403);
    assert.equal(mailbox.errorCode, 'ErrorAccessDenied');
    assert.equal(mailbox.missingPermission, 'Mail.Read');
    assert.deepEqual(mailbox.fix, { kind: 'adminConsent' });
    assert.equal(check(result, 'calendar').result, 'passed');
  });

  it('own mailbox 403 with Mail.Read not requested: the fix is Edit with Mail.Read ticked', async () => {
    const result = await test(delegated({ preset: 'custom', additional: ['Calendars.Read', 'Mail.Send'] }));
    const mailbox = check(result, 'mailbox');
    assert.equal(mailbox.status, 403);
    assert.deepEqual(mailbox.fix, { kind: 'edit', permission: 'Mail.Read' });
    assert.equal(check(result, 'send').result, 'passed');
  });

  it('shared mailbox 403 without Mail.Read.Shared: shared mailbox fails alone, fix Edit with Mail.Read.Shared ticked', async () => {
    const result = await test(delegated({ preset: 'minimal', additional: [] }, { sharedMailbox: SHARED }));
    const shared = check(result, 'sharedMailbox');
    assert.equal(shared.status, 403);
    assert.equal(shared.path, `/v1.0/users/${encodeURIComponent(SHARED)}/messages?$top=1`);
    assert.equal(shared.missingPermission, 'Mail.Read.Shared');
    assert.deepEqual(shared.fix, { kind: 'edit', permission: 'Mail.Read.Shared' });
    assert.equal(check(result, 'mailbox').result, 'passed');
  });

  it('shared mailbox 403 with Mail.Read.Shared but no access in Exchange: no permission is named, no permission fix', async () => {
    const result = await test(delegated({ preset: 'sharedMailbox', additional: [] }, { sharedMailbox: SHARED }), ALEX);
    const shared = check(result, 'sharedMailbox');
    assert.equal(shared.status, 403);
    assert.equal(shared.missingPermission, undefined);
    assert.equal(shared.fix, undefined);
    assert.match(formatMessage(shared.detail), /no access to this mailbox in Exchange/);
  });

  it('calendar 403 (Calendars.Read requested, not granted): calendar fails alone', async () => {
    emulator.withhold(['Calendars.Read']);
    const result = await test(delegated({ preset: 'minimal', additional: ['Calendars.Read'] }));
    const calendar = check(result, 'calendar');
    assert.equal(calendar.status, 403);
    assert.equal(calendar.path, '/v1.0/me/events?$top=1');
    assert.equal(calendar.missingPermission, 'Calendars.Read');
    assert.deepEqual(calendar.fix, { kind: 'adminConsent' });
    assert.equal(check(result, 'mailbox').result, 'passed');
  });

  it('send not allowed (Mail.Send requested, not in the token): send fails alone, from the token, without a request', async () => {
    emulator.withhold(['Mail.Send']);
    const before = graphRequests().length;
    const result = await test(delegated({ preset: 'minimal', additional: ['Mail.Send'] }));
    const send = check(result, 'send');
    assert.equal(send.result, 'failed');
    assert.equal(send.missingPermission, 'Mail.Send');
    assert.deepEqual(send.fix, { kind: 'adminConsent' });
    assert.equal(check(result, 'mailbox').result, 'passed');
    assert.ok(
      graphRequests()
        .slice(before)
        .every((r) => r.method === 'GET' && !/send/i.test(r.path)),
      'nothing was sent',
    );
  });

  it('send not requested: skipped with the reason and "Edit with Mail.Send ticked"; the test passes', async () => {
    const result = await test(delegated({ preset: 'minimal', additional: [] }));
    const send = check(result, 'send');
    assert.equal(send.result, 'skipped');
    assert.deepEqual(send.fix, { kind: 'edit', permission: 'Mail.Send' });
    assert.equal(result.ok, true);
  });

  describe('app-only', () => {
    it('Mail.Read: token with its roles, the account’s mailbox; profile, calendar and send skipped with reasons', async () => {
      const result = await test(appOnly(APP));
      assert.equal(result.ok, true, JSON.stringify(result.checks));
      assert.deepEqual(results(result), {
        token: 'passed',
        profile: 'skipped',
        mailbox: 'passed',
        sharedMailbox: 'skipped',
        calendar: 'skipped',
        send: 'skipped',
      });
      assert.match(formatMessage(check(result, 'token').detail), /roles\): Mail\.Read/);
      assert.equal(check(result, 'mailbox').path, `/v1.0/users/${encodeURIComponent(ADELE.upn)}/messages?$top=1`);
    });

    it('with Mail.Read, Calendars.Read and Mail.Send roles: mailbox, shared mailbox, calendar and send pass', async () => {
      const result = await test(appOnly(FULL_APP, { sharedMailbox: SHARED }));
      assert.equal(result.ok, true, JSON.stringify(result.checks));
      assert.equal(check(result, 'calendar').path, `/v1.0/users/${encodeURIComponent(ADELE.upn)}/events?$top=1`);
      assert.equal(check(result, 'sharedMailbox').result, 'passed');
      assert.equal(check(result, 'send').result, 'passed');
    });

    it('without application permissions: token (no roles) and mailbox fail with Mail.Read and the admin consent link', async () => {
      const result = await test(appOnly(NO_ROLES));
      assert.equal(check(result, 'token').result, 'failed');
      const mailbox = check(result, 'mailbox');
      assert.equal(mailbox.status, 403);
      assert.equal(mailbox.missingPermission, 'Mail.Read');
      assert.deepEqual(mailbox.fix, { kind: 'adminConsent' });
    });

    it('an application access policy keeps the app out of the mailbox: 403 with the role, no permission named', async () => {
      emulator.deniedToApps.add(ADELE.upn);
      const result = await test(appOnly(APP));
      const mailbox = check(result, 'mailbox');
      assert.equal(mailbox.status, 403);
      assert.equal(mailbox.missingPermission, undefined);
      assert.match(formatMessage(mailbox.detail), /application access policy/);
    });

    it('a service account without a mailbox: the token and its roles only, every mailbox check skipped, no Graph request', async () => {
      const config = appOnly(APP);
      delete config.account;
      const token = await tokenFor(config);
      const before = graphRequests().length;
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, true, JSON.stringify(result.checks));
      assert.equal(check(result, 'token').result, 'passed');
      for (const name of ['mailbox', 'calendar'] as const) {
        assert.equal(check(result, name).result, 'skipped');
        assert.match(formatMessage(check(result, name).detail), /No mailbox is set/);
      }
      assert.equal(graphRequests().length, before);
    });

    it('for an unknown mailbox → 404 naming the address to check', async () => {
      const result = await test(appOnly(APP, { account: 'nobody@contoso.test' }));
      assert.equal(check(result, 'mailbox').status, 404);
    });
  });

  it('a token of one cloud is never sent to another cloud’s Graph host', async () => {
    const config = delegated({ preset: 'minimal', additional: [] });
    const token = await tokenFor(config);
    const before = otherCloud.countRequests({ host: 'graph' });
    await assert.rejects(
      probeGraph(config, environmentOf(otherCloud), token),
      (err: unknown) => err instanceof ConnectionError && err.failure.kind === 'configuration',
    );
    assert.equal(otherCloud.countRequests({ host: 'graph' }), before, 'the other cloud saw no request');
  });

  it('the login traffic of a connection never leaves its own login host', async () => {
    const { GuardedNetworkClient } = await import('../../src/engine/network');
    const guard = new GuardedNetworkClient(emulator.loginEndpoint);
    await assert.rejects(
      guard.sendGetRequestAsync(`${otherCloud.loginEndpoint}/common/v2.0/.well-known/openid-configuration`),
      /refused/,
    );
    assert.equal(guard.requestCount, 0);
  });

  describe('Graph throttling and server errors (https://learn.microsoft.com/graph/throttling)', () => {
    const requestsTo = (path: string) => emulator.countRequests({ host: 'graph', path: new RegExp(path) });

    it('a 429 with a short Retry-After on the calendar alone is waited out, then the calendar is sent once more and passes', async () => {
      const config = delegated({ preset: 'minimal', additional: ['Calendars.Read'] });
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'throttle', retryAfterSeconds: 1, times: 1, path: '/events' });
      const before = requestsTo('/events$');
      const started = Date.now();
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, true, JSON.stringify(result.checks));
      assert.ok(Date.now() - started >= 1000, 'not sent again before Retry-After');
      assert.equal(requestsTo('/events$') - before, 2);
    });

    it('a 503 with a short Retry-After is waited out too', async () => {
      const config = appOnly(APP);
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'status', status: 503, retryAfterSeconds: 1, times: 1 });
      const started = Date.now();
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, true, JSON.stringify(result.checks));
      assert.ok(Date.now() - started >= 1000);
    });

    it('a second 429 fails that check with the time to wait; the Graph checks after it are not sent', async () => {
      const config = delegated({ preset: 'minimal', additional: ['Calendars.Read'] }, { sharedMailbox: SHARED });
      const token = await tokenFor(config);
      emulator.injectFault({
        endpoint: 'graph',
        kind: 'throttle',
        retryAfterSeconds: 1,
        times: 10,
        path: '/me/messages',
      });
      const before = graphRequests().length;
      const result = await probeGraph(config, environmentOf(emulator), token);
      const mailbox = check(result, 'mailbox');
      assert.equal(mailbox.status, 429);
      assert.equal(mailbox.retryAfterSeconds, 1);
      assert.match(formatMessage(mailbox.detail), /throttling.*Try again in 1 seconds/);
      assert.equal(check(result, 'sharedMailbox').result, 'skipped');
      assert.equal(check(result, 'calendar').result, 'skipped');
      assert.equal(graphRequests().length - before, 2, 'the request and one retry');
    });

    it('a long Retry-After is reported at once, not waited for', async () => {
      const config = appOnly(APP);
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'throttle', retryAfterSeconds: 120, times: 10 });
      const before = requestsTo('/messages$');
      const started = Date.now();
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.ok(Date.now() - started < 10_000);
      assert.equal(requestsTo('/messages$') - before, 1);
      assert.match(formatMessage(result.summary), /Try again in 120 seconds/);
    });

    it('a 5xx says Microsoft Graph had a problem; the checks after it are not sent', async () => {
      const config = delegated({ preset: 'minimal', additional: ['User.Read'] });
      const token = await tokenFor(config);
      emulator.injectFault({ endpoint: 'graph', kind: 'status', status: 503, times: 10 });
      const result = await probeGraph(config, environmentOf(emulator), token);
      assert.equal(result.ok, false);
      assert.equal(check(result, 'profile').status, 503);
      assert.equal(check(result, 'mailbox').result, 'skipped');
      assert.match(formatMessage(result.summary), /HTTP 503: Microsoft Graph had a problem.*Try again later/);
    });
  });
});
