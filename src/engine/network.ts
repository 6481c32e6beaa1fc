/**
 * MSAL's network module for one connection. It does what MSAL's own client does, plus four things the
 * engine needs: it refuses every host but the connection's login host (so credentials of one cloud
 * never reach another), it aborts when the user cancels, it gives every request a deadline
 * (deadline.ts), and it remembers how the last request ended (the server's answer with its Retry-After,
 * the network error before any answer, or that it ran out of time), which MSAL does not pass on (a
 * timeout becomes a bare `network_error`), so a failure can say when to try again, which certificate or
 * host name failed, or that the host did not answer.
 *
 * It sends through `node:https`, not `fetch`: undici's per-request cost was about as much as all of MSAL's
 * own work on a token request (bench/README.md). It passes no agent of its own: Node's global agent keeps
 * sockets alive (Node ≥ 19), and in VS Code's extension host `node:https` is patched for the user's proxy
 * (@vscode/proxy-agent), which replaces any agent by its own per request except in `http.proxySupport`
 * "on", where a request that brings its own agent is not proxied at all (so an agent of ours would send
 * tokens around the user's proxy):
 * https://github.com/microsoft/vscode-proxy-agent/blob/999f6e5aa314eb1205382c118b5fc290b63fb4a1/src/index.ts#L534-L563
 * Through a proxy VS Code opens a new tunnel per request (its agent's keepAlive is off,
 * microsoft/vscode#228872); bench/README.md "Through a proxy" measures what that costs.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { anySignal } from './abort';
import { DEFAULT_REQUEST_TIMEOUT_MS, DeadlineExceeded, withDeadline } from './deadline';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * How one request ended: the server's answer, or a failure before any answer. It describes only the
 * latest request: cleared when a request starts, so an answer to an earlier request of the same
 * operation is never taken for the reason of a later failure.
 */
export type RequestOutcome =
  | {
      kind: 'answer';
      status: number;
      retryAfterSeconds?: number;
      /** The OAuth `error` and `error_description` of an error answer (MSAL drops them on some paths). */
      error?: string;
      description?: string;
    }
  /** `code`: Node's error code (`ENOTFOUND`, `CERT_HAS_EXPIRED`, …); `host`: the host it was sent to. */
  | { kind: 'failed'; code?: string; host: string };

export class GuardedNetworkClient implements INetworkModule {
  /** How the latest request ended; undefined while one is under way or none was sent. */
  lastRequest: RequestOutcome | undefined;
  /** Set when the last request got no answer by its deadline. */
  lastTimeout: DeadlineExceeded | undefined;
  /** Token and device-code requests sent, for the benchmark and the single-flight tests. */
  requestCount = 0;
  #signal: AbortSignal | undefined;

  constructor(
    private readonly allowedOrigin: string,
    readonly timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {}

  /** Binds the cancellation of the operation now running; MSAL has no cancellation of its own. */
  bind(signal: AbortSignal | undefined): void {
    this.#signal = signal;
    this.lastRequest = undefined;
    this.lastTimeout = undefined;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'POST', options);
  }

  async #send<T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    this.lastRequest = undefined;
    if (target.origin !== this.allowedOrigin) {
      // Only a misconfiguration gets here (MSAL instance discovery, a metadata document naming another host).
      throw new Error(
        `network_error: refused a request to a host outside this connection's environment (${target.host})`,
      );
    }
    this.requestCount++;
    this.lastTimeout = undefined;
    const signal = timeout ? anySignal([this.#signal, AbortSignal.timeout(timeout)]) : this.#signal;
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    let response: RawResponse;
    try {
      response = await withDeadline(this.timeoutMs, signal, (bounded) =>
        send(target, method, options?.headers ?? {}, body, bounded),
      );
    } catch (err) {
      if (err instanceof DeadlineExceeded) this.lastTimeout = err;
      const code = (err as NodeJS.ErrnoException).code;
      this.lastRequest = { kind: 'failed', host: target.hostname, ...(typeof code === 'string' ? { code } : {}) };
      throw err;
    }
    const answer: RequestOutcome = { kind: 'answer', status: response.status };
    const retryAfter = Number(response.headers['retry-after']);
    if (Number.isFinite(retryAfter) && retryAfter >= 0) answer.retryAfterSeconds = retryAfter;
    this.lastRequest = answer;
    let parsed: unknown;
    try {
      parsed = response.text ? JSON.parse(response.text) : {};
    } catch {
      // An HTML error page from a proxy or gateway: let MSAL see an error body with the status.
      parsed = {
        error: response.status >= 500 ? 'server_error' : 'invalid_response',
        error_description: `HTTP ${response.status}`,
      };
    }
    if (response.status >= 400 && parsed && typeof parsed === 'object') {
      const { error, error_description: description } = parsed as { error?: unknown; error_description?: unknown };
      if (typeof error === 'string') answer.error = error;
      if (typeof description === 'string') answer.description = description;
    }
    return { headers: response.headers, body: parsed as T, status: response.status };
  }
}

/**
 * Hosts that VS Code's proxy agent last sent DIRECT: their requests ask for keep-alive. VS Code's patch of
 * `node:https` puts an agent of its own without keep-alive in front of every request, so Node sends
 * "Connection: close" and every token request paid a new TCP connection and TLS handshake in the
 * extension host (2.5× a raw POST, bench/README.md). Asked for keep-alive, a DIRECT request's connection
 * goes back to Node's global agent (which VS Code's agent hands DIRECT requests to) and is reused.
 * Through a proxy VS Code opens a new tunnel per request whatever is asked, and asking there made every
 * request wait for a delayed ACK (40 ms) behind a proxy that does not disable Nagle's algorithm: the
 * route is learnt from the agent's `proxy` event of the request before. Without VS Code's patch (plain
 * Node, `http.proxySupport: "off"`) there is no event and Node's global agent asks for keep-alive itself.
 */
const directHosts = new Set<string>();

/**
 * One request. A kept-alive socket the server closed just as it was reused fails with ECONNRESET before
 * the request reached the server; that request is sent once more on a new socket (what Node's
 * documentation advises for keep-alive agents).
 */
async function send(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  try {
    return await sendOnce(target, method, headers, body, signal);
  } catch (err) {
    if (
      (err as { reusedSocket?: boolean }).reusedSocket &&
      (err as NodeJS.ErrnoException).code === 'ECONNRESET' &&
      !signal?.aborted
    ) {
      return sendOnce(target, method, headers, body, signal);
    }
    throw err;
  }
}

function sendOnce(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        signal,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }),
          ...(directHosts.has(target.host) ? { Connection: 'keep-alive' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: flatten(res.headers),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('proxy', (route: { proxy?: string }) => {
      if (route?.proxy === 'DIRECT') directHosts.add(target.host);
      else directHosts.delete(target.host);
    });
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}
