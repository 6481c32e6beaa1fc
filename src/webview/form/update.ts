/**
 * The form as a pure function: `update(state, event)` returns the next state and what should happen
 * outside it (messages to the extension, focus, timers, `setState`), as data. No DOM, no timers, no
 * `vscode` here, so every rule of the form runs in Node (test/unit/formUpdate.test.ts); `main.ts` only
 * turns DOM and host events into `FormEvent`s, renders the state and carries out the effects.
 */
import { SECRET_FIELDS } from '../../model/authTypes';
import type { ConnectionDraft, DraftField } from '../../model/draft';
import type { CopyTarget, FormMessage, HostMessage } from '../protocol';
import {
  draftToCopy,
  draftToSubmit,
  fieldError,
  hasVisibleErrors,
  markEdited,
  persistableDraft,
  translator,
  validate,
  visibleFields,
  type FormState,
  type InitMessage,
} from './model';
import { acceptAnswer, lookupRequest, LOOKUP_FIELDS, suggestedEnvironment } from './tenantLookup';
import type { HelpTopic } from '../../model/helpLinks';

/** What survives a reload of the webview: never a secret field. */
export interface SavedState {
  mode: InitMessage['mode'];
  draft: Partial<ConnectionDraft>;
}

export type FormEvent =
  /** The extension's `init`, with what `getState` kept from before a reload. */
  | { type: 'start'; init: InitMessage; saved?: SavedState }
  /** A text, select or radio value changed. */
  | { type: 'edit'; field: DraftField; value: string }
  | { type: 'setSendX5c'; value: boolean }
  /** A field lost focus. */
  | { type: 'leave'; field: DraftField }
  /** The pause after typing is over. */
  | { type: 'validate' }
  | { type: 'submit' }
  | { type: 'cancel' }
  | { type: 'pickCertificate' }
  | { type: 'clearCertificateFile' }
  | { type: 'copy'; what: CopyTarget }
  /** Save without connecting. */
  | { type: 'save' }
  /** The pause after typing a tenant (or choosing an environment) is over: ask the extension about it. */
  | { type: 'lookUpTenant' }
  /** Switch to the environment the tenant's configuration names. */
  | { type: 'switchEnvironment' }
  | { type: 'openHelp'; topic: HelpTopic }
  /** The "copied" note has been shown long enough. */
  | { type: 'copiedExpired' }
  /** Any other message from the extension. */
  | { type: 'host'; message: Exclude<HostMessage, { type: 'init' }> };

export type Effect =
  | { type: 'post'; message: FormMessage }
  /** Keep the draft (without secrets) through `setState`. */
  | { type: 'persist' }
  /** Send `validate` after a pause in typing (a new pause replaces the last one)… */
  | { type: 'validateLater' }
  /** …or not at all: the state was validated just now. */
  | { type: 'validatedNow' }
  | { type: 'focus'; selector: string }
  /** The page title follows the mode (add / edit). */
  | { type: 'title' }
  /** Send `copiedExpired` after a while (a new note replaces the last one). */
  | { type: 'copiedLater' }
  /** Send `lookUpTenant` after a pause in typing (a new pause replaces the last one). */
  | { type: 'lookUpLater' };

export interface Update {
  /** The same object when nothing changed (nothing to render). */
  state: FormState | undefined;
  effects: Effect[];
}

/** Choices validate at once; typing waits for a pause. */
const CHOICES: readonly DraftField[] = ['authType', 'environment', 'operations', 'scopePreset', 'signInMethod'];

export function update(state: FormState | undefined, event: FormEvent): Update {
  if (event.type === 'start') {
    return start(event.init, event.saved);
  }
  if (!state) {
    return { state, effects: [] };
  }
  const effects: Effect[] = [];
  const next = copyOf(state);
  const validateNow = () => {
    validate(next);
    effects.push({ type: 'validatedNow' });
  };
  const unchanged = (...only: Effect[]): Update => ({ state, effects: only });
  const editing = state.phase === 'editing';

  switch (event.type) {
    case 'edit':
      if (!editing || state.draft[event.field] === event.value) {
        return unchanged();
      }
      (next.draft as unknown as Record<string, unknown>)[event.field] = event.value;
      markEdited(next, event.field);
      if (event.field === 'authType') {
        // New fields appear: they speak up once touched, not all at once.
        next.showAll = false;
        next.status = undefined;
      }
      effects.push({ type: 'persist' });
      if (CHOICES.includes(event.field)) validateNow();
      else effects.push({ type: 'validateLater' });
      if (LOOKUP_FIELDS.includes(event.field)) effects.push({ type: 'lookUpLater' });
      break;
    case 'setSendX5c':
      if (!editing) {
        return unchanged();
      }
      next.draft.sendX5c = event.value;
      markEdited(next, 'sendX5c');
      effects.push({ type: 'persist' });
      validateNow();
      break;
    case 'leave':
      // Leaving a field just typed in shows its message at once; passing through an empty one does not.
      if (!state.edited.has(event.field)) {
        return unchanged();
      }
      validateNow();
      break;
    case 'validate':
      validateNow();
      break;
    case 'submit':
    case 'save':
      if (!editing) {
        return unchanged();
      }
      next.serverErrors = {};
      next.showAll = true;
      validateNow();
      next.status = undefined;
      if (hasVisibleErrors(next)) {
        focusFirstInvalid(next, effects);
      } else {
        effects.push({
          type: 'post',
          message: { type: event.type, draft: draftToSubmit(next), useCertificateFile: !!next.certificateFile },
        });
        next.phase = 'saving';
      }
      break;
    case 'cancel':
      if (state.phase !== 'busy' || state.cancelling) {
        return unchanged();
      }
      next.cancelling = true;
      effects.push({ type: 'post', message: { type: 'cancel' } });
      break;
    case 'pickCertificate':
      return editing ? unchanged({ type: 'post', message: { type: 'pickCertificate' } }) : unchanged();
    case 'clearCertificateFile':
      if (!editing) {
        return unchanged();
      }
      next.certificateFile = undefined;
      validateNow();
      effects.push({ type: 'focus', selector: '#pick-certificate' });
      break;
    case 'copy':
      return unchanged({ type: 'post', message: { type: 'copy', what: event.what, draft: draftToCopy(state) } });
    case 'lookUpTenant': {
      const request = lookupRequest(state);
      return request ? unchanged({ type: 'post', message: request }) : unchanged();
    }
    case 'switchEnvironment': {
      const target = editing ? suggestedEnvironment(state) : undefined;
      if (!target) {
        return unchanged();
      }
      const switched = update(state, { type: 'edit', field: 'environment', value: target });
      return {
        state: switched.state,
        effects: [...switched.effects, { type: 'focus', selector: '#field-environment' }],
      };
    }
    case 'openHelp':
      return unchanged({ type: 'post', message: { type: 'openHelp', topic: event.topic } });
    case 'copiedExpired':
      next.copied = undefined;
      break;
    case 'host':
      onHostMessage(next, event.message, effects, validateNow);
      break;
  }
  return { state: next, effects };
}

function onHostMessage(
  state: FormState,
  message: Exclude<HostMessage, { type: 'init' }>,
  effects: Effect[],
  validateNow: () => void,
): void {
  switch (message.type) {
    case 'validation': {
      state.phase = 'editing';
      state.showAll = true;
      state.serverErrors = { ...message.errors };
      const shown = new Set<string>(visibleFields(state.draft));
      const elsewhere = Object.entries(message.errors)
        .filter(([field, text]) => text && !shown.has(field))
        .map(([, text]) => text);
      const t = translator(state.init.l10n);
      state.status = elsewhere.length
        ? { kind: 'error', text: t('The connection was not saved.'), details: elsewhere }
        : undefined;
      if (!focusFirstInvalid(state, effects) && elsewhere.length) {
        effects.push({ type: 'focus', selector: '#status' });
      }
      break;
    }
    case 'busy':
      state.phase = 'busy';
      state.busyMessage = message.message;
      state.cancelling = false;
      state.status = undefined;
      effects.push({ type: 'focus', selector: '#cancel' });
      break;
    case 'deviceCode':
      state.deviceCode = { userCode: message.userCode, verificationUri: message.verificationUri };
      break;
    case 'result':
      if (message.ok || message.connectionId) {
        becomeSaved(state);
        effects.push({ type: 'title' }, { type: 'persist' });
      }
      state.phase = 'editing';
      state.cancelling = false;
      state.deviceCode = undefined;
      state.busyMessage = undefined;
      state.status = message.ok
        ? { kind: 'success', text: message.message }
        : { kind: 'error', text: message.message, code: message.code };
      effects.push({ type: 'focus', selector: '#status' });
      break;
    case 'certificatePicked':
      if (message.error) {
        state.certificateFile = undefined;
        state.serverErrors.certificate = message.error;
      } else {
        state.certificateFile = { fileName: message.fileName, thumbprint: message.thumbprint };
        state.draft.certificate = '';
        delete state.serverErrors.certificate;
      }
      state.touched.add('certificate');
      validateNow();
      break;
    case 'copied':
      state.copied = message.what;
      effects.push({ type: 'copiedLater' });
      break;
    case 'tenantCloud':
      acceptAnswer(state, message);
      break;
  }
}

function start(init: InitMessage, saved: SavedState | undefined): Update {
  const draft: ConnectionDraft = { ...init.draft };
  if (saved && saved.mode === init.mode) {
    for (const [key, value] of Object.entries(saved.draft)) {
      if (
        key in draft &&
        !(SECRET_FIELDS as readonly string[]).includes(key) &&
        typeof value === typeof draft[key as DraftField]
      ) {
        (draft as unknown as Record<string, unknown>)[key] = value;
      }
    }
  }
  const state: FormState = {
    init,
    draft,
    touched: new Set(),
    edited: new Set(),
    showAll: false,
    errors: {},
    warnings: {},
    serverErrors: {},
    phase: 'editing',
    cancelling: false,
  };
  validate(state);
  return { state, effects: [{ type: 'title' }, { type: 'focus', selector: '#field-authType' }] };
}

/**
 * After a save the typed secrets are stored by the extension: the form forgets them and shows them as
 * stored, exactly like an edit opened later.
 */
function becomeSaved(state: FormState): void {
  const stored = new Set(state.init.storedSecrets);
  for (const field of SECRET_FIELDS) {
    if (
      visibleFields(state.draft).includes(field) &&
      (state.draft[field] || (field === 'certificate' && state.certificateFile))
    ) {
      stored.add(field);
    }
    state.draft[field] = '';
  }
  state.certificateFile = undefined;
  // What is saved now is what later edits compare with ("Saving signs this connection out").
  state.init = { ...state.init, mode: 'edit', draft: { ...state.draft }, storedSecrets: [...stored] };
  validate(state);
}

/** Focus moves to the first field with a message; false when there is none. */
function focusFirstInvalid(state: FormState, effects: Effect[]): boolean {
  // Whether a field shows a message does not depend on the language.
  const field = visibleFields(state.draft).find((f) => fieldError(state, f, (text) => text));
  if (field) {
    effects.push({
      type: 'focus',
      selector: field === 'certificate' && state.certificateFile ? '#pick-certificate' : `#field-${field}`,
    });
  }
  return !!field;
}

/** A copy the update can change without touching the state it was given. */
function copyOf(state: FormState): FormState {
  return {
    ...state,
    draft: { ...state.draft },
    touched: new Set(state.touched),
    edited: new Set(state.edited),
    errors: { ...state.errors },
    warnings: { ...state.warnings },
    serverErrors: { ...state.serverErrors },
  };
}

/** What `setState` may keep: the draft without any secret field. */
export function savedStateOf(state: FormState): SavedState {
  return { mode: state.init.mode, draft: persistableDraft(state.draft) };
}
