/**
 * The form's state and the pure rules over it: which fields show, what the validator says about them,
 * what to send, and what may be persisted. No DOM here, so the rules read in one place.
 */
import { AUTH_TYPE_TABLE, SECRET_FIELDS, isAuthType, type AuthType } from '../../model/authTypes';
import { formatMessage, type Message } from '../../model/messages';
import { parseScopeText, scopeProblem, isScopePresetId, summarizeScopes } from '../../model/scopes';
import { emptyDraft, type ConnectionDraft, type DraftField } from '../../model/draft';
import { validateDraft, type FieldMessages } from '../../model/validate';
import { resolveEnvironment, isEnvironmentId } from '../../model/clouds';
import { signInChanges } from '../../model/signInIdentity';
import type { TenantVerdict } from '../../model/tenantCloud';
import type { CopyTarget, HostMessage } from '../protocol';

export type InitMessage = Extract<HostMessage, { type: 'init' }>;

/** Template → translated template, then `{name}` placeholders filled. */
export type Translate = (template: string, args?: Record<string, string | number>) => string;

export function translator(bundle: Record<string, string>): Translate {
  return (template, args) => formatMessage({ text: template, args }, (t) => bundle[t] ?? t);
}

export type Phase = 'editing' | 'saving' | 'busy';

export interface PickedCertificateView {
  fileName: string;
  thumbprint?: string;
}

export interface Status {
  kind: 'success' | 'error';
  text: string;
  code?: string;
  /** Messages for fields that are not on the form (shown as a list). */
  details?: string[];
}

export interface FormState {
  init: InitMessage;
  draft: ConnectionDraft;
  /** Fields the user has edited or left: their messages show before the first submit. */
  touched: Set<DraftField>;
  /** Fields edited since the last validation: they count as touched once the validator has run. */
  edited: Set<DraftField>;
  /** After a submit attempt every message shows. */
  showAll: boolean;
  errors: FieldMessages;
  warnings: FieldMessages;
  /** The extension's own messages (already localized), until the field is edited again. */
  serverErrors: Partial<Record<DraftField, string>>;
  /** A .pfx chosen through the extension: the file stays there, the form only knows its name. */
  certificateFile?: PickedCertificateView;
  phase: Phase;
  busyMessage?: string;
  cancelling: boolean;
  deviceCode?: { userCode: string; verificationUri: string };
  status?: Status;
  copied?: CopyTarget;
  /** What the extension read from the tenant's OpenID configuration, and for which tenant and environment. */
  tenantCloud?: { tenant: string; environment: string; verdict: TenantVerdict };
}

export function authTypeOf(draft: ConnectionDraft): AuthType {
  return isAuthType(draft.authType) ? draft.authType : 'authCode';
}

export function visibleFields(draft: ConnectionDraft): readonly DraftField[] {
  return AUTH_TYPE_TABLE[authTypeOf(draft)].fields;
}

/**
 * The draft the validator sees: a certificate picked from a file counts as given (the extension opens
 * and checks it; the webview never has its bytes).
 */
function draftForValidation(state: FormState): ConnectionDraft {
  return state.certificateFile ? { ...state.draft, certificate: 'picked-file' } : state.draft;
}

export function validate(state: FormState): void {
  const result = validateDraft(draftForValidation(state), {
    customEnvironment: state.init.customEnvironment,
    otherNames: state.init.otherNames,
    storedSecrets: state.init.storedSecrets,
  });
  state.errors = result.ok ? {} : result.errors;
  state.warnings = result.warnings;
  for (const field of state.edited) {
    state.touched.add(field);
  }
  state.edited.clear();
}

/** The user changed a field: its old message goes at once, the validator speaks again after a pause. */
export function markEdited(state: FormState, field: DraftField): void {
  state.edited.add(field);
  delete state.errors[field];
  delete state.serverErrors[field];
}

/** The message to show on a field now (server first, then the validator's once the field counts). */
export function fieldError(state: FormState, field: DraftField, t: Translate): string | undefined {
  const server = state.serverErrors[field];
  if (server) {
    return server;
  }
  const message = state.errors[field];
  if (message && message.text && (state.showAll || state.touched.has(field))) {
    return localize(message, t);
  }
  return undefined;
}

export function localize(message: Message, t: Translate): string {
  return formatMessage(message, (template) => t(template));
}

/** True when the draft as shown would pass the validator. */
export function hasVisibleErrors(state: FormState): boolean {
  const shown = new Set<DraftField>(['authType', ...visibleFields(state.draft)]);
  return (Object.keys(state.errors) as DraftField[]).some((f) => shown.has(f) && state.errors[f]?.text);
}

/**
 * What `submit` sends: the fields of the chosen auth type, everything else reset to empty, so a secret
 * typed for another auth type never leaves the webview. A picked certificate file travels separately.
 */
export function draftToSubmit(state: FormState): ConnectionDraft {
  const empty = emptyDraft();
  const shown = new Set<DraftField>(['authType', ...visibleFields(state.draft)]);
  const draft = { ...empty };
  for (const field of Object.keys(empty) as DraftField[]) {
    if (shown.has(field)) {
      (draft as unknown as Record<string, unknown>)[field] = state.draft[field];
    }
  }
  if (state.certificateFile) {
    draft.certificate = '';
  }
  return draft;
}

/** The draft for `copy`: no secret at all (a link or a URI never needs one). */
export function draftToCopy(state: FormState): ConnectionDraft {
  const draft = draftToSubmit(state);
  for (const field of SECRET_FIELDS) {
    draft[field] = '';
  }
  return draft;
}

/** What may go to `vscode.setState`: the draft without any secret field. */
export function persistableDraft(draft: ConnectionDraft): Partial<ConnectionDraft> {
  const copy: Partial<ConnectionDraft> = { ...draft };
  for (const field of SECRET_FIELDS) {
    delete copy[field];
  }
  return copy;
}

/**
 * When editing: the fields whose new values change the sign-in, so saving drops the connection's
 * tokens and facts (the extension decides the same with the same function).
 */
export function signInChangesOf(state: FormState): DraftField[] {
  if (state.init.mode !== 'edit') {
    return [];
  }
  const typed = SECRET_FIELDS.filter((f) => !!state.draft[f] || (f === 'certificate' && !!state.certificateFile));
  return signInChanges(state.init.draft, state.draft, typed);
}

/** A confidential bring-your-own app has a client secret, typed now or stored. */
export function isConfidential(state: FormState): boolean {
  return !!state.draft.clientSecret || state.init.storedSecrets.includes('clientSecret');
}

export function defaultTenant(draft: ConnectionDraft): string | undefined {
  return AUTH_TYPE_TABLE[authTypeOf(draft)].defaultTenant;
}

/** The permission summary: the preset's scopes plus the additional ones that are acceptable. */
export function permissionSummary(state: FormState): string[] {
  const { scopePreset, additionalScopes, environment } = state.draft;
  if (!isScopePresetId(scopePreset)) {
    return [];
  }
  let graph: string | undefined;
  try {
    graph = isEnvironmentId(environment)
      ? resolveEnvironment(environment, state.init.customEnvironment).graphEndpoint
      : undefined;
  } catch {
    graph = undefined;
  }
  const additional = parseScopeText(additionalScopes).filter(
    (s) => !scopeProblem(s, graph) && !s.endsWith('/.default'),
  );
  return summarizeScopes({ preset: scopePreset, additional });
}
