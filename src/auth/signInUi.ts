/**
 * The editor's side of an interactive sign-in: cancellable progress, the browser opened through
 * `vscode.env.openExternal`, and the device code shown with "Copy & Open".
 */
import * as vscode from 'vscode';
import type { DeviceCodeInfo } from '../engine/flows/deviceCode';
import type { InteractionUi } from '../engine/tokenClient';

export type OpenExternal = (url: string) => Promise<void>;

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
          openBrowser: async (url) => {
            progress.report({ message: vscode.l10n.t('Complete the sign-in in your browser…') });
            await openExternal(url);
          },
          showDeviceCode: (info: DeviceCodeInfo) => {
            progress.report({ message: vscode.l10n.t('Enter the code {0} at {1}', info.userCode, info.verificationUri) });
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
      { modal: true, detail: vscode.l10n.t('Your code: {0}\n\nTo sign in, open {1} and enter the code.', info.userCode, info.verificationUri) },
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
