/** The Connections view's icon for each status: a codicon and the theme colour that says how urgent it is. */
import * as vscode from 'vscode';
import type { ConnectionStatus } from '../engine/status';

const STATUS_ICON: Record<ConnectionStatus, [string, string | undefined]> = {
  notSignedIn: ['circle-large-outline', undefined],
  valid: ['pass-filled', 'testing.iconPassed'],
  expiringSoon: ['warning', 'list.warningForeground'],
  expired: ['history', 'list.warningForeground'],
  reconnectRequired: ['debug-disconnect', 'list.errorForeground'],
  consentRequired: ['shield', 'list.errorForeground'],
  error: ['error', 'list.errorForeground'],
  secretNeeded: ['key', 'list.warningForeground'],
};

/** One icon per status, shared by the items (they are immutable). */
export const STATUS_THEME_ICON = Object.fromEntries(
  Object.entries(STATUS_ICON).map(([status, [icon, color]]) => [
    status,
    new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined),
  ]),
) as Record<ConnectionStatus, vscode.ThemeIcon>;
