/**
 * Localized labels for auth types, environments and statuses (one place, shared by tree and pickers).
 * Each is looked up once: the language does not change while the window runs, and the tree asks for a
 * status label per item on every redraw (1,000 `vscode.l10n.t` calls were a good part of its first draw).
 */
import * as vscode from 'vscode';
import { AUTH_TYPE_TABLE, type AuthType } from './model/authTypes';
import type { EnvironmentId } from './model/clouds';
import type { ConnectionStatus } from './engine/status';
import { t } from './localize';

export const authTypeLabel = once(lookUpAuthTypeLabel);
export const environmentLabel = once(lookUpEnvironmentLabel);
export const statusLabel = once(lookUpStatusLabel);

function lookUpAuthTypeLabel(authType: AuthType): string {
  return t(AUTH_TYPE_TABLE[authType].label);
}

function lookUpEnvironmentLabel(environment: EnvironmentId): string {
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

function lookUpStatusLabel(status: ConnectionStatus): string {
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
    case 'secretNeeded':
      return vscode.l10n.t('secret needed on this machine');
  }
}

function once<K extends string>(lookUp: (key: K) => string): (key: K) => string {
  const cache = new Map<K, string>();
  return (key) => {
    let label = cache.get(key);
    if (label === undefined) {
      label = lookUp(key);
      cache.set(key, label);
    }
    return label;
  };
}
