/**
 * The "Outlook 365" log. Messages are prefixed `[area] [connection id]`. Nothing secret reaches it:
 * callers log ids, kinds and codes, and `Secret` values print as "[secret]"; as a last guard, anything
 * shaped like a credential (./mask.ts) is masked before it is written.
 */
import * as vscode from 'vscode';
import type { EngineLog } from './engine/msalApp';
import { mask } from './mask';

const LEVELS = {
  trace: vscode.LogLevel.Trace,
  debug: vscode.LogLevel.Debug,
  info: vscode.LogLevel.Info,
  warn: vscode.LogLevel.Warning,
  error: vscode.LogLevel.Error,
} as const;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** Test runs keep what was written, so the suite can prove no secret was ever logged. */
  #captured: string[] | undefined;

  constructor(capture = false) {
    this.channel = vscode.window.createOutputChannel('Outlook 365', { log: true });
    this.#captured = capture ? [] : undefined;
  }

  get captured(): readonly string[] {
    return this.#captured ?? [];
  }

  /** Stops keeping lines (the benchmark, which runs as a test, measures what a user's window does). */
  stopCapturing(): void {
    this.#captured = undefined;
  }

  #write(level: 'error' | 'warn' | 'info' | 'debug' | 'trace', area: string, message: string): void {
    // A line the channel drops (below the level the user set) is not masked first: MSAL's verbose
    // messages on every token request were a tenth of a refresh's work in the extension host.
    if (!this.#captured && !this.#shows(level)) return;
    const line = mask(`[${area}] ${message}`);
    this.#captured?.push(line);
    this.channel[level](line);
  }

  #shows(level: 'error' | 'warn' | 'info' | 'debug' | 'trace'): boolean {
    const threshold = this.channel.logLevel;
    return threshold !== vscode.LogLevel.Off && LEVELS[level] >= threshold;
  }

  error(area: string, message: string): void {
    this.#write('error', area, message);
  }
  warn(area: string, message: string): void {
    this.#write('warn', area, message);
  }
  info(area: string, message: string): void {
    this.#write('info', area, message);
  }
  debug(area: string, message: string): void {
    this.#write('debug', area, message);
  }
  trace(area: string, message: string): void {
    this.#write('trace', area, message);
  }

  /** The engine's logger for one connection (MSAL's messages, personal data already dropped by MSAL). */
  forConnection(connectionId: string): EngineLog {
    const area = `msal] [${connectionId}`;
    return {
      error: (m) => this.error(area, m),
      warn: (m) => this.warn(area, m),
      info: (m) => this.info(area, m),
      debug: (m) => this.debug(area, m),
      trace: (m) => this.trace(area, m),
    };
  }

  show(): void {
    this.channel.show();
  }

  dispose(): void {
    this.channel.dispose();
  }
}
