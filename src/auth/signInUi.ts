/**
 * The one way into an interactive sign-in, and the editor's side of it: the form's Connect, the Sign In
 * commands (tree and palette) and other extensions (through the provider's createSession) all call
 * `SignInUi.signIn`, which runs the connection's sign-in under one cancellable progress notification,
 * opens the browser through `vscode.env.openExternal` and shows a device code with "Copy & Open". Our
 * own callers come here directly, not through `vscode.authentication.getSession`, so VS Code never asks
 * the user whether this extension may sign in with its own provider. `pick` is the one connection picker.
 */
import * as vscode from 'vscode';
import { anySignal } from '../engine/abort';
import type { DeviceCodeInfo } from '../engine/flows/deviceCode';
import { isBroken } from '../model/storedConnection';
import { t } from '../localize';
import type { InteractionUi, TokenResult } from '../engine/tokenClient';
import type { ConnectionsView } from '../connections/connectionStore';
import { statusOf } from '../connections/facts';
import type { Sessions, SignInRequest } from '../connections/sessions';
import { statusLabel } from '../labels';

export type OpenExternal = (url: string) => Promise<void>;

export interface PickOptions {
  placeHolder: string;
  /** Also connections whose stored entry cannot be read (to delete them). */
  includeBroken?: boolean;
  only?: (id: string) => boolean;
  /** An "Add Connection…" item at the end (the provider's picker); otherwise an empty list offers to add one. */
  addItem?: boolean;
}

export class SignInUi {
  /** How a sign-in page is opened; the test suite replaces it (it completes the login over HTTP). */
  openExternal: OpenExternal = openInBrowser;

  constructor(
    private readonly sessions: Sessions,
    private readonly connections: ConnectionsView,
    private readonly openForm: () => void,
  ) {}

  /** The connection's interactive sign-in under a cancellable progress; `cancel` aborts it too (the form's Cancel). */
  signIn(id: string, options: SignInRequest & { cancel?: AbortSignal } = {}): Promise<TokenResult> {
    const { cancel, ...request } = options;
    const name = this.connections.getConfig(id)?.name ?? id;
    return withSignInProgress(
      vscode.l10n.t('Signing in to {0}…', name),
      (url) => this.openExternal(url),
      (ui, signal) => this.sessions.signIn(id, ui, anySignal([signal, cancel]), request),
    );
  }

  /** Asks which connection; undefined when the user cancels, picks "Add Connection…" or there is none. */
  async pick(options: PickOptions): Promise<string | undefined> {
    const connections = this.connections;
    const entries = connections
      .list()
      .filter((e) => (options.includeBroken || !isBroken(e)) && (!options.only || options.only(e.id)));
    if (entries.length === 0 && !options.addItem) {
      const add = vscode.l10n.t('Add Connection');
      if (
        (await vscode.window.showInformationMessage(vscode.l10n.t('There are no Outlook connections yet.'), add)) ===
        add
      )
        this.openForm();
      return undefined;
    }
    const items = entries.map((e) => ({
      label: e.name,
      description: isBroken(e)
        ? t(e.broken)
        : [connections.facts(e.id).account, statusLabel(statusOf(connections.facts(e.id), new Date(), e))]
            .filter(Boolean)
            .join(' · '),
      id: e.id,
    }));
    const add = { label: `$(add) ${vscode.l10n.t('Add Connection…')}`, id: '' };
    const picked = await vscode.window.showQuickPick(options.addItem ? [...items, add] : items, {
      placeHolder: options.placeHolder,
    });
    if (picked === add) this.openForm();
    return picked?.id || undefined;
  }
}

export const openInBrowser: OpenExternal = async (url) => {
  // `true` (strict) keeps the query string exactly as MSAL encoded it.
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
  if (!opened) {
    throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
  }
};

/**
 * Runs `work` under a cancellable notification; `report` updates its text (the device code, when one
 * arrives). Cancelling aborts the signal passed to `work`.
 */
export async function withSignInProgress<T>(
  title: string,
  openExternal: OpenExternal,
  work: (ui: InteractionUi, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        const ui: InteractionUi = {
          translate: t,
          openBrowser: async (url) => {
            progress.report({ message: vscode.l10n.t('Complete the sign-in in your browser…') });
            await openExternal(url);
          },
          showDeviceCode: (info: DeviceCodeInfo) => {
            progress.report({
              message: vscode.l10n.t('Enter the code {0} at {1}', info.userCode, info.verificationUri),
            });
            void offerDeviceCode(info, openExternal, () => controller.abort());
          },
        };
        return await work(ui, controller.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
}

/**
 * Shows the code in a dialog, as VS Code's own device code sign-in does; the flow polls meanwhile. The
 * dialog's Cancel cancels the sign-in, as the notification's does.
 */
async function offerDeviceCode(info: DeviceCodeInfo, openExternal: OpenExternal, cancel: () => void): Promise<void> {
  const copyAndOpen = vscode.l10n.t('Copy & Open');
  let choice: string | undefined;
  try {
    choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Device code sign-in'),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Your code: {0}\n\nTo sign in, open {1} and enter the code.',
          info.userCode,
          info.verificationUri,
        ),
      },
      copyAndOpen,
    );
  } catch {
    // No dialog (VS Code refuses dialogs under test): the code is in the progress notification and the form.
    return;
  }
  if (choice === copyAndOpen) {
    await vscode.env.clipboard.writeText(info.userCode);
    await openExternal(info.verificationUri).catch(() => undefined);
  } else {
    cancel();
  }
}
