/**
 * MSAL's network module for one connection. It does what MSAL's own fetch client does, plus three
 * things the engine needs: it refuses every host but the connection's login host (so credentials of one
 * cloud never reach another), it aborts when the user cancels, and it remembers the last status and
 * Retry-After so a throttled failure can say when to try again (MSAL does not pass that on).
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { anySignal } from './abort';

export class GuardedNetworkClient implements INetworkModule {
  lastStatus: number | undefined;
  lastRetryAfterSeconds: number | undefined;
  /** The OAuth error of the last failed response (MSAL drops it on some paths, e.g. the device code request). */
  lastServerError: { error?: string; description?: string } | undefined;
  /** Token and device-code requests sent, for the benchmark and the single-flight tests. */
  requestCount = 0;
  #signal: AbortSignal | undefined;

  constructor(private readonly allowedOrigin: string) {}

  /** Binds the cancellation of the operation now running; MSAL has no cancellation of its own. */
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
    if (new URL(url).origin !== this.allowedOrigin) {
      // Only a misconfiguration gets here (MSAL instance discovery, a metadata document naming another host).
      throw new Error(`network_error: refused a request to a host outside this connection's environment (${new URL(url).host})`);
    }
    this.requestCount++;
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: timeout ? anySignal([this.#signal, AbortSignal.timeout(timeout)]) : this.#signal,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    this.lastStatus = response.status;
    const retryAfter = Number(headers['retry-after']);
    this.lastRetryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // An HTML error page from a proxy or gateway: let MSAL see an error body with the status.
      body = { error: response.status >= 500 ? 'server_error' : 'invalid_response', error_description: `HTTP ${response.status}` };
    }
    if (response.status >= 400 && body && typeof body === 'object') {
      const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
      this.lastServerError = { error: typeof error === 'string' ? error : undefined, description: typeof description === 'string' ? description : undefined };
    }
    return { headers, body: body as T, status: response.status };
  }
}
