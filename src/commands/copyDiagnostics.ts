/**
 * "Outlook: Copy Diagnostics": asks whether to include identifiers (default: no), builds the redacted
 * report (connections/diagnosticsReport.ts) and puts it on the clipboard *and* in an untitled Markdown
 * document: the clipboard is what a support form wants, and the document shows the user exactly what was
 * copied before it goes anywhere (a clipboard's content is invisible, and may be pasted somewhere else).
 */
import * as vscode from 'vscode';
import { diagnosticsReport, type DiagnosticsEnvironment } from '../connections/diagnosticsReport';
import type { ConnectionsView } from '../connections/connectionStore';

/** Include identifiers? undefined when the user cancelled. */
export type IdentifiersChoice = () => Promise<boolean | undefined>;

/** The quick pick: redacted first (the default), identifiers only when chosen. */
export const askIdentifiers: IdentifiersChoice = async () => {
  const redacted = {
    label: vscode.l10n.t('Without identifiers'),
    detail: vscode.l10n.t('Versions, settings and each connection’s auth type, status, last error and permissions.'),
    include: false,
  };
  const withIds = {
    label: vscode.l10n.t('Include identifiers'),
    detail: vscode.l10n.t(
      'Also connection names, tenants, client IDs, accounts, mailboxes and custom hosts. Never tokens or secrets.',
    ),
    include: true,
  };
  const picked = await vscode.window.showQuickPick([redacted, withIds], {
    title: vscode.l10n.t('Copy Diagnostics'),
    placeHolder: vscode.l10n.t('What may the report contain?'),
  });
  return picked?.include;
};

export async function copyDiagnostics(
  connections: Pick<ConnectionsView, 'list' | 'facts'>,
  choose: IdentifiersChoice,
): Promise<void> {
  const includeIdentifiers = await choose();
  if (includeIdentifiers === undefined) return;
  const report = diagnosticsReport({
    environment: environmentFacts(),
    connections: connections.list().map((entry) => ({ entry, facts: connections.facts(entry.id) })),
    includeIdentifiers,
    now: new Date(),
    translate: (template) => vscode.l10n.t(template),
  });
  await vscode.env.clipboard.writeText(report);
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
  await vscode.window.showTextDocument(document, { preview: false });
  void vscode.window.showInformationMessage(
    includeIdentifiers
      ? vscode.l10n.t('Diagnostics with identifiers copied to the clipboard and shown in an editor.')
      : vscode.l10n.t('Diagnostics without identifiers copied to the clipboard and shown in an editor.'),
  );
}

function environmentFacts(): DiagnosticsEnvironment {
  const extension = vscode.extensions.getExtension('outlook365-connections.outlook365-connections');
  const has = (name: string) => !!(process.env[name] ?? process.env[name.toLowerCase()]);
  return {
    extensionVersion: versionOf(extension?.packageJSON),
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    appHost: vscode.env.appHost,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
    remoteName: vscode.env.remoteName,
    language: vscode.env.language,
    proxy: {
      httpProxySetting: !!vscode.workspace.getConfiguration('http').get<string>('proxy'),
      httpsProxyEnv: has('HTTPS_PROXY'),
      httpProxyEnv: has('HTTP_PROXY'),
      noProxyEnv: has('NO_PROXY'),
    },
  };
}

function versionOf(packageJson: unknown): string {
  const version = (packageJson as { version?: unknown } | undefined)?.version;
  return typeof version === 'string' ? version : 'unknown';
}
