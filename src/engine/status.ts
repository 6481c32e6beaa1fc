/**
 * A connection's status (DESIGN.md "Connection lifecycle and status"), computed from what is known
 * without touching the network: the last token's expiry and the last failure.
 */
import type { FailureStatus } from './failures';
import { msg, type Message } from './messages';

export const CONNECTION_STATUSES = ['notSignedIn', 'valid', 'expiringSoon', 'expired', 'reconnectRequired', 'consentRequired', 'error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** An access token with less than this left is "expiring soon". */
export const EXPIRING_SOON_MS = 5 * 60 * 1000;

export interface StatusInput {
  signedIn: boolean;
  expiresOn?: Date;
  /** The status the last failure left, if the last operation failed. */
  failure?: FailureStatus;
}

export function computeStatus(input: StatusInput, now: Date = new Date()): ConnectionStatus {
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

/** "expires in 42 min", "expired 3 min ago": whole minutes, hours past two hours. */
export function expiryText(expiresOn: Date, now: Date = new Date()): Message {
  const minutes = Math.round((expiresOn.getTime() - now.getTime()) / 60000);
  if (minutes >= 120) {
    return msg('expires in {hours} h', { hours: Math.round(minutes / 60) });
  }
  if (minutes >= 1) {
    return msg('expires in {minutes} min', { minutes });
  }
  if (minutes > -1) {
    return msg('expires now');
  }
  if (minutes > -120) {
    return msg('expired {minutes} min ago', { minutes: -minutes });
  }
  return msg('expired {hours} h ago', { hours: Math.round(-minutes / 60) });
}
