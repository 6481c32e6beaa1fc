/**
 * The optional "secret expires on" field of client-secret connections: a calendar day (`YYYY-MM-DD`, what
 * a date input gives), not in the past, and only where a client secret is typed or stored. Stored in the
 * configuration (it is not secret), it drives the same warnings as a certificate's end (credentialExpiry.ts).
 */
import { endOfDay, isCalendarDay } from './credentialExpiry';
import type { ConnectionConfig } from './authTypes';
import type { ConnectionDraft } from './draft';
import { msg, type Message } from './messages';

export function checkSecretExpiry(
  draft: Pick<ConnectionDraft, 'secretExpiresOn'>,
  hasSecret: boolean,
  now = new Date(),
): { day?: string; error?: Message } {
  const day = draft.secretExpiresOn.trim();
  if (!day) return {};
  if (!isCalendarDay(day)) {
    return { error: msg('Enter the day the secret expires as shown in Microsoft Entra ID, like 2027-03-31.') };
  }
  if (!hasSecret) {
    return { error: msg('Only for a client secret: enter the secret too, or leave this empty.') };
  }
  if (endOfDay(day).getTime() < now.getTime()) {
    return {
      error: msg(
        'The secret expired on {date}. Create a new client secret in Microsoft Entra ID and enter its value and its expiry date.',
        { date: day },
      ),
    };
  }
  return { day };
}

/** The day stored on a configuration, back into the form's field. */
export function secretExpiryOf(config: ConnectionConfig): string {
  return 'secretExpiresOn' in config ? (config.secretExpiresOn ?? '') : '';
}

/** The validated day onto a built configuration (the auth types with a client secret have the field). */
export function withSecretExpiry(config: ConnectionConfig, day: string | undefined): ConnectionConfig {
  return day ? ({ ...config, secretExpiresOn: day } as ConnectionConfig) : config;
}
