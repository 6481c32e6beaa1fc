/**
 * Usage telemetry through @vscode/extension-telemetry, which respects the user's telemetry level (off
 * means nothing is sent). One typed method per event. Properties are closed sets (auth type,
 * environment, result, error code) and a duration: never a token, secret, user name, tenant or client
 * id, or mailbox. The collector can be pointed elsewhere with OUTLOOK365_TELEMETRY_ENDPOINT (tests).
 */
import * as vscode from 'vscode';
import { TelemetryReporter } from '@vscode/extension-telemetry';
import type { AuthType } from './engine/connection';
import type { EnvironmentId } from './engine/clouds';

// Application Insights connection string of the project; the ingestion endpoint may be overridden.
const CONNECTION_STRING = 'InstrumentationKey=0c6ae279-ed8c-4a4a-9a1c-2b1e9a1f3f6a';

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
  readonly #reporter: TelemetryReporter;
  /** In test runs: every event as handed to the reporter, so the suite can inspect the payloads. */
  readonly sent: { name: string; properties: Record<string, string>; measurements: Record<string, number> }[] | undefined;

  constructor(options: { record: boolean }) {
    const endpoint = process.env.OUTLOOK365_TELEMETRY_ENDPOINT;
    this.#reporter = new TelemetryReporter(CONNECTION_STRING, undefined, undefined, undefined, endpoint ? { endpointUrl: endpoint } : undefined);
    this.sent = options.record ? [] : undefined;
  }

  get level(): string {
    return this.#reporter.telemetryLevel;
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
    this.#reporter.sendTelemetryEvent('operation', properties, measurements);
  }

  activated(connectionCount: number, durationMs: number): void {
    const measurements = { connectionCount, durationMs: Math.round(durationMs) };
    this.sent?.push({ name: 'activated', properties: {}, measurements });
    this.#reporter.sendTelemetryEvent('activated', {}, measurements);
  }

  dispose(): void {
    void this.#reporter.dispose();
  }
}
