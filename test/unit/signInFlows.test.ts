import * as assert from 'node:assert/strict';
import { ConnectionError } from '../../src/engine/failures';
import { signInFlowFor, signInFlows, type SignInFlowQuery } from '../../src/engine/flows/signInFlows';

const query = (q: Partial<SignInFlowQuery>): SignInFlowQuery => ({
  appOnly: false,
  password: false,
  method: 'browser',
  client: 'public',
  ...q,
});

describe('sign-in flows: picked by what the request needs', () => {
  it('each request has exactly one flow, of the grant it needs', () => {
    const cases: [Partial<SignInFlowQuery>, string][] = [
      [{ appOnly: true, client: 'confidential' }, 'client credentials'],
      [{ appOnly: true, client: 'confidential', method: 'deviceCode' }, 'client credentials'],
      [{ password: true }, 'username and password'],
      [{ password: true, method: 'deviceCode' }, 'username and password'],
      [{}, 'browser (loopback)'],
      [{ client: 'confidential' }, 'browser (loopback)'],
      [{ method: 'deviceCode' }, 'device code'],
    ];
    for (const [q, label] of cases) {
      assert.deepEqual(
        signInFlows(query(q)).map((f) => f.label),
        [label],
        JSON.stringify(q),
      );
    }
  });

  it('device code with a confidential client has no flow: the configuration error says why', () => {
    assert.deepEqual(signInFlows(query({ method: 'deviceCode', client: 'confidential' })), []);
    assert.throws(
      () => signInFlowFor(query({ method: 'deviceCode', client: 'confidential' })),
      (err: unknown) =>
        err instanceof ConnectionError && err.failure.kind === 'configuration' && /public client/.test(err.message),
    );
  });

  it('client credentials never run on a public client', () => {
    assert.deepEqual(signInFlows(query({ appOnly: true, client: 'public' })), []);
  });
});
