/**
 * Every command of the Connections view and palette (category "Outlook"). Commands that need a
 * connection take the tree node they were invoked on, or ask with a quick pick from the palette.
 * Each runs through `runCommand`, which turns failures into one localized message.
 */
import * as vscode from 'vscode';
import { adminConsentUrl, redirectUriAdvice } from '../model/adminConsent';
import { claimsDocument, decodeJwtClaims } from '../model/claims';
import { ConnectionError } from '../engine/connectionError';
import type { RoutingChange } from '../model/pinning';
import type { Outlook365Connection } from '../../api/outlook365';
import type { SignInUi } from '../auth/signInUi';
import type { Configurations } from '../connections/configurations';
import type { ConnectionTester } from '../connections/connectionTest';
import type { ConnectionsView } from '../connections/connectionStore';
import type { Sessions } from '../connections/sessions';
import type { Log } from '../log';
import { t } from '../localize';
import type { TreeNode } from '../tree/connectionsTree';
import { copyCommands, type CopyDeps } from './copies';
import { transferCommands, type TransferDeps } from './transfer';
import { fixOf, testConnection } from './testConnection';
import { usageSnippet } from './usageSnippet';
import { copyDiagnostics, type IdentifiersChoice } from './copyDiagnostics';

export interface CommandDeps {
  connections: ConnectionsView;
  configurations: Configurations;
  sessions: Sessions;
  tester: ConnectionTester;
  /** The one interactive sign-in (progress, cancel) and connection picker, as the form and other extensions get them. */
  signInUi: Pick<SignInUi, 'signIn' | 'pick'>;
  log: Log;
  openForm(connectionId?: string, options?: { addPermissions?: readonly string[] }): void;
  /** Shows a connection's Test Connection checklist in the Connections view. */
  revealChecklist(connectionId: string): void;
  /** Asks a modal yes/no question; resolves true for `button`. */
  confirm: Confirm;
  /** A connection as other extensions see it (for the usage snippet). */
  describe(connectionId: string): Outlook365Connection | undefined;
  /** Duplicate's question, Rename's input box and the view's selection (copies.ts). */
  copies: Pick<CopyDeps, 'choose' | 'askText' | 'selectedConnection'>;
  /** What Export / Import Connections… need besides the above. */
  transfer: Pick<TransferDeps, 'importer' | 'secrets' | 'settings' | 'ui'>;
  /** Copy Diagnostics: include identifiers? (a quick pick; the suite answers it). */
  chooseIdentifiers: IdentifiersChoice;
}

export type Confirm = (message: string, detail: string, button: string) => Promise<boolean>;

/** The modal warning that `Confirm` stands for (VS Code refuses modal dialogs in its in-editor test runs). */
export const confirmModal: Confirm = async (message, detail, button) =>
  (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;

type Arg = TreeNode | string | undefined;

/**
 * The handlers by command id, each wrapped in `runCommand`. They live in dist/commands.js, loaded on the
 * first command (registerCommands.ts registers the ids at activation).
 */
export function commandHandlers(deps: CommandDeps): Record<string, (...args: unknown[]) => Promise<void>> {
  const { connections: store, configurations, sessions, tester, log } = deps;

  /** The connection a command acts on: the tree node, an id, or the connection picker. */
  async function resolve(
    arg: Arg,
    placeHolder: string,
    options: { includeBroken?: boolean; only?: (id: string) => boolean } = {},
  ): Promise<string | undefined> {
    if (typeof arg === 'string') return arg;
    // A connection's item, or one of its details (a check's inline fix).
    if (arg) return arg.id;
    return deps.signInUi.pick({ placeHolder, ...options });
  }

  async function runCommand(name: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      // Cancel anywhere (a quick pick, our progress, VS Code's "wants to sign in" dialog) is not an error.
      if (err instanceof vscode.CancellationError || isUserCancel(err)) return;
      const failure = err instanceof ConnectionError ? err.failure : undefined;
      if (failure?.kind === 'cancelled') return;
      const text = failure
        ? `${t(failure.message)}${failure.code ? ` (${failure.code})` : ''}`
        : vscode.l10n.t('{0} failed. See the log for details.', name);
      log.warn('command', `${name} failed: ${failure ? failure.kind : err instanceof Error ? err.name : 'error'}`);
      const showLog = vscode.l10n.t('Show Log');
      // Not awaited: the command is over; the message stays until the user dismisses it.
      void vscode.window.showErrorMessage(text, showLog).then((choice) => choice === showLog && log.show());
    }
  }

  /**
   * Copy Access Token and Show Token Claims hand a token (or what it says) out. Called with a bare id
   * (another extension's `executeCommand`, a keybinding) they first ask the user, naming the connection:
   * without that, any extension could read a token past the consent VS Code's authentication API asks for.
   */
  async function tokenTarget(
    arg: Arg,
    placeHolder: string,
    question: (name: string) => string,
  ): Promise<string | undefined> {
    // A bare id never gets the quick pick: the question below is the only thing the user sees.
    if (typeof arg !== 'string') return resolve(arg, placeHolder);
    const name = store.getConfig(arg)?.name;
    if (!name) return undefined;
    return (await deps.confirm(question(name), '', vscode.l10n.t('Continue'))) ? arg : undefined;
  }

  const commands: Record<string, (arg?: Arg, ...rest: unknown[]) => Promise<void>> = {
    'outlook365.addConnection': async () => deps.openForm(),
    'outlook365.editConnection': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to edit'));
      if (id) deps.openForm(id);
    },
    'outlook365.editConnectionWithPermission': async (arg, permission) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to edit'));
      if (!id) return;
      // From the item's command: the permission; from an inline action: the check's node, whose fix names it.
      const fix =
        typeof permission === 'string'
          ? { kind: 'edit' as const, permission }
          : typeof arg === 'object' && arg.kind === 'detail'
            ? fixOf(store, id, arg.key.replace(/^check:/, ''))
            : undefined;
      const add = fix?.kind === 'edit' && /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(fix.permission);
      deps.openForm(id, add ? { addPermissions: [fix.permission] } : {});
    },
    'outlook365.deleteConnection': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to delete'), { includeBroken: true });
      const entry = id ? store.get(id) : undefined;
      if (!id || !entry) return;
      const remove = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete the connection "{0}"? Its configuration, secrets and tokens are removed.', entry.name),
        { modal: true },
        remove,
      );
      if (answer === remove) await configurations.delete(id);
    },
    'outlook365.signIn': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to sign in'));
      // Sign In (Reconnect) always signs in anew, through the one sign-in path (no "wants to sign in" question).
      if (id) await deps.signInUi.signIn(id);
    },
    'outlook365.signInWithAnotherAccount': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to sign in with another account'));
      if (id) await deps.signInUi.signIn(id, { selectAccount: true });
    },
    'outlook365.signOut': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to sign out'));
      if (id) await sessions.signOut(id);
    },
    'outlook365.refreshToken': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to refresh'));
      if (!id) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Refreshing the token…') },
        () => sessions.getToken(id, { forceRefresh: true }),
      );
    },
    'outlook365.testConnection': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to test'));
      if (id) await testConnection({ connections: store, tester, revealChecklist: deps.revealChecklist }, id);
    },
    'outlook365.copyAccessToken': async (arg) => {
      const id = await tokenTarget(arg, vscode.l10n.t('Connection whose token to copy'), (name) =>
        vscode.l10n.t(
          'A command asked to copy the access token of "{0}" to the clipboard, where any extension can read it. Continue only if you started this.',
          name,
        ),
      );
      if (!id) return;
      const token = await sessions.getToken(id);
      await vscode.env.clipboard.writeText(token.accessToken.reveal());
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Access token copied. Treat it like a password: anyone holding it can act as this connection until it expires.',
        ),
      );
    },
    'outlook365.showTokenClaims': async (arg) => {
      const id = await tokenTarget(arg, vscode.l10n.t('Connection whose token claims to show'), (name) =>
        vscode.l10n.t(
          'A command asked to show the token claims of "{0}" in an editor, where any extension can read them. Continue only if you started this.',
          name,
        ),
      );
      if (!id) return;
      const token = await sessions.getToken(id);
      // The claims only, never the token itself; an untitled document is not saved anywhere.
      const claims = decodeJwtClaims(token.accessToken.reveal()) ?? {};
      const content = claimsDocument(claims, vscode.env.language);
      const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content });
      await vscode.window.showTextDocument(doc, { preview: true });
    },
    'outlook365.copyAdminConsentLink': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection that needs admin consent'));
      const config = id ? store.getConfig(id) : undefined;
      if (!config) return;
      const url = adminConsentUrl(config, configurations.environmentOf(config), { state: crypto.randomUUID() });
      await vscode.env.clipboard.writeText(url);
      const open = vscode.l10n.t('Open');
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t(
            'Admin consent link copied. Send it to an administrator of the tenant, or open it if you are one.',
          ),
          open,
        )
        .then((answer) => answer === open && vscode.env.openExternal(vscode.Uri.parse(url, true)));
    },
    'outlook365.copyRedirectUri': async (arg) => {
      const id = typeof arg === 'string' || arg?.kind === 'connection' ? await resolve(arg, '') : undefined;
      const config = id ? store.getConfig(id) : undefined;
      const advice = redirectUriAdvice(config?.authType === 'byoApp' ? config.confidential : false);
      await vscode.env.clipboard.writeText(advice.uri);
      void vscode.window.showInformationMessage(
        advice.platform === 'web'
          ? vscode.l10n.t('Copied {0}. Register it under the "Web" platform of your app registration.', advice.uri)
          : vscode.l10n.t(
              'Copied {0}. Register it under "Mobile and desktop applications" of your app registration.',
              advice.uri,
            ),
      );
    },
    'outlook365.updateEndpoints': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection whose endpoints to update'), {
        only: (c) => !!configurations.routingChange(c),
      });
      const config = id ? store.getConfig(id) : undefined;
      if (!id || !config) return;
      const change = configurations.routingChange(id);
      if (!change) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('"{0}" already uses the endpoints of your user settings.', config.name),
        );
        return;
      }
      const confirmed = await deps.confirm(
        vscode.l10n.t('Send the requests of "{0}" to new endpoints?', config.name),
        routingChangeText(change),
        vscode.l10n.t('Update Endpoints'),
      );
      if (confirmed) await configurations.updateEndpoints(id);
    },
    'outlook365.copyConnectionId': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection whose ID to copy'));
      const config = id ? store.getConfig(id) : undefined;
      if (!config) return;
      await vscode.env.clipboard.writeText(config.id);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Copied the ID of "{0}". Other extensions use it as the scope connection:{1}.',
          config.name,
          config.id,
        ),
      );
    },
    'outlook365.copyUsageSnippet': async (arg) => {
      const id = await resolve(arg, vscode.l10n.t('Connection to use from an extension'));
      const connection = id ? deps.describe(id) : undefined;
      if (!connection) return;
      await vscode.env.clipboard.writeText(usageSnippet(connection));
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Copied TypeScript that gets a token of "{0}" with vscode.authentication.getSession and reads its inbox.',
          connection.name,
        ),
      );
    },
    'outlook365.showLog': async () => log.show(),
    ...copyCommands({
      ...deps.copies,
      connections: store,
      configurations,
      resolve: (arg, placeHolder) => resolve(arg as Arg, placeHolder),
      openForm: deps.openForm,
    }),
    ...transferCommands({ ...deps.transfer, connections: store, confirm: deps.confirm, openForm: deps.openForm }),
    'outlook365.copyDiagnostics': async () => copyDiagnostics(store, deps.chooseIdentifiers),
  };

  return Object.fromEntries(
    Object.entries(commands).map(([command, handler]) => [
      command,
      (arg?: unknown, ...rest: unknown[]) =>
        runCommand(command.replace('outlook365.', ''), () => handler(arg as Arg, ...rest)),
    ]),
  );
}

/** The confirmation's detail: each pinned value with the one the user's settings name now, then what happens to the tokens. */
function routingChangeText(change: RoutingChange): string {
  const host = (origin: string) => new URL(origin).host;
  const lines = [
    change.loginEndpoint &&
      vscode.l10n.t('Login host: {0} → {1}', host(change.loginEndpoint[0]), host(change.loginEndpoint[1])),
    change.graphEndpoint &&
      vscode.l10n.t('Graph host: {0} → {1}', host(change.graphEndpoint[0]), host(change.graphEndpoint[1])),
    change.publicClientId &&
      vscode.l10n.t('Public client: {0} → {1}', change.publicClientId[0], change.publicClientId[1]),
  ].filter(Boolean);
  return `${lines.join('\n')}\n\n${vscode.l10n.t('Its tokens are removed (they belong to the old endpoints); sign in again afterwards. Its secrets are sent to the new login host from then on.')}`;
}

/** Errors that mean the user said no; VS Code's own ones lose their class crossing the API. */
function isUserCancel(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /^(User did not consent to login\.|Canceled|Cancelled)$/.test(message);
}
