/**
 * The admin consent link (DESIGN.md "Admin consent"): an administrator opens it, signs in and grants the
 * app's permissions for the whole tenant.
 */
import { isAppOnly, clientIdOf, type ConnectionConfig } from './connection';
import type { Environment } from './clouds';
import { appOnlyScope, resolveDelegatedScopes } from './scopes';

export const LOOPBACK_REDIRECT_URI = 'http://localhost';

export function adminConsentUrl(
  config: ConnectionConfig,
  environment: Environment,
  options: { state: string; redirectUri?: string },
): string {
  // `common` cannot take an admin's consent; `organizations` lets the admin's own tenant answer.
  const tenant = config.tenant.toLowerCase() === 'common' ? 'organizations' : config.tenant;
  const scope = isAppOnly(config)
    ? appOnlyScope(environment)
    : resolveDelegatedScopes(config.scopes, environment).join(' ');
  const url = new URL(`${environment.loginEndpoint}/${encodeURIComponent(tenant)}/v2.0/adminconsent`);
  url.searchParams.set('client_id', clientIdOf(config));
  url.searchParams.set('scope', scope);
  url.searchParams.set('redirect_uri', options.redirectUri ?? LOOPBACK_REDIRECT_URI);
  url.searchParams.set('state', options.state);
  return url.toString();
}

/** What to register as the redirect URI of a bring-your-own app, and on which platform. */
export function redirectUriAdvice(confidential: boolean): { uri: string; platform: 'web' | 'mobileAndDesktop' } {
  return { uri: LOOPBACK_REDIRECT_URI, platform: confidential ? 'web' : 'mobileAndDesktop' };
}
