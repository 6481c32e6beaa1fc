/**
 * One signal that aborts when any of the given ones does. Not `AbortSignal.any`: in Node 20 the signal
 * it returns can be garbage-collected while only listeners refer to it, and then never fires.
 */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const controller = new AbortController();
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
