/**
 * The API that the "Outlook 365 Connections" extension (`outlook365-connections.outlook365-connections`)
 * returns from `activate()`, for other extensions. Copy this file into your extension (it needs only
 * `@types/vscode`) and read it with:
 *
 *   const api = await vscode.extensions.getExtension<Outlook365Api>('outlook365-connections.outlook365-connections')?.activate();
 *   if (api?.version === 1) { … }
 *
 * It describes connections; it never holds a token or a secret. Tokens come only through VS Code's
 * authentication API: `vscode.authentication.getSession('outlook365', ['connection:<id>', 'Mail.Read'], …)`.
 * A later, incompatible API gets another `version`; fields may be added to version 1.
 */
import type * as vscode from 'vscode';

/**
 * `authCode`: the Microsoft public app, delegated; `byoApp`: your own app registration, delegated;
 * `ropc`: username and password, delegated; `clientCredentials` / `clientCertificate`: app-only (no user:
 * the token carries application permissions and works on `mailbox`).
 */
export type Outlook365AuthType = 'authCode' | 'byoApp' | 'clientCredentials' | 'clientCertificate' | 'ropc';

/** The national cloud: Office 365, US Government L4 (GCC High), L5 (DoD), China (21Vianet), or custom endpoints. */
export type Outlook365Environment = 'global' | 'usGovL4' | 'usGovL5' | 'china' | 'custom';

/**
 * What is known without touching the network (computed when asked: `valid` turns `expiringSoon` and
 * `expired` with time alone). `expired` still gives a session: it is refreshed silently.
 */
export type Outlook365ConnectionStatus =
  | 'notSignedIn'
  | 'valid'
  | 'expiringSoon'
  | 'expired'
  | 'reconnectRequired'
  | 'consentRequired'
  | 'error'
  /** A secret it needs is not on this machine yet (it arrived through Settings Sync, or is a duplicate without secrets). */
  | 'secretNeeded';

export interface Outlook365Connection {
  /** Stable; pass it as the pseudo-scope `connection:<id>` to `vscode.authentication.getSession`. */
  readonly id: string;
  readonly name: string;
  readonly authType: Outlook365AuthType;
  readonly environment: Outlook365Environment;
  /** The login host, e.g. `https://login.microsoftonline.us`; undefined only when custom endpoints are not configured. */
  readonly loginEndpoint: string | undefined;
  /** The Graph host to send this connection's tokens to, e.g. `https://graph.microsoft.us`; never another cloud's. */
  readonly graphEndpoint: string | undefined;
  /** Tenant ID or domain, or `common` / `organizations`. */
  readonly tenant: string;
  /**
   * The mailbox to work on: the shared mailbox of the connection, or the account (UPN) of an app-only
   * connection (`{graphEndpoint}/v1.0/users/{mailbox}/…`). Undefined: the signed-in user's own
   * mailbox (`{graphEndpoint}/v1.0/me/…`).
   */
  readonly mailbox: string | undefined;
  /** Microsoft Graph permissions the connection asks for, short names (`Mail.Read`); empty for app-only (`/.default`). */
  readonly requestedPermissions: readonly string[];
  /** Permissions of its last token (`scp`, or `roles` for app-only); empty before the first sign-in. */
  readonly grantedPermissions: readonly string[];
  readonly status: Outlook365ConnectionStatus;
}

/** Connection ids added, removed, or changed (configuration, sign-in, permissions, status after a failure or test). */
export interface Outlook365ConnectionsChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface Outlook365Api {
  readonly version: 1;
  /** Every usable connection (damaged stored entries are left out), in the order of the Connections view. */
  listConnections(): Outlook365Connection[];
  getConnection(id: string): Outlook365Connection | undefined;
  readonly onDidChangeConnections: vscode.Event<Outlook365ConnectionsChange>;
}
