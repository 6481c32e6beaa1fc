/**
 * When a connection's own credential runs out: the certificate's validity (read from the .pfx when it is
 * saved) or the "secret expires on" date the user typed for a client secret. Both are facts of the stored
 * configuration, never secrets. Tokens say nothing about this: an app credential that expires breaks every
 * later sign-in, so the user is told 30 days ahead (the tree's status, a daily warning).
 *
 * Webview-safe (the validator uses it in the form): no Node import.
 */
import type { ConnectionConfig } from './authTypes';
import { msg, type Message } from './messages';

/** A credential expiring within this many days is "expires soon". */
export const CREDENTIAL_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CredentialValidity {
  kind: 'certificate' | 'secret';
  notBefore?: Date;
  notAfter: Date;
  /** Certificates: SHA-1 (hex), what Entra's Certificates & secrets page lists as the thumbprint. */
  thumbprintSha1?: string;
}

export type CredentialState = 'valid' | 'expiresSoon' | 'expired' | 'notYetValid';

/** The validity known from the configuration, if any. */
export function credentialValidity(config: ConnectionConfig): CredentialValidity | undefined {
  if (config.authType === 'clientCertificate') {
    if (!config.certificateNotAfter) return undefined;
    return {
      kind: 'certificate',
      notAfter: new Date(config.certificateNotAfter),
      ...(config.certificateNotBefore ? { notBefore: new Date(config.certificateNotBefore) } : {}),
      ...(config.certificateThumbprintSha1 ? { thumbprintSha1: config.certificateThumbprintSha1 } : {}),
    };
  }
  if ((config.authType === 'byoApp' || config.authType === 'clientCredentials') && config.secretExpiresOn) {
    return { kind: 'secret', notAfter: endOfDay(config.secretExpiresOn) };
  }
  return undefined;
}

/** A secret typed as expiring on a day works through that day (UTC: Entra shows and keeps its end dates in UTC). */
export function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

export function credentialState(validity: CredentialValidity, now: Date): CredentialState {
  if (validity.notBefore && now.getTime() < validity.notBefore.getTime()) return 'notYetValid';
  const left = validity.notAfter.getTime() - now.getTime();
  if (left <= 0) return 'expired';
  return left <= CREDENTIAL_WARNING_DAYS * DAY_MS ? 'expiresSoon' : 'valid';
}

/** Whole days left, rounded up (a credential expiring in 3 hours has 1 day left). */
export function daysLeft(validity: CredentialValidity, now: Date): number {
  return Math.max(0, Math.ceil((validity.notAfter.getTime() - now.getTime()) / DAY_MS));
}

/**
 * Why a certificate cannot be used now (expired, or not valid yet), or undefined. Entra refuses such a
 * certificate anyway (AADSTS1000502); refusing it here says why before anything is sent.
 */
export function certificateRefusal(validity: { notBefore?: Date; notAfter: Date }, now: Date): Message | undefined {
  if (validity.notBefore && now.getTime() < validity.notBefore.getTime()) {
    return msg(
      'The certificate is not valid before {date}. Check this computer\u2019s clock, or use a certificate that is valid now.',
      { date: validity.notBefore.toISOString().slice(0, 10) },
    );
  }
  if (validity.notAfter.getTime() <= now.getTime()) {
    return msg(
      'The certificate expired on {date}. Create a new certificate, upload its .cer to the app registration and choose its .pfx with Edit Connection.',
      { date: validity.notAfter.toISOString().slice(0, 10) },
    );
  }
  return undefined;
}

/** `AB:CD:…` as certificate viewers (and Entra, without the colons) write a thumbprint. */
export function formatThumbprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` that is a real calendar day. */
export function isCalendarDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
