import * as assert from 'node:assert/strict';
import { mask } from '../../src/mask';

// Realistic shapes of credentials as they could reach a log line: request bodies, server answers,
// headers, error messages quoting them. Each row: where it comes from, the text, and the secret parts
// that must be gone after masking. Entra's token endpoint parameters:
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
const JWS =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6Ik1uQ19WWmNBVGZNNXBPWWlKSE1iYTlnb0VLWSJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJzY3AiOiJNYWlsLlJlYWQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1hYmNkZWZnaGlqa2xtbm9w';
const JWE =
  'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZodetZdvTiFvSkQ';
const JWE_DIR =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0..3ZbgDQ6eaJgHVzLr.Gkd0RFb3TfHNKkYBoWv5.fQaW5iBbdHEYqjU7dlJ1Ug';
const REFRESH =
  '0.AXQAq8Zp3QYq0kOWSkGDb9RkjuzY1xRvBJNGpI5rV1zVzjR0AHg.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wUA9P8oR5nWTw3dQpn5PVdKKgs2Yw';
const AUTH_CODE =
  '1.AXQAq8Zp3QYq0kOWSkGDb9RkjuzY1xRvBJNGpI5rV1zVzjR0AHgAAA.AgABBAIAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P-Ck2MHgjRMCbj';
const CLIENT_SECRET = 'Xv48Q~bLp2kzTyqMf0E.Dsa6Hn_UaqW3jRr-5xNcW';
const PASSWORD = 'Passw0rd!adele';
const ASSERTION =
  'eyJhbGciOiJQUzI1NiIsIng1dCNTMjU2IjoiYWJjIn0.eyJhdWQiOiJodHRwczovL2xvZ2luIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl';
const BASIC = Buffer.from('c0ffee00-0000-4000-8000-00000000ed01:' + CLIENT_SECRET).toString('base64');
const OPAQUE = 'EwBwA8l6BAAUkj1oO6s2JbRTsFd9sPZjQ3QhmE4AAQ';
const PEM_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----';

const leaks: [string, string, string[]][] = [
  [
    'form body of a client secret grant',
    `grant_type=client_credentials&client_id=c0ffee00-0000-4000-8000-00000000ed01&client_secret=${encodeURIComponent(CLIENT_SECRET)}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default`,
    [CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET)],
  ],
  [
    'ROPC form body',
    `grant_type=password&username=adele%40contoso.test&password=${encodeURIComponent(PASSWORD)}&scope=openid`,
    [encodeURIComponent(PASSWORD), PASSWORD],
  ],
  ['JSON body with a password', `{"username":"adele@contoso.test","password":"${PASSWORD}"}`, [PASSWORD]],
  [
    'JSON with an escaped quote in the password',
    '{"password":"pa\\"ss-w0rd-9","x":1}',
    ['pa\\"ss-w0rd-9', 'ss-w0rd-9'],
  ],
  ['JSON inside a JSON string', `{"body":"{\\"client_secret\\":\\"${CLIENT_SECRET}\\"}"}`, [CLIENT_SECRET]],
  [
    'token answer (JSON)',
    `{"token_type":"Bearer","access_token":"${OPAQUE}","refresh_token":"${REFRESH}","id_token":"${JWS}"}`,
    [OPAQUE, REFRESH, JWS.slice(-20)],
  ],
  ['refresh grant (form)', `grant_type=refresh_token&refresh_token=${REFRESH}&client_id=x`, [REFRESH]],
  [
    'authorization code redemption',
    `grant_type=authorization_code&code=${AUTH_CODE}&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&redirect_uri=http%3A%2F%2Flocalhost%3A5123`,
    [AUTH_CODE, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'],
  ],
  [
    'form_post answer at the loopback',
    `code=${AUTH_CODE}&client_info=eyJ1aWQiOiIwMDAwMDAwMC0wMDAwIiwidXRpZCI6IjExMTEifQ&state=9b1c`,
    [AUTH_CODE, 'eyJ1aWQiOiIwMDAwMDAwMC0wMDAwIiwidXRpZCI6IjExMTEifQ'],
  ],
  [
    'client assertion (form)',
    `client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=${ASSERTION}`,
    [ASSERTION, ASSERTION.slice(-20)],
  ],
  [
    'on-behalf-of assertion (opaque)',
    'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=AwABAAAAvPM1KaPlrEqdFSBzjqfTGBCmLdgfSTLEMPGYuNHSUYBrq',
    ['AwABAAAAvPM1KaPlrEqdFSBzjqfTGBCmLdgfSTLEMPGYuNHSUYBrq'],
  ],
  [
    'device code poll',
    'grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=DAQABAAEAAAD--DLA3VO7QrddgJg7WevrQvBdw1',
    ['DAQABAAEAAAD--DLA3VO7QrddgJg7WevrQvBdw1'],
  ],
  ['Authorization: Bearer header', `Authorization: Bearer ${OPAQUE}`, [OPAQUE]],
  ['Authorization: Basic header', `authorization: Basic ${BASIC}`, [BASIC]],
  ['Basic credentials in a message', `sent Basic ${BASIC} to the token endpoint`, [BASIC]],
  ['headers as JSON', `{"Authorization":"Bearer ${OPAQUE}","Accept":"application/json"}`, [OPAQUE]],
  ['quoted Bearer', `WWW-Authenticate failed for Bearer "${OPAQUE}"`, [OPAQUE]],
  ['single-quoted Bearer', `token was Bearer '${OPAQUE}'`, [OPAQUE]],
  ['URL-encoded Bearer', `https://example.test/cb?auth=Bearer%20${OPAQUE}&x=1`, [OPAQUE]],
  ['Bearer with a plus for the space', `auth=Bearer+${OPAQUE}`, [OPAQUE]],
  ['bare JWT (JWS)', `token ${JWS} rejected`, [JWS.slice(0, 40), JWS.slice(-20)]],
  ['JWE, 5 parts', `id_token was encrypted: ${JWE}`, [JWE.slice(0, 40), JWE.slice(-20)]],
  ['JWE with dir (empty key part)', `got ${JWE_DIR}`, [JWE_DIR.slice(0, 30), JWE_DIR.slice(-20)]],
  [
    'PEM private key',
    `could not read\n${PEM_KEY}\nend`,
    ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MzEfYyjiWA4R4'],
  ],
  [
    'PEM cut off before its END line',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
    ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo'],
  ],
  ['client secret as a header-like line', `client_secret: ${CLIENT_SECRET}`, [CLIENT_SECRET]],
  [
    'camelCase key in an object dump',
    `{ clientSecret: '${CLIENT_SECRET}', password: 'hunter2-x' }`,
    [CLIENT_SECRET, 'hunter2-x'],
  ],
  ['Entra secret value with no key', `the value ${CLIENT_SECRET} was rejected`, [CLIENT_SECRET]],
  ['password in a proxy URL', 'proxy http://svc-user:S3cr3t-proxy@proxy.contoso.test:8080 refused', ['S3cr3t-proxy']],
  ['cookie header', 'Cookie: ESTSAUTH=0.AXQAq8Zp3QYq0kOWSkGDb9Rkju; buid=abc', ['0.AXQAq8Zp3QYq0kOWSkGDb9Rkju']],
  [
    'URL-encoded body quoted in a URL',
    `body=client_secret%3D${encodeURIComponent(CLIENT_SECRET)}%26scope%3Dx`,
    [encodeURIComponent(CLIENT_SECRET)],
  ],
  [
    'pfx in a draft dump',
    '{"pfxBase64":"MIIKcQIBAzCCCjcGCSqGSIb3DQEHAaCCCigEggokMIIKIDCCBM8","pfxPassword":"pfx-pass-ed02"}',
    ['MIIKcQIBAzCCCjcGCSqGSIb3DQEHAaCCCigEggokMIIKIDCCBM8', 'pfx-pass-ed02'],
  ],
];

// Lines that must reach the log unchanged: they are what a person needs to find the cause.
const readable: [string, string][] = [
  [
    'an AADSTS error with trace ids',
    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'c0ffee00-0000-4000-8000-00000000ed01'. Trace ID: 4f8e2f4e-1b7a-4c1e-9a57-1a2b3c4d5e6f Correlation ID: 0a1b2c3d-4e5f-6789-abcd-ef0123456789 Timestamp: 2025-06-03 19:11:28Z",
  ],
  ['an authority URL', 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token'],
  [
    'a URL with a harmless query',
    'https://graph.microsoft.com/v1.0/users/adele%40contoso.test/mailFolders/inbox?$select=id,totalItemCount',
  ],
  ['an error_uri with a numeric code', 'error_uri: https://login.microsoftonline.com/error?code=70008'],
  [
    'a Graph error code',
    '{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again."}}',
  ],
  [
    'a Graph error code with an underscore',
    '{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}',
  ],
  [
    'a client id',
    '[engine] [conn-1] acquiring a token for client c0ffee00-0000-4000-8000-00000000ed01 in tenant contoso.test',
  ],
  ['the token type', '{"token_type":"Bearer","expires_in":3599,"scope":"Mail.Read User.Read"}'],
  ['scopes with a default', 'scopes: https://graph.microsoft.us/.default offline_access'],
  ['an already masked secret', 'clientSecret: [secret]'],
  ['error_codes', '{"error":"invalid_grant","error_codes":[50173],"suberror":"bad_token"}'],
  ['the word Bearer in prose', 'Graph answered 401 to the Bearer [token] (token expired)'],
  ['a redirect uri', 'redirect_uri=http://localhost:53127 response_mode=form_post'],
];

describe('log masking', () => {
  for (const [where, text, secrets] of leaks) {
    it(`masks ${where}`, () => {
      const masked = mask(text);
      for (const s of secrets) assert.ok(!masked.includes(s), `"${s}" is still in: ${masked}`);
      assert.ok(/\[(secret|token|pem)\]/.test(masked), `says what was masked: ${masked}`);
    });
  }
  for (const [what, text] of readable) {
    it(`keeps ${what} readable`, () => assert.equal(mask(text), text));
  }
  it('keeps the key names and the rest of a form body readable', () => {
    assert.equal(
      mask(`grant_type=password&username=adele%40contoso.test&password=${PASSWORD}&scope=openid`),
      'grant_type=password&username=adele%40contoso.test&password=[secret]&scope=openid',
    );
    assert.equal(mask(`{"password":"${PASSWORD}","user":"a"}`), '{"password":"[secret]","user":"a"}');
    assert.equal(mask(`Authorization: Bearer ${OPAQUE}`), 'Authorization: [secret]');
  });
});
