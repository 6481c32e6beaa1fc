import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConnectionError, FAILURE_RULES, classifyFailure, type FailureContext } from '../../src/engine/failures';
import { formatMessage } from '../../src/model/messages';

// Table-driven over the error shapes MSAL produces (errorCode / errorMessage / errorNo / subError).
// Meanings of the AADSTS codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
// (MicrosoftDocs/entra-docs, docs/identity-platform/reference-error-codes.md), unless cited on the row.
describe('failure classification', () => {
  const table: [string, object, string, string][] = [
    [
      'revoked refresh token (InteractionRequiredAuthError)',
      {
        name: 'InteractionRequiredAuthError',
        errorCode: 'invalid_grant',
        errorMessage: 'AADSTS50173: The provided grant has expired due to it being revoked',
        subError: 'bad_token',
      },
      'reconnect',
      'reconnectRequired',
    ],
    [
      'plain invalid_grant (ServerError)',
      { name: 'ServerError', errorCode: 'invalid_grant', errorMessage: 'AADSTS700082: The refresh token has expired' },
      'reconnect',
      'reconnectRequired',
    ],
    [
      'consent missing',
      { errorCode: 'invalid_grant', errorMessage: 'AADSTS65001: The user or administrator has not consented' },
      'consent',
      'consentRequired',
    ],
    [
      // OpenID Connect Core §3.1.2.6 names consent_required; MSAL raises it as an InteractionRequiredAuthError.
      'consent_required without an AADSTS code (a silent request): waiting for admin consent, not reconnect',
      { name: 'InteractionRequiredAuthError', errorCode: 'consent_required', errorMessage: 'consent_required' },
      'consent',
      'consentRequired',
    ],
    [
      'admin approval required',
      { errorCode: 'access_denied', errorMessage: 'AADSTS90094: Admin approval required' },
      'consent',
      'consentRequired',
    ],
    [
      'wrong client secret',
      { errorCode: 'invalid_client', errorMessage: 'AADSTS7000215: Invalid client secret provided.' },
      'badClientSecret',
      'error',
    ],
    // 7000222 InvalidClientSecretExpiredKeysProvided - The provided client secret keys are expired.
    [
      'expired client secret',
      {
        errorCode: 'invalid_client',
        errorNo: 7000222,
        errorMessage: 'AADSTS7000222: The provided client secret keys for app are expired.',
      },
      'secretExpired',
      'error',
    ],
    [
      'unknown app',
      { errorCode: 'unauthorized_client', errorMessage: 'AADSTS700016: Application with identifier was not found' },
      'unknownApp',
      'error',
    ],
    [
      'MFA required for ROPC',
      {
        errorCode: 'invalid_grant',
        errorMessage: 'AADSTS50076: Due to a configuration change ... you must use multi-factor authentication',
      },
      'mfaRequired',
      'error',
    ],
    [
      'wrong password',
      {
        errorCode: 'invalid_grant',
        errorMessage: 'AADSTS50126: Error validating credentials due to invalid username or password.',
      },
      'badPassword',
      'error',
    ],
    [
      'certificate not registered',
      { errorCode: 'invalid_client', errorMessage: 'AADSTS700027: Client assertion contains an invalid signature.' },
      'badCertificate',
      'error',
    ],
    // 700024: https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/4951 (clock skew / latency)
    [
      'client assertion outside its time range',
      {
        errorCode: 'invalid_client',
        errorMessage:
          'AADSTS700024: Client assertion is not within its valid time range. Current time: 2024-10-02T22:05:03Z',
      },
      'clockSkew',
      'error',
    ],
    // 1000502: https://github.com/AzureAD/microsoft-identity-web/issues/2834 (certificate not within its validity window)
    [
      'certificate outside its validity window',
      {
        errorCode: 'invalid_client',
        errorMessage: 'AADSTS1000502: The provided certificate is not within its specified validity window.',
      },
      'badCertificate',
      'error',
    ],
    // 53003 BlockedByConditionalAccess; the shape: https://github.com/dafthack/MSOLSpray/issues/5
    [
      'Conditional Access block (token endpoint)',
      {
        name: 'InteractionRequiredAuthError',
        errorCode: 'interaction_required',
        errorMessage: 'AADSTS53003: Access has been blocked by Conditional Access policies.',
        subError: 'message_only',
      },
      'conditionalAccess',
      'error',
    ],
    [
      'Conditional Access block (authorize redirect, access_denied)',
      {
        errorCode: 'access_denied',
        errorMessage: 'AADSTS53003: Access has been blocked by Conditional Access policies.',
      },
      'conditionalAccess',
      'error',
    ],
    // 53000 DeviceNotCompliant; 530003 https://github.com/AzureAD/microsoft-authentication-library-for-objc/issues/1900
    [
      'device not compliant',
      { errorCode: 'invalid_grant', errorMessage: 'AADSTS53000: Device is not in required device state: compliant.' },
      'conditionalAccess',
      'error',
    ],
    [
      'device must be managed',
      {
        errorCode: 'invalid_grant',
        errorMessage: 'AADSTS530003: Your device is required to be managed to access this resource.',
      },
      'conditionalAccess',
      'error',
    ],
    [
      'device code blocked by device-based Conditional Access',
      {
        errorCode: 'access_denied',
        errorMessage: 'AADSTS530033: Remote device flow blocked due to device-based conditional access.',
      },
      'conditionalAccess',
      'error',
    ],
    ['device code declined', { errorCode: 'authorization_declined' }, 'declined', 'error'],
    [
      'device code declined (MSAL: post_request_failed)',
      { errorCode: 'post_request_failed', errorMessage: 'authorization_declined' },
      'declined',
      'error',
    ],
    [
      'Cancel on the login page (AADSTS65004)',
      { errorCode: 'access_denied', errorMessage: 'AADSTS65004: User declined to consent to access the app.' },
      'declined',
      'error',
    ],
    [
      'device code expired (server)',
      { errorCode: 'post_request_failed', errorMessage: 'expired_token' },
      'codeExpired',
      'error',
    ],
    [
      'device code expired (MSAL’s own deadline)',
      { name: 'ClientAuthError', errorCode: 'device_code_expired' },
      'codeExpired',
      'error',
    ],
    ['device code cancelled', { errorCode: 'device_code_polling_cancelled' }, 'cancelled', 'error'],
    ['RFC 8628 slow_down', { errorCode: 'post_request_failed', errorMessage: 'slow_down' }, 'throttled', 'error'],
    [
      'server unreachable',
      { errorCode: 'network_error', errorMessage: 'Network request failed: fetch failed' },
      'network',
      'error',
    ],
    ['5xx', { errorCode: 'server_error', status: 503 }, 'serverError', 'error'],
  ];
  for (const [why, error, kind, status] of table) {
    it(`${why} → ${kind} / ${status}`, () => {
      const f = classifyFailure(error);
      assert.equal(f.kind, kind);
      assert.equal(f.status, status);
      assert.ok(formatMessage(f.message).length > 10);
      assert.doesNotMatch(formatMessage(f.message), /\{\w+\}/, 'every placeholder filled');
    });
  }

  it('each specific code has its own sentence, not the one it was confused with before', () => {
    const text = (error: object, context?: FailureContext) => formatMessage(classifyFailure(error, context).message);
    assert.match(text({ errorCode: 'access_denied', errorMessage: 'AADSTS53003: blocked' }), /Conditional Access/);
    assert.doesNotMatch(text({ errorCode: 'access_denied', errorMessage: 'AADSTS53003: blocked' }), /declined|accept/);
    assert.match(
      text({ errorCode: 'invalid_client', errorMessage: 'AADSTS700024: not within its valid time range' }),
      /clock/,
    );
    assert.doesNotMatch(text({ errorCode: 'invalid_client', errorMessage: 'AADSTS700024: x' }), /public key/);
    assert.match(text({ errorCode: 'invalid_client', errorMessage: 'AADSTS7000222: expired' }), /expired/);
  });

  it('50076 / 50079 on a delegated refresh → reconnectRequired with an MFA sentence; on ROPC → mfaRequired', () => {
    for (const code of ['50076', '50079']) {
      const error = {
        name: 'InteractionRequiredAuthError',
        errorCode: 'invalid_grant',
        errorMessage: `AADSTS${code}: you must use multi-factor authentication`,
        subError: 'basic_action',
      };
      const refresh = classifyFailure(error, { delegatedRefresh: true });
      assert.equal(refresh.status, 'reconnectRequired');
      assert.equal(refresh.code, `AADSTS${code}`);
      assert.match(formatMessage(refresh.message), /multi-factor/);
      assert.doesNotMatch(formatMessage(refresh.message), /authorization code auth type/);
      assert.equal(classifyFailure(error).kind, 'mfaRequired');
    }
  });

  it('keeps the AADSTS code separately; error_codes [0] is no code', () => {
    assert.equal(classifyFailure({ errorCode: 'invalid_grant', errorMessage: 'AADSTS65001: x' }).code, 'AADSTS65001');
    assert.equal(classifyFailure({ errorNo: '7000215', errorCode: 'invalid_client' }).code, 'AADSTS7000215');
    const zero = classifyFailure({
      name: 'ServerError',
      errorCode: 'invalid_request',
      errorNo: 0,
      errorMessage: 'Error(s): 0 - Description: x',
      status: 400,
    });
    assert.equal(zero.code, undefined);
    assert.doesNotMatch(formatMessage(zero.message), /AADSTS0/);
  });

  it('a 429 says when to retry, from the Retry-After of the same answer', () => {
    const answer = { kind: 'answer', status: 429, retryAfterSeconds: 17, error: 'temporarily_unavailable' } as const;
    const f = classifyFailure(
      { name: 'ServerError', errorCode: 'temporarily_unavailable', status: 429 },
      { lastRequest: answer },
    );
    assert.equal(f.kind, 'throttled');
    assert.equal(f.retryAfterSeconds, 17);
    assert.match(formatMessage(f.message), /17 seconds/);
  });

  describe('the network layer’s record counts only for the request MSAL’s error came from', () => {
    const pending = {
      kind: 'answer',
      status: 400,
      error: 'authorization_pending',
      description: 'AADSTS70016: Authorization is pending.',
    } as const;
    const revoked = {
      kind: 'answer',
      status: 400,
      error: 'invalid_grant',
      description: 'AADSTS50173: The provided grant has expired due to it being revoked.',
    } as const;

    it('MSAL’s device code deadline after an authorization_pending answer → codeExpired, not AADSTS70016', () => {
      const f = classifyFailure(
        { name: 'ClientAuthError', errorCode: 'device_code_expired' },
        { lastRequest: pending },
      );
      assert.equal(f.kind, 'codeExpired');
      assert.equal(f.code, undefined);
    });

    it('authorization_pending is never the reason, whatever MSAL’s error', () => {
      const f = classifyFailure({ errorCode: 'device_code_unknown_error' }, { lastRequest: pending });
      assert.doesNotMatch(`${f.code} ${formatMessage(f.message)}`, /70016|authorization_pending/);
    });

    it('a network failure after an earlier answer → network (the earlier answer is not the reason)', () => {
      assert.equal(
        classifyFailure(
          { errorCode: 'network_error' },
          { lastRequest: { kind: 'failed', host: 'login.example', code: 'ECONNRESET' } },
        ).kind,
        'network',
      );
      assert.equal(classifyFailure({ errorCode: 'network_error' }, { lastRequest: revoked }).kind, 'network');
    });

    it('an answer MSAL dropped counts when MSAL’s error stands for it', () => {
      const unknownApp = {
        kind: 'answer',
        status: 400,
        error: 'unauthorized_client',
        description: 'AADSTS700016: Application was not found.',
      } as const;
      assert.equal(
        classifyFailure({ errorCode: 'device_code_request_failed' }, { lastRequest: unknownApp }).kind,
        'unknownApp',
      );
      const expired = {
        kind: 'answer',
        status: 400,
        error: 'expired_token',
        description: 'AADSTS70020: expired.',
      } as const;
      assert.equal(
        classifyFailure({ errorCode: 'post_request_failed', errorMessage: 'expired_token' }, { lastRequest: expired })
          .code,
        'AADSTS70020',
      );
      // MSAL names another error than the record: the record is of another request.
      assert.equal(
        classifyFailure(
          { errorCode: 'post_request_failed', errorMessage: 'authorization_declined' },
          { lastRequest: expired },
        ).kind,
        'declined',
      );
    });

    const tls: [string, string, RegExp][] = [
      ['SELF_SIGNED_CERT_IN_CHAIN', 'not trusted', /self-signed|unknown certificate authority/],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'not trusted', /self-signed/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'not trusted', /unknown certificate authority/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'wrong host', /another host name/],
      ['CERT_HAS_EXPIRED', 'expired', /expired/],
      ['ENOTFOUND', 'DNS', /does not resolve/],
      ['EAI_AGAIN', 'DNS', /does not resolve/],
    ];
    for (const [code, what, sentence] of tls) {
      it(`${code} (${what}) names the cause and the host`, () => {
        const f = classifyFailure(
          { errorCode: 'network_error' },
          { lastRequest: { kind: 'failed', host: 'login.example.test', code } },
        );
        assert.equal(f.kind, 'network');
        assert.equal(f.detail, code);
        assert.match(formatMessage(f.message), sentence);
        assert.match(formatMessage(f.message), /login\.example\.test/);
      });
    }
  });

  it('README.md’s "Common errors" table lists exactly the classifier’s codes, grouped as in its table', () => {
    const readme = readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = /Common errors[\s\S]*?\n\n((?:\|[^\n]*\n)+)/.exec(readme)?.[1];
    assert.ok(section, 'README.md has a "Common errors" table');
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .slice(2);
    const readmeGroups = rows
      .map((row) =>
        [...row.split('|')[1].matchAll(/`([^`]+)`/g)]
          .map((m) => m[1])
          .sort()
          .join(', '),
      )
      .sort();
    const classifierGroups = Object.values(FAILURE_RULES)
      .map((rule) => [...rule.codes].sort().join(', '))
      .sort();
    assert.deepEqual(readmeGroups, classifierGroups);
  });

  it('never repeats the server’s text (it can carry user names)', () => {
    const f = classifyFailure({ errorCode: 'weird', errorMessage: 'something about adele@contoso.test' });
    assert.doesNotMatch(formatMessage(f.message), /adele/);
  });

  it('recognises a ConnectionError thrown by another copy of the module (dist/engine.js is its own bundle)', () => {
    // The class lives in connectionError.ts (activation throws it without loading the failure table).
    const modulePath = require.resolve('../../src/engine/connectionError');
    const original = require.cache[modulePath];
    delete require.cache[modulePath];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module, as a second bundle has
      const copy = require(modulePath) as typeof import('../../src/engine/connectionError');
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
