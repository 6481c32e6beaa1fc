/**
 * Usage telemetry through @vscode/extension-telemetry, which respects the user's telemetry level (off
 * means nothing is sent). One typed method per event. Properties are closed sets (auth type,
 * environment, result, error code) and a duration: never a token, secret, user name, tenant or client
 * id, or mailbox.
 *
 * Where events go is the publisher's choice at build time: the Application Insights connection string
 * comes from OUTLOOK365_TELEMETRY_CONNECTION_STRING when esbuild.mjs bundles (its `define` puts the value
 * into the bundle; nothing is read at run time). A build without one creates no reporter and sends
 * nothing.
 */
import * as vscode from 'vscode';
import { TelemetryReporter } from '@vscode/extension-telemetry';
import type { AuthType } from './model/connection';
import type { EnvironmentId } from './model/clouds';

/** Replaced by esbuild.mjs with the build's value ('' when the build has none). */
const CONNECTION_STRING = process.env.OUTLOOK365_TELEMETRY_CONNECTION_STRING ?? '';

export type OperationResult = 'ok' | 'cancelled' | 'failed';

export interface OperationEvent {
  operation: 'signIn' | 'refresh' | 'test' | 'add' | 'edit' | 'delete' | 'signOut';
  authType: AuthType;
  environment: EnvironmentId;
  result: OperationResult;
  /** AADSTS code or failure kind, e.g. "AADSTS65001" / "network". */
  errorCode?: string;
  durationMs: number;
}

export class Telemetry implements vscode.Disposable {
  readonly #reporter: TelemetryReporter | undefined;
  /** In test runs: every event, as handed to the reporter (or as it would be), so the suite can inspect the payloads. */
  readonly sent:
    { name: string; properties: Record<string, string>; measurements: Record<string, number> }[] | undefined;

  /** `log` hears the level at start and at every change ("telemetry all", "telemetry off"). */
  constructor(options: { record: boolean; log?: (message: string) => void }) {
    this.#reporter = CONNECTION_STRING ? new TelemetryReporter(CONNECTION_STRING) : undefined;
    this.sent = options.record ? [] : undefined;
    const log = options.log;
    if (log) {
      log(this.#reporter ? `telemetry ${this.level}` : 'telemetry off: this build names no collector');
      this.#reporter?.onDidChangeTelemetryLevel((level) => log(`telemetry ${level}`));
    }
  }

  /** Whether this build has a place to send events to. */
  get configured(): boolean {
    return this.#reporter !== undefined;
  }

  /** What is sent: the user's level, or 'off' for a build without a connection string. */
  get level(): string {
    return this.#reporter?.telemetryLevel ?? 'off';
  }

  operation(event: OperationEvent): void {
    const properties: Record<string, string> = {
      operation: event.operation,
      authType: event.authType,
      environment: event.environment,
      result: event.result,
      ...(event.errorCode ? { errorCode: event.errorCode } : {}),
    };
    const measurements = { durationMs: Math.round(event.durationMs) };
    this.sent?.push({ name: 'operation', properties, measurements });
    this.#reporter?.sendTelemetryEvent('operation', properties, measurements);
  }

  activated(connectionCount: number, durationMs: number): void {
    const measurements = { connectionCount, durationMs: Math.round(durationMs) };
    this.sent?.push({ name: 'activated', properties: {}, measurements });
    this.#reporter?.sendTelemetryEvent('activated', {}, measurements);
  }

  dispose(): void {
    void this.#reporter?.dispose();
  }
}
