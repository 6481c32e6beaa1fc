/** Test Connection: the checklist (engine/graphProbe.ts) with a token got silently; the outcome is kept on the connection. */
import { ConnectionError } from '../engine/connectionError';
import type { CheckName, ProbeResult } from '../engine/graphProbe';
import { connectionEnvironment } from '../model/pinning';
import type { Settings } from '../settings';
import type { TokenResult } from '../engine/tokenClient';
import type { ConnectionStore } from './connectionStore';
import type { OutcomeRecorder } from './outcomes';
import { loadEngine } from './engineModule';
import { configOf, type Sessions } from './sessions';

export interface TestOptions {
  signal?: AbortSignal;
  /** Told before each check runs. */
  onCheck?: (name: CheckName) => void;
}

export class ConnectionTester {
  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly outcomes: OutcomeRecorder,
    /** The interactive sign-in a claims challenge falls back to (auth/signInUi.ts). */
    private readonly signInWithClaims?: (id: string, claims: string) => Promise<TokenResult>,
  ) {}

  async test(id: string, options: TestOptions = {}): Promise<ProbeResult> {
    const config = configOf(this.store, id);
    const started = Date.now();
    const result = await loadEngine().runChecklist(config, connectionEnvironment(config), () => this.#token(id), {
      timeoutMs: this.settings.requestTimeoutMs(),
      renewToken: async (claims) => (await this.sessions.answerClaims(id, claims, this.signInWithClaims)).accessToken,
      ...options,
    });
    this.outcomes.tested(config, result, started);
    return result;
  }

  async #token(id: string) {
    try {
      return (await this.sessions.getToken(id)).accessToken;
    } catch (err) {
      // A sign-in that ended in "admin consent required" left no account: the silent request can only say
      // "not signed in", but what the connection waits for is the consent.
      const kept = this.store.facts(id).failure;
      if (err instanceof ConnectionError && err.failure.kind === 'reconnect' && kept?.kind === 'consent') {
        const { kind, status, message } = loadEngine().FAILURE_RULES.consent;
        throw new ConnectionError({ kind, status, message, ...(kept.code ? { code: kept.code } : {}) });
      }
      throw err;
    }
  }
}
