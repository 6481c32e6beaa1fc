/**
 * The form's markup as a lit template of the state. Every field is a "setting" (label, description,
 * control, message) like VS Code's settings editor. Ids follow one scheme so labels, descriptions and
 * messages can be tied to their control: `field-X`, `label-X`, `help-X`, `error-X`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { AUTH_TYPES, AUTH_TYPE_TABLE } from '../../model/authTypes';
import type { DraftField } from '../../model/draft';
import { SCOPE_PRESETS } from '../../model/scopes';
import type { FormActions } from './actions';
import { FIELDS, isRequired, placeholderOf } from './fields';
import { errorIcon, fileIcon, warningIcon } from './icons';
import {
  actionBar,
  deviceCodeBox,
  redirectUriBox,
  ropcBanner,
  scopeSummary,
  signInChangeNotice,
  statusRegion,
} from './panels';
import { helpLinks } from './helpLinks';
import { cloudHint, tenantNote } from './tenantCloudView';
import { authTypeOf, fieldError, localize, visibleFields, type FormState, type Translate } from './model';

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
        <p class="lead">
          ${t('Connect to Microsoft Outlook 365 through Microsoft Graph. Secrets are kept in VS Code\u2019s secret storage.')}
        </p>
      </header>
      ${authType === 'ropc' ? ropcBanner(state, t) : nothing}
      <form class="form" novalidate aria-labelledby="form-title" @submit=${actions.submit}>
        ${authTypeSetting(state, t, actions, locked)}
        ${repeat(
          fields,
          (field) => field,
          (field) =>
            html`${fieldSetting(field, state, t, actions, locked)}${field === 'clientSecret' && authType === 'byoApp' ? redirectUriBox(state, t, actions, locked) : nothing}`,
        )}
        ${deviceCodeBox(state, t)} ${statusRegion(state, t)} ${signInChangeNotice(state, t)}
        ${actionBar(state, t, actions)}
      </form>
    </main>
  `;
}

function authTypeSetting(state: FormState, t: Translate, actions: FormActions, locked: boolean): TemplateResult {
  const error = state.serverErrors.authType;
  const options = AUTH_TYPES.map((id): Option => [id, localize(AUTH_TYPE_TABLE[id].label, t)]);
  const describedBy = error ? 'help-authType error-authType' : 'help-authType';
  return html`
    <div class="setting" id="setting-authType">
      <vscode-label id="label-authType" for="field-authType">${FIELDS.authType.label(t)}</vscode-label>
      <div class="setting-description" id="help-authType">${FIELDS.authType.description!(state, t)}</div>
      ${dropdown({ field: 'authType', error, describedBy, required: false, locked }, authTypeOf(state.draft), options, t, actions)}
      ${messageLine('authType', error, undefined)}
    </div>
  `;
}

function fieldSetting(
  field: DraftField,
  state: FormState,
  t: Translate,
  actions: FormActions,
  locked: boolean,
): TemplateResult {
  const error = fieldError(state, field, t);
  // The ROPC warning stands at the top of the form; other warnings show on their field.
  const warningMessage = field === 'password' && authTypeOf(state.draft) === 'ropc' ? undefined : state.warnings[field];
  const warning = !error && warningMessage?.text ? localize(warningMessage, t) : undefined;
  const help = FIELDS[field].description?.(state, t);
  const describedBy = [
    help ? `help-${field}` : '',
    error || warning ? `error-${field}` : '',
    field === 'certificate' && state.certificateFile ? 'picked-certificate' : '',
    field === 'tenant' ? 'tenant-lookup' : field === 'environment' ? 'cloud-hint' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const required = isRequired(field, state);
  const common = { field, error, describedBy, required, locked };
  return html`
    <div class="setting ${error ? 'has-error' : ''}" id="setting-${field}" data-field=${field}>
      ${
        field === 'sendX5c'
          ? html`<div class="setting-title" id="label-${field}">${FIELDS[field].label(t)}</div>`
          : html`<vscode-label id="label-${field}" for="field-${field}" ?required=${required}
              >${FIELDS[field].label(t)}</vscode-label
            >`
      }
      ${help ? html`<div class="setting-description" id="help-${field}">${help}${helpLinks(field, t, actions)}</div>` : nothing}
      ${control(common, state, t, actions)} ${messageLine(field, error, warning)}
      ${field === 'tenant' ? tenantNote(state, t) : nothing}
      ${field === 'environment' ? cloudHint(state, t, actions, locked) : nothing}
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
      return dropdown(
        o,
        draft.environment,
        state.init.environments.map((env): Option => [env.id, env.label]),
        t,
        actions,
      );
    case 'scopePreset':
      return dropdown(
        o,
        draft.scopePreset,
        SCOPE_PRESETS.map((preset): Option => [preset.id, localize(preset.label, t)]),
        t,
        actions,
      );
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
          ${signInOptions(t).map(
            ([value, text]) =>
              html`<vscode-radio
                name="signInMethod"
                value=${value}
                .checked=${draft.signInMethod === value}
                ?disabled=${o.locked}
                >${text}${value === 'deviceCode' && state.init.remote ? html` <span class="hint">${t('(recommended here)')}</span>` : nothing}</vscode-radio
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

type Option = [value: string, label: string];

/** The one select: the auth type, the environment and the permission preset. */
function dropdown(
  o: ControlOptions,
  value: string,
  options: readonly Option[],
  t: Translate,
  actions: FormActions,
): TemplateResult {
  const { field } = o;
  return html`
    <vscode-single-select
      id="field-${field}"
      class="control"
      data-control=${field}
      .label=${FIELDS[field].label(t)}
      .value=${value}
      ?disabled=${o.locked}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${o.describedBy}
      @change=${(e: Event) => actions.edit(field, (e.currentTarget as HTMLInputElement).value)}
    >
      ${options.map(([id, text]) => html`<vscode-option value=${id} ?selected=${id === value}>${text}</vscode-option>`)}
    </vscode-single-select>
  `;
}

function signInOptions(t: Translate): Option[] {
  return [
    ['auto', t('Automatic')],
    ['browser', t('Browser')],
    ['deviceCode', t('Device code')],
  ];
}

function textControl(o: ControlOptions, state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const { field } = o;
  return html`
    <vscode-textfield
      id="field-${field}"
      class="control"
      data-control=${field}
      type=${FIELDS[field].input ?? 'text'}
      autocomplete="off"
      .label=${FIELDS[field].label(t)}
      .value=${String(state.draft[field])}
      placeholder=${ifDefined(placeholderOf(field, state, t))}
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
  return html`
    <div class="certificate">
      <div class="inline-row">
        <vscode-button id="pick-certificate" secondary ?disabled=${o.locked} @click=${actions.pickCertificate}
          >${t('Choose .pfx file\u2026')}</vscode-button
        >
        ${
          picked
            ? html`<span class="picked" id="picked-certificate">
                  ${fileIcon}<span class="file-name">${picked.fileName}</span>
                  ${picked.thumbprint ? html`<span class="thumbprint">${t('SHA-256 thumbprint {thumbprint}', { thumbprint: picked.thumbprint })}</span>` : nothing}
                </span>
                <vscode-button
                  id="clear-certificate"
                  secondary
                  ?disabled=${o.locked}
                  @click=${actions.clearCertificateFile}
                  >${t('Remove')}</vscode-button
                >`
            : nothing
        }
      </div>
      ${
        picked
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
                .label=${FIELDS.certificate.label(t)}
                .value=${state.draft.certificate}
                placeholder=${ifDefined(placeholderOf('certificate', state, t))}
                ?invalid=${!!o.error}
                ?disabled=${o.locked}
                aria-required=${o.required ? 'true' : 'false'}
                aria-invalid=${o.error ? 'true' : 'false'}
                aria-describedby=${o.describedBy}
                @input=${(e: Event) => actions.edit('certificate', (e.currentTarget as HTMLInputElement).value)}
                @focusout=${() => actions.leave('certificate')}
              ></vscode-textarea>
            `
      }
    </div>
  `;
}

function messageLine(field: DraftField, error: string | undefined, warning: string | undefined): TemplateResult {
  // Always present (empty when fine), so aria-describedby never points at nothing.
  return html`<div class="message ${error ? 'message-error' : warning ? 'message-warning' : ''}" id="error-${field}">
    ${error ? html`${errorIcon}<span>${error}</span>` : warning ? html`${warningIcon}<span>${warning}</span>` : nothing}
  </div>`;
}
