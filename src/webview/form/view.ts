/**
 * The form's markup as a lit template of the state. Every field is a "setting" (label, description,
 * control, message) like VS Code's settings editor. Ids follow one scheme so labels, descriptions and
 * messages can be tied to their control: `field-X`, `label-X`, `help-X`, `error-X`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { AUTH_TYPES, AUTH_TYPE_TABLE, DEFAULT_PUBLIC_CLIENT_ID } from '../../engine/authTypes';
import { redirectUriAdvice } from '../../engine/adminConsent';
import { SCOPE_PRESETS } from '../../engine/scopes';
import type { DraftField } from '../../engine/validate';
import type { CopyTarget } from '../protocol';
import {
  authTypeOf,
  defaultTenant,
  fieldError,
  isConfidential,
  localize,
  permissionSummary,
  signInChangesOf,
  visibleFields,
  type FormState,
  type Translate,
} from './model';

export interface FormActions {
  /** A text, select or radio value changed. */
  edit(field: DraftField, value: string): void;
  setSendX5c(value: boolean): void;
  /** A field lost focus. */
  leave(field: DraftField): void;
  submit(event: Event): void;
  cancel(): void;
  pickCertificate(): void;
  clearCertificateFile(): void;
  copy(what: CopyTarget): void;
  /** The radio group's value may have changed without a `change` event (arrow keys). */
  syncRadios(group: HTMLElement): void;
}


const SIGN_IN_LABELS: ReadonlyArray<[value: string, label: string]> = [
  ['auto', 'Automatic'],
  ['browser', 'Browser'],
  ['deviceCode', 'Device code'],
];

const GUID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

function label(field: DraftField): string {
  switch (field) {
    case 'name':
      return 'Connection name';
    case 'authType':
      return 'Authentication type';
    case 'environment':
      return 'Environment';
    case 'tenant':
      return 'Tenant';
    case 'clientId':
      return 'Application (client) ID';
    case 'clientSecret':
      return 'Client secret';
    case 'certificate':
      return 'Certificate';
    case 'certificatePassword':
      return 'Certificate password';
    case 'sendX5c':
      return 'Certificate chain';
    case 'account':
      return 'Account (UPN)';
    case 'sharedMailbox':
      return 'Shared mailbox';
    case 'username':
      return 'Username (UPN)';
    case 'password':
      return 'Password';
    case 'scopePreset':
      return 'Permissions';
    case 'additionalScopes':
      return 'Additional scopes';
    case 'signInMethod':
      return 'Sign-in method';
  }
}

function description(field: DraftField, state: FormState, t: Translate): string | undefined {
  const authType = authTypeOf(state.draft);
  switch (field) {
    case 'name':
      return t('Shown in the Connections view; must be unique.');
    case 'environment': {
      const custom = state.draft.environment === 'custom' ? state.init.environments.find((e) => e.id === 'custom') : undefined;
      return custom?.loginEndpoint && custom.graphEndpoint
        ? t('Login host {login}, Graph host {graph}. The connection keeps these hosts; a later change of the setting applies only through Update Endpoints.', {
            login: new URL(custom.loginEndpoint).host,
            graph: new URL(custom.graphEndpoint).host,
          })
        : t('The Microsoft cloud your tenant is in.');
    }
    case 'tenant': {
      const fallback = defaultTenant(state.draft);
      return fallback
        ? t('Tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com. Empty means \u201c{tenant}\u201d.', { tenant: fallback })
        : t('Tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com. App-only sign-in needs one tenant.');
    }
    case 'clientId':
      return authType === 'ropc'
        ? t('Optional. Empty uses Microsoft Graph Command Line Tools ({clientId}).', { clientId: defaultClientId(state) })
        : t('From the Overview page of the app registration in Microsoft Entra ID.');
    case 'clientSecret':
      return authType === 'byoApp'
        ? t('Optional. With a secret the app is a confidential client (browser sign-in only); without one it is a public client.')
        : t('The secret\u2019s value (not its ID), from Certificates & secrets of the app registration.');
    case 'certificate':
      return t('A .pfx (PKCS #12) file with the private key: choose the file, or paste its content as base64.');
    case 'certificatePassword':
      return t('Leave empty when the .pfx has no password.');
    case 'sendX5c':
      return t('Needed for subject name and issuer authentication; leave off otherwise.');
    case 'account':
      return authType === 'authCode' || authType === 'byoApp'
        ? t('Optional. The account to sign in with: the sign-in page starts with it (login_hint).')
        : t('The mailbox whose mail and calendar the app works with, for example automation@contoso.com.');
    case 'sharedMailbox':
      return t('Optional. A shared mailbox to work with instead of the signed-in account\u2019s own.');
    case 'username':
      return t('The work account, for example name@contoso.com.');
    case 'password':
      return undefined;
    case 'scopePreset':
      return t('Delegated Microsoft Graph permissions to request.');
    case 'additionalScopes':
      return t('Separated by spaces or commas: names such as Mail.Send, or full URIs on this environment\u2019s Graph host.');
    case 'signInMethod':
      return state.init.remote
        ? t('This window is remote: device code is recommended, because a browser here cannot reach its loopback redirect.')
        : t('Automatic opens a browser, or uses a device code in a remote window.');
    default:
      return undefined;
  }
}

function defaultClientId(state: FormState): string {
  return state.init.defaultPublicClientId || DEFAULT_PUBLIC_CLIENT_ID;
}

function isRequired(field: DraftField, state: FormState): boolean {
  const stored = (state.init.storedSecrets as readonly string[]).includes(field);
  switch (field) {
    case 'name':
      return true;
    case 'tenant':
      return !defaultTenant(state.draft);
    default:
      return AUTH_TYPE_TABLE[authTypeOf(state.draft)].required.includes(field) && !stored && !(field === 'certificate' && state.certificateFile);
  }
}

function placeholder(field: DraftField, state: FormState, t: Translate): string | undefined {
  const stored = (state.init.storedSecrets as readonly string[]).includes(field);
  if (stored) {
    return t('Stored \u2014 leave empty to keep');
  }
  switch (field) {
    case 'name':
      return t('e.g. Sales mailbox');
    case 'tenant':
      return defaultTenant(state.draft) ?? 'contoso.onmicrosoft.com';
    case 'clientId':
      return authTypeOf(state.draft) === 'ropc' ? defaultClientId(state) : GUID_PLACEHOLDER;
    case 'clientSecret':
      return authTypeOf(state.draft) === 'byoApp' ? t('None (public client)') : undefined;
    case 'account':
    case 'username':
      return 'name@contoso.com';
    case 'sharedMailbox':
      return 'shared@contoso.com';
    case 'additionalScopes':
      return 'Mail.Send, Contacts.Read';
    default:
      return undefined;
  }
}

const TEXT_TYPES: Partial<Record<DraftField, 'text' | 'password' | 'email'>> = {
  name: 'text',
  tenant: 'text',
  clientId: 'text',
  clientSecret: 'password',
  certificatePassword: 'password',
  account: 'email',
  sharedMailbox: 'email',
  username: 'email',
  password: 'password',
  additionalScopes: 'text',
};

export function formTitle(state: FormState, t: Translate): string {
  return state.init.mode === 'edit' ? t('Edit Outlook Connection') : t('Add Outlook Connection');
}

export function formView(state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const authType = authTypeOf(state.draft);
  const fields = visibleFields(state.draft);
  const locked = state.phase !== 'editing';
  return html`
    <main class="page" aria-busy=${locked ? 'true' : 'false'}>
      <header class="page-header">
        <h1 id="form-title">${formTitle(state, t)}</h1>
        <p class="lead">${t('Connect to Microsoft Outlook 365 through Microsoft Graph. Secrets are kept in VS Code\u2019s secret storage.')}</p>
      </header>
      ${authType === 'ropc' ? ropcBanner(state, t) : nothing}
      <form class="form" novalidate aria-labelledby="form-title" @submit=${actions.submit}>
        ${authTypeSetting(state, t, actions, locked)}
        ${repeat(
          fields,
          (field) => field,
          (field) => html`${fieldSetting(field, state, t, actions, locked)}${field === 'clientSecret' && authType === 'byoApp' ? redirectUriBox(state, t, actions, locked) : nothing}`,
        )}
        ${deviceCodeBox(state, t)}
        ${statusRegion(state, t)}
        ${signInChangeNotice(state, t)}
        ${actionBar(state, t, actions)}
      </form>
    </main>
  `;
}

function ropcBanner(state: FormState, t: Translate): TemplateResult {
  const warning = state.warnings.password;
  return html`
    <div class="banner banner-warning" id="ropc-warning" role="note">
      ${warningIcon}
      <div>
        <strong>${t('Not recommended')}</strong>
        <p>${warning ? localize(warning, t) : t('Username and password sign-in is not recommended.')}</p>
      </div>
    </div>
  `;
}

function signInChangeNotice(state: FormState, t: Translate): TemplateResult {
  const fields = signInChangesOf(state);
  // The live region is always there, so the notice is announced when an edit makes it appear.
  return html`
    <div id="sign-in-change" role="status">
      ${fields.length === 0
        ? nothing
        : html`<div class="banner banner-warning">
            ${warningIcon}
            <div>
              <strong>${t('Saving signs this connection out')}</strong>
              <p>
                ${t('Changed: {fields}. These decide who signs in, to which app and with which permissions, so the old tokens, account and permissions of this connection are removed when you save; it then signs in again.', {
                  fields: fields.map((f) => t(label(f))).join(', '),
                })}
              </p>
            </div>
          </div>`}
    </div>
  `;
}

function authTypeSetting(state: FormState, t: Translate, actions: FormActions, locked: boolean): TemplateResult {
  const authType = authTypeOf(state.draft);
  const error = state.serverErrors.authType;
  return html`
    <div class="setting" id="setting-authType">
      <vscode-label id="label-authType" for="field-authType">${t(label('authType'))}</vscode-label>
      <div class="setting-description" id="help-authType">${localize(AUTH_TYPE_TABLE[authType].description, t)}</div>
      <vscode-single-select
        id="field-authType"
        class="control"
        data-control="authType"
        .label=${t(label('authType'))}
        .value=${authType}
        ?disabled=${locked}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? 'help-authType error-authType' : 'help-authType'}
        @change=${(e: Event) => actions.edit('authType', (e.currentTarget as HTMLInputElement).value)}
      >
        ${AUTH_TYPES.map((id) => html`<vscode-option value=${id} ?selected=${id === authType}>${localize(AUTH_TYPE_TABLE[id].label, t)}</vscode-option>`)}
      </vscode-single-select>
      ${messageLine('authType', error, undefined)}
    </div>
  `;
}

function fieldSetting(field: DraftField, state: FormState, t: Translate, actions: FormActions, locked: boolean): TemplateResult {
  const error = fieldError(state, field, t);
  // The ROPC warning stands at the top of the form; other warnings show on their field.
  const warningMessage = field === 'password' && authTypeOf(state.draft) === 'ropc' ? undefined : state.warnings[field];
  const warning = !error && warningMessage?.text ? localize(warningMessage, t) : undefined;
  const help = description(field, state, t);
  const describedBy = [help ? `help-${field}` : '', error || warning ? `error-${field}` : '', field === 'certificate' && state.certificateFile ? 'picked-certificate' : '']
    .filter(Boolean)
    .join(' ');
  const required = isRequired(field, state);
  const common = { field, error, describedBy, required, locked };
  return html`
    <div class="setting ${error ? 'has-error' : ''}" id="setting-${field}" data-field=${field}>
      ${field === 'sendX5c'
        ? html`<div class="setting-title" id="label-${field}">${t(label(field))}</div>`
        : html`<vscode-label id="label-${field}" for="field-${field}" ?required=${required}>${t(label(field))}</vscode-label>`}
      ${help ? html`<div class="setting-description" id="help-${field}">${help}</div>` : nothing}
      ${control(common, state, t, actions)}
      ${messageLine(field, error, warning)}
      ${field === 'additionalScopes' ? scopeSummary(state, t) : nothing}
    </div>
  `;
}

interface ControlOptions {
  field: DraftField;
  error: string | undefined;
  describedBy: string;
  required: boolean;
  locked: boolean;
}

function control(o: ControlOptions, state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const { field } = o;
  const draft = state.draft;
  switch (field) {
    case 'environment':
      return html`
        <vscode-single-select
          id="field-environment"
          class="control"
          data-control="environment"
          .label=${t(label(field))}
          .value=${draft.environment}
          ?disabled=${o.locked}
          aria-invalid=${o.error ? 'true' : 'false'}
          aria-describedby=${o.describedBy}
          @change=${(e: Event) => actions.edit('environment', (e.currentTarget as HTMLInputElement).value)}
        >
          ${state.init.environments.map(
            (env) => html`<vscode-option value=${env.id} ?selected=${env.id === draft.environment}>${env.label}</vscode-option>`,
          )}
        </vscode-single-select>
      `;
    case 'scopePreset':
      return html`
        <vscode-single-select
          id="field-scopePreset"
          class="control"
          data-control="scopePreset"
          .label=${t(label(field))}
          .value=${draft.scopePreset}
          ?disabled=${o.locked}
          aria-invalid=${o.error ? 'true' : 'false'}
          aria-describedby=${o.describedBy}
          @change=${(e: Event) => actions.edit('scopePreset', (e.currentTarget as HTMLInputElement).value)}
        >
          ${SCOPE_PRESETS.map(
            (preset) => html`<vscode-option value=${preset.id} ?selected=${preset.id === draft.scopePreset}>${t(preset.label)}</vscode-option>`,
          )}
        </vscode-single-select>
      `;
    case 'signInMethod':
      return html`
        <vscode-radio-group
          id="field-signInMethod"
          class="control"
          data-control="signInMethod"
          variant="vertical"
          aria-labelledby="label-signInMethod"
          aria-invalid=${o.error ? 'true' : 'false'}
          aria-describedby=${o.describedBy}
          @change=${(e: Event) => actions.syncRadios(e.currentTarget as HTMLElement)}
          @keyup=${(e: Event) => actions.syncRadios(e.currentTarget as HTMLElement)}
        >
          ${SIGN_IN_LABELS.map(
            ([value, text]) => html`<vscode-radio
              name="signInMethod"
              value=${value}
              .checked=${draft.signInMethod === value}
              ?disabled=${o.locked}
              >${t(text)}${value === 'deviceCode' && state.init.remote ? html` <span class="hint">${t('(recommended here)')}</span>` : nothing}</vscode-radio
            >`,
          )}
        </vscode-radio-group>
      `;
    case 'sendX5c':
      return html`
        <vscode-checkbox
          id="field-sendX5c"
          class="control"
          data-control="sendX5c"
          .checked=${draft.sendX5c}
          ?disabled=${o.locked}
          aria-describedby=${o.describedBy}
          @change=${(e: Event) => actions.setSendX5c((e.currentTarget as HTMLInputElement).checked)}
          >${t('Send the certificate chain (x5c) with each token request')}</vscode-checkbox
        >
      `;
    case 'certificate':
      return certificateControl(o, state, t, actions);
    default:
      return textControl(o, state, t, actions);
  }
}

function textControl(o: ControlOptions, state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const { field } = o;
  return html`
    <vscode-textfield
      id="field-${field}"
      class="control"
      data-control=${field}
      type=${TEXT_TYPES[field] ?? 'text'}
      autocomplete="off"
      .label=${t(label(field))}
      .value=${String(state.draft[field])}
      placeholder=${ifDefined(placeholder(field, state, t))}
      ?invalid=${!!o.error}
      ?disabled=${o.locked}
      aria-required=${o.required ? 'true' : 'false'}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${o.describedBy}
      @input=${(e: Event) => actions.edit(field, (e.currentTarget as HTMLInputElement).value)}
      @focusout=${() => actions.leave(field)}
    ></vscode-textfield>
  `;
}

function certificateControl(o: ControlOptions, state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const picked = state.certificateFile;
  const stored = state.init.storedSecrets.includes('certificate');
  return html`
    <div class="certificate">
      <div class="inline-row">
        <vscode-button id="pick-certificate" secondary ?disabled=${o.locked} @click=${actions.pickCertificate}>${t('Choose .pfx file\u2026')}</vscode-button>
        ${picked
          ? html`<span class="picked" id="picked-certificate">
              ${fileIcon}<span class="file-name">${picked.fileName}</span>
              ${picked.thumbprint ? html`<span class="thumbprint">${t('SHA-256 thumbprint {thumbprint}', { thumbprint: picked.thumbprint })}</span>` : nothing}
            </span>
            <vscode-button id="clear-certificate" secondary ?disabled=${o.locked} @click=${actions.clearCertificateFile}>${t('Remove')}</vscode-button>`
          : nothing}
      </div>
      ${picked
        ? nothing
        : html`
            <div class="or">${t('or paste the .pfx as base64:')}</div>
            <vscode-textarea
              id="field-certificate"
              class="control"
              data-control="certificate"
              rows="3"
              monospace
              resize="vertical"
              .label=${t(label('certificate'))}
              .value=${state.draft.certificate}
              placeholder=${stored ? t('Stored \u2014 leave empty to keep') : t('Base64 text of the .pfx file')}
              ?invalid=${!!o.error}
              ?disabled=${o.locked}
              aria-required=${o.required ? 'true' : 'false'}
              aria-invalid=${o.error ? 'true' : 'false'}
              aria-describedby=${o.describedBy}
              @input=${(e: Event) => actions.edit('certificate', (e.currentTarget as HTMLInputElement).value)}
              @focusout=${() => actions.leave('certificate')}
            ></vscode-textarea>
          `}
    </div>
  `;
}

function messageLine(field: DraftField, error: string | undefined, warning: string | undefined): TemplateResult {
  // Always present (empty when fine), so aria-describedby never points at nothing.
  return html`<div class="message ${error ? 'message-error' : warning ? 'message-warning' : ''}" id="error-${field}">
    ${error ? html`${errorIcon}<span>${error}</span>` : warning ? html`${warningIcon}<span>${warning}</span>` : nothing}
  </div>`;
}

function scopeSummary(state: FormState, t: Translate): TemplateResult {
  const scopes = permissionSummary(state);
  return html`
    <div class="summary" id="permission-summary">
      <div class="summary-title" id="summary-title">${t('Permissions that will be requested ({count})', { count: scopes.length })}</div>
      <ul class="chips" aria-labelledby="summary-title">
        ${scopes.map((s) => html`<li class="chip">${s}</li>`)}
      </ul>
    </div>
  `;
}

function redirectUriBox(state: FormState, t: Translate, actions: FormActions, locked: boolean): TemplateResult {
  const advice = redirectUriAdvice(isConfidential(state));
  const platform = advice.platform === 'web' ? t('Web') : t('Mobile and desktop applications');
  const why =
    advice.platform === 'web'
      ? t('With a client secret the app is confidential: register the URI on the Web platform.')
      : t('Without a client secret the app is public: register the URI on the Mobile and desktop applications platform.');
  return html`
    <div class="setting callout" id="redirect-uri" data-panel="redirectUri">
      <div class="setting-title">${t('Redirect URI to register')}</div>
      <div class="setting-description">${t('In the app registration: Authentication \u2192 Add a platform \u2192 {platform}.', { platform })}</div>
      <div class="inline-row">
        <code class="uri" id="redirect-uri-value">${advice.uri}</code>
        <vscode-button id="copy-redirect-uri" secondary ?disabled=${locked} @click=${() => actions.copy('redirectUri')}>${t('Copy')}</vscode-button>
        ${copiedNote(state, 'redirectUri', t)}
      </div>
      <div class="platform">
        ${t('Platform:')} <strong id="redirect-platform" data-platform=${advice.platform}>${platform}</strong>
      </div>
      <div class="setting-description">${why}</div>
    </div>
  `;
}

function copiedNote(state: FormState, what: CopyTarget, t: Translate): TemplateResult {
  return html`<span class="copied" aria-live="polite">${state.copied === what ? t('Copied to the clipboard.') : ''}</span>`;
}

function deviceCodeBox(state: FormState, t: Translate): TemplateResult | typeof nothing {
  const code = state.deviceCode;
  if (!code || state.phase !== 'busy') {
    return nothing;
  }
  return html`
    <div class="device-code callout" id="device-code" role="group" aria-labelledby="device-code-title">
      <div class="setting-title" id="device-code-title">${t('Enter this code to sign in')}</div>
      <div class="code" id="device-code-value">${code.userCode}</div>
      <div class="setting-description">
        ${t('Open')} <a href=${code.verificationUri}>${code.verificationUri}</a>
        ${t('in a browser, enter the code and sign in. This form continues by itself.')}
      </div>
    </div>
  `;
}

function statusRegion(state: FormState, t: Translate): TemplateResult {
  const status = state.status;
  return html`
    <div
      id="status"
      class="status ${status ? `status-${status.kind}` : 'status-empty'}"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      tabindex="-1"
    >
      ${status
        ? html`${status.kind === 'success' ? successIcon : errorIcon}
            <div class="status-text">
              <div id="status-message">${status.text}</div>
              ${status.code ? html`<div class="status-code">${t('Error code: {code}', { code: status.code })}</div>` : nothing}
              ${status.details?.length ? html`<ul class="status-details">${status.details.map((d) => html`<li>${d}</li>`)}</ul>` : nothing}
            </div>`
        : nothing}
    </div>
  `;
}

function actionBar(state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const working = state.phase !== 'editing';
  return html`
    <div class="actions">
      <vscode-button id="connect" type="submit" ?disabled=${working}>${state.init.mode === 'edit' ? t('Save and connect') : t('Connect')}</vscode-button>
      ${working
        ? html`
            <span class="busy" id="busy">
              <vscode-progress-ring aria-label=${state.busyMessage ?? t('Saving\u2026')}></vscode-progress-ring>
              <span id="busy-message">${state.cancelling ? t('Cancelling\u2026') : (state.busyMessage ?? t('Saving\u2026'))}</span>
            </span>
            ${state.phase === 'busy'
              ? html`<vscode-button id="cancel" secondary ?disabled=${state.cancelling} @click=${actions.cancel}>${t('Cancel')}</vscode-button>`
              : nothing}
          `
        : html`
            <vscode-button id="copy-admin-consent" secondary @click=${() => actions.copy('adminConsentLink')}
              >${t('Copy admin consent link')}</vscode-button
            >
            ${copiedNote(state, 'adminConsentLink', t)}
          `}
    </div>
    <p class="footnote">${t('An administrator opens the admin consent link to grant these permissions for the whole tenant.')}</p>
  `;
}

// Small inline icons (codicons are not bundled): they take the text colour of their context.
const warningIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M7.56 1h.88l6.54 12.26-.44.74H1.44L1 13.26 7.56 1zM8 2.28 2.28 13H13.7L8 2.28zM8.63 12H7.37v-1.26h1.26V12zm-1.26-2.5V5h1.26v4.5H7.37z"/></svg>`;
const errorIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 1.2a5.8 5.8 0 1 0 0 11.6A5.8 5.8 0 0 0 8 2.2zM8.6 11v1.2H7.4V11h1.2zm0-7v6H7.4V4h1.2z"/></svg>`;
const successIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 1.2a5.8 5.8 0 1 0 0 11.6A5.8 5.8 0 0 0 8 2.2zm3.1 3.1.85.85L7 11.1 4.05 8.15l.85-.85L7 9.4l4.1-4.1z"/></svg>`;
const fileIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M13.71 4.29l-3-3L10 1H4L3 2v12l1 1h9l1-1V5l-.29-.71zM13 14H4V2h5v4h4v8zm-3-9V2l3 3h-3z"/></svg>`;

