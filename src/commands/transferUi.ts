/**
 * What Export / Import Connections… ask and tell the user: the save and open dialogs, the connection
 * picker, the import's preview, the choice per conflict and the notifications. One object, so the
 * in-editor suite can answer it (the extension-test host cannot drive VS Code's file dialogs or a quick
 * pick from inside); the UI suite (test/ui/workbench/transfer.test.ts) drives these real ones.
 */
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../model/connection';
import type { ConflictChoice, PlannedEntry } from '../model/importPlan';
import { authTypeLabel, environmentLabel } from '../labels';

export interface PreviewItem extends vscode.QuickPickItem {
  entry?: PlannedEntry;
}

export interface TransferUi {
  /** Ids of the connections to export (all ticked at first), or undefined when cancelled. */
  pickConnections(configs: readonly ConnectionConfig[]): Thenable<string[] | undefined>;
  saveFile(defaultUri: vscode.Uri | undefined): Thenable<vscode.Uri | undefined>;
  openFile(): Thenable<vscode.Uri | undefined>;
  /** Shows what the import will do; true to go on. */
  preview(items: PreviewItem[], fileName: string): Thenable<boolean>;
  chooseConflict(entry: PlannedEntry, index: number, count: number): Thenable<ConflictChoice | undefined>;
  /** Which of the imported connections that need a secret to open the form for. */
  pickSecretNeeded(connections: { id: string; name: string }[]): Thenable<string | undefined>;
  /** A notification (an error with a detail is modal, so the list of problems can be read); the action chosen. */
  notify(kind: 'info' | 'error', message: string, detail?: string, ...actions: string[]): Thenable<string | undefined>;
}

export function previewItems(entries: readonly PlannedEntry[]): PreviewItem[] {
  const count = (status: PlannedEntry['status']) => entries.filter((e) => e.status === status).length;
  const go: PreviewItem = {
    label: `$(check) ${vscode.l10n.t('Import')}`,
    description: vscode.l10n.t('{0} new, {1} unchanged, {2} conflicts', count('new'), count('same'), count('conflict')),
    alwaysShow: true,
  };
  const items = entries.map((entry): PreviewItem => {
    const { config, status, target } = entry;
    const icon = status === 'new' ? '$(add)' : status === 'same' ? '$(pass)' : '$(warning)';
    const description =
      status === 'new'
        ? vscode.l10n.t('new')
        : status === 'same'
          ? vscode.l10n.t('same as "{0}"', target!.name)
          : vscode.l10n.t('conflict with "{0}"', target!.name);
    // In the description, which is never cut off: the detail can be.
    const secret = entry.secretsNeeded.length > 0 && status !== 'same';
    return {
      label: `${icon} ${config.name}`,
      description: secret ? `${description} · $(key) ${vscode.l10n.t('secret needed')}` : description,
      detail: [authTypeLabel(config.authType), environmentLabel(config.environment), config.tenant].join(' · '),
      entry,
    };
  });
  return [go, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...items];
}

export const defaultTransferUi: TransferUi = {
  async pickConnections(configs) {
    const items = configs.map((c) => ({
      label: c.name,
      description: `${authTypeLabel(c.authType)} · ${environmentLabel(c.environment)}`,
      picked: true,
      id: c.id,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: vscode.l10n.t('Export Connections'),
      placeHolder: vscode.l10n.t('Connections to export (configuration only, never secrets or tokens)'),
    });
    return picked?.map((p) => p.id);
  },
  saveFile: (defaultUri) =>
    vscode.window.showSaveDialog({
      defaultUri,
      saveLabel: vscode.l10n.t('Export'),
      title: vscode.l10n.t('Export Connections'),
      filters: { [vscode.l10n.t('Connection exports')]: ['json'] },
    }),
  openFile: async () =>
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: vscode.l10n.t('Import'),
        title: vscode.l10n.t('Import Connections'),
        filters: { [vscode.l10n.t('Connection exports')]: ['json'] },
      })
    )?.[0],
  async preview(items, fileName) {
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Import Connections from {0}', fileName),
      placeHolder: vscode.l10n.t('Review the connections, then choose Import (Escape cancels: nothing changes)'),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked !== undefined;
  },
  async chooseConflict(entry, index, count) {
    const existing = entry.target!.name;
    const items: (vscode.QuickPickItem & { choice: ConflictChoice })[] = [
      {
        label: vscode.l10n.t('Replace'),
        detail: vscode.l10n.t(
          'Overwrite "{0}" with the file\u2019s configuration. Its secrets stay; its tokens go if the sign-in changes.',
          existing,
        ),
        choice: 'replace',
      },
      {
        label: vscode.l10n.t('Keep both'),
        detail: vscode.l10n.t('Add the file\u2019s connection with a new ID and a numbered name.'),
        choice: 'keepBoth',
      },
      { label: vscode.l10n.t('Skip'), detail: vscode.l10n.t('Leave "{0}" as it is.', existing), choice: 'skip' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Conflict {0} of {1}: "{2}"', index, count, entry.config.name),
      placeHolder: vscode.l10n.t('"{0}" in the file differs from "{1}" here', entry.config.name, existing),
    });
    return picked?.choice;
  },
  async pickSecretNeeded(connections) {
    const picked = await vscode.window.showQuickPick(
      connections.map((c) => ({ label: c.name, id: c.id })),
      { placeHolder: vscode.l10n.t('Connection to enter secrets for') },
    );
    return picked?.id;
  },
  notify: (kind, message, detail, ...actions) =>
    kind === 'error'
      ? detail
        ? vscode.window.showErrorMessage(message, { modal: true, detail }, ...actions)
        : vscode.window.showErrorMessage(message, ...actions)
      : vscode.window.showInformationMessage(message, ...actions),
};
