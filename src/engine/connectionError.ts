/**
 * The error the engine throws, apart from the failure table and classifier (failures.ts) so that
 * activation can recognise and throw it without loading them (they are in dist/engine.js).
 */
import type { Message } from '../model/messages';
import type { FailureKind, FailureStatus } from './failureRules';

export interface ConnectionFailure {
  kind: FailureKind;
  /** Status a connection takes after this failure (a cancel leaves the status as it was). */
  status: FailureStatus;
  /** e.g. "AADSTS65001", when the server gave one. */
  code?: string;
  /** A machine-readable hint for the log (an error code such as `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), never user data. */
  detail?: string;
  /** Seconds to wait, for `throttled`. */
  retryAfterSeconds?: number;
  /** The failed request's correlation id (a GUID), for a support ticket (correlation.ts). */
  correlationId?: string;
  message: Message;
}

const CONNECTION_ERROR = Symbol.for('outlook365.ConnectionError');

/** Thrown by the engine: everything a caller needs, nothing secret. */
export class ConnectionError extends Error {
  readonly [CONNECTION_ERROR] = true;

  constructor(readonly failure: ConnectionFailure) {
    super(failure.message.text);
    this.name = 'ConnectionError';
  }

  /**
   * The token engine is its own bundle (dist/engine.js, loaded on first use) with its own copy of this
   * class, so `instanceof` recognises the brand rather than the constructor.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CONNECTION_ERROR] === true;
  }
}
