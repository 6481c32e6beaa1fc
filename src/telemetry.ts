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
 *
 * The reporter and the Application Insights SDK under it (~190 kB, most of what activation would load)
 * are `require`d only once the user's telemetry is on (`vscode.env.isTelemetryEnabled`: usage telemetry,
 * the only kind we send), at activation or when it is turned on later; esbuild.mjs puts them in
 * dist/telemetry.js (scripts/lazyChunks.mjs). Events while it is off are dropped, as the reporter would.
 */
import * as vscode from 'vscode';
import type { TelemetryReporter } from '@vscode/extension-telemetry';
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
  #reporter: TelemetryReporter | undefined;
  readonly #disposables: vscode.Disposable[] = [];
  /** In test runs: every event, as handed to the reporter (or as it would be), so the suite can inspect the payloads. */
  readonly sent:
    { name: string; properties: Record<string, string>; measurements: Record<string, number> }[] | undefined;

  /** `log` hears the level at start and at every change ("telemetry all", "telemetry off"). */
  constructor(options: { record: boolean; log?: (message: string) => void }) {
    this.sent = options.record ? [] : undefined;
    const log = options.log ?? (() => undefined);
    if (!CONNECTION_STRING) {
      log('telemetry off: this build names no collector');
      return;
    }
    if (vscode.env.isTelemetryEnabled) {
      this.#startReporter(log);
      return;
    }
    log('telemetry off');
    const whenOn = vscode.env.onDidChangeTelemetryEnabled((enabled) => {
      if (!enabled || this.#reporter) return;
      whenOn.dispose();
      this.#startReporter(log);
    });
    this.#disposables.push(whenOn);
  }

  /** Loads the reporter (dist/telemetry.js in the bundle); from then on it follows the user's level. */
  #startReporter(log: (message: string) => void): void {
    const { TelemetryReporter: Reporter } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@vscode/extension-telemetry') as typeof import('@vscode/extension-telemetry');
    const reporter = new Reporter(CONNECTION_STRING);
    this.#reporter = reporter;
    log(`telemetry ${reporter.telemetryLevel}`);
    this.#disposables.push(reporter.onDidChangeTelemetryLevel((level) => log(`telemetry ${level}`)));
  }

  /** Whether this build has a place to send events to. */
  get configured(): boolean {
    return CONNECTION_STRING !== '';
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
    for (const d of this.#disposables) d.dispose();
    void this.#reporter?.dispose();
  }
}
