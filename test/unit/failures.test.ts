import * as assert from 'node:assert/strict';
import { ConnectionError, classifyFailure } from '../../src/engine/failures';
import { formatMessage } from '../../src/engine/messages';

// Table-driven over the error shapes MSAL produces (errorCode / errorMessage / errorNo / subError).
describe('failure classification', () => {
  const table: [string, object, string, string][] = [
    ['revoked refresh token (InteractionRequiredAuthError)', { name: 'InteractionRequiredAuthError', errorCode: 'invalid_grant', errorMessage: 'AADSTS50173: The provided grant has expired due to it being revoked', subError: 'bad_token' }, 'reconnect', 'reconnectRequired'],
    ['plain invalid_grant (ServerError)', { name: 'ServerError', errorCode: 'invalid_grant', errorMessage: 'AADSTS700082: The refresh token has expired' }, 'reconnect', 'reconnectRequired'],
    ['consent missing', { errorCode: 'invalid_grant', errorMessage: 'AADSTS65001: The user or administrator has not consented' }, 'consent', 'consentRequired'],
    ['admin approval required', { errorCode: 'access_denied', errorMessage: 'AADSTS90094: Admin approval required' }, 'consent', 'consentRequired'],
    ['wrong client secret', { errorCode: 'invalid_client', errorMessage: 'AADSTS7000215: Invalid client secret provided.' }, 'badClientSecret', 'error'],
    ['unknown app', { errorCode: 'unauthorized_client', errorMessage: 'AADSTS700016: Application with identifier was not found' }, 'unknownApp', 'error'],
    ['MFA required for ROPC', { errorCode: 'invalid_grant', errorMessage: 'AADSTS50076: Due to a configuration change ... you must use multi-factor authentication' }, 'mfaRequired', 'error'],
    ['wrong password', { errorCode: 'invalid_grant', errorMessage: 'AADSTS50126: Error validating credentials due to invalid username or password.' }, 'badPassword', 'error'],
    ['certificate not registered', { errorCode: 'invalid_client', errorMessage: 'AADSTS700027: Client assertion contains an invalid signature.' }, 'badCertificate', 'error'],
    ['device code declined', { errorCode: 'authorization_declined' }, 'declined', 'error'],
    ['Cancel on the login page (AADSTS65004)', { errorCode: 'access_denied', errorMessage: 'AADSTS65004: User declined to consent to access the app.' }, 'declined', 'error'],
    ['device code expired', { errorCode: 'expired_token' }, 'codeExpired', 'error'],
    ['device code cancelled', { errorCode: 'device_code_polling_cancelled' }, 'cancelled', 'error'],
    ['server unreachable', { errorCode: 'network_error', errorMessage: 'Network request failed: fetch failed' }, 'network', 'error'],
    ['5xx', { errorCode: 'server_error', status: 503 }, 'serverError', 'error'],
  ];
  for (const [why, error, kind, status] of table) {
    it(`${why} → ${kind} / ${status}`, () => {
      const f = classifyFailure(error);
      assert.equal(f.kind, kind);
      assert.equal(f.status, status);
      assert.ok(formatMessage(f.message).length > 10);
    });
  }

  it('keeps the AADSTS code separately', () => {
    assert.equal(classifyFailure({ errorCode: 'invalid_grant', errorMessage: 'AADSTS65001: x' }).code, 'AADSTS65001');
    assert.equal(classifyFailure({ errorNo: '7000215', errorCode: 'invalid_client' }).code, 'AADSTS7000215');
  });

  it('a 429 says when to retry, from the Retry-After the network saw', () => {
    const f = classifyFailure({ errorCode: 'server_error' }, { lastStatus: 429, retryAfterSeconds: 17 });
    assert.equal(f.kind, 'throttled');
    assert.equal(f.retryAfterSeconds, 17);
    assert.match(formatMessage(f.message), /17 seconds/);
  });

  it('never repeats the server’s text (it can carry user names)', () => {
    const f = classifyFailure({ errorCode: 'weird', errorMessage: 'something about adele@contoso.test' });
    assert.doesNotMatch(formatMessage(f.message), /adele/);
  });

  it('recognises a ConnectionError thrown by another copy of the module (dist/engine.js is its own bundle)', () => {
    const modulePath = require.resolve('../../src/engine/failures');
    const original = require.cache[modulePath];
    delete require.cache[modulePath];
    try {
      const copy = require(modulePath) as typeof import('../../src/engine/failures');
      assert.notEqual(copy.ConnectionError, ConnectionError);
      const failure = { kind: 'network', status: 'error', message: { text: 'x' } } as const;
      const fromCopy = new copy.ConnectionError(failure);
      assert.ok(fromCopy instanceof ConnectionError);
      assert.equal(classifyFailure(fromCopy), fromCopy.failure);
      assert.ok(!(new Error('x') instanceof ConnectionError));
      assert.ok(!(Object.assign(new Error('x'), { failure }) instanceof ConnectionError));
    } finally {
      require.cache[modulePath] = original;
    }
  });
});
