/**
 * A secret value (client secret, password, certificate, token) that cannot leak by accident: it prints
 * and serializes as a placeholder, so a secret that slips into a log line, a telemetry property,
 * globalState or a webview message shows up as "[secret]" instead of its value. Code that really needs
 * the value calls `reveal()`, which is easy to search for.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}
