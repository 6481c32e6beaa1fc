/**
 * A connection's status (DESIGN.md "Connection lifecycle and status"), computed from what is known
 * without touching the network: the last token's expiry and the last failure.
 */
import type { FailureStatus } from './failures';
import { msg, type Message } from '../model/messages';
import type { CredentialState } from '../model/credentialExpiry';

export const CONNECTION_STATUSES = [
  'notSignedIn',
  'valid',
  'expiringSoon',
  'expired',
  'reconnectRequired',
  'consentRequired',
  'error',
  // The connection's own certificate or client secret (credentialExpiry.ts), not its token.
  'credentialExpiring',
  'credentialExpired',
  // A connection that came through Settings Sync (or a duplicate made without its secrets) before its
  // secret was entered on this machine: not an error, it has not been tried.
  'secretNeeded',
  'permissionMissing',
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** An access token with less than this left is "expiring soon". */
export const EXPIRING_SOON_MS = 5 * 60 * 1000;

export interface StatusInput {
  signedIn: boolean;
  expiresOn?: Date;
  /** The status the last failure left, if the last operation failed. */
  failure?: FailureStatus;
  /** The state of the connection's certificate or client secret, when its validity is known. */
  credential?: CredentialState;
  /** A secret it needs is not stored on this machine (facts.ts `secretNeeded`). */
  secretNeeded?: boolean;
  /** The last Test Connection found a permission missing (and nothing since cleared it). */
  permissionMissing?: boolean;
}

export function computeStatus(input: StatusInput, now: Date = new Date()): ConnectionStatus {
  if (input.secretNeeded) {
    return 'secretNeeded';
  }
  // An expired credential refuses every sign-in (whatever failed last); one expiring soon matters more than a token's hour.
  if (input.credential === 'expired' || input.credential === 'notYetValid') {
    return 'credentialExpired';
  }
  if (input.failure) {
    return input.failure;
  }
  if (!input.signedIn) {
    return 'notSignedIn';
  }
  if (input.credential === 'expiresSoon') {
    return 'credentialExpiring';
  }
  // Signed in, yet a check was refused: not the green tick, whatever the token's expiry.
  if (input.permissionMissing) {
    return 'permissionMissing';
  }
  if (!input.expiresOn) {
    return 'expired';
  }
  const left = input.expiresOn.getTime() - now.getTime();
  if (left <= 0) {
    return 'expired';
  }
  return left <= EXPIRING_SOON_MS ? 'expiringSoon' : 'valid';
}

/**
 * One formatter per locale and unit: the tree writes an expiry per item at every redraw (1,000 items every
 * 30 s while visible), and building an `Intl` formatter costs far more than using one.
 */
const unitFormats = new Map<string, Intl.NumberFormat>();
export function unitFormat(locale: string, unit: 'minute' | 'hour' | 'day'): Intl.NumberFormat {
  const key = `${locale}|${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' });
    unitFormats.set(key, format);
  }
  return format;
}

/**
 * "expires in 42 min", "expired 3 min ago": whole minutes, hours past two hours. The duration is written by
 * `Intl.NumberFormat` in the user's locale (the extension passes `vscode.env.language`): "42 Min." in German,
 * "42 分" in Japanese; the sentence around it is the translated template ("läuft in {duration} ab").
 * Not `Intl.RelativeTimeFormat`: its "in 42 min." would change the English text and cannot take "expires".
 */
export function expiryText(expiresOn: Date, now: Date = new Date(), locale = 'en'): Message {
  const minutes = Math.round((expiresOn.getTime() - now.getTime()) / 60000);
  const duration = (value: number, unit: 'minute' | 'hour') => unitFormat(locale, unit).format(value);
  if (minutes >= 120) {
    return msg('expires in {duration}', { duration: duration(Math.round(minutes / 60), 'hour') });
  }
  if (minutes >= 1) {
    return msg('expires in {duration}', { duration: duration(minutes, 'minute') });
  }
  if (minutes > -1) {
    return msg('expires now');
  }
  if (minutes > -120) {
    return msg('expired {duration} ago', { duration: duration(-minutes, 'minute') });
  }
  return msg('expired {duration} ago', { duration: duration(Math.round(-minutes / 60), 'hour') });
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** A calendar day in the user's locale and time zone ("12/31/2026", "31.12.2026", "2026/12/31"); one formatter per locale. */
export function dayText(date: Date, locale = 'en'): string {
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    dayFormats.set(locale, format);
  }
  return format.format(date);
}
