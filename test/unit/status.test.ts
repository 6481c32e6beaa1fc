import * as assert from 'node:assert/strict';
import { formatMessage } from '../../src/engine/messages';
import { computeStatus, expiryText } from '../../src/engine/status';

describe('status', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const inMinutes = (m: number) => new Date(now.getTime() + m * 60000);
  const table: [string, Parameters<typeof computeStatus>[0], string][] = [
    ['never signed in', { signedIn: false }, 'notSignedIn'],
    ['42 minutes left', { signedIn: true, expiresOn: inMinutes(42) }, 'valid'],
    ['4 minutes left', { signedIn: true, expiresOn: inMinutes(4) }, 'expiringSoon'],
    ['expired a minute ago', { signedIn: true, expiresOn: inMinutes(-1) }, 'expired'],
    ['revoked refresh token', { signedIn: true, expiresOn: inMinutes(30), failure: 'reconnectRequired' }, 'reconnectRequired'],
    ['consent missing', { signedIn: false, failure: 'consentRequired' }, 'consentRequired'],
    ['other failure', { signedIn: true, failure: 'error' }, 'error'],
  ];
  for (const [why, input, expected] of table) {
    it(`${why} → ${expected}`, () => assert.equal(computeStatus(input, now), expected));
  }

  const texts: [number, string][] = [
    [42, 'expires in 42 min'],
    [180, 'expires in 3 h'],
    [0.2, 'expires now'],
    [-3, 'expired 3 min ago'],
    [-300, 'expired 5 h ago'],
  ];
  for (const [minutes, text] of texts) {
    it(`${minutes} min → "${text}"`, () => assert.equal(formatMessage(expiryText(inMinutes(minutes), now)), text));
  }
});
