import * as assert from 'node:assert/strict';
import { DEFAULT_PUBLIC_CLIENT_ID, clientIdOf, type ConnectionConfig } from '../../src/model/connection';
import {
  connectionEnvironment,
  needsPinning,
  pinMissing,
  routingChange,
  withCurrentRouting,
  type RoutingSettings,
} from '../../src/model/pinning';
import { isBroken, parseStoredConnection } from '../../src/model/storedConnection';
import { emptyDraft, validateDraft, type ConnectionDraft } from '../../src/model/validate';
import { userLevelValue } from '../../src/userSetting';

const SANDBOX = {
  name: 'Sandbox',
  loginEndpoint: 'https://login.sandbox.test:8443/',
  graphEndpoint: 'https://graph.sandbox.test',
};
const ELSEWHERE = {
  name: 'Elsewhere',
  loginEndpoint: 'https://attacker.test',
  graphEndpoint: 'https://attacker-graph.test',
};
/** SANDBOX as a save pins it (https origins). */
const SANDBOX_ORIGINS = { ...SANDBOX, loginEndpoint: 'https://login.sandbox.test:8443' };
const OTHER_CLIENT = 'badc0de0-0000-4000-8000-000000000001';
const USER: RoutingSettings = { customEnvironment: SANDBOX, defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID };

function draft(fields: Partial<ConnectionDraft>): ConnectionDraft {
  return { ...emptyDraft(), name: 'Pinned', environment: 'custom', tenant: 'contoso.test', ...fields };
}

function save(fields: Partial<ConnectionDraft>, ctx: Parameters<typeof validateDraft>[1] = {}): ConnectionConfig {
  const result = validateDraft(draft(fields), {
    customEnvironment: USER.customEnvironment,
    defaultPublicClientId: USER.defaultPublicClientId,
    newId: () => 'id-1',
    ...ctx,
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.config;
}

describe('pinned endpoints and public client', () => {
  it('a new custom connection pins the endpoints (origins) and the default public client of the user settings', () => {
    const ropc = save({ authType: 'ropc', username: 'adele@contoso.test', password: 'p' });
    assert.deepEqual(ropc.endpoints, {
      name: 'Sandbox',
      loginEndpoint: 'https://login.sandbox.test:8443',
      graphEndpoint: 'https://graph.sandbox.test',
    });
    assert.equal(ropc.authType === 'ropc' && ropc.publicClientId, DEFAULT_PUBLIC_CLIENT_ID);
    const env = connectionEnvironment(ropc);
    assert.equal(env.loginEndpoint, 'https://login.sandbox.test:8443');
    assert.equal(env.graphEndpoint, 'https://graph.sandbox.test');
  });

  it('a built-in cloud pins no endpoints; a connection with its own client id pins no public client', () => {
    const config = save({
      environment: 'global',
      authType: 'ropc',
      clientId: OTHER_CLIENT,
      username: 'adele@contoso.test',
      password: 'p',
    });
    assert.equal(config.endpoints, undefined);
    assert.equal('publicClientId' in config, false);
    assert.equal(clientIdOf(config), OTHER_CLIENT);
  });

  it('editing keeps the pinned endpoints and client even when the settings now name others', () => {
    const first = save({ authType: 'authCode' });
    const edited = save(
      { authType: 'authCode', name: 'Renamed' },
      { existing: first, customEnvironment: ELSEWHERE, defaultPublicClientId: OTHER_CLIENT },
    );
    assert.deepEqual(edited.endpoints, first.endpoints);
    assert.equal(clientIdOf(edited), DEFAULT_PUBLIC_CLIENT_ID);
    // …and the change is what Update Endpoints offers, naming both sides.
    assert.deepEqual(routingChange(edited, { customEnvironment: ELSEWHERE, defaultPublicClientId: OTHER_CLIENT }), {
      loginEndpoint: ['https://login.sandbox.test:8443', 'https://attacker.test'],
      graphEndpoint: ['https://graph.sandbox.test', 'https://attacker-graph.test'],
      publicClientId: [DEFAULT_PUBLIC_CLIENT_ID, OTHER_CLIENT],
    });
  });

  it('no change is offered when the settings match, differ only in the display name, or are unusable', () => {
    const config = save({ authType: 'authCode' });
    assert.equal(routingChange(config, USER), undefined);
    assert.equal(routingChange(config, { ...USER, customEnvironment: { ...SANDBOX, name: 'Renamed' } }), undefined);
    assert.equal(
      routingChange(config, { ...USER, customEnvironment: { loginEndpoint: 'http://plain.test' } }),
      undefined,
    );
  });

  it('Update Endpoints moves the connection to the settings now', () => {
    const config = save({ authType: 'authCode' });
    const moved = withCurrentRouting(config, { customEnvironment: ELSEWHERE, defaultPublicClientId: OTHER_CLIENT });
    assert.equal(connectionEnvironment(moved).loginEndpoint, 'https://attacker.test');
    assert.equal(clientIdOf(moved), OTHER_CLIENT);
    assert.equal(
      routingChange(moved, { customEnvironment: ELSEWHERE, defaultPublicClientId: OTHER_CLIENT }),
      undefined,
    );
  });

  describe('connections stored before pinning', () => {
    const legacy = {
      id: 'old',
      name: 'Old',
      authType: 'ropc',
      environment: 'custom',
      tenant: 'contoso.test',
      username: 'adele@contoso.test',
      scopes: { preset: 'minimal', additional: [] },
    };

    it('still load, and are pinned once from the user-level values they are given', () => {
      const parsed = parseStoredConnection(legacy, 0);
      assert.ok(!isBroken(parsed));
      assert.throws(() => connectionEnvironment(parsed), /not known yet/, 'unpinned: no request goes anywhere');
      const pinned = pinMissing(parsed, { customEnvironment: SANDBOX, defaultPublicClientId: OTHER_CLIENT });
      assert.ok(pinned);
      assert.equal(connectionEnvironment(pinned).loginEndpoint, 'https://login.sandbox.test:8443');
      assert.equal(clientIdOf(pinned), OTHER_CLIENT);
      assert.equal(
        pinMissing(pinned, { customEnvironment: ELSEWHERE, defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID }),
        undefined,
        'once: a pinned connection is not pinned again',
      );
    });

    it('are told apart without the settings (activation reads them only when one is unpinned)', () => {
      const stored = [
        legacy,
        { ...legacy, endpoints: SANDBOX_ORIGINS, publicClientId: OTHER_CLIENT },
        { ...legacy, endpoints: SANDBOX_ORIGINS },
        { ...legacy, environment: 'global', publicClientId: OTHER_CLIENT },
        { ...legacy, environment: 'global', clientId: OTHER_CLIENT },
        { ...legacy, environment: 'global' },
      ];
      const seen = new Set<boolean>();
      for (const [index, record] of stored.entries()) {
        const config = parseStoredConnection(record, index);
        assert.ok(!isBroken(config), JSON.stringify(record));
        const pinned = pinMissing(config, USER);
        assert.equal(needsPinning(config), !!pinned, JSON.stringify(record));
        if (pinned) assert.equal(needsPinning(pinned), false, 'pinned: not again');
        seen.add(!!pinned);
      }
      assert.deepEqual([...seen].sort(), [false, true], 'both kinds were among them');
    });

    it('wait for a usable user setting (the public client is pinned meanwhile)', () => {
      const parsed = parseStoredConnection(legacy, 0) as ConnectionConfig;
      const pinned = pinMissing(parsed, {
        customEnvironment: undefined,
        defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID,
      });
      assert.ok(pinned);
      assert.equal(pinned.endpoints, undefined);
      assert.equal(clientIdOf(pinned), DEFAULT_PUBLIC_CLIENT_ID);
    });

    it('pinned endpoints that are not https origins, or on a built-in cloud, make the entry broken', () => {
      for (const endpoints of [
        { ...SANDBOX, loginEndpoint: 'http://login.sandbox.test' },
        { ...SANDBOX, graphEndpoint: 'https://graph.sandbox.test/v1.0' },
        'https://x.test',
        null,
      ]) {
        assert.ok(isBroken(parseStoredConnection({ ...legacy, endpoints }, 0)), JSON.stringify(endpoints));
      }
      assert.ok(
        isBroken(
          parseStoredConnection(
            {
              ...legacy,
              environment: 'global',
              endpoints: { name: 'x', loginEndpoint: 'https://a.test', graphEndpoint: 'https://b.test' },
            },
            0,
          ),
        ),
      );
      assert.ok(
        !isBroken(
          parseStoredConnection(
            { ...legacy, endpoints: { name: 'x', loginEndpoint: 'https://a.test', graphEndpoint: 'https://b.test' } },
            0,
          ),
        ),
      );
    });
  });

  describe('settings that route requests are read from the user level only', () => {
    it('a workspace or folder value is ignored, and reported', () => {
      assert.deepEqual(userLevelValue({ defaultValue: null, globalValue: SANDBOX, workspaceValue: ELSEWHERE }), {
        value: SANDBOX,
        workspaceIgnored: true,
      });
      assert.deepEqual(userLevelValue({ defaultValue: 'default', workspaceFolderValue: OTHER_CLIENT }), {
        value: 'default',
        workspaceIgnored: true,
      });
      assert.deepEqual(userLevelValue({ defaultValue: 'default', globalValue: 'mine' }), {
        value: 'mine',
        workspaceIgnored: false,
      });
      assert.deepEqual(userLevelValue(undefined), { value: undefined, workspaceIgnored: false });
    });
  });
});
