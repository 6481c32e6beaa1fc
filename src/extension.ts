/**
 * Wiring only: builds the parts and connects them. Data flows one way: command → form → validated
 * connection → store → provider (sign-in through vscode.authentication) → SecretStorage → tree.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { anySignal } from './engine/abort';
import { isBroken } from './engine/storedConnection';
import { Outlook365AuthenticationProvider, PROVIDER_ID } from './auth/authProvider';
import { SecretStore } from './auth/secretStore';
import { openInBrowser, withSignInProgress, type OpenExternal } from './auth/signInUi';
import { registerCommands } from './commands/commands';
import { ConnectionService } from './connections/connectionService';
import { ConnectionStore } from './connections/connectionStore';
import { FactsFile } from './connections/factsFile';
import { FormController } from './connections/formController';
import { Log } from './log';
import { Settings } from './settings';
import { Telemetry } from './telemetry';
import { ConnectionsTreeProvider, statusOf } from './tree/connectionsTree';
import { statusLabel } from './tree/labels';
import { ConnectionFormPanel } from './webview/formPanel';

/** Handed to the test suite (only when the extension runs under test) to reach the seams it checks. */
export interface TestingApi {
  service: ConnectionService;
  /** The registered provider: VS Code refuses its sign-in consent dialog under test, so the suite calls createSession itself. */
  provider: Outlook365AuthenticationProvider;
  tree: ConnectionsTreeProvider;
  form: FormController;
  log: Log;
  telemetry: Telemetry;
  /** The file the facts are kept in (the suite reads it, and writes it as another window would). */
  factsFile: string;
  /** The raw SecretStorage, so the suite can damage an entry on purpose. */
  rawSecrets: vscode.SecretStorage;
  /** Replaces how a sign-in page is opened (the suite completes the login over HTTP). */
  setOpenExternal(open: OpenExternal | undefined): void;
  openForm(connectionId?: string): ConnectionFormPanel;
}

/** The open store, so `deactivate()` can wait for its last facts to reach the disk. */
let openStore: ConnectionStore | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ testing?: TestingApi }> {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const log = new Log(testMode);
  const telemetry = new Telemetry({ record: testMode, log: (message) => log.info('telemetry', message) });
  const settings = new Settings();
  const secretStore = new SecretStore(context.secrets);
  const factsFile = new FactsFile(
    path.join(context.globalStorageUri.fsPath, 'facts.json'),
    (message) => log.warn('store', message),
    () => void secretStore.bumpFactsRevision().catch((err: unknown) => log.warn('store', `could not tell other windows about new facts (${(err as Error).name})`)),
  );
  const storeStarted = performance.now();
  const store = await ConnectionStore.open(context.globalState, factsFile);
  const storeMs = performance.now() - storeStarted;
  openStore = store;
  const service = new ConnectionService(store, secretStore, settings, log, telemetry);
  let openExternal: OpenExternal = openInBrowser;
  /** The interactive sign-in of one connection, under cancellable progress. */
  const signIn = (id: string, cancel?: AbortSignal) => {
    const name = store.getConfig(id)?.name ?? id;
    return withSignInProgress(vscode.l10n.t('Signing in to {0}…', name), (url) => openExternal(url), (ui, signal) =>
      service.signIn(id, ui, anySignal([signal, cancel])),
    );
  };
  const form = new FormController(service, settings, signIn);

  const openForm = (connectionId?: string) =>
    ConnectionFormPanel.show(context.extensionUri, form, { connectionId, log: { warn: (m: string) => log.warn('form', m) } });

  const provider = new Outlook365AuthenticationProvider(service, {
    signIn: (id) => signIn(id),
    pickConnection: async () => {
      const entries = store.list().filter((e) => !isBroken(e));
      const add = { label: `$(add) ${vscode.l10n.t('Add Connection…')}`, id: '' };
      const picked = await vscode.window.showQuickPick(
        [...entries.map((e) => ({ label: e.name, description: statusLabel(statusOf(store.facts(e.id))), id: e.id })), add],
        { placeHolder: vscode.l10n.t('Choose the Outlook connection to sign in with') },
      );
      if (picked === add) openForm();
      return picked?.id || undefined;
    },
  });

  const tree = new ConnectionsTreeProvider(store, () => settings.defaultPublicClientId());
  const view = vscode.window.createTreeView('outlook365.connections', { treeDataProvider: tree, showCollapseAll: true });
  tree.setVisible(view.visible);

  context.subscriptions.push(
    log,
    telemetry,
    secretStore,
    store,
    service,
    provider,
    tree,
    view,
    view.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, vscode.l10n.t('Microsoft Outlook 365'), provider, { supportsMultipleAccounts: true }),
    ...registerCommands({ service, settings, log, openForm: (id) => void openForm(id) }),
  );

  const durationMs = performance.now() - started;
  log.info('activate', `${store.list().length} connection(s) in ${durationMs.toFixed(1)} ms (store ${storeMs.toFixed(1)} ms)`);
  telemetry.activated(store.list().length, durationMs);

  return testMode
    ? {
        testing: {
          service,
          provider,
          tree,
          form,
          log,
          telemetry,
          factsFile: factsFile.file,
          rawSecrets: context.secrets,
          setOpenExternal: (open) => (openExternal = open ?? openInBrowser),
          openForm,
        },
      }
    : {};
}

export async function deactivate(): Promise<void> {
  await openStore?.flush();
  openStore = undefined;
}
