/**
 * What-if (not used by the extension): src/engine/network.ts's GuardedNetworkClient over node:https
 * with a keep-alive agent instead of fetch (undici), the way @azure/identity's pipeline sends. The
 * bench swaps it in at bundle time to measure what the change would buy (bench/README.md).
 */
import { Agent, request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { anySignal } from '../../../src/engine/abort';

const agent = new Agent({ keepAlive: true });

export class GuardedNetworkClient implements INetworkModule {
  lastStatus: number | undefined;
  lastRetryAfterSeconds: number | undefined;
  lastServerError: { error?: string; description?: string } | undefined;
  requestCount = 0;
  #signal: AbortSignal | undefined;

  constructor(private readonly allowedOrigin: string) {}

  bind(signal: AbortSignal | undefined): void {
    this.#signal = signal;
    this.lastStatus = undefined;
    this.lastRetryAfterSeconds = undefined;
    this.lastServerError = undefined;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'POST', options);
  }

  async #send<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.origin !== this.allowedOrigin) {
      throw new Error(`network_error: refused a request to a host outside this connection's environment (${target.host})`);
    }
    this.requestCount++;
    const signal = timeout ? anySignal([this.#signal, AbortSignal.timeout(timeout)]) : this.#signal;
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const { status, headers, text } = await new Promise<{ status: number; headers: Record<string, string>; text: string }>((resolve, reject) => {
      const req = request(target, { method, agent, headers: { ...options?.headers, ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}) }, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    this.lastStatus = status;
    const retryAfter = Number(headers['retry-after']);
    this.lastRetryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { error: status >= 500 ? 'server_error' : 'invalid_response', error_description: `HTTP ${status}` };
    }
    if (status >= 400 && parsed && typeof parsed === 'object') {
      const { error, error_description: description } = parsed as { error?: unknown; error_description?: unknown };
      this.lastServerError = { error: typeof error === 'string' ? error : undefined, description: typeof description === 'string' ? description : undefined };
    }
    return { headers, body: parsed as T, status };
  }
}
