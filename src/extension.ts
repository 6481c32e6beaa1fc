/**
 * Wiring only: builds the parts and connects them. Data flows one way: command → form → validated
 * connection → store → provider (sign-in through vscode.authentication) → SecretStorage → tree.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { Outlook365Api } from '../api/outlook365';
import { Outlook365AuthenticationProvider, PROVIDER_ID } from './auth/authProvider';
import { openInBrowser, SignInUi, type OpenExternal } from './auth/signInUi';
import type { Confirm } from './commands/commands';
import type { AskText, Choose } from './commands/copies';
import { registerExportSchema } from './commands/exportSchema';
import { registerCommands } from './commands/registerCommands';
import type { TransferUi } from './commands/transferUi';
import type { IdentifiersChoice } from './commands/copyDiagnostics';
import { Configurations } from './connections/configurations';
import { ConnectionStore } from './connections/connectionStore';
import { ConnectionsFile } from './connections/connectionsFile';
import { ConnectionTester } from './connections/connectionTest';
import { FactsFile } from './connections/factsFile';
import { OutcomeRecorder } from './connections/outcomes';
import { SecretStore } from './connections/secretStore';
import { ConnectionsSync } from './connections/settingsSync';
import { Sessions } from './connections/sessions';
import { storeProblemReporter } from './connections/storeProblems';
import { WindowSync } from './connections/windowSync';
import { ConsumerApi } from './consumerApi';
import type { GraphRequests } from './connections/graphRequests';
import { CredentialWarnings } from './tree/credentialWarnings';
import { Log } from './log';
import { Settings } from './settings';
import { Telemetry } from './telemetry';
import { ConnectionsTreeProvider, type TreeNode } from './tree/connectionsTree';
import type { FormController } from './webview/formController';
import type { ConnectionFormPanel } from './webview/formPanel';

/** The exported API's Graph requests are loaded on the first `api.graphRequest` (dist/graph.js). */
const loadGraphRequests = () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./connections/graphRequests') as typeof import('./connections/graphRequests');

/** The form's host side is loaded when the form is first needed (dist/formHost.js, scripts/lazyChunks.mjs). */
let formParts: typeof import('./webview/formParts') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadFormParts = () => (formParts ??= require('./webview/formParts') as typeof import('./webview/formParts'));

/** Handed to the test suite (only when the extension runs under test) to reach the seams it checks. */
export interface TestingApi {
  /** The store itself (reads, and the writes another window would make). */
  store: ConnectionStore;
  sessions: Sessions;
  configurations: Configurations;
  tester: ConnectionTester;
  /** The registered provider: VS Code refuses its sign-in consent dialog under test, so the suite calls createSession itself. */
  provider: Outlook365AuthenticationProvider;
  tree: ConnectionsTreeProvider;
  /** The daily expiry warnings; the suite sets their clock and notification. */
  credentialWarnings: CredentialWarnings;
  /** The Connections view (its selection is what F2 renames). */
  view: vscode.TreeView<TreeNode>;
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
  /** Replaces Duplicate's modal question and Rename's input box, for the same reason. */
  setPrompts(prompts: { choose?: Choose; askText?: AskText }): void;
  /** Settings Sync of the definitions: what it gave `setKeysForSync`, and a reconciliation on demand. */
  connectionsSync: ConnectionsSync;
  /** The extension's globalState (the suite writes the synced key as Settings Sync would). */
  globalState: vscode.Memento;
  /** Replaces the dialogs and pickers of Export / Import Connections… (the extension host cannot drive VS Code's own). */
  setTransferUi(ui: Partial<TransferUi> | undefined): void;
  /** Answers Copy Diagnostics' "include identifiers?" quick pick (undefined: the real one again). */
  setIdentifiersChoice(choose: IdentifiersChoice | undefined): void;
  openForm(connectionId?: string, options?: { addPermissions?: readonly string[] }): ConnectionFormPanel;
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
  const settings = new Settings((key) =>
    log.warn('settings', `this workspace sets ${key}; ignored: only the user settings decide where requests go`),
  );
  const secretStore = new SecretStore(context.secrets);
  const sync = new WindowSync(context.secrets, log);
  const problems = storeProblemReporter(log);
  const folder = context.globalStorageUri.fsPath;
  const connectionsFile = new ConnectionsFile(path.join(folder, 'connections.json'), problems.report);
  const factsFile = new FactsFile(path.join(folder, 'facts.json'), problems.report, () => sync.factsWritten());
  const storeStarted = performance.now();
  const store = await ConnectionStore.open(
    context.globalState,
    connectionsFile,
    factsFile,
    problems.keptAsideInGlobalState,
    () => sync.configurationsWritten(),
  );
  const storeMs = performance.now() - storeStarted;
  openStore = store;
  sync.follow(store, { folder, connections: connectionsFile, facts: factsFile });

  const outcomes = new OutcomeRecorder(store, log, telemetry);
  const sessions = new Sessions(store, secretStore, settings, outcomes, log);
  const configurations = new Configurations(store, secretStore, sessions, settings, outcomes, log);
  // A claims challenge that no silent request can answer signs in interactively (signInUi, declared below).
  const signInWithClaims = (id: string, claims: string) => signInUi.signIn(id, { claims });
  const tester = new ConnectionTester(store, sessions, settings, outcomes, signInWithClaims);
  await configurations.pinMissing();
  const connectionsSync = new ConnectionsSync(
    context.globalState,
    (keys) => context.globalState.setKeysForSync([...keys]),
    store,
    secretStore,
    sessions,
    settings,
    log,
  );
  // Not awaited: activation does not wait for Settings Sync's merge (it takes the file's lock when on).
  void connectionsSync.start();

  const signInUi = new SignInUi(sessions, store, () => void openForm());
  let formController: FormController | undefined;
  const form = () =>
    (formController ??= new (loadFormParts().FormController)(store, configurations, sessions, settings, signInUi));
  const openForm = (connectionId?: string, options: { addPermissions?: readonly string[] } = {}) =>
    loadFormParts().ConnectionFormPanel.show(context.extensionUri, form(), {
      connectionId,
      connectionName: connectionId ? store.getConfig(connectionId)?.name : undefined,
      ...options,
      log: { warn: (m: string) => log.warn('form', m) },
    });
  const provider = new Outlook365AuthenticationProvider(store, sessions, signInUi);
  let graphRequests: GraphRequests | undefined;
  const consumers = new ConsumerApi(store, configurations, settings, {
    request: (...args) => {
      graphRequests ??= new (loadGraphRequests().GraphRequests)(store, sessions, settings, signInWithClaims);
      return graphRequests.request(...args);
    },
  });
  const credentialWarnings = new CredentialWarnings(store, context.globalState, (id) => void openForm(id));
  const tree = new ConnectionsTreeProvider(store, {
    changeOf: (id) => configurations.routingChange(id),
    onDidChange: settings.onDidChange,
  });
  // The palette offers Update Endpoints only while some connection's endpoints differ from the user's settings.
  // Looked at once per turn, whatever changed in it (50 refreshes at once change 50 connections' facts,
  // and a look is a loop over every connection), and said to VS Code only when it changed.
  let endpointsOutdated: boolean | undefined;
  let endpointsLookQueued = false;
  const updateEndpointsContext = () => {
    if (endpointsLookQueued) return;
    endpointsLookQueued = true;
    setImmediate(() => {
      endpointsLookQueued = false;
      const outdated = store.list().some((e) => !!configurations.routingChange(e.id));
      if (outdated === endpointsOutdated) return;
      endpointsOutdated = outdated;
      void vscode.commands.executeCommand('setContext', 'outlook365.endpointsOutdated', outdated);
    });
  };
  // After activation, not in it: neither is needed for the tree's first paint, and with 1,000 connections
  // both loops were a sixth of activate() (bench, the activation profile).
  updateEndpointsContext();
  setImmediate(() => void credentialWarnings.check());
  const view = vscode.window.createTreeView('outlook365.connections', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  tree.setVisible(view.visible);
  // Test Connection's "Show Checklist": the connection's item, expanded, with its checks below it.
  const revealChecklist = (id: string) =>
    view.reveal({ kind: 'connection', id }, { expand: true, select: true, focus: true });
  // The suite's answers in place of dialogs; undefined: the real ones, from the commands chunk (loaded on the
  // first command, registerCommands.ts).
  let confirm: Confirm | undefined;
  let choose: Choose | undefined;
  let askText: AskText | undefined;
  let transferUi: Partial<TransferUi> | undefined;
  let chooseIdentifiers: IdentifiersChoice | undefined;

  context.subscriptions.push(
    log,
    telemetry,
    secretStore,
    sync,
    sync.onDidChangeConfigurations(() => sessions.dropClients()),
    store,
    sessions,
    configurations,
    connectionsSync,
    provider,
    consumers,
    credentialWarnings,
    tree,
    view,
    view.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    store.onDidChange(updateEndpointsContext),
    settings.onDidChange(updateEndpointsContext),
    // Not "multiple accounts": with it, VS Code's account picker lists every connection even for a request
    // naming one (`connection:<id>`), and picking another one would stand in for it. Without it VS Code
    // hands out the session our getSessions returns (one per connection asked for) and our own picker
    // chooses among connections when nothing fits yet (createSession).
    vscode.authentication.registerAuthenticationProvider(
      PROVIDER_ID,
      vscode.l10n.t('Microsoft Outlook 365'),
      provider,
      { supportsMultipleAccounts: false },
    ),
    ...registerCommands((chunk) => ({
      connections: store,
      configurations,
      sessions,
      tester,
      signInUi,
      log,
      openForm: (id, options) => void openForm(id, options),
      revealChecklist: (id) => void revealChecklist(id),
      confirm: (...args) => (confirm ?? chunk.confirmModal)(...args),
      describe: (id) => consumers.describe(id),
      copies: {
        choose: (...args) => (choose ?? chunk.chooseModal)(...args),
        askText: (options) => (askText ?? chunk.askInputBox)(options),
        selectedConnection: () => {
          const node = view.selection[0];
          return node?.kind === 'connection' ? node.id : undefined;
        },
      },
      transfer: {
        importer: new chunk.ConnectionImporter(store, secretStore, sessions, log),
        secrets: secretStore,
        settings,
        ui: () => ({ ...chunk.defaultTransferUi, ...transferUi }),
      },
      chooseIdentifiers: () => (chooseIdentifiers ?? chunk.askIdentifiers)(),
    })),
    registerExportSchema(context.extensionUri),
  );

  const durationMs = performance.now() - started;
  log.info(
    'activate',
    `${store.list().length} connection(s) in ${durationMs.toFixed(1)} ms (store ${storeMs.toFixed(1)} ms)`,
  );
  telemetry.activated(store.list().length, durationMs);

  return testMode
    ? {
        ...consumers.api,
        testing: {
          store,
          sessions,
          configurations,
          tester,
          provider,
          tree,
          credentialWarnings,
          view,
          get form() {
            return form();
          },
          log,
          telemetry,
          factsFile: factsFile.file,
          connectionsFile: connectionsFile.file,
          rawSecrets: context.secrets,
          setOpenExternal: (open) => (signInUi.openExternal = open ?? openInBrowser),
          setConfirm: (answer) => (confirm = answer),
          setPrompts: (prompts) => {
            choose = prompts.choose;
            askText = prompts.askText;
          },
          connectionsSync,
          globalState: context.globalState,
          setTransferUi: (ui) => (transferUi = ui),
          setIdentifiersChoice: (choose) => (chooseIdentifiers = choose),
          openForm,
        },
      }
    : consumers.api;
}

export async function deactivate(): Promise<void> {
  await openStore?.flush();
  openStore = undefined;
}
