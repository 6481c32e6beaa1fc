import * as assert from 'node:assert/strict';
import { claimsDocument } from '../../src/model/claims';

describe('Show Token Claims document', () => {
  const claims = {
    aud: 'https://graph.microsoft.com',
    iat: 1796025600,
    nbf: 1796025600,
    exp: 1796029200,
    scp: 'Mail.Read',
    name: 'exp',
  };

  it('keeps the claims as they are (JSON with comments) and gives iat, nbf and exp their date-time in the locale', () => {
    const text = claimsDocument(claims, 'de', 'Europe/Berlin');
    const lines = text.split('\n');
    assert.equal(
      lines.find((l) => l.includes('"iat"')),
      '  "iat": 1796025600, // 30.11.2026, 09:00:00 MEZ',
    );
    assert.equal(
      lines.find((l) => l.includes('"exp"')),
      '  "exp": 1796029200, // 30.11.2026, 10:00:00 MEZ',
    );
    assert.match(lines.find((l) => l.includes('"nbf"')) ?? '', /\/\/ 30\.11\.2026, 09:00:00 MEZ$/);
    assert.deepEqual(JSON.parse(text.replace(/ \/\/ .*$/gm, '')), claims);
    assert.ok(!text.includes('"name": "exp", //'), 'only the time claims get a date');
  });

  it('follows the locale and time zone', () => {
    assert.match(claimsDocument(claims, 'ja', 'Asia/Tokyo'), /"exp": 1796029200, \/\/ 2026\/11\/30 18:00:00 JST/);
    assert.match(claimsDocument(claims, 'en', 'UTC'), /"exp": 1796029200, \/\/ Nov 30, 2026, 9:00:00\sAM UTC/);
  });
});
