/** The command behind each fix of a Test Connection check, shared by the tree's items and the summary notification. */
import * as vscode from 'vscode';
import type { CheckFix } from './engine/graphProbe';

/** The command that carries a check's fix out, with its title (the tree item's command and the notification's button). */
export function fixCommand(id: string, fix: CheckFix): vscode.Command {
  switch (fix.kind) {
    case 'adminConsent':
      return {
        command: 'outlook365.copyAdminConsentLink',
        title: vscode.l10n.t('Copy Admin Consent Link'),
        arguments: [id],
      };
    case 'edit':
      return {
        command: 'outlook365.editConnectionWithPermission',
        title: vscode.l10n.t('Edit with {0} ticked', fix.permission),
        arguments: [id, fix.permission],
      };
    case 'signIn':
      return { command: 'outlook365.signIn', title: vscode.l10n.t('Sign In'), arguments: [id] };
  }
}
