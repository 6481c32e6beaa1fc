/**
 * The one way Test Connection talks to Microsoft Graph: `graphGet` sends one GET under its own deadline
 * and keeps only the status, Graph's error code and Retry-After (never the body: no mailbox content is
 * kept); `graphGetHonouringRetryAfter` waits out one short Retry-After. A wrapper (a claims challenge's
 * retry, say) takes a `GraphSend` and returns one.
 */
import type { Environment } from '../model/clouds';
import type { Secret } from '../model/secret';
import { claimsChallengeOf } from './claimsChallenge';
import { DEFAULT_REQUEST_TIMEOUT_MS, DeadlineExceeded, withDeadline } from './deadline';
import { ConnectionError, networkFailureOf, noAnswerFailure } from './failures';

export interface GraphAnswer {
  status: number;
  ok: boolean;
  /** Graph's error code, e.g. `ErrorAccessDenied` (https://learn.microsoft.com/graph/errors). */
  errorCode?: string;
  /** Retry-After of a 429 or 503, whole seconds. */
  retryAfterSeconds?: number;
  /** The claims a 401's claims challenge asks for (claimsChallenge.ts; JSON). */
  claimsChallenge?: string;
}

export interface GraphTarget {
  environment: Environment;
  accessToken: Secret;
  /** Deadline of each request, the retry's included (deadline.ts). */
  timeoutMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** One Graph request: what a check sends. */
export type GraphSend = (target: GraphTarget, path: string) => Promise<GraphAnswer>;

/**
 * A 429 or 503 whose Retry-After is at most this long is waited out and the request sent once more; a
 * longer one, or a second one, is the answer. Graph asks clients to wait Retry-After before retrying:
 * https://learn.microsoft.com/graph/throttling (429) and https://learn.microsoft.com/graph/errors (503).
 */
export const PROBE_MAX_WAIT_SECONDS = 10;

/** One GET on the connection's Graph host, its body read under the same deadline; a network failure names its cause and host. */
export const graphGet: GraphSend = async (target, path) => {
  const doFetch = target.fetch ?? fetch;
  const timeoutMs = target.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const started = Date.now();
  try {
    return await withDeadline(timeoutMs, target.signal, async (signal) => {
      const response = await doFetch(`${target.environment.graphEndpoint}${path}`, {
        headers: { Authorization: `Bearer ${target.accessToken.reveal()}`, Accept: 'application/json' },
        signal,
      });
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined;
      const answer: GraphAnswer = { status: response.status, ok: response.ok };
      if (!response.ok && typeof body?.error?.code === 'string') answer.errorCode = body.error.code;
      const challenge =
        response.status === 401 ? claimsChallengeOf(response.headers.get('www-authenticate')) : undefined;
      if (challenge) answer.claimsChallenge = challenge;
      const retryAfter = retryAfterSecondsOf(response);
      if ((response.status === 429 || response.status === 503) && retryAfter !== undefined) {
        answer.retryAfterSeconds = retryAfter;
      }
      return answer;
    });
  } catch (err) {
    if (err instanceof DeadlineExceeded) throw new ConnectionError(noAnswerFailure('graph', err.timeoutMs));
    // fetch gives up on a TLS handshake by itself after 10 s, before a longer deadline: the same silence.
    if ((err as { cause?: { code?: unknown } }).cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
      throw new ConnectionError(noAnswerFailure('graph', Date.now() - started));
    }
    const network = target.signal?.aborted
      ? undefined
      : networkFailureOf(err, new URL(target.environment.graphEndpoint).hostname);
    throw network ? new ConnectionError(network) : err;
  }
};

/** `send`, and once more after a short Retry-After of a 429 or 503 (each request under its own deadline). */
export async function graphGetHonouringRetryAfter(
  target: GraphTarget,
  path: string,
  send: GraphSend = graphGet,
): Promise<GraphAnswer> {
  const answer = await send(target, path);
  const wait = answer.retryAfterSeconds;
  if (wait === undefined || wait > PROBE_MAX_WAIT_SECONDS) return answer;
  await delay(wait * 1000, target.signal);
  return send(target, path);
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in whole seconds from now. */
function retryAfterSecondsOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new DOMException('The test was cancelled.', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}
