/**
 * Export Connections… and Import Connections…: connection definitions shared through a `.json` file that
 * never holds a secret, token or password (model/connectionExport.ts). An import reads the file only after
 * checking its size, refuses anything an export does not look like (model/importFile.ts), validates every
 * entry with the form's validator, asks before using custom endpoints the user's settings do not name,
 * previews what it will do (new / unchanged / conflict, with Replace / Keep both / Skip per conflict) and
 * then writes everything at once, or nothing (connections/connectionImport.ts).
 */
import * as vscode from 'vscode';
import { isBroken } from '../model/storedConnection';
import { EXPORT_FILE_NAME, exportText, secretsNeeded } from '../model/connectionExport';
import { MAX_IMPORT_BYTES, parseImportText, tooLarge } from '../model/importFile';
import { planImport, resolveImport, type ConflictChoice, type ExistingConnection } from '../model/importPlan';
import type { ConnectionImporter } from '../connections/connectionImport';
import type { ConnectionsView } from '../connections/connectionStore';
import type { SecretStore } from '../connections/secretStore';
import type { Settings } from '../settings';
import { t } from '../localize';
import type { TreeNode } from '../tree/connectionsTree';
import { previewItems, type TransferUi } from './transferUi';

export interface TransferDeps {
  connections: ConnectionsView;
  importer: ConnectionImporter;
  secrets: Pick<SecretStore, 'storedSecretFields'>;
  settings: Pick<Settings, 'customEnvironment' | 'defaultPublicClientId'>;
  /** Asks a modal yes/no question (commands.ts `Confirm`); resolves true for `button`. */
  confirm(message: string, detail: string, button: string): Promise<boolean>;
  openForm(connectionId: string): void;
  /** The dialogs and pickers (the in-editor suite answers them; the UI suite drives the real ones). */
  ui(): TransferUi;
}

/** The two commands, run by commands.ts like every other (one message for a failure). */
export function transferCommands(deps: TransferDeps): Record<string, (arg?: TreeNode | string) => Promise<void>> {
  const { connections: store } = deps;

  async function exportConnections(arg?: TreeNode | string): Promise<void> {
    const ui = deps.ui();
    const configs = store.list().flatMap((e) => (isBroken(e) ? [] : [e]));
    const one = typeof arg === 'string' ? arg : arg?.kind === 'connection' ? arg.id : undefined;
    let chosen = configs.filter((c) => c.id === one);
    if (one === undefined) {
      if (configs.length === 0) {
        void ui.notify('info', vscode.l10n.t('There are no connections to export.'));
        return;
      }
      const picked = await ui.pickConnections(configs);
      if (!picked || picked.length === 0) return;
      chosen = configs.filter((c) => picked.includes(c.id));
    }
    if (chosen.length === 0) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await ui.saveFile(folder && vscode.Uri.joinPath(folder, EXPORT_FILE_NAME));
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportText(chosen)));
    void ui.notify(
      'info',
      vscode.l10n.t(
        'Exported {0} connection(s) to {1}. The file holds no secrets, tokens or passwords: whoever imports it enters their own.',
        chosen.length,
        target.path.split('/').pop() ?? EXPORT_FILE_NAME,
      ),
    );
  }

  async function importConnections(): Promise<void> {
    const ui = deps.ui();
    const source = await ui.openFile();
    if (!source) return;
    const refuse = (reason: string, detail?: string) =>
      void ui.notify('error', vscode.l10n.t('Nothing was imported. {0}', reason), detail);
    // The size first: a huge file is never read into memory.
    if ((await vscode.workspace.fs.stat(source)).size > MAX_IMPORT_BYTES) return refuse(t(tooLarge()));
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(source));
    } catch {
      return refuse(vscode.l10n.t('The file is not UTF-8 text.'));
    }
    const parsed = parseImportText(text);
    if (!parsed.ok) return refuse(t(parsed.problem));

    const existing: ExistingConnection[] = store.list().map((e) => ({
      id: e.id,
      name: e.name,
      ...(isBroken(e) ? {} : { config: e }),
    }));
    const plan = planImport(parsed.entries, {
      customEnvironment: deps.settings.customEnvironment(),
      defaultPublicClientId: deps.settings.defaultPublicClientId(),
      existing,
    });
    if (!plan.ok) {
      const lines = plan.invalid.flatMap((e) => e.problems.map((p) => `${e.entry} ${p.field}: ${t(p.message)}`));
      return refuse(
        vscode.l10n.t('{0} connection(s) in the file are not valid.', plan.invalid.length),
        lines.join('\n'),
      );
    }
    if (plan.foreignEndpoints.length > 0) {
      const hosts = plan.foreignEndpoints.map((e) =>
        vscode.l10n.t('Login host: {0}, Graph host: {1}', new URL(e.loginEndpoint).host, new URL(e.graphEndpoint).host),
      );
      const use = await deps.confirm(
        vscode.l10n.t(
          'The file sends sign-ins to endpoints that your outlook365.customEnvironment setting does not name. Use them?',
        ),
        `${hosts.join('\n')}\n\n${vscode.l10n.t('Its custom connections would send their secrets and tokens to these hosts. Import only from a file you trust.')}`,
        vscode.l10n.t('Use These Endpoints'),
      );
      if (!use) return;
    }
    if (plan.entries.every((e) => e.status === 'same')) {
      void ui.notify('info', vscode.l10n.t('Every connection in the file is here already, unchanged.'));
      return;
    }
    const fileName = source.path.split('/').pop() ?? '';
    if (!(await ui.preview(previewItems(plan.entries), fileName))) return;

    const choices = new Map<number, ConflictChoice>();
    const conflicts = plan.entries.flatMap((e, index) => (e.status === 'conflict' ? [index] : []));
    for (const [n, index] of conflicts.entries()) {
      const choice = await ui.chooseConflict(plan.entries[index], n + 1, conflicts.length);
      if (!choice) return;
      choices.set(index, choice);
    }
    const resolved = resolveImport(plan.entries, choices, existing, () => crypto.randomUUID());
    if (!resolved.ok) return refuse(t(resolved.problem));
    const { changes } = resolved;
    if (changes.upserts.length === 0) {
      void ui.notify('info', vscode.l10n.t('Nothing was imported: every conflict was skipped.'));
      return;
    }
    // Which of them cannot sign in yet: a replacement keeps the secrets stored for it.
    const needSecrets: { id: string; name: string }[] = [];
    for (const config of changes.upserts) {
      const stored = changes.replaced.includes(config.id) ? await deps.secrets.storedSecretFields(config.id) : [];
      const needed = secretsNeeded(config).filter((f) => !stored.includes(f));
      if (needed.length > 0) needSecrets.push({ id: config.id, name: config.name });
    }
    await deps.importer.apply(changes);
    await offerSecrets(ui, changes.upserts.length, needSecrets);
  }

  async function offerSecrets(ui: TransferUi, count: number, need: { id: string; name: string }[]): Promise<void> {
    const done = vscode.l10n.t('Imported {0} connection(s).', count);
    if (need.length === 0) {
      void ui.notify('info', done);
      return;
    }
    const enter = vscode.l10n.t('Enter Secrets');
    const answer = await ui.notify(
      'info',
      `${done} ${vscode.l10n.t('{0} need a secret before they can sign in: {1}.', need.length, need.map((c) => `"${c.name}"`).join(', '))}`,
      undefined,
      enter,
    );
    if (answer !== enter) return;
    const id = need.length === 1 ? need[0].id : await ui.pickSecretNeeded(need);
    if (id) deps.openForm(id);
  }

  return {
    'outlook365.exportConnections': exportConnections,
    'outlook365.importConnections': importConnections,
  };
}
