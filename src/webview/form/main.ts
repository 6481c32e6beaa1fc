/**
 * The Add/Edit Connection form, running in the webview. DOM and extension events become `FormEvent`s;
 * `update` (./update.ts, pure) gives the next state and its effects; this file renders the state with
 * lit templates and carries the effects out: messages through the typed `../protocol`, focus, the
 * validation pause, `setState`. Secrets typed here live in memory until `submit`; `setState` never sees them.
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
import type { FormMessage, HostMessage } from '../protocol';
import { mirrorAria } from './aria';
import { translator, type FormState } from './model';
import { savedStateOf, update, type Effect, type FormEvent, type SavedState } from './update';
import type { FormActions } from './actions';
import { formTitle, formView } from './view';
import { letSelectsWrap } from './wrapSelects';
import { INIT_ELEMENT_ID } from './html';

interface VsCodeApi {
  postMessage(message: FormMessage): void;
  getState(): unknown;
  setState<T>(state: T): T;
}
declare function acquireVsCodeApi(): VsCodeApi;

const VALIDATE_DELAY_MS = 250;
const COPIED_NOTE_MS = 4000;
/** Typing a tenant waits this long before the extension reads its configuration (a new keystroke restarts it). */
const LOOKUP_DELAY_MS = 600;

// Where opening the form spends its time, read by the bench from the page (bench/README.md, 6.): the
// imported web components are defined by now; 'init' and 'rendered' are marked below.
performance.mark('outlook365:defined');

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
let state: FormState | undefined;
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let copiedTimer: ReturnType<typeof setTimeout> | undefined;
let lookupTimer: ReturnType<typeof setTimeout> | undefined;

function dispatch(event: FormEvent): void {
  const result = update(state, event);
  const changed = result.state !== state;
  state = result.state;
  if (changed && state) {
    render(formView(state, translator(state.init.l10n), actions), root);
    if (event.type === 'start') performance.mark('outlook365:rendered');
    for (const control of root.querySelectorAll<HTMLElement>('[data-control]')) {
      void mirrorAria(control);
    }
    letSelectsWrap(root);
  }
  result.effects.forEach(run);
}

function run(effect: Effect): void {
  switch (effect.type) {
    case 'post':
      vscode.postMessage(effect.message);
      break;
    case 'persist':
      if (state) vscode.setState(savedStateOf(state));
      break;
    case 'validateLater':
      clearTimeout(validateTimer);
      validateTimer = setTimeout(() => dispatch({ type: 'validate' }), VALIDATE_DELAY_MS);
      break;
    case 'validatedNow':
      clearTimeout(validateTimer);
      break;
    case 'focus':
      focusLater(effect.selector);
      break;
    case 'title':
      if (state) document.title = formTitle(state, translator(state.init.l10n));
      break;
    case 'copiedLater':
      clearTimeout(copiedTimer);
      copiedTimer = setTimeout(() => dispatch({ type: 'copiedExpired' }), COPIED_NOTE_MS);
      break;
    case 'lookUpLater':
      clearTimeout(lookupTimer);
      lookupTimer = setTimeout(() => dispatch({ type: 'lookUpTenant' }), LOOKUP_DELAY_MS);
      break;
  }
}

const actions: FormActions = {
  edit: (field, value) => dispatch({ type: 'edit', field, value }),
  setSendX5c: (value) => dispatch({ type: 'setSendX5c', value }),
  leave: (field) => dispatch({ type: 'leave', field }),
  submit(event) {
    event.preventDefault();
    // Arrow keys may have moved the radio selection without a `change` event.
    const group = root.querySelector<HTMLElement>('#field-signInMethod');
    if (group) actions.syncRadios(group);
    dispatch({ type: 'submit' });
  },
  cancel: () => dispatch({ type: 'cancel' }),
  pickCertificate: () => dispatch({ type: 'pickCertificate' }),
  clearCertificateFile: () => dispatch({ type: 'clearCertificateFile' }),
  copy: (what) => dispatch({ type: 'copy', what }),
  save() {
    const group = root.querySelector<HTMLElement>('#field-signInMethod');
    if (group) actions.syncRadios(group);
    dispatch({ type: 'save' });
  },
  switchEnvironment: () => dispatch({ type: 'switchEnvironment' }),
  openHelp: (topic) => dispatch({ type: 'openHelp', topic }),
  syncRadios(group) {
    const value = [...group.querySelectorAll<HTMLInputElement>('vscode-radio')].find((r) => r.checked)?.value;
    if (value !== undefined) actions.edit('signInMethod', value);
  },
};

function readSavedState(): SavedState | undefined {
  const saved = vscode.getState() as SavedState | undefined;
  return saved && typeof saved === 'object' && saved.draft && typeof saved.draft === 'object' ? saved : undefined;
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
    if (data.type === 'init') performance.mark('outlook365:init');
    dispatch(
      data.type === 'init' ? { type: 'start', init: data, saved: readSavedState() } : { type: 'host', message: data },
    );
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state?.phase === 'busy') {
    event.preventDefault();
    actions.cancel();
  }
});

// The first load starts from the `init` the page came with; a reload (the panel was hidden and shown: VS Code
// sets the same page again, with the state saved before) or a page without one asks the extension for a
// fresh one (formPanel.ts, `load`). The mark says only that the page has started once: a draft is saved
// when the user changes it, and an untouched form, reloaded, takes the connection as it is now.
const embedded = document.getElementById(INIT_ELEMENT_ID)?.textContent;
if (embedded && vscode.getState() === undefined) {
  vscode.setState({ started: true });
  performance.mark('outlook365:init');
  dispatch({ type: 'start', init: JSON.parse(embedded) as Extract<HostMessage, { type: 'init' }> });
} else {
  vscode.postMessage({ type: 'ready' });
}
