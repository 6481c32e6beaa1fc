/**
 * Test Connection from the palette or the tree: the checklist under a cancellable progress that names the
 * check running, then a summary notification with the first fix (the admin consent link, the form with the
 * missing permission ticked, or a sign-in) and "Show Checklist". The checklist itself stays under the
 * connection in the tree (its facts).
 */
import * as vscode from 'vscode';
import type { Check, CheckFix, CheckName } from '../engine/graphProbe';
import { fixCommand } from '../checkFixes';
import type { ConnectionTester } from '../connections/connectionTest';
import type { ConnectionsView } from '../connections/connectionStore';
import { t } from '../localize';
import { checkTitle } from '../labels';

export interface TestCommandDeps {
  connections: ConnectionsView;
  tester: ConnectionTester;
  /** Shows the connection's checklist in the Connections view. */
  revealChecklist(id: string): void;
}

export async function testConnection(deps: TestCommandDeps, id: string): Promise<void> {
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Testing the connection…'),
      cancellable: true,
    },
    (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() =>
        controller.abort(new DOMException('The test was cancelled.', 'AbortError')),
      );
      const onCheck = (name: CheckName) => progress.report({ message: checkTitle(name) });
      return deps.tester.test(id, { signal: controller.signal, onCheck }).finally(() => {
        cancel.dispose();
      });
    },
  );
  const text = `${deps.connections.getConfig(id)?.name}: ${t(result.summary)}`;
  const fix = result.checks.find((c) => c.result === 'failed' && c.fix)?.fix;
  const action = fix ? fixCommand(id, fix) : undefined;
  const show = vscode.l10n.t('Show Checklist');
  const buttons = [...(action ? [action.title] : []), show];
  // Not awaited: the test is over; the notification stays until the user answers or dismisses it.
  void (
    result.ok ? vscode.window.showInformationMessage(text, show) : vscode.window.showWarningMessage(text, ...buttons)
  ).then((answer) => {
    if (answer === show) deps.revealChecklist(id);
    else if (action && answer === action.title) {
      void vscode.commands.executeCommand(action.command, ...((action.arguments ?? []) as unknown[]));
    }
  });
}

/** The fix of a check shown under a connection (an inline action gets the tree node, not the arguments). */
export function fixOf(connections: ConnectionsView, id: string, name: string): CheckFix | undefined {
  return connections.facts(id).lastTest?.checks?.find((c: Check) => c.name === name)?.fix;
}
