/**
 * A connection's status (DESIGN.md "Connection lifecycle and status"), computed from what is known
 * without touching the network: the last token's expiry and the last failure.
 */
import type { FailureStatus } from './failures';
import { msg, type Message } from '../model/messages';

export const CONNECTION_STATUSES = [
  'notSignedIn',
  'valid',
  'expiringSoon',
  'expired',
  'reconnectRequired',
  'consentRequired',
  'error',
  // A connection that came through Settings Sync (or a duplicate made without its secrets) before its
  // secret was entered on this machine: not an error, it has not been tried.
  'secretNeeded',
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** An access token with less than this left is "expiring soon". */
export const EXPIRING_SOON_MS = 5 * 60 * 1000;

export interface StatusInput {
  signedIn: boolean;
  expiresOn?: Date;
  /** The status the last failure left, if the last operation failed. */
  failure?: FailureStatus;
  /** A secret it needs is not stored on this machine (facts.ts `secretNeeded`). */
  secretNeeded?: boolean;
}

export function computeStatus(input: StatusInput, now: Date = new Date()): ConnectionStatus {
  if (input.secretNeeded) {
    return 'secretNeeded';
  }
  if (input.failure) {
    return input.failure;
  }
  if (!input.signedIn) {
    return 'notSignedIn';
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
function unitFormat(locale: string, unit: 'minute' | 'hour'): Intl.NumberFormat {
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
