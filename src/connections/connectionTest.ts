/** Test Connection: a token (silently), then real Graph calls; the outcome is kept on the connection. */
import { probeGraph, type ProbeResult } from '../engine/graphProbe';
import { connectionEnvironment } from '../model/pinning';
import type { Settings } from '../settings';
import type { TokenResult } from '../engine/tokenClient';
import type { ConnectionStore } from './connectionStore';
import type { OutcomeRecorder } from './outcomes';
import { configOf, type Sessions } from './sessions';

export class ConnectionTester {
  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly outcomes: OutcomeRecorder,
    /** The interactive sign-in a claims challenge falls back to (auth/signInUi.ts). */
    private readonly signInWithClaims?: (id: string, claims: string) => Promise<TokenResult>,
  ) {}

  async test(id: string): Promise<ProbeResult> {
    const config = configOf(this.store, id);
    const started = Date.now();
    const token = await this.sessions.getToken(id);
    const result = await probeGraph(config, connectionEnvironment(config), token.accessToken, {
      timeoutMs: this.settings.requestTimeoutMs(),
      renewToken: async (claims) => (await this.sessions.answerClaims(id, claims, this.signInWithClaims)).accessToken,
    });
    this.outcomes.tested(config, result, started);
    return result;
  }
}
