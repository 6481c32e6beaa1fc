/**
 * The `outlook365` authentication provider: a session is one connection's access token. Other
 * extensions (and our own commands) get it through `vscode.authentication.getSession('outlook365',
 * ['connection:<id>'])`. The provider never runs a grant itself: it asks the ConnectionService, and
 * for `createSession` the interactive sign-in runs under cancellable progress.
 */
import * as vscode from 'vscode';
import { isBroken } from '../engine/storedConnection';
import type { TokenResult } from '../engine/tokenClient';
import type { ConnectionService, SessionsChange } from '../connections/connectionService';
import { CONNECTION_SCOPE_PREFIX, covers, parseSessionScopes } from './sessionScopes';

export const PROVIDER_ID = 'outlook365';

export interface ProviderUi {
  /** Runs the interactive sign-in of a connection with progress and cancel. */
  signIn(connectionId: string): Promise<TokenResult>;
  /** Asks which connection to use (or offers to add one); undefined when the user cancels. */
  pickConnection(permissions: readonly string[]): Promise<string | undefined>;
}

export class Outlook365AuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  readonly #onDidChangeSessions = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.#onDidChangeSessions.event;
  readonly #subscription: vscode.Disposable;

  constructor(
    private readonly service: ConnectionService,
    private readonly ui: ProviderUi,
  ) {
    this.#subscription = service.onDidChangeSessions((change) => this.#fire(change));
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    const request = parseSessionScopes(scopes);
    if (request.connectionId) {
      const session = await this.#sessionFor(request.connectionId);
      return session && covers(session.scopes, request.permissions) ? [session] : [];
    }
    // Without a connection VS Code is listing accounts (it does so right after registration): answer
    // from memory only. Refreshing every signed-in connection here would mean one token request and
    // one store write per connection at every window start.
    const now = Date.now();
    return this.service.store
      .list()
      .filter((e) => !isBroken(e))
      .map((e) => ({ id: e.id, token: this.service.cachedToken(e.id) }))
      .filter((x): x is { id: string; token: TokenResult } => !!x.token && x.token.expiresOn.getTime() > now)
      .map((x) => this.#toSession(x.id, x.token))
      .filter((s) => covers(s.scopes, request.permissions));
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const request = parseSessionScopes(scopes);
    const id = request.connectionId ?? (await this.ui.pickConnection(request.permissions));
    if (!id || !this.service.store.getConfig(id)) {
      throw new vscode.CancellationError();
    }
    const token = await this.ui.signIn(id);
    return this.#toSession(id, token);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.service.signOut(sessionId);
  }

  async #sessionFor(id: string): Promise<vscode.AuthenticationSession | undefined> {
    const config = this.service.store.getConfig(id);
    if (!config || !this.service.store.facts(id).signedIn) {
      return undefined;
    }
    try {
      return this.#toSession(id, await this.service.getToken(id));
    } catch {
      // The failure is recorded on the connection (the tree shows it); there is no session to give.
      return undefined;
    }
  }

  #toSession(id: string, token: TokenResult | undefined): vscode.AuthenticationSession {
    const config = this.service.store.getConfig(id);
    return {
      id,
      accessToken: token?.accessToken.reveal() ?? '',
      account: { id, label: config?.name ?? id },
      scopes: [`${CONNECTION_SCOPE_PREFIX}${id}`, ...(token?.grantedScopes ?? [])],
    };
  }

  #fire(change: SessionsChange): void {
    const session = (id: string) => this.#toSession(id, this.service.cachedToken(id));
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
