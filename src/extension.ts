/**
 * Wiring only: builds the parts and connects them. Data flows one way: command → form → validated
 * connection → store → provider (sign-in through vscode.authentication) → SecretStorage → tree.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { anySignal } from './engine/abort';
import { isBroken } from './engine/storedConnection';
import type { Outlook365Api } from '../api/outlook365';
import { Outlook365AuthenticationProvider, PROVIDER_ID } from './auth/authProvider';
import { SecretStore } from './connections/secretStore';
import { openInBrowser, withSignInProgress, type OpenExternal } from './auth/signInUi';
import { confirmModal, registerCommands, type Confirm } from './commands/commands';
import { ConnectionService } from './connections/connectionService';
import { ConnectionStore } from './connections/connectionStore';
import { ConnectionsFile } from './connections/connectionsFile';
import { ConsumerApi } from './consumerApi';
import { FactsFile } from './connections/factsFile';
import { storeProblemReporter } from './connections/storeProblems';
import { watchStoreFolder } from './connections/storeWatcher';
import { FormController } from './connections/formController';
import { Log } from './log';
import { Settings } from './settings';
import { Telemetry } from './telemetry';
import { statusOf } from './connections/facts';
import { ConnectionsTreeProvider } from './tree/connectionsTree';
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
  /** The file the configurations are kept in (likewise). */
  connectionsFile: string;
  /** The raw SecretStorage, so the suite can damage an entry on purpose. */
  rawSecrets: vscode.SecretStorage;
  /** Replaces how a sign-in page is opened (the suite completes the login over HTTP). */
  setOpenExternal(open: OpenExternal | undefined): void;
  /** Replaces the modal confirmation of a command (VS Code refuses modal dialogs while extension tests run). */
  setConfirm(confirm: Confirm | undefined): void;
  openForm(connectionId?: string): ConnectionFormPanel;
}

/** The open store, so `deactivate()` can wait for its last facts to reach the disk. */
let openStore: ConnectionStore | undefined;

/** What `activate()` returns: the API for other extensions (api/outlook365.d.ts), plus the suite's seams under test. */
export type ExtensionExports = Outlook365Api & { testing?: TestingApi };

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionExports> {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const log = new Log(testMode);
  const telemetry = new Telemetry({ record: testMode, log: (message) => log.info('telemetry', message) });
  const settings = new Settings((key) => log.warn('settings', `this workspace sets ${key}; ignored: only the user settings decide where requests go`));
  const secretStore = new SecretStore(context.secrets);
  const problems = storeProblemReporter(log);
  const connectionsFile = new ConnectionsFile(path.join(context.globalStorageUri.fsPath, 'connections.json'), problems.report);
  const factsFile = new FactsFile(
    path.join(context.globalStorageUri.fsPath, 'facts.json'),
    problems.report,
    () => void secretStore.bumpFactsRevision().catch((err: unknown) => log.warn('store', `could not tell other windows about new facts (${(err as Error).name})`)),
  );
  const storeStarted = performance.now();
  const store = await ConnectionStore.open(context.globalState, connectionsFile, factsFile, problems.keptAsideInGlobalState);
  const storeMs = performance.now() - storeStarted;
  openStore = store;
  const service = new ConnectionService(store, secretStore, settings, log, telemetry);
  await service.pinMissing();
  let openExternal: OpenExternal = openInBrowser;
  let confirm: Confirm = confirmModal;
  /**
   * The one way into an interactive sign-in: the form's Connect, the Sign In command (tree and palette) and
   * other extensions (through the provider's createSession) all come here, under one cancellable progress.
   * Our own callers come here directly, not through `vscode.authentication.getSession`, so VS Code never
   * asks the user whether this extension may sign in with its own provider.
   */
  const signIn = (id: string, cancel?: AbortSignal, options: { selectAccount?: boolean; addPermissions?: readonly string[] } = {}) => {
    const name = store.getConfig(id)?.name ?? id;
    return withSignInProgress(vscode.l10n.t('Signing in to {0}…', name), (url) => openExternal(url), (ui, signal) =>
      service.signIn(id, ui, anySignal([signal, cancel]), options),
    );
  };
  const form = new FormController(service, settings, signIn);

  const openForm = (connectionId?: string) =>
    ConnectionFormPanel.show(context.extensionUri, form, { connectionId, log: { warn: (m: string) => log.warn('form', m) } });

  const provider = new Outlook365AuthenticationProvider(service, {
    signIn: (id, options) => signIn(id, undefined, options),
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

  const consumers = new ConsumerApi(service, settings);
  const tree = new ConnectionsTreeProvider(store, { changeOf: (id) => service.routingChange(id), onDidChange: settings.onDidChange });
  // The palette offers Update Endpoints only while some connection's endpoints differ from the user's settings.
  const updateEndpointsContext = () =>
    void vscode.commands.executeCommand('setContext', 'outlook365.endpointsOutdated', store.list().some((e) => !!service.routingChange(e.id)));
  updateEndpointsContext();
  const view = vscode.window.createTreeView('outlook365.connections', { treeDataProvider: tree, showCollapseAll: true });
  tree.setVisible(view.visible);

  const storeFiles = { [path.basename(connectionsFile.file)]: connectionsFile, [path.basename(factsFile.file)]: factsFile };
  const watcher = watchStoreFolder(
    context.globalStorageUri.fsPath,
    (name) => {
      const file = storeFiles[name];
      void file?.changedElsewhere().then((changed) => changed && service.changedElsewhere(file === connectionsFile ? 'configurations' : 'facts'));
    },
    (err) => log.warn('store', `cannot watch the store folder (${(err as NodeJS.ErrnoException).code ?? err.name}); other windows' changes arrive through SecretStorage only`),
  );

  context.subscriptions.push(
    watcher,
    log,
    telemetry,
    secretStore,
    store,
    service,
    provider,
    consumers,
    tree,
    view,
    view.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    store.onDidChange(updateEndpointsContext),
    settings.onDidChange(updateEndpointsContext),
    // Not "multiple accounts": with it, VS Code's account picker lists every connection even for a request
    // naming one (`connection:<id>`), and picking another one would stand in for it. Without it VS Code
    // hands out the session our getSessions returns (one per connection asked for) and our own picker
    // chooses among connections when nothing fits yet (createSession).
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, vscode.l10n.t('Microsoft Outlook 365'), provider, { supportsMultipleAccounts: false }),
    ...registerCommands({
      service,
      settings,
      log,
      openForm: (id) => void openForm(id),
      confirm: (...args) => confirm(...args),
      signIn: (id) => signIn(id),
      signInWithAnotherAccount: (id) => signIn(id, undefined, { selectAccount: true }),
      describe: (id) => consumers.describe(id),
    }),
  );

  const durationMs = performance.now() - started;
  log.info('activate', `${store.list().length} connection(s) in ${durationMs.toFixed(1)} ms (store ${storeMs.toFixed(1)} ms)`);
  telemetry.activated(store.list().length, durationMs);

  return testMode
    ? {
        ...consumers.api,
        testing: {
          service,
          provider,
          tree,
          form,
          log,
          telemetry,
          factsFile: factsFile.file,
          connectionsFile: connectionsFile.file,
          rawSecrets: context.secrets,
          setOpenExternal: (open) => (openExternal = open ?? openInBrowser),
          setConfirm: (answer) => (confirm = answer ?? confirmModal),
          openForm,
        },
      }
    : consumers.api;
}

export async function deactivate(): Promise<void> {
  await openStore?.flush();
  openStore = undefined;
}
