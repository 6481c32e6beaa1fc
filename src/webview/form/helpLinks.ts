/**
 * The field help links: Microsoft Learn pages on what a field asks for, in the field's hint. Each is a
 * button (keyboard: Tab, Enter or Space) that sends the extension a topic id; the extension opens the
 * page after checking it against its fixed list (model/helpLinks.ts). The webview never opens a URL.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DraftField } from '../../model/draft';
import type { HelpTopic } from '../../model/helpLinks';
import type { FormActions } from './actions';
import type { Translate } from './model';

interface HelpLink {
  topic: HelpTopic;
  label: (t: Translate) => string;
}

const registerApp: HelpLink = { topic: 'registerApp', label: (t) => t('How to register an app') };
const addCredentials: HelpLink = { topic: 'addCredentials', label: (t) => t('How to add a secret or certificate') };

export const FIELD_HELP: Partial<Record<DraftField, readonly HelpLink[]>> = {
  environment: [{ topic: 'nationalClouds', label: (t) => t('National clouds') }],
  tenant: [{ topic: 'tenantChoice', label: (t) => t('Choosing common, organizations or a tenant') }],
  clientId: [registerApp],
  clientSecret: [addCredentials],
  certificate: [addCredentials],
  scopePreset: [
    { topic: 'userConsent', label: (t) => t('User consent settings') },
    { topic: 'adminConsentWorkflow', label: (t) => t('Admin consent workflow') },
  ],
};

export function helpLinks(field: DraftField, t: Translate, actions: FormActions): TemplateResult | typeof nothing {
  const links = FIELD_HELP[field];
  if (!links) return nothing;
  return html`<span class="help-links"
    >${links.map(
      (link) =>
        html` <button
          type="button"
          class="help-link"
          id="help-link-${field}-${link.topic}"
          data-topic=${link.topic}
          title=${t('Opens Microsoft Learn in your browser')}
          @click=${() => actions.openHelp(link.topic)}
        >
          ${link.label(t)}
        </button>`,
    )}</span
  >`;
}
