import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../src/model/clouds';
import { lookUpTenant } from '../../src/engine/tenantMetadata';
import { DEFAULT_TENANT, US_GOV_TENANT, startEmulator, type Emulator } from '../sandbox/emulator';
import { environmentOf } from './support';

/** Short, so the hung-server case stays quick; the form's own deadline is 5 s. */
const DEADLINE_MS = 800;
/** How much later than the deadline an answer may come on a busy machine. */
const SLACK_MS = 4000;

/**
 * The form's tenant look-up against the emulator over real HTTPS: the OpenID configuration of a tenant
 * says which cloud it is in (the emulator serves a US Government tenant as Entra's global host does),
 * an unknown tenant is Entra's 400 `invalid_tenant` / 90002, and a host that never answers gives
 * nothing to say by the deadline.
 */
describe('engine: the cloud read from the tenant (OpenID configuration)', function () {
  this.timeout(30_000);
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  after(async () => {
    await emulator.stop();
  });
  afterEach(() => emulator.clearFaults());

  it("the emulator's own tenant, by domain and by id, is fine in its own (custom) environment", async () => {
    for (const tenant of [DEFAULT_TENANT.domain, DEFAULT_TENANT.id]) {
      assert.deepEqual(await lookUpTenant(tenant, environmentOf(emulator)), { kind: 'ok' }, tenant);
    }
  });

  it('a tenant of the US Government cloud is detected from the global host while Office 365 is chosen', async () => {
    // The emulator stands in for the global host; the chosen environment is the real global cloud's
    // definition, whose own host is the same global host here: asked once.
    const global = { ...resolveEnvironment('global'), loginEndpoint: emulator.loginEndpoint };
    const verdict = await lookUpTenant(US_GOV_TENANT.domain, global, { globalLoginEndpoint: emulator.loginEndpoint });
    assert.deepEqual(verdict, { kind: 'otherCloud', environment: 'usGovL4' });
    // Chosen the emulator's custom endpoints: its metadata names another Graph host of a known cloud.
    assert.deepEqual(await lookUpTenant(US_GOV_TENANT.id, environmentOf(emulator)), {
      kind: 'otherCloud',
      environment: 'usGovL4',
    });
  });

  it("an unknown tenant: Entra's 400 invalid_tenant (AADSTS90002) becomes notFound", async () => {
    const verdict = await lookUpTenant('no-such-tenant.test', environmentOf(emulator));
    assert.deepEqual(verdict, { kind: 'notFound' });
    const record = emulator.requests.filter(
      (r) => r.path === '/no-such-tenant.test/v2.0/.well-known/openid-configuration',
    );
    assert.equal(record.at(-1)?.status, 400, 'the emulator answered as Entra does');
  });

  it('a host that accepts and never answers: nothing to say, by the deadline', async () => {
    emulator.injectFault({ endpoint: 'metadata', kind: 'hang', times: 1 });
    const started = Date.now();
    const verdict = await lookUpTenant(DEFAULT_TENANT.domain, environmentOf(emulator), { timeoutMs: DEADLINE_MS });
    const took = Date.now() - started;
    assert.deepEqual(verdict, { kind: 'unknown' });
    assert.ok(took >= DEADLINE_MS - 50 && took < DEADLINE_MS + SLACK_MS, `took ${took} ms`);
  });

  it('a TLS handshake that never completes, and a cancelled look-up: nothing to say', async () => {
    emulator.stallConnections('login', true);
    const verdict = await lookUpTenant(DEFAULT_TENANT.domain, environmentOf(emulator), { timeoutMs: DEADLINE_MS });
    assert.deepEqual(verdict, { kind: 'unknown' });
    emulator.stallConnections('login', false);
    const cancel = new AbortController();
    const pending = lookUpTenant(US_GOV_TENANT.domain, environmentOf(emulator), { signal: cancel.signal });
    cancel.abort();
    assert.deepEqual(await pending, { kind: 'unknown' }, 'a cancelled look-up says nothing');
  });
});
