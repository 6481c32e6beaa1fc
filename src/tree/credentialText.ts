/**
 * The words the Connections view and the expiry warning use for a connection's certificate or client
 * secret: its validity, thumbprint and how long it has left. Dates and durations in the user's language
 * (status.ts's `Intl` helpers, `vscode.env.language`).
 */
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../model/connection';
import {
  credentialState,
  credentialValidity,
  daysLeft,
  formatThumbprint,
  type CredentialValidity,
} from '../model/credentialExpiry';
import { dayText, unitFormat } from '../engine/status';

/** "certificate valid until 31 Dec 2026, thumbprint AB:CD:…" or "client secret expires on …": the full fact. */
export function credentialSummary(config: ConnectionConfig, locale = vscode.env.language): string | undefined {
  const validity = credentialValidity(config);
  if (!validity) return undefined;
  const until = dayText(validity.notAfter, locale);
  if (validity.kind === 'secret') {
    return vscode.l10n.t('client secret valid until {0}', until);
  }
  return validity.thumbprintSha1
    ? vscode.l10n.t('certificate valid until {0}, thumbprint {1}', until, formatThumbprint(validity.thumbprintSha1))
    : vscode.l10n.t('certificate valid until {0}', until);
}

/** Only what needs attention: "certificate expires in 10 days", "client secret expired on …"; else undefined. */
export function credentialAlert(
  config: ConnectionConfig,
  now = new Date(),
  locale = vscode.env.language,
): string | undefined {
  const validity = credentialValidity(config);
  return validity && alertOf(validity, now, locale);
}

function alertOf(validity: CredentialValidity, now: Date, locale: string): string | undefined {
  const certificate = validity.kind === 'certificate';
  switch (credentialState(validity, now)) {
    case 'valid':
      return undefined;
    case 'expiresSoon': {
      const days = unitFormat(locale, 'day').format(daysLeft(validity, now));
      return certificate
        ? vscode.l10n.t('certificate expires in {0}', days)
        : vscode.l10n.t('client secret expires in {0}', days);
    }
    case 'expired': {
      const day = dayText(validity.notAfter, locale);
      return certificate
        ? vscode.l10n.t('certificate expired on {0}', day)
        : vscode.l10n.t('client secret expired on {0}', day);
    }
    case 'notYetValid':
      return vscode.l10n.t('certificate not valid before {0}', dayText(validity.notBefore!, locale));
  }
}

/** The "Certificate" / "Client secret" line under a connection, when its validity is known. */
export function credentialDetail(
  config: ConnectionConfig,
): { label: string; description: string; icon: vscode.ThemeIcon; tooltip?: string } | undefined {
  const validity = credentialValidity(config);
  const summary = credentialSummary(config);
  if (!validity || !summary) return undefined;
  const alert = credentialAlert(config);
  return {
    label: validity.kind === 'certificate' ? vscode.l10n.t('Certificate') : vscode.l10n.t('Client secret'),
    description: alert ?? summary,
    icon: new vscode.ThemeIcon(
      'workspace-untrusted',
      alert ? new vscode.ThemeColor('list.warningForeground') : undefined,
    ),
    ...(alert ? { tooltip: summary } : {}),
  };
}
