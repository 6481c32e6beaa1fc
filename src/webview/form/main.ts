/**
 * The Add/Edit Connection form, running in the webview. It renders the state with lit templates, runs
 * the engine's validator as the user types, and talks to the extension only through the typed messages
 * of `../protocol`. Secrets typed here live in memory until `submit`; `setState` never sees them.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { render } from 'lit';
import { SECRET_FIELDS } from '../../engine/connection';
import type { ConnectionDraft, DraftField } from '../../engine/validate';
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
  type Translate,
} from './model';
import { formTitle, formView, type FormActions } from './view';
import { mirrorAria } from './aria';

interface VsCodeApi {
  postMessage(message: FormMessage): void;
  getState(): unknown;
  setState<T>(state: T): T;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives a reload of the webview: never a secret field. */
interface SavedState {
  mode: InitMessage['mode'];
  draft: Partial<ConnectionDraft>;
}

const VALIDATE_DELAY_MS = 250;
const COPIED_NOTE_MS = 4000;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
let state: FormState | undefined;
let t: Translate = translator({});
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let copiedTimer: ReturnType<typeof setTimeout> | undefined;

const post = (message: FormMessage) => vscode.postMessage(message);

const actions: FormActions = {
  edit(field, value) {
    if (!state || state.phase !== 'editing' || state.draft[field] === value) {
      return;
    }
    (state.draft as unknown as Record<string, unknown>)[field] = value;
    markEdited(state, field);
    if (field === 'authType') {
      // New fields appear: they speak up once touched, not all at once.
      state.showAll = false;
      state.status = undefined;
    }
    save();
    // Choices validate at once; typing waits for a pause.
    if (field === 'authType' || field === 'environment' || field === 'scopePreset' || field === 'signInMethod') {
      validateNow();
    } else {
      update();
      scheduleValidation();
    }
  },
  setSendX5c(value) {
    if (state && state.phase === 'editing') {
      state.draft.sendX5c = value;
      markEdited(state, 'sendX5c');
      save();
      validateNow();
    }
  },
  leave(field) {
    // Leaving a field just typed in shows its message at once; passing through an empty one does not.
    if (state?.edited.has(field)) {
      validateNow();
    }
  },
  submit(event) {
    event.preventDefault();
    if (!state || state.phase !== 'editing') {
      return;
    }
    const group = root.querySelector<HTMLElement>('#field-signInMethod');
    if (group) {
      actions.syncRadios(group);
    }
    clearTimeout(validateTimer);
    state.serverErrors = {};
    state.showAll = true;
    validate(state);
    if (hasVisibleErrors(state)) {
      state.status = undefined;
      update();
      focusFirstInvalid();
      return;
    }
    post({ type: 'submit', draft: draftToSubmit(state), useCertificateFile: !!state.certificateFile });
    state.phase = 'saving';
    state.status = undefined;
    update();
  },
  cancel() {
    if (state?.phase === 'busy' && !state.cancelling) {
      state.cancelling = true;
      post({ type: 'cancel' });
      update();
    }
  },
  pickCertificate() {
    if (state?.phase === 'editing') {
      post({ type: 'pickCertificate' });
    }
  },
  clearCertificateFile() {
    if (state?.phase === 'editing') {
      state.certificateFile = undefined;
      validateNow();
      focusLater('#pick-certificate');
    }
  },
  copy(what: CopyTarget) {
    if (state) {
      post({ type: 'copy', what, draft: draftToCopy(state) });
    }
  },
  syncRadios(group) {
    const value = [...group.querySelectorAll<HTMLInputElement>('vscode-radio')].find((r) => r.checked)?.value;
    if (value !== undefined) {
      actions.edit('signInMethod', value);
    }
  },
};

function onHostMessage(message: HostMessage): void {
  if (message.type === 'init') {
    start(message);
    return;
  }
  if (!state) {
    return;
  }
  switch (message.type) {
    case 'validation': {
      state.phase = 'editing';
      state.showAll = true;
      state.serverErrors = { ...message.errors };
      const shown = new Set<string>(visibleFields(state.draft));
      const elsewhere = Object.entries(message.errors)
        .filter(([field, text]) => text && !shown.has(field))
        .map(([, text]) => text as string);
      state.status = elsewhere.length ? { kind: 'error', text: t('The connection was not saved.'), details: elsewhere } : undefined;
      update();
      if (!focusFirstInvalid() && elsewhere.length) {
        focusLater('#status');
      }
      break;
    }
    case 'busy':
      state.phase = 'busy';
      state.busyMessage = message.message;
      state.cancelling = false;
      state.status = undefined;
      update();
      focusLater('#cancel');
      break;
    case 'deviceCode':
      state.deviceCode = { userCode: message.userCode, verificationUri: message.verificationUri };
      update();
      break;
    case 'result':
      if (message.ok || message.connectionId) {
        becomeSaved();
      }
      state.phase = 'editing';
      state.cancelling = false;
      state.deviceCode = undefined;
      state.busyMessage = undefined;
      state.status = message.ok
        ? { kind: 'success', text: message.message }
        : { kind: 'error', text: message.message, code: message.code };
      update();
      focusLater('#status');
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
      update();
      clearTimeout(copiedTimer);
      copiedTimer = setTimeout(() => {
        if (state) {
          state.copied = undefined;
          update();
        }
      }, COPIED_NOTE_MS);
      break;
  }
}

function start(init: InitMessage): void {
  const draft: ConnectionDraft = { ...init.draft };
  const saved = readSavedState();
  if (saved && saved.mode === init.mode) {
    for (const [key, value] of Object.entries(saved.draft)) {
      if (key in draft && !(SECRET_FIELDS as readonly string[]).includes(key) && typeof value === typeof draft[key as DraftField]) {
        (draft as unknown as Record<string, unknown>)[key] = value;
      }
    }
  }
  t = translator(init.l10n);
  state = {
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
  document.title = formTitle(state, t);
  validate(state);
  update();
  focusLater('#field-authType');
}

/**
 * After a save the typed secrets are stored by the extension: the form forgets them and shows them as
 * stored, exactly like an edit opened later.
 */
function becomeSaved(): void {
  if (!state) {
    return;
  }
  const stored = new Set(state.init.storedSecrets);
  for (const field of SECRET_FIELDS) {
    if (visibleFields(state.draft).includes(field) && (state.draft[field] || (field === 'certificate' && state.certificateFile))) {
      stored.add(field);
    }
    state.draft[field] = '';
  }
  state.certificateFile = undefined;
  // What is saved now is what later edits compare with ("Saving signs this connection out").
  state.init = { ...state.init, mode: 'edit', draft: { ...state.draft }, storedSecrets: [...stored] };
  document.title = formTitle(state, t);
  validate(state);
  save();
}

function readSavedState(): SavedState | undefined {
  const saved = vscode.getState() as SavedState | undefined;
  return saved && typeof saved === 'object' && saved.draft && typeof saved.draft === 'object' ? saved : undefined;
}

function save(): void {
  if (state) {
    const saved: SavedState = { mode: state.init.mode, draft: persistableDraft(state.draft) };
    vscode.setState(saved);
  }
}

function scheduleValidation(): void {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validateNow, VALIDATE_DELAY_MS);
}

function validateNow(): void {
  clearTimeout(validateTimer);
  if (state) {
    validate(state);
    update();
  }
}

function update(): void {
  if (!state) {
    return;
  }
  render(formView(state, t, actions), root);
  for (const control of root.querySelectorAll<HTMLElement>('[data-control]')) {
    void mirrorAria(control);
  }
}

/** Moves focus to the first field with a message; false when there is none. */
function focusFirstInvalid(): boolean {
  if (!state) {
    return false;
  }
  const current = state;
  const field = visibleFields(current.draft).find((f) => fieldError(current, f, t));
  if (!field) {
    return false;
  }
  const target = field === 'certificate' && current.certificateFile ? '#pick-certificate' : `#field-${field}`;
  focusLater(target);
  return true;
}

/** Focuses an element once it and its web component have rendered. */
function focusLater(selector: string): void {
  requestAnimationFrame(async () => {
    const element = root.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(selector);
    if (!element) {
      return;
    }
    await element.updateComplete;
    if (element.id === 'field-signInMethod') {
      const radios = [...element.querySelectorAll<HTMLElement & { checked: boolean }>('vscode-radio')];
      (radios.find((r) => r.checked) ?? radios[0])?.focus();
      return;
    }
    element.focus();
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as HostMessage | undefined;
  if (data && typeof data === 'object' && typeof data.type === 'string') {
    onHostMessage(data);
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state?.phase === 'busy') {
    event.preventDefault();
    actions.cancel();
  }
});

post({ type: 'ready' });
