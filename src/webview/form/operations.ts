/**
 * The form's "what this connection does" part: the operations as checkboxes in groups (each with the
 * least-privileged permission it needs for this auth type), the warnings when the choices cannot do
 * what was ticked, and the permission summary that says why each permission is requested. Pure lit
 * templates of the state; the rules are ../../model/permissionPlan.ts.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { OPERATION_PERMISSIONS, type OperationGroup } from '../../model/graphPermissions';
import { OPERATION_IDS, parseOperations, withOperation, type OperationId } from '../../model/operations';
import { planOfDraft, type PermissionPlan, type Reason } from '../../model/permissionPlan';
import { presetById } from '../../model/scopes';
import type { FormActions } from './actions';
import { warningIcon } from './icons';
import { graphEndpointOf, localize, type FormState, type Translate } from './model';

/** Each operation's words: a literal `t('…')` each, so the l10n extraction finds them. */
export function operationLabel(id: OperationId, t: Translate): string {
  switch (id) {
    case 'readMail':
      return t('Read mail');
    case 'readSharedMailbox':
      return t('Read a shared mailbox');
    case 'writeMail':
      return t('Change mail (move, flag, delete, drafts)');
    case 'writeSharedMailbox':
      return t('Change mail in a shared mailbox');
    case 'sendMail':
      return t('Send mail');
    case 'sendAsShared':
      return t('Send as or on behalf of a shared mailbox');
    case 'readCalendars':
      return t('Read calendars');
    case 'writeCalendars':
      return t('Change calendars');
    case 'readSharedCalendars':
      return t('Read shared calendars');
    case 'writeSharedCalendars':
      return t('Change shared calendars');
    case 'readContacts':
      return t('Read contacts');
    case 'writeContacts':
      return t('Change contacts');
    case 'readMailboxSettings':
      return t('Read mailbox settings');
    case 'writeMailboxSettings':
      return t('Change mailbox settings (automatic replies, time zone)');
    case 'mailNotifications':
      return t('Change notifications for mail');
    case 'eventNotifications':
      return t('Change notifications for calendar events');
    case 'profile':
      return t('Read the user\u2019s profile');
  }
}

function groupLabel(group: OperationGroup, t: Translate): string {
  switch (group) {
    case 'mail':
      return t('Mail');
    case 'calendar':
      return t('Calendar');
    case 'contacts':
      return t('Contacts');
    case 'settings':
      return t('Mailbox settings');
    case 'notifications':
      return t('Change notifications');
    case 'profile':
      return t('Profile');
  }
}

function planOf(state: FormState): PermissionPlan | undefined {
  return planOfDraft(state.draft, graphEndpointOf(state));
}

const GROUPS = [...new Set(OPERATION_IDS.map((id) => OPERATION_PERMISSIONS[id].group))];

export function operationsControl(
  state: FormState,
  t: Translate,
  actions: FormActions,
  o: { describedBy: string; locked: boolean },
): TemplateResult {
  const plan = planOf(state);
  const kind = plan?.kind ?? 'delegated';
  const ticked = parseOperations(state.draft.operations);
  const toggle = (id: OperationId) => (e: Event) =>
    actions.edit(
      'operations',
      withOperation(state.draft.operations, id, (e.currentTarget as HTMLInputElement).checked),
    );
  return html`
    <div
      id="field-operations"
      class="operations"
      role="group"
      aria-labelledby="label-operations"
      aria-describedby=${o.describedBy}
    >
      ${GROUPS.map(
        (group) => html`
          <fieldset class="operation-group" data-group=${group}>
            <legend>${groupLabel(group, t)}</legend>
            ${OPERATION_IDS.filter((id) => OPERATION_PERMISSIONS[id].group === group).map(
              (id) => html`
                <vscode-checkbox
                  id="operation-${id}"
                  data-operation=${id}
                  .checked=${ticked.includes(id)}
                  ?disabled=${o.locked}
                  @change=${toggle(id)}
                  >${operationLabel(id, t)}
                  <span class="hint">${OPERATION_PERMISSIONS[id][kind].least}</span></vscode-checkbox
                >
              `,
            )}
          </fieldset>
        `,
      )}
    </div>
    <div class="setting-description operation-note" id="mailbox-settings-note">
      ${t(
        'Some guides ask for MailboxSettings.ReadWrite; reading needs only MailboxSettings.Read, the least privileged, so ReadWrite is requested only to change the settings.',
      )}
    </div>
    ${operationWarnings(plan, t)}
  `;
}

function operationWarnings(plan: PermissionPlan | undefined, t: Translate): TemplateResult {
  const warnings = (plan?.warnings ?? []).filter((w) => w.field === 'operations');
  // Always present, so a warning that appears is announced.
  return html`<div id="operation-warnings" role="status">
    ${
      warnings.length
        ? html`<ul class="operation-warnings">
            ${warnings.map((w) => html`<li class="message message-warning">${warningIcon}<span>${localize(w.message, t)}</span></li>`)}
          </ul>`
        : nothing
    }
  </div>`;
}

function reasonText(reason: Reason, t: Translate): string {
  switch (reason.kind) {
    case 'operation':
      return operationLabel(reason.operation, t);
    case 'preset':
      return t('preset \u201c{preset}\u201d', { preset: localize(presetById(reason.preset).label, t) });
    case 'additional':
      return t('additional scope');
    case 'signIn':
      return t('sign-in and staying signed in');
    case 'sourceMinimum':
      return t('minimum for app-only connections');
  }
}

/** The summary under the last permission field: each permission with why it is requested or needed. */
export function permissionSummary(state: FormState, t: Translate): TemplateResult {
  const plan = planOf(state);
  if (!plan) return html``;
  const count = plan.permissions.length;
  const title =
    plan.kind === 'application'
      ? t('Application permissions an administrator grants to the app ({count})', { count })
      : plan.configuredOnApp
        ? t('Delegated permissions the app registration needs ({count})', { count })
        : t('Permissions that will be requested ({count})', { count });
  const graph = graphEndpointOf(state) ?? 'https://graph.microsoft.com';
  return html`
    <div class="summary" id="permission-summary" data-kind=${plan.kind}>
      <div class="summary-title" id="summary-title">${title}</div>
      ${
        plan.configuredOnApp
          ? html`<div class="setting-description" id="summary-requested">
              ${t('The sign-in asks for {scope}: it gets what the app registration has been granted.', {
                scope: `${graph}/.default`,
              })}
            </div>`
          : nothing
      }
      <ul class="permissions" aria-labelledby="summary-title">
        ${plan.permissions.map(
          (p) =>
            html`<li class="permission" data-permission=${p.permission}>
              <span class="chip">${p.permission}</span>
              <span class="reason">${p.reasons.map((r) => reasonText(r, t)).join(' \u00b7 ')}</span>
              ${p.adminConsent && plan.kind === 'delegated' ? html`<span class="badge">${t('needs admin consent')}</span>` : nothing}
            </li>`,
        )}
      </ul>
    </div>
  `;
}
