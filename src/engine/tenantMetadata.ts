/**
 * Reads a tenant's OpenID configuration from the login hosts the form asks about, to tell the user which
 * cloud the tenant is in, or that it does not exist, before anything is saved (model/tenantCloud.ts
 * decides). Sends no credential, only the tenant name the user typed, and only to login hosts the caller
 * chose (built-in clouds, or the user-level custom environment). A hint: a short deadline, cancelled when
 * the tenant changes, and any failure is "nothing to say", never an error.
 */
import { request } from 'node:https';
import { withDeadline } from './deadline';
import type { Environment } from '../model/clouds';
import {
  GLOBAL_LOGIN_ENDPOINT,
  TENANT_LOOKUP_TIMEOUT_MS,
  judgeTenant,
  tenantAnswerOf,
  type TenantAnswer,
  type TenantVerdict,
} from '../model/tenantCloud';

/** Metadata documents are a few kB; anything much larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

export interface TenantLookupOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** The global login host (a test points it at the emulator). */
  globalLoginEndpoint?: string;
}

/**
 * Asks the chosen environment's login host and, for the built-in clouds other than the global one, the
 * global host too (it answers for US Government tenants as well). Custom endpoints are asked alone: a
 * private deployment's tenant names are not sent to Microsoft's global host.
 */
export async function lookUpTenant(
  tenant: string,
  environment: Environment,
  options: TenantLookupOptions = {},
): Promise<TenantVerdict> {
  const global = options.globalLoginEndpoint ?? GLOBAL_LOGIN_ENDPOINT;
  const askGlobal = environment.id !== 'custom' && environment.loginEndpoint !== global;
  const [chosen, other] = await Promise.all([
    readTenantAnswer(environment.loginEndpoint, tenant, options),
    askGlobal ? readTenantAnswer(global, tenant, options) : undefined,
  ]);
  if (options.signal?.aborted) return { kind: 'unknown' };
  return judgeTenant(environment, { chosen, ...(other ? { global: other } : {}) });
}

/** One host's answer; `unknown` on any failure, timeout or cancellation. */
export async function readTenantAnswer(
  loginEndpoint: string,
  tenant: string,
  options: Pick<TenantLookupOptions, 'signal' | 'timeoutMs'> = {},
): Promise<TenantAnswer> {
  const url = new URL(`/${encodeURIComponent(tenant.trim())}/v2.0/.well-known/openid-configuration`, loginEndpoint);
  try {
    const { status, text } = await withDeadline(options.timeoutMs ?? TENANT_LOOKUP_TIMEOUT_MS, options.signal, (s) =>
      get(url, s),
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return tenantAnswerOf(status, body);
  } catch {
    return { kind: 'unknown' };
  }
}

function get(url: URL, signal: AbortSignal): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', signal, headers: { Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new Error('ERR_ANSWER_TOO_LARGE'));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
