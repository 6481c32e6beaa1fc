/**
 * The typed messages between the Add/Edit Connection form (webview) and the extension. Everything the
 * webview sends is untrusted: `parseFormMessage` checks its shape and the character rule before
 * anything else looks at it, and the extension validates the draft again with the engine's validator.
 * Secrets flow one way only: typed by the user in the form, sent once with `submit`. The extension never
 * sends a stored secret back, and the certificate picked from a file stays in the extension.
 */
import type { ConnectionDraft, DraftField } from '../model/validate';
import { characterErrors, parseDraft } from '../model/validate';
import type { SecretField } from '../model/connection';
import { isEnvironmentId, type EnvironmentId } from '../model/clouds';
import { isHelpTopic, type HelpTopic } from '../model/helpLinks';
import { isLookupTenant, type TenantVerdict } from '../model/tenantCloud';
import { forbiddenCharacter } from '../model/characters';

export interface EnvironmentOption {
  id: string;
  label: string;
  loginEndpoint?: string;
  graphEndpoint?: string;
  /** Why the option cannot be used now (the custom environment without its setting). */
  problem?: string;
}

/** Extension → webview. */
export type HostMessage =
  | {
      type: 'init';
      mode: 'add' | 'edit';
      draft: ConnectionDraft;
      /** Secret fields with a stored value: the form shows "stored" and leaves them empty. */
      storedSecrets: SecretField[];
      environments: EnvironmentOption[];
      /** The raw `outlook365.customEnvironment` setting, so the form's validator agrees with the extension's. */
      customEnvironment?: { name?: string; loginEndpoint?: string; graphEndpoint?: string };
      otherNames: string[];
      defaultPublicClientId: string;
      /** Device code is the better default where a local browser cannot reach a loopback port. */
      remote: boolean;
      /** `vscode.l10n.bundle` (English when empty): template → translation. */
      l10n: Record<string, string>;
    }
  /** The extension's own validation refused the submitted draft: messages per field, already localized. */
  | { type: 'validation'; errors: Partial<Record<DraftField, string>> }
  | { type: 'busy'; message: string }
  /** Device code to show in the form as well as in the notification. */
  | { type: 'deviceCode'; userCode: string; verificationUri: string }
  | { type: 'result'; ok: true; message: string; connectionId: string }
  | { type: 'result'; ok: false; message: string; code?: string; status?: string; connectionId?: string }
  | { type: 'certificatePicked'; fileName: string; thumbprint?: string; error?: string }
  | { type: 'copied'; what: CopyTarget }
  /** What the tenant's OpenID configuration said (only when there was an answer; nothing on no network). */
  | { type: 'tenantCloud'; tenant: string; environment: EnvironmentId; verdict: TenantVerdict };

export type CopyTarget = 'redirectUri' | 'adminConsentLink';

/** Webview → extension. */
export type FormMessage =
  | { type: 'ready' }
  | { type: 'submit'; draft: ConnectionDraft; useCertificateFile: boolean }
  | { type: 'cancel' }
  | { type: 'pickCertificate' }
  | { type: 'copy'; what: CopyTarget; draft: ConnectionDraft }
  /** Save without signing in. */
  | { type: 'save'; draft: ConnectionDraft; useCertificateFile: boolean }
  /** Read the tenant's OpenID configuration (the extension does it: the webview's CSP allows no request). */
  | { type: 'lookUpTenant'; tenant: string; environment: EnvironmentId }
  /** Open a field's help page: a topic id, never a URL. */
  | { type: 'openHelp'; topic: HelpTopic };

const COPY_TARGETS: readonly string[] = ['redirectUri', 'adminConsentLink'];

/**
 * A draft of the right shape whose fields hold no control or invisible format character. The form runs
 * the same rule and never sends such a draft, so one that arrives is refused whole.
 */
function draftOf(value: unknown): ConnectionDraft | undefined {
  const draft = parseDraft(value);
  return draft && Object.keys(characterErrors(draft)).length === 0 ? draft : undefined;
}

/** Shape check of an untrusted message; undefined when it is not one of ours. */
export function parseFormMessage(value: unknown): FormMessage | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const m = value as Record<string, unknown>;
  const keys = Object.keys(m);
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  switch (m.type) {
    case 'ready':
    case 'cancel':
    case 'pickCertificate':
      return only('type') ? { type: m.type } : undefined;
    case 'submit':
    case 'save': {
      const draft = draftOf(m.draft);
      return draft && only('type', 'draft', 'useCertificateFile') && typeof m.useCertificateFile === 'boolean'
        ? { type: m.type, draft, useCertificateFile: m.useCertificateFile }
        : undefined;
    }
    case 'lookUpTenant':
      return only('type', 'tenant', 'environment') &&
        typeof m.tenant === 'string' &&
        !forbiddenCharacter(m.tenant) &&
        isLookupTenant(m.tenant) &&
        isEnvironmentId(m.environment)
        ? { type: 'lookUpTenant', tenant: m.tenant.trim(), environment: m.environment }
        : undefined;
    case 'openHelp':
      return only('type', 'topic') && isHelpTopic(m.topic) ? { type: 'openHelp', topic: m.topic } : undefined;
    case 'copy': {
      const draft = draftOf(m.draft);
      return draft && only('type', 'what', 'draft') && typeof m.what === 'string' && COPY_TARGETS.includes(m.what)
        ? { type: 'copy', what: m.what as CopyTarget, draft }
        : undefined;
    }
    default:
      return undefined;
  }
}
