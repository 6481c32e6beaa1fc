import * as assert from 'node:assert/strict';
import {
  authorityHost,
  customEnvironmentProblem,
  EnvironmentError,
  resolveEnvironment,
  type EnvironmentId,
} from '../../src/model/clouds';

describe('clouds', () => {
  const table: [EnvironmentId, string, string][] = [
    ['global', 'https://login.microsoftonline.com', 'https://graph.microsoft.com'],
    ['usGovL4', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
    ['usGovL5', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
    ['china', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
  ];
  for (const [id, login, graph] of table) {
    it(`${id} resolves to its login host ${login} and Graph host ${graph}`, () => {
      const env = resolveEnvironment(id);
      assert.equal(env.loginEndpoint, login);
      assert.equal(env.graphEndpoint, graph);
    });
  }

  it('custom uses the setting, normalized to origins', () => {
    const env = resolveEnvironment('custom', {
      name: 'Sandbox',
      loginEndpoint: 'https://127.0.0.1:8443/',
      graphEndpoint: 'https://127.0.0.1:9443',
    });
    assert.deepEqual(env, {
      id: 'custom',
      name: 'Sandbox',
      loginEndpoint: 'https://127.0.0.1:8443',
      graphEndpoint: 'https://127.0.0.1:9443',
    });
    assert.equal(authorityHost(env), '127.0.0.1:8443');
  });

  const badCustom: [string, unknown][] = [
    ['missing', undefined],
    ['no login endpoint', { graphEndpoint: 'https://g.test' }],
    ['not a URL', { loginEndpoint: 'nope', graphEndpoint: 'https://g.test' }],
    [
      'http login endpoint (MSAL refuses insecure authorities)',
      { loginEndpoint: 'http://l.test', graphEndpoint: 'https://g.test' },
    ],
  ];
  for (const [why, setting] of badCustom) {
    it(`custom is refused when the setting is ${why}`, () => {
      assert.ok(customEnvironmentProblem(setting as never));
      assert.throws(() => resolveEnvironment('custom', setting as never), EnvironmentError);
    });
  }

  it('the global authority host is login.microsoftonline.com (known authority, no instance discovery)', () => {
    assert.equal(authorityHost(resolveEnvironment('global')), 'login.microsoftonline.com');
  });
});
