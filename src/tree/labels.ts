/** Localized labels for auth types, environments and statuses (one place, shared by tree and pickers). */
import * as vscode from 'vscode';
import type { AuthType } from '../engine/connection';
import type { EnvironmentId } from '../engine/clouds';
import type { ConnectionStatus } from '../engine/status';

export function authTypeLabel(authType: AuthType): string {
  switch (authType) {
    case 'authCode':
      return vscode.l10n.t('OAuth 2.0 authorization code (Microsoft public app)');
    case 'byoApp':
      return vscode.l10n.t('Bring your own OAuth 2.0 app');
    case 'clientCredentials':
      return vscode.l10n.t('OAuth 2.0 client credentials (service account)');
    case 'clientCertificate':
      return vscode.l10n.t('Client certificate');
    case 'ropc':
      return vscode.l10n.t('Username and password (ROPC, not recommended)');
  }
}

export function environmentLabel(environment: EnvironmentId): string {
  switch (environment) {
    case 'global':
      return vscode.l10n.t('Office 365');
    case 'usGovL4':
      return vscode.l10n.t('US Government L4 (GCC High)');
    case 'usGovL5':
      return vscode.l10n.t('US Government L5 (DoD)');
    case 'china':
      return vscode.l10n.t('China (21Vianet)');
    case 'custom':
      return vscode.l10n.t('Custom endpoints');
  }
}

export function statusLabel(status: ConnectionStatus): string {
  switch (status) {
    case 'notSignedIn':
      return vscode.l10n.t('not signed in');
    case 'valid':
      return vscode.l10n.t('valid');
    case 'expiringSoon':
      return vscode.l10n.t('expiring soon');
    case 'expired':
      return vscode.l10n.t('expired');
    case 'reconnectRequired':
      return vscode.l10n.t('reconnect required');
    case 'consentRequired':
      return vscode.l10n.t('admin consent required');
    case 'error':
      return vscode.l10n.t('error');
  }
}
