import * as assert from 'node:assert/strict';
import { formatMessage } from '../../src/model/messages';
import { computeStatus, expiryText } from '../../src/engine/status';

describe('status', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const inMinutes = (m: number) => new Date(now.getTime() + m * 60000);
  const table: [string, Parameters<typeof computeStatus>[0], string][] = [
    ['never signed in', { signedIn: false }, 'notSignedIn'],
    ['42 minutes left', { signedIn: true, expiresOn: inMinutes(42) }, 'valid'],
    ['4 minutes left', { signedIn: true, expiresOn: inMinutes(4) }, 'expiringSoon'],
    ['expired a minute ago', { signedIn: true, expiresOn: inMinutes(-1) }, 'expired'],
    [
      'revoked refresh token',
      { signedIn: true, expiresOn: inMinutes(30), failure: 'reconnectRequired' },
      'reconnectRequired',
    ],
    ['consent missing', { signedIn: false, failure: 'consentRequired' }, 'consentRequired'],
    ['other failure', { signedIn: true, failure: 'error' }, 'error'],
    ['arrived through Settings Sync, secret not entered here', { signedIn: false, secretNeeded: true }, 'secretNeeded'],
  ];
  for (const [why, input, expected] of table) {
    it(`${why} → ${expected}`, () => assert.equal(computeStatus(input, now), expected));
  }

  const texts: [number, string][] = [
    [42, 'expires in 42 min'],
    [180, 'expires in 3 hr'],
    [0.2, 'expires now'],
    [-3, 'expired 3 min ago'],
    [-300, 'expired 5 hr ago'],
  ];
  for (const [minutes, text] of texts) {
    it(`${minutes} min → "${text}"`, () => assert.equal(formatMessage(expiryText(inMinutes(minutes), now)), text));
  }

  // The examples: the duration from Intl in the locale, the sentence from that language's bundle.
  const translations: Record<string, Record<string, string>> = {
    de: { 'expires in {duration}': 'läuft in {duration} ab', 'expired {duration} ago': 'vor {duration} abgelaufen' },
    fr: { 'expires in {duration}': 'expire dans {duration}', 'expired {duration} ago': 'expiré depuis {duration}' },
    ja: { 'expires in {duration}': '{duration}後に期限切れ', 'expired {duration} ago': '{duration}前に期限切れ' },
  };
  const localized: [string, number, string][] = [
    ['de', 42, 'läuft in 42 Min. ab'],
    ['de', 180, 'läuft in 3 Std. ab'],
    ['fr', 42, 'expire dans 42\u00a0min'], // French puts a no-break space before the unit
    ['fr', -3, 'expiré depuis 3\u00a0min'],
    ['ja', 42, '42 分後に期限切れ'],
    ['ja', -300, '5 時間前に期限切れ'],
  ];
  for (const [locale, minutes, text] of localized) {
    it(`${locale}: ${minutes} min → "${text}"`, () =>
      assert.equal(
        formatMessage(
          expiryText(inMinutes(minutes), now, locale),
          (template) => translations[locale][template] ?? template,
        ),
        text,
      ));
  }
});
