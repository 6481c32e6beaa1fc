/**
 * Which cloud a tenant lives in, read from its OpenID configuration
 * (`{login host}/{tenant}/v2.0/.well-known/openid-configuration`), and what the form says about it. Pure:
 * the engine fetches (engine/tenantMetadata.ts), this decides.
 *
 * Entra answers the metadata of a tenant with `cloud_instance_name` (`microsoftonline.com`,
 * `microsoftonline.us`, `partner.microsoftonline.cn`), `msgraph_host` and `tenant_region_scope` /
 * `tenant_region_sub_scope` (`USGov` with `DODCON` for GCC High, `DOD` for DoD; `USG` + `GCC` is GCC, which
 * lives in the global cloud); e.g. the global document in panva/wellknown
 * (issuers/entra-common/entra-common.mjs). An unknown tenant is a 400 `invalid_tenant` with
 * `error_codes: [90002]` (Azure/azure-sdk-for-js recordings of `GET /{tenant}/v2.0/.well-known/openid-configuration`:
 * `{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant '…' not found. …","error_codes":[90002],…}`).
 */
import { isValidTenantSyntax } from './validate';
import type { Environment, EnvironmentId } from './clouds';

/** The global login host, asked as well as the chosen one: it knows the tenants of the US Government clouds too. */
export const GLOBAL_LOGIN_ENDPOINT = 'https://login.microsoftonline.com';

/** How long the form's look-up may take: a hint, never worth waiting for. */
export const TENANT_LOOKUP_TIMEOUT_MS = 5000;

/** What one login host said about a tenant. */
export type TenantAnswer =
  | { kind: 'found'; cloudInstanceName?: string; regionScope?: string; regionSubScope?: string; graphHost?: string }
  /** 400 with AADSTS90002 (`invalid_tenant`): this host's cloud has no such tenant. */
  | { kind: 'notFound' }
  /** No answer in time, no network, or anything else: nothing to say. */
  | { kind: 'unknown' };

/** What the form shows. */
export type TenantVerdict =
  | { kind: 'ok' }
  | { kind: 'otherCloud'; environment: Exclude<EnvironmentId, 'custom'> }
  | { kind: 'notFound' }
  | { kind: 'unknown' };

/** A tenant worth looking up: a GUID or a domain, not `common` / `organizations` / `consumers`. */
export function isLookupTenant(tenant: string): boolean {
  const value = tenant.trim();
  return isValidTenantSyntax(value) && !['common', 'organizations', 'consumers'].includes(value.toLowerCase());
}

/** The answer of a metadata request: its HTTP status and parsed JSON body (undefined when not JSON). */
export function tenantAnswerOf(status: number, body: unknown): TenantAnswer {
  const record = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (status === 200) {
    const text = (key: string) => {
      const value = record[key];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      kind: 'found',
      ...optional('cloudInstanceName', text('cloud_instance_name')),
      ...optional('regionScope', text('tenant_region_scope')),
      ...optional('regionSubScope', text('tenant_region_sub_scope')),
      ...optional('graphHost', text('msgraph_host')),
    };
  }
  const codes = Array.isArray(record.error_codes) ? record.error_codes : [];
  if (status === 400 && (record.error === 'invalid_tenant' || codes.includes(90002))) {
    return { kind: 'notFound' };
  }
  return { kind: 'unknown' };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** The built-in environment a found tenant's metadata names; undefined when it names none we know. */
export function cloudOf(
  answer: Extract<TenantAnswer, { kind: 'found' }>,
): Exclude<EnvironmentId, 'custom'> | undefined {
  const instance = (answer.cloudInstanceName ?? '').toLowerCase();
  const graph = (answer.graphHost ?? '').toLowerCase();
  const sub = (answer.regionSubScope ?? '').toUpperCase();
  if (instance.endsWith('microsoftonline.us') || (answer.regionScope ?? '').toUpperCase() === 'USGOV') {
    return graph.startsWith('dod-graph.') || sub === 'DOD' ? 'usGovL5' : 'usGovL4';
  }
  if (instance.endsWith('microsoftonline.cn') || instance.endsWith('chinacloudapi.cn') || graph.endsWith('.cn')) {
    return 'china';
  }
  if (instance === 'microsoftonline.com') {
    return 'global';
  }
  return undefined;
}

/**
 * The verdict from the chosen environment's answer and the global host's (absent when not asked: the
 * chosen one is global, or custom endpoints, which are asked alone). A tenant found anywhere beats "not
 * found"; found in the chosen cloud is fine; found elsewhere names that cloud; found in a custom
 * environment whose Graph host it names is fine.
 */
export function judgeTenant(
  chosen: Environment,
  answers: { chosen: TenantAnswer; global?: TenantAnswer },
): TenantVerdict {
  const found = [answers.chosen, answers.global].filter(
    (a): a is Extract<TenantAnswer, { kind: 'found' }> => a?.kind === 'found',
  );
  if (found.length) {
    const first = found[0];
    if (chosen.id === 'custom' && first === answers.chosen) {
      const graphHost = new URL(chosen.graphEndpoint).host.toLowerCase();
      if (!first.graphHost || first.graphHost.toLowerCase() === graphHost) return { kind: 'ok' };
    }
    const cloud = cloudOf(first);
    if (!cloud || cloud === chosen.id) return { kind: 'ok' };
    // The two US Government clouds share a login host; a tenant that says only "US Government" fits both.
    if (chosen.id === 'usGovL5' && cloud === 'usGovL4' && !first.regionSubScope && !first.graphHost) {
      return { kind: 'ok' };
    }
    return { kind: 'otherCloud', environment: cloud };
  }
  return answers.chosen.kind === 'notFound' ? { kind: 'notFound' } : { kind: 'unknown' };
}
