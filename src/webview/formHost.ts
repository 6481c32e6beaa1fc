/**
 * What the form panel needs from the rest of the extension. The panel owns the webview (HTML, CSP,
 * messages); this host owns the connections. Implemented in `formController.ts`.
 */
import type { ConnectionDraft, DraftField } from '../model/validate';
import type { EnvironmentId } from '../model/clouds';
import type { HelpTopic } from '../model/helpLinks';
import type { TenantVerdict } from '../model/tenantCloud';
import type { CopyTarget, HostMessage } from './protocol';

export type FormInit = Omit<Extract<HostMessage, { type: 'init' }>, 'type' | 'l10n'>;

export type SaveOutcome =
  /** `signedIn`: the connection is still signed in after the save (an edit that kept the sign-in). */
  | { ok: true; connectionId: string; signedIn: boolean }
  /** Messages per field, localized. */
  | { ok: false; errors: Partial<Record<DraftField, string>> };

export type ConnectOutcome =
  { ok: true; message: string } | { ok: false; message: string; code?: string; status?: string; cancelled?: boolean };

export interface PickedCertificate {
  fileName: string;
  /** The .pfx as base64: kept by the panel, never sent to the webview. */
  base64: string;
}

export interface FormHost {
  /** The form's starting state: empty for a new connection, the stored configuration (no secrets) for an edit. */
  init(connectionId: string | undefined): Promise<FormInit>;
  /** Validates again (the webview is not trusted) and saves configuration and secrets. Nothing is lost on failure. */
  save(draft: ConnectionDraft, options: { connectionId?: string; certificateBase64?: string }): Promise<SaveOutcome>;
  /** Signs the saved connection in with cancellable progress; device code is also reported through `onDeviceCode`. */
  connect(
    connectionId: string,
    options: { signal: AbortSignal; onDeviceCode: (userCode: string, verificationUri: string) => void },
  ): Promise<ConnectOutcome>;
  /** Copies the redirect URI or the admin consent link for the draft to the clipboard; false when it could not (the user was told why). */
  copy(what: CopyTarget, draft: ConnectionDraft): Promise<boolean>;
  /** Lets the user pick a .pfx file; undefined when cancelled. */
  pickCertificate(): Promise<PickedCertificate | undefined>;
  /** Which cloud the tenant is in, from its OpenID configuration; `unknown` when nothing answered in time. */
  lookUpTenant(
    tenant: string,
    environment: EnvironmentId,
    options: { connectionId?: string; signal: AbortSignal },
  ): Promise<TenantVerdict>;
  /** Opens a field's help page on Microsoft Learn (the allow-list in model/helpLinks.ts). */
  openHelp(topic: HelpTopic): Promise<void>;
}
