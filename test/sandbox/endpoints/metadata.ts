/** The OpenID Connect metadata document (`/{tenant}/v2.0/.well-known/openid-configuration`). */
import { US_GOV_TENANT } from '../model';
import type { EmulatorContext } from './context';

/** True when a path's tenant segment names the emulator's tenant of another cloud. */
export function isOtherCloudTenant(segment: string): boolean {
  return ([US_GOV_TENANT.id, US_GOV_TENANT.domain] as string[]).includes(segment.toLowerCase());
}

/**
 * The metadata of the US Government tenant as the global host serves it: its own cloud's hosts and
 * `cloud_instance_name`, `tenant_region_scope` `USGov`, `tenant_region_sub_scope` `DODCON` (GCC High).
 */
export function otherCloudMetadata(): Record<string, unknown> {
  const base = `https://login.microsoftonline.us/${US_GOV_TENANT.id}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    tenant_region_scope: 'USGov',
    tenant_region_sub_scope: 'DODCON',
    cloud_instance_name: 'microsoftonline.us',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.us',
  };
}

export function metadata({ emulator }: EmulatorContext, tenantSegment: string): Record<string, unknown> {
  const base = `${emulator.loginEndpoint}/${tenantSegment}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${emulator.loginEndpoint}/${['common', 'organizations'].includes(tenantSegment.toLowerCase()) ? '{tenantid}' : emulator.tenant.id}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${emulator.graphEndpoint}/oidc/userinfo`,
    // A person's browser opens this one: the plain-HTTP origin when there is one (`browserPort`).
    authorization_endpoint: `${emulator.browserEndpoint || emulator.loginEndpoint}/${tenantSegment}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
    // Entra: null for `common` / `organizations`, the tenant's region (`NA`, `EU`, …) for a tenant.
    tenant_region_scope: ['common', 'organizations'].includes(tenantSegment.toLowerCase()) ? null : 'NA',
    cloud_instance_name: 'emulator.local',
    cloud_graph_host_name: new URL(emulator.graphEndpoint).host,
    msgraph_host: new URL(emulator.graphEndpoint).host,
  };
}
