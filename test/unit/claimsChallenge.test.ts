// Parsing Microsoft Graph's claims challenges (WWW-Authenticate) in the shapes Microsoft documents and sends.
import * as assert from 'node:assert/strict';
import { claimsChallengeOf, parseWwwAuthenticate } from '../../src/engine/claimsChallenge';

const b64 = (json: string) => Buffer.from(json).toString('base64');
const ACRS = '{"access_token":{"acrs":{"essential":true,"value":"cp1"}}}';

describe('claims challenges (WWW-Authenticate)', () => {
  const shapes: [string, string, string | undefined][] = [
    [
      // https://learn.microsoft.com/entra/identity-platform/claims-challenge ("Claims challenge header format"), verbatim
      'Learn: authentication context (acrs)',
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiY3AxIn19fQ=="',
      ACRS,
    ],
    [
      // https://learn.microsoft.com/entra/identity-platform/app-resilience-continuous-access-evaluation: a revoked
      // token (nbf), the header folded over lines as the article prints it
      'Learn CAE: revocation (nbf), folded',
      'Bearer\n  authorization_uri="https://login.windows.net/common/oauth2/authorize",\n  error="insufficient_claims",\n  claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="',
      '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}',
    ],
    [
      // Graph's everyday 401 (no token, an expired one): a challenge without claims
      'Graph: a plain 401',
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      undefined,
    ],
    [
      'PoP and Bearer challenges in one header, claims in the second',
      `PoP realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", nonce="eyJ0eXAi", Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${b64(ACRS)}"`,
      ACRS,
    ],
    ['scheme and names in another case', `bearer ERROR="insufficient_claims", Claims="${b64(ACRS)}"`, ACRS],
    ['another error with claims', `Bearer error="invalid_token", claims="${b64(ACRS)}"`, undefined],
    ['claims not base64 JSON', 'Bearer error="insufficient_claims", claims="bm90IGpzb24="', undefined],
    ['claims a JSON array', `Bearer error="insufficient_claims", claims="${b64('[1]')}"`, undefined],
    ['no header', '', undefined],
  ];
  for (const [why, header, expected] of shapes) {
    it(why, () => assert.equal(claimsChallengeOf(header), expected));
  }

  it('reads quoted strings with escapes and unquoted values', () => {
    assert.deepEqual(parseWwwAuthenticate('Bearer realm="a \\"b\\", c", error=insufficient_claims'), [
      { scheme: 'Bearer', params: { realm: 'a "b", c', error: 'insufficient_claims' } },
    ]);
  });
});
