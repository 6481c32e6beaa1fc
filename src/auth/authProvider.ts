/**
 * The `outlook365` authentication provider: a session is one connection's access token. Other
 * extensions get it through `vscode.authentication.getSession('outlook365', ['connection:<id>'])`, or by
 * permission (`['Mail.Read']`). One session per connection: its id is the connection id, its account
 * names the connection (VS Code's pickers, Accounts menu and trusted-extension lists show that label, and
 * VS Code keys an extension's access by it), its scopes are the granted permissions plus `connection:<id>`.
 *
 * Where the truth is: the connection's token cache in SecretStorage (through the sessions, which keep a
 * token in memory only until SecretStorage changes) and the facts file for what is known without
 * reading it. `getSessions`:
 * - with `connection:<id>`: a token without interaction (memory, the stored cache, or a silent refresh);
 *   a failure gives `[]` and is recorded on the connection;
 * - by permission (an array of scopes): every signed-in connection whose stored facts cover the request,
 *   each with a token got the same silent way, so a caller gets a usable token also right after a reload;
 * - listing (`undefined`, what VS Code asks at window start for its Accounts menu and pickers): the stored
 *   facts only, with the token in memory if there is one. No SecretStorage read and no token request per
 *   connection at window start; a caller that then asks for a session goes through one of the two above.
 */
import * as vscode from 'vscode';
import { isAppOnly } from '../model/connection';
import { ConnectionError } from '../engine/connectionError';
import { graphPermissions, summarizeScopes } from '../model/scopes';
import { loadEngine } from '../connections/engineModule';
import { isBroken } from '../model/storedConnection';
import type { TokenResult } from '../engine/tokenClient';
import type { ConnectionsView } from '../connections/connectionStore';
import type { Sessions, SessionsChange } from '../connections/sessions';
import { t } from '../localize';
import { CONNECTION_SCOPE_PREFIX, covers, parseSessionScopes } from './sessionScopes';
import type { SignInUi } from './signInUi';

export const PROVIDER_ID = 'outlook365';

/** The one interactive sign-in (progress with cancel) and the one connection picker, as commands and form use them. */
export type ProviderUi = Pick<SignInUi, 'signIn' | 'pick'>;

export class Outlook365AuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  readonly #onDidChangeSessions =
    new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.#onDidChangeSessions.event;
  readonly #subscription: vscode.Disposable;

  constructor(
    private readonly connections: ConnectionsView,
    private readonly sessions: Sessions,
    private readonly ui: ProviderUi,
  ) {
    this.#subscription = sessions.onDidChangeSessions((change) => this.#fire(change));
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    const request = parseSessionScopes(scopes);
    if (request.connectionId) {
      const session = await this.#sessionFor(request.connectionId);
      return session && covers(session.scopes, request.permissions) ? [session] : [];
    }
    const store = this.connections;
    const candidates = store
      .list()
      .filter((e) => !isBroken(e) && store.facts(e.id).signedIn)
      .filter((e) => covers(store.facts(e.id).grantedScopes ?? [], request.permissions))
      .map((e) => e.id);
    if (scopes === undefined) {
      const now = Date.now();
      return candidates.map((id) => {
        const token = this.sessions.cachedToken(id);
        return this.#toSession(id, token && token.expiresOn.getTime() > now ? token : undefined);
      });
    }
    const sessions = await Promise.all(candidates.map((id) => this.#sessionFor(id)));
    return sessions.filter((s): s is vscode.AuthenticationSession => !!s && covers(s.scopes, request.permissions));
  }

  /**
   * VS Code calls this when no session it has fits (`createIfNone`, `forceNewSession`, the Accounts menu):
   * silently first, interactively only where that needs the user or more permissions (engine/sessionAcquire).
   */
  async createSession(
    scopes: readonly string[],
    options?: vscode.AuthenticationProviderSessionOptions,
  ): Promise<vscode.AuthenticationSession> {
    const request = parseSessionScopes(scopes);
    const store = this.connections;
    const chosen = options?.account?.id;
    if (request.connectionId && chosen && chosen !== request.connectionId) {
      // VS Code's account picker lists every connection; the caller asked for this one.
      throw new Error(
        vscode.l10n.t(
          'This request is for the connection "{0}"; another connection cannot be used instead.',
          store.getConfig(request.connectionId)?.name ?? request.connectionId,
        ),
      );
    }
    const id =
      request.connectionId ??
      (chosen && store.getConfig(chosen)
        ? chosen
        : await this.ui.pick({
            placeHolder: vscode.l10n.t('Choose the Outlook connection to sign in with'),
            addItem: true,
          }));
    if (!id) {
      throw new vscode.CancellationError();
    }
    const config = store.getConfig(id);
    if (!config) {
      throw new Error(vscode.l10n.t('There is no Outlook connection with the ID {0}.', id));
    }
    try {
      const token = await loadEngine().acquireSession({
        requested: request.permissions,
        configured: isAppOnly(config) ? [] : graphPermissions(summarizeScopes(config.scopes)),
        appOnly: isAppOnly(config),
        silent: () => this.sessions.getToken(id),
        interactive: (add) => this.ui.signIn(id, { addPermissions: add }),
      });
      return this.#toSession(id, token);
    } catch (err) {
      if (err instanceof ConnectionError) {
        if (err.failure.kind === 'cancelled') throw new vscode.CancellationError();
        // Our own sentence (never the server's text), localized: it reaches the calling extension.
        throw new Error(`${t(err.failure.message)}${err.failure.code ? ` (${err.failure.code})` : ''}`);
      }
      throw err;
    }
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.sessions.signOut(sessionId);
  }

  async #sessionFor(id: string): Promise<vscode.AuthenticationSession | undefined> {
    const config = this.connections.getConfig(id);
    if (!config || !this.connections.facts(id).signedIn) {
      return undefined;
    }
    try {
      return this.#toSession(id, await this.sessions.getToken(id));
    } catch {
      // The failure is recorded on the connection (the tree shows it); there is no session to give.
      return undefined;
    }
  }

  #toSession(id: string, token: TokenResult | undefined): vscode.AuthenticationSession {
    const granted = token?.grantedScopes ?? this.connections.facts(id).grantedScopes ?? [];
    return {
      id,
      accessToken: token?.accessToken.reveal() ?? '',
      account: { id, label: this.#accountLabel(id) },
      scopes: [`${CONNECTION_SCOPE_PREFIX}${id}`, ...granted],
    };
  }

  /** "<connection name> (<user, or the app for app-only>)": stable while the connection signs in as the same user. */
  #accountLabel(id: string): string {
    const config = this.connections.getConfig(id);
    if (!config) return id;
    if (isAppOnly(config)) {
      return vscode.l10n.t('{0} (app {1})', config.name, config.clientId);
    }
    const user = this.connections.facts(id).account;
    return user ? `${config.name} (${user})` : config.name;
  }

  #fire(change: SessionsChange): void {
    const session = (id: string) => this.#toSession(id, this.sessions.cachedToken(id));
    this.#onDidChangeSessions.fire({
      added: change.added.map(session),
      removed: change.removed.map((id) => this.#toSession(id, undefined)),
      changed: change.changed.map(session),
    });
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#onDidChangeSessions.dispose();
  }
}
