/**
 * What the form shows of the tenant look-up (./tenantLookup.ts): next to the environment, that the
 * tenant is in another cloud, with a button to switch; at the tenant, that no such tenant exists. Both
 * are live regions that are always there, so a note is announced when it appears. Warnings only: an
 * answer never blocks saving.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { FormActions } from './actions';
import { warningIcon } from './icons';
import type { FormState, Translate } from './model';
import { currentVerdict, suggestedEnvironment } from './tenantLookup';

function environmentName(state: FormState, id: string): string {
  return state.init.environments.find((e) => e.id === id)?.label ?? id;
}

export function cloudHint(state: FormState, t: Translate, actions: FormActions, locked: boolean): TemplateResult {
  const verdict = currentVerdict(state);
  const target = suggestedEnvironment(state);
  return html`<div id="cloud-hint" class="cloud-hint" role="status">
    ${
      verdict?.kind === 'otherCloud'
        ? html`<div class="message message-warning" id="cloud-hint-text">
              ${warningIcon}<span
                >${t('The tenant {tenant} is in {environment}, not in {chosen}.', {
                  tenant: state.draft.tenant.trim(),
                  environment: environmentName(state, verdict.environment),
                  chosen: environmentName(state, state.draft.environment),
                })}</span
              >
            </div>
            ${
              target
                ? html`<vscode-button
                    id="switch-environment"
                    secondary
                    ?disabled=${locked}
                    @click=${actions.switchEnvironment}
                    >${t('Switch to {environment}', { environment: environmentName(state, target) })}</vscode-button
                  >`
                : nothing
            }`
        : nothing
    }
  </div>`;
}

export function tenantNote(state: FormState, t: Translate): TemplateResult {
  const notFound = currentVerdict(state)?.kind === 'notFound';
  return html`<div id="tenant-lookup" class="message ${notFound ? 'message-warning' : ''}" role="status">
    ${
      notFound
        ? html`${warningIcon}<span
              >${t(
                'Microsoft Entra ID knows no tenant {tenant} in {environment} (AADSTS90002). Check the tenant ID or domain, or choose the environment the tenant is in.',
                { tenant: state.draft.tenant.trim(), environment: environmentName(state, state.draft.environment) },
              )}</span
            >`
        : nothing
    }
  </div>`;
}
