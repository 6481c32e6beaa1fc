import * as assert from 'node:assert/strict';
import { ConnectionError } from '../../src/engine/failures';
import type { ConnectionConfig } from '../../src/model/connection';
import { emptyDraft, type ConnectionDraft } from '../../src/model/draft';
import { validateDraft } from '../../src/model/validate';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, makeClient } from './support';

const BYO_APP = 'a1b2c3d4-0000-4000-8000-00000000c0a1';

/**
 * A connection saved the way the form saves it (the validator builds it from the draft) asks the login
 * host for exactly the permissions its operations derive, and your own app with "only the permissions
 * configured on the app" asks for `/.default` alone and gets what the app registration has.
 */
describe('engine: permissions by operation against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({
      clientId: BYO_APP,
      publicClient: true,
      redirectUris: ['http://localhost'],
      allowPublicClientFlows: true,
      consentedScopes: ['Mail.Read', 'Mail.Send', 'User.Read'],
    });
  });
  after(() => emulator.stop());

  function saved(over: Partial<ConnectionDraft>): ConnectionConfig {
    const custom = { name: 'Emulator', loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint };
    const result = validateDraft(
      { ...emptyDraft(), name: 'Ops', environment: 'custom', tenant: 'contoso.test', signInMethod: 'browser', ...over },
      { customEnvironment: custom },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    return result.config;
  }

  /** The scopes of the last request to `path`, sorted (MSAL adds `profile` to every request). */
  function lastScopes(path: string): string[] {
    const record = emulator.requests.filter((r) => r.path.endsWith(path) && r.scope !== undefined).at(-1);
    assert.ok(record, `a request to ${path}`);
    return record.scope!.split(' ').sort();
  }

  it('requests exactly the derived scopes: the preset plus each operation’s least-privileged permission', async () => {
    const config = saved({ scopePreset: 'custom', operations: 'readSharedMailbox sendAsShared profile' });
    const graph = emulator.graphEndpoint;
    const expected = [
      `${graph}/Mail.Read.Shared`,
      `${graph}/Mail.Send.Shared`,
      `${graph}/User.Read`,
      'offline_access',
      'openid',
      'profile',
    ].sort();
    const result = await makeClient(emulator, config).signIn({ ui: browserAs(ADELE), method: 'browser' });
    assert.deepEqual(lastScopes('/oauth2/v2.0/authorize'), expected);
    assert.deepEqual(lastScopes('/oauth2/v2.0/token'), expected);
    assert.deepEqual([...result.grantedScopes].sort(), ['Mail.Read.Shared', 'Mail.Send.Shared', 'User.Read']);
  });

  it('your own app with /.default asks for nothing else and gets the permissions configured on the app', async () => {
    const config = saved({
      authType: 'byoApp',
      clientId: BYO_APP,
      scopePreset: 'appDefault',
      operations: 'readMail sendMail',
    });
    const client = makeClient(emulator, config);
    const result = await client.signIn({ ui: browserAs(ADELE), method: 'browser' });
    assert.deepEqual(lastScopes('/oauth2/v2.0/authorize'), [
      `${emulator.graphEndpoint}/.default`,
      'offline_access',
      'openid',
      'profile',
    ]);
    assert.deepEqual([...result.grantedScopes].sort(), ['Mail.Read', 'Mail.Send', 'User.Read']);
    const before = client.requestCount;
    assert.equal((await client.getToken()).fromCache, true, 'the /.default token is found in the cache again');
    assert.equal(client.requestCount, before);
  });

  it('the emulator refuses /.default together with another Graph permission, as Entra does (AADSTS70011)', async () => {
    // The validator never builds this; the stored shape can still say it (a hand-edited file).
    const config = saved({ scopePreset: 'custom', additionalScopes: 'Mail.Send' });
    const combined = {
      ...config,
      scopes: { preset: 'custom', additional: [`${emulator.graphEndpoint}/.default`, 'Mail.Send'] },
    } as ConnectionConfig;
    await assert.rejects(
      makeClient(emulator, combined).signIn({ ui: browserAs(ADELE), method: 'browser' }),
      (err: ConnectionError) => err.failure.code === 'AADSTS70011',
    );
  });
});
