/**
 * Duplicate Connection and Rename Connection (the view's context menu, the palette; Rename also F2 in the
 * view). Duplicate saves a copy of the configuration under a new id and a unique name, then opens the form
 * on the copy: one duplicates a connection to change something in it (tenant, mailbox, permissions), as
 * VS Code's Explorer puts a copied file straight into rename. Secrets travel only after a modal question;
 * tokens and facts never (the copy signs in on its own). Rename changes the name only: tokens and facts
 * stay, and the session's account label ("name (user)") follows for other extensions.
 */
import * as vscode from 'vscode';
import type { Configurations } from '../connections/configurations';
import type { ConnectionsView } from '../connections/connectionStore';
import { nameProblem } from '../model/validate';
import { t } from '../localize';

/** A modal question with several answers; undefined when dismissed (VS Code refuses modal dialogs in its in-editor test runs). */
export type Choose = (message: string, detail: string, answers: readonly string[]) => Promise<string | undefined>;
/** The input box (its options carry the validation), replaceable for the same reason. */
export type AskText = (options: vscode.InputBoxOptions) => Promise<string | undefined>;

export const chooseModal: Choose = async (message, detail, answers) =>
  vscode.window.showWarningMessage(message, { modal: true, detail }, ...answers);
export const askInputBox: AskText = async (options) => vscode.window.showInputBox(options);

const MAX_NAME = 100;

export interface CopyDeps {
  connections: ConnectionsView;
  configurations: Pick<Configurations, 'duplicate' | 'rename' | 'storedSecretFields'>;
  /** The connection a command acts on: its argument, or the connection picker (commands.ts). */
  resolve(arg: unknown, placeHolder: string): Promise<string | undefined>;
  /** The connection selected in the view (F2 there carries no argument: microsoft/vscode#72442). */
  selectedConnection(): string | undefined;
  openForm(connectionId?: string): void;
  choose: Choose;
  askText: AskText;
}

export function copyCommands(deps: CopyDeps): Record<string, (arg?: unknown) => Promise<void>> {
  const { connections: store, configurations } = deps;
  const otherNames = (id?: string) => store.list().flatMap((e) => (e.id === id ? [] : [e.name]));

  async function rename(id: string | undefined): Promise<void> {
    const config = id ? store.getConfig(id) : undefined;
    if (!config) return;
    const name = await deps.askText({
      title: vscode.l10n.t('Rename Connection'),
      prompt: vscode.l10n.t('New name of "{0}". Its sign-in stays.', config.name),
      value: config.name,
      valueSelection: [0, config.name.length],
      validateInput: (value) => {
        const problem = nameProblem(value, otherNames(config.id));
        return problem && t(problem);
      },
    });
    // The box validates as the user types; a caller that skips it (or another window's rename meanwhile) is checked again.
    if (name === undefined || nameProblem(name, otherNames(config.id))) return;
    await configurations.rename(config.id, name.trim());
  }

  return {
    'outlook365.duplicateConnection': async (arg) => {
      const id = await deps.resolve(arg, vscode.l10n.t('Connection to duplicate'));
      const config = id ? store.getConfig(id) : undefined;
      if (!config) return;
      let withSecrets = false;
      if ((await configurations.storedSecretFields(config.id)).length > 0) {
        const copy = vscode.l10n.t('Copy Secrets');
        const skip = vscode.l10n.t("Don't Copy");
        const answer = await deps.choose(
          vscode.l10n.t('Copy the secrets of "{0}" into the duplicate?', config.name),
          vscode.l10n.t(
            'Its client secret, certificate or password would then be stored twice on this machine. Without them the duplicate shows "secret needed on this machine" until you enter them. Tokens are never copied: the duplicate signs in by itself.',
          ),
          [copy, skip],
        );
        if (answer === undefined) return;
        withSecrets = answer === copy;
      }
      const copy = await configurations.duplicate(config.id, copyName(config.name, otherNames()), withSecrets);
      deps.openForm(copy.id);
    },
    'outlook365.renameConnection': async (arg) =>
      rename(await deps.resolve(arg, vscode.l10n.t('Connection to rename'))),
    'outlook365.renameSelectedConnection': async () => rename(deps.selectedConnection()),
  };
}

/** "<name> (copy)", else "<name> (copy 2)", … : unique (as the form's validator compares) and at most 100 characters. */
export function copyName(name: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  for (let n = 1; ; n++) {
    const candidate = (base: string) =>
      n === 1 ? vscode.l10n.t('{0} (copy)', base) : vscode.l10n.t('{0} (copy {1})', base, n);
    const overflow = candidate(name).length - MAX_NAME;
    const result =
      overflow > 0 ? candidate(name.slice(0, Math.max(1, name.length - overflow)).trimEnd()) : candidate(name);
    if (!used.has(result.toLowerCase())) return result;
  }
}
