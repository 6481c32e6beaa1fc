/**
 * What the tenant's directory decides for every endpoint: which tenant a path names, which app a client
 * id is, what a scope string asks for, whether it was consented, and Conditional Access.
 */
import type { App, RequestedScope, User } from '../model';
import type { EmulatorContext } from './context';
import type { ServerResponse } from 'node:http';
import { messagePage } from '../pages';
import { AadError, sendHtml } from './http';

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The tenant id a path's tenant segment names (`common`, `organizations`, the id or the domain). */
export function tenantIdOf({ emulator }: EmulatorContext, segment: string): string {
  const s = segment.toLowerCase();
  if (['common', 'organizations', emulator.tenant.id, emulator.tenant.domain].includes(s)) return emulator.tenant.id;
  if (s === 'consumers') {
    throw new AadError(
      400,
      'invalid_request',
      9002331,
      'Application is configured for use by Microsoft Account users only.',
    );
  }
  throw new AadError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

export function parseScopes({ emulator }: EmulatorContext, scope: string | undefined): RequestedScope[] {
  const scopes: RequestedScope[] = [];
  for (const asked of (scope ?? '').split(/\s+/).filter(Boolean)) {
    if (OIDC.has(asked.toLowerCase())) {
      scopes.push({ asked, name: asked.toLowerCase(), kind: 'oidc' });
      continue;
    }
    let name = asked;
    if (asked.includes('://')) {
      const url = new URL(asked);
      if (url.origin !== emulator.graphEndpoint) {
        throw new AadError(
          400,
          'invalid_scope',
          70011,
          `The provided value for the input parameter 'scope' is not valid. The scope ${asked} is not valid.`,
        );
      }
      name = url.pathname.slice(1);
    }
    scopes.push({ asked, name, kind: name === '.default' ? 'default' : 'graph' });
  }
  // Entra refuses `/.default` together with a permission of the same resource (AADSTS70011):
  // https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/4071,
  // https://github.com/MicrosoftDocs/entra-docs/pull/1501
  if (scopes.some((s) => s.kind === 'default') && scopes.some((s) => s.kind === 'graph')) {
    throw new AadError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. .default scope can't be combined with resource-specific scopes.`,
    );
  }
  return scopes;
}

/** The app a browser page is for; an unknown one gets Entra's error page (AADSTS700016) and `undefined`. */
export function appForPage(
  { emulator }: EmulatorContext,
  res: ServerResponse,
  clientId: string | undefined,
  title: string,
): App | undefined {
  const app = emulator.apps.get(clientId ?? '');
  if (!app) {
    const text = `AADSTS700016: Application with identifier '${clientId}' was not found in the directory 'Contoso'.`;
    sendHtml(res, 400, messagePage(title, text, 'error'));
  }
  return app;
}

export function findApp({ emulator }: EmulatorContext, clientId: string | undefined): App {
  const app = clientId ? emulator.apps.get(clientId) : undefined;
  if (!app) {
    throw new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  return app;
}

/**
 * A Conditional Access block on the token endpoint: `interaction_required`, 53003, `message_only`, as
 * Entra answers it (https://github.com/dafthack/MSOLSpray/issues/5).
 */
export function checkConditionalAccess(user: User): void {
  if (user.blockedByConditionalAccess) {
    throw new AadError(
      400,
      'interaction_required',
      53003,
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
      { suberror: 'message_only' },
    );
  }
}

/** Delegated scopes must be consented for the app. */
export function checkConsent(app: App, scopes: RequestedScope[]): void {
  const consented = new Set(app.consentedScopes.map((s) => s.toLowerCase()));
  const missing = scopes.filter((s) => s.kind === 'graph' && !consented.has(s.name.toLowerCase()));
  if (missing.length) {
    throw new AadError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  }
}
