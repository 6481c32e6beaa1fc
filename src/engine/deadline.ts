/**
 * The deadline of every request to the login host and to Graph. A host that accepts the connection and
 * never answers (or never completes the TLS handshake) otherwise keeps the request, and every caller
 * sharing it, waiting for ever. One deadline covers the whole request: connecting, the TLS handshake,
 * the first byte and the body.
 */
import { anySignal } from './abort';

/** `outlook365.requestTimeoutSeconds`: its default and bounds (package.json says the same). */
export const REQUEST_TIMEOUT_SECONDS = { default: 30, min: 5, max: 300 } as const;

export const DEFAULT_REQUEST_TIMEOUT_MS = REQUEST_TIMEOUT_SECONDS.default * 1000;

/** The deadline in milliseconds for a setting's value: the default when it is not a number, else within the bounds. */
export function requestTimeoutMsOf(seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    return DEFAULT_REQUEST_TIMEOUT_MS;
  }
  return Math.min(Math.max(seconds, REQUEST_TIMEOUT_SECONDS.min), REQUEST_TIMEOUT_SECONDS.max) * 1000;
}

/** A request that got no complete answer by its deadline. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Runs `work` with a signal that aborts at the deadline (or when `signal` does). At the deadline this
 * rejects with `DeadlineExceeded` at once, even if `work` is slow to notice its aborted signal.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  let expire: (reason: DeadlineExceeded) => void = () => {};
  const expired = new Promise<never>((_, reject) => (expire = reject));
  const timer = setTimeout(() => {
    const reason = new DeadlineExceeded(timeoutMs);
    expire(reason); // before the abort, so the deadline wins over the work's own AbortError
    deadline.abort(reason);
  }, timeoutMs);
  try {
    return await Promise.race([work(anySignal([signal, deadline.signal])), expired]);
  } catch (err) {
    throw deadline.signal.aborted && !signal?.aborted ? deadline.signal.reason : err;
  } finally {
    clearTimeout(timer);
  }
}
