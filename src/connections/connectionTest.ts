/** Test Connection: a token (silently), then real Graph calls; the outcome is kept on the connection. */
import type { ProbeResult } from '../engine/graphProbe';
import { connectionEnvironment } from '../model/pinning';
import type { Settings } from '../settings';
import type { ConnectionStore } from './connectionStore';
import type { OutcomeRecorder } from './outcomes';
import { loadEngine } from './engineModule';
import { configOf, type Sessions } from './sessions';

export class ConnectionTester {
  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly outcomes: OutcomeRecorder,
  ) {}

  async test(id: string): Promise<ProbeResult> {
    const config = configOf(this.store, id);
    const started = Date.now();
    const token = await this.sessions.getToken(id);
    const result = await loadEngine().probeGraph(config, connectionEnvironment(config), token.accessToken, {
      timeoutMs: this.settings.requestTimeoutMs(),
    });
    this.outcomes.tested(config, result, started);
    return result;
  }
}
