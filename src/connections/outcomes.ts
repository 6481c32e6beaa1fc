/**
 * What every operation on a connection leaves behind, in one place: the facts the tree and other
 * extensions read, a log line, and a telemetry event (operation, auth type, environment, result, error
 * code, duration; never who or what). The sessions, the configurations and the Graph test report here.
 */
import { isAppOnly, type ConnectionConfig } from '../model/connection';
import type { ConnectionFailure, FailureStatus } from '../engine/failures';
import type { ProbeResult } from '../engine/graphProbe';
import type { TokenResult } from '../engine/tokenClient';
import type { Log } from '../log';
import type { OperationEvent, OperationResult, Telemetry } from '../telemetry';
import type { ConnectionStore } from './connectionStore';
import { loadEngine } from './engineModule';

/** Failures that say nothing about whether the connection still works: a cancel, a timeout, a passing fault. */
const PASSING = new Set(['cancelled', 'timeout', 'network', 'throttled', 'serverError']);

export class OutcomeRecorder {
  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log,
    private readonly telemetry: Telemetry,
  ) {}

  /** A token from a sign-in or a refresh: the connection is signed in, as that account, until that time. */
  token(config: ConnectionConfig, operation: 'signIn' | 'refresh', result: TokenResult, started: number): void {
    const id = config.id;
    this.store.setFacts(id, {
      signedIn: true,
      account: result.account?.username ?? (isAppOnly(config) ? config.account : undefined),
      homeAccountId: result.account?.id,
      expiresOn: result.expiresOn.toISOString(),
      grantedScopes: result.grantedScopes,
      requestedScopes: result.requestedScopes,
      failure: undefined,
      signedOut: undefined,
      // A new sign-in may carry the permission a test found missing: its next test says.
      ...(operation === 'signIn' ? { permissionMissing: undefined } : {}),
    });
    if (!result.fromCache) {
      this.log.info('auth', `[${id}] ${operation} ok, token expires ${result.expiresOn.toISOString()}`);
      this.#event(config, operation, 'ok', started);
    }
  }

  /**
   * A sign-in or refresh failed. Returns the status kept on the connection, if the failure says something
   * lasting about it (a cancel or a passing fault does not; nor "reconnect" of one never signed in).
   */
  tokenFailed(
    config: ConnectionConfig,
    operation: 'signIn' | 'refresh',
    failure: ConnectionFailure,
    started: number,
  ): FailureStatus | undefined {
    const id = config.id;
    const kept = this.#keep(id, failure);
    this.log.warn(
      'auth',
      `[${id}] ${operation} failed: ${failure.kind}${failure.code ? ` ${failure.code}` : ''}${failure.detail ? ` (${failure.detail})` : ''}`,
    );
    this.#event(
      config,
      operation,
      failure.kind === 'cancelled' ? 'cancelled' : 'failed',
      started,
      failure.code ?? failure.kind,
    );
    return kept;
  }

  #keep(id: string, failure: ConnectionFailure): FailureStatus | undefined {
    if (PASSING.has(failure.kind)) return undefined;
    // Never signed in: "not signed in" stays the honest status, not "reconnect required".
    if (failure.kind === 'reconnect' && !this.store.facts(id).signedIn) return undefined;
    this.failure(id, failure);
    return failure.status;
  }

  /** A failure kept as the connection's status (also one found before any request: unreadable secrets). */
  failure(id: string, failure: ConnectionFailure): void {
    this.store.setFacts(id, {
      failure: {
        status: failure.status,
        kind: failure.kind,
        code: failure.code,
        message: failure.message,
        at: new Date().toISOString(),
        ...(failure.correlationId ? { correlationId: failure.correlationId } : {}),
      },
    });
  }

  /** Signed out: no tokens, no account; on disk before the caller reports it (other windows read the file). */
  async signedOut(id: string, config: ConnectionConfig | undefined): Promise<void> {
    this.store.setFacts(id, {
      signedIn: false,
      signedOut: true,
      expiresOn: undefined,
      grantedScopes: undefined,
      failure: undefined,
      account: undefined,
      homeAccountId: undefined,
    });
    await this.store.flush();
    this.log.info('auth', `[${id}] signed out`);
    if (config) this.#event(config, 'signOut', 'ok', Date.now());
  }

  /** An edit changed who or what the connection signs in as: every fact of the old sign-in goes. */
  signInForgotten(id: string): void {
    this.store.setFacts(id, {
      signedIn: undefined,
      account: undefined,
      homeAccountId: undefined,
      expiresOn: undefined,
      grantedScopes: undefined,
      requestedScopes: undefined,
      failure: undefined,
      lastTest: undefined,
      permissionMissing: undefined,
    });
    this.log.info('auth', `[${id}] the edit changed the sign-in: tokens and facts dropped`);
  }

  saved(config: ConnectionConfig, isNew: boolean, started: number): void {
    // An edit may have ticked the missing permission (or changed the mailbox): the next test says.
    if (!isNew && this.store.facts(config.id).permissionMissing) {
      this.store.setFacts(config.id, { permissionMissing: undefined });
    }
    this.log.info('store', `[${config.id}] ${isNew ? 'added' : 'updated'} (${config.authType}, ${config.environment})`);
    this.#event(config, isNew ? 'add' : 'edit', 'ok', started);
  }

  deleted(id: string, config: ConnectionConfig | undefined): void {
    this.log.info('store', `[${id}] deleted`);
    if (config) this.#event(config, 'delete', 'ok', Date.now());
  }

  tested(config: ConnectionConfig, result: ProbeResult, started: number): void {
    const id = config.id;
    // A probe ran, so dist/engine.js is loaded already.
    const missing = loadEngine().missingPermissionsOf(result.checks);
    this.store.setFacts(id, {
      lastTest: { ok: result.ok, summary: result.summary, at: result.testedAt, checks: result.checks },
      permissionMissing: missing.length ? missing : undefined,
    });
    this.log.info(
      'test',
      `[${id}] ${result.ok ? 'ok' : 'failed'}: ${result.checks.map((c) => `${c.name} ${c.result}${c.status ? ` ${c.status}` : ''}`).join(', ')}`,
    );
    const failed = result.checks.find((c) => c.result === 'failed');
    this.#event(
      config,
      'test',
      result.ok ? 'ok' : 'failed',
      started,
      failed ? (failed.status ? `HTTP${failed.status}` : failed.name) : undefined,
    );
  }

  #event(
    config: ConnectionConfig,
    operation: OperationEvent['operation'],
    result: OperationResult,
    started: number,
    errorCode?: string,
  ): void {
    this.telemetry.operation({
      operation,
      authType: config.authType,
      environment: config.environment,
      result,
      ...(errorCode ? { errorCode } : {}),
      durationMs: Date.now() - started,
    });
  }
}
