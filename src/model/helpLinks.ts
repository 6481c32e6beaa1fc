/**
 * The Microsoft Learn pages the form's field help links to (the source documents point their readers to
 * the same topics: registering an app, user consent settings, the admin consent workflow, `common` or a
 * tenant, the national clouds). The webview sends only a topic id; the extension opens the URL after
 * checking it against this fixed list (`helpUrl`), so a message cannot make it open anything else.
 * Pages: MicrosoftDocs/entra-docs (docs/identity-platform/, docs/identity/enterprise-apps/).
 */
export const HELP_LINKS = {
  registerApp: 'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app',
  addCredentials: 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials',
  userConsent: 'https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent',
  adminConsentWorkflow: 'https://learn.microsoft.com/entra/identity/enterprise-apps/configure-admin-consent-workflow',
  tenantChoice: 'https://learn.microsoft.com/entra/identity-platform/msal-client-application-configuration#authority',
  nationalClouds: 'https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud',
} as const;

export type HelpTopic = keyof typeof HELP_LINKS;

export const HELP_TOPICS = Object.keys(HELP_LINKS) as HelpTopic[];

export function isHelpTopic(value: unknown): value is HelpTopic {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(HELP_LINKS, value);
}

/** Only https pages on learn.microsoft.com are ever opened. */
const ALLOWED_ORIGIN = 'https://learn.microsoft.com';

/** The page of a topic, checked again against the allowed origin; undefined for anything else. */
export function helpUrl(topic: unknown): string | undefined {
  if (!isHelpTopic(topic)) return undefined;
  const url = new URL(HELP_LINKS[topic]);
  return url.origin === ALLOWED_ORIGIN && !url.username && !url.password ? url.toString() : undefined;
}
