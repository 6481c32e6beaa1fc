/**
 * The parts of the form around its settings: the ROPC banner, the redirect URI to register, the device
 * code, the status line, the sign-out notice and the actions. Pure lit templates of the state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { redirectUriAdvice } from '../../model/adminConsent';
import type { CopyTarget } from '../protocol';
import type { FormActions } from './actions';
import { FIELDS } from './fields';
import { errorIcon, successIcon, warningIcon } from './icons';
import { isConfidential, localize, permissionSummary, signInChangesOf, type FormState, type Translate } from './model';

export function ropcBanner(state: FormState, t: Translate): TemplateResult {
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

export function signInChangeNotice(state: FormState, t: Translate): TemplateResult {
  const fields = signInChangesOf(state);
  // The live region is always there, so the notice is announced when an edit makes it appear.
  return html`
    <div id="sign-in-change" role="status">
      ${
        fields.length === 0
          ? nothing
          : html`<div class="banner banner-warning">
              ${warningIcon}
              <div>
                <strong>${t('Saving signs this connection out')}</strong>
                <p>
                  ${t(
                    'Changed: {fields}. These decide who signs in, to which app and with which permissions, so the old tokens, account and permissions of this connection are removed when you save; it then signs in again.',
                    {
                      // A list in the page's language: "A, B und C", "A、B、C".
                      fields: new Intl.ListFormat(document.documentElement.lang || 'en', {
                        type: 'conjunction',
                      }).format(fields.map((f) => FIELDS[f].label(t))),
                    },
                  )}
                </p>
              </div>
            </div>`
      }
    </div>
  `;
}

export function scopeSummary(state: FormState, t: Translate): TemplateResult {
  const scopes = permissionSummary(state);
  return html`
    <div class="summary" id="permission-summary">
      <div class="summary-title" id="summary-title">
        ${t('Permissions that will be requested ({count})', { count: scopes.length })}
      </div>
      <ul class="chips" aria-labelledby="summary-title">
        ${scopes.map((s) => html`<li class="chip">${s}</li>`)}
      </ul>
    </div>
  `;
}

export function redirectUriBox(state: FormState, t: Translate, actions: FormActions, locked: boolean): TemplateResult {
  const advice = redirectUriAdvice(isConfidential(state));
  const platform = advice.platform === 'web' ? t('Web') : t('Mobile and desktop applications');
  const why =
    advice.platform === 'web'
      ? t('With a client secret the app is confidential: register the URI on the Web platform.')
      : t(
          'Without a client secret the app is public: register the URI on the Mobile and desktop applications platform.',
        );
  return html`
    <div class="setting callout" id="redirect-uri" data-panel="redirectUri">
      <div class="setting-title">${t('Redirect URI to register')}</div>
      <div class="setting-description">
        ${t('In the app registration: Authentication \u2192 Add a platform \u2192 {platform}.', { platform })}
      </div>
      <div class="inline-row">
        <code class="uri" id="redirect-uri-value">${advice.uri}</code>
        <vscode-button id="copy-redirect-uri" secondary ?disabled=${locked} @click=${() => actions.copy('redirectUri')}
          >${t('Copy')}</vscode-button
        >
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
  return html`<span class="copied" aria-live="polite"
    >${state.copied === what ? t('Copied to the clipboard.') : ''}</span
  >`;
}

export function deviceCodeBox(state: FormState, t: Translate): TemplateResult | typeof nothing {
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

export function statusRegion(state: FormState, t: Translate): TemplateResult {
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
      ${
        status
          ? html`${status.kind === 'success' ? successIcon : errorIcon}
              <div class="status-text">
                <div id="status-message">${status.text}</div>
                ${status.code ? html`<div class="status-code">${t('Error code: {code}', { code: status.code })}</div>` : nothing}
                ${
                  status.details?.length
                    ? html`<ul class="status-details">
                        ${status.details.map((d) => html`<li>${d}</li>`)}
                      </ul>`
                    : nothing
                }
              </div>`
          : nothing
      }
    </div>
  `;
}

export function actionBar(state: FormState, t: Translate, actions: FormActions): TemplateResult {
  const working = state.phase !== 'editing';
  return html`
    <div class="actions">
      <vscode-button id="connect" type="submit" ?disabled=${working}
        >${state.init.mode === 'edit' ? t('Save and connect') : t('Connect')}</vscode-button
      >
      <vscode-button id="save-only" secondary ?disabled=${working} @click=${actions.save}>${t('Save')}</vscode-button>
      ${
        working
          ? html`
              <span class="busy" id="busy">
                <vscode-progress-ring aria-label=${state.busyMessage ?? t('Saving\u2026')}></vscode-progress-ring>
                <span id="busy-message"
                  >${state.cancelling ? t('Cancelling\u2026') : (state.busyMessage ?? t('Saving\u2026'))}</span
                >
              </span>
              ${
                state.phase === 'busy'
                  ? html`<vscode-button id="cancel" secondary ?disabled=${state.cancelling} @click=${actions.cancel}
                      >${t('Cancel')}</vscode-button
                    >`
                  : nothing
              }
            `
          : html`
              <vscode-button id="copy-admin-consent" secondary @click=${() => actions.copy('adminConsentLink')}
                >${t('Copy admin consent link')}</vscode-button
              >
              ${copiedNote(state, 'adminConsentLink', t)}
            `
      }
    </div>
    <p class="footnote">
      ${t('An administrator opens the admin consent link to grant these permissions for the whole tenant.')}
    </p>
  `;
}
