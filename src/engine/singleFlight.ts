/**
 * Shares one in-flight promise among concurrent callers of the same key: twenty callers asking for one
 * connection's token while it refreshes cause one token request, not twenty.
 */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.#inFlight.get(key);
    if (existing) {
      return existing;
    }
    const promise = work().finally(() => {
      this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, promise);
    return promise;
  }

  /** The work in flight for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    return this.#inFlight.get(key);
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
