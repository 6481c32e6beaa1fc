/**
 * The exported API's Graph helper (`api.graphRequest`): one request on a connection's own Graph host with
 * the token of the session the calling extension got from `vscode.authentication.getSession` (so only an
 * extension the user allowed can use it), answering a claims challenge (Continuous Access Evaluation)
 * with a new token and one retry (engine/claimsChallenge.ts). No token leaves here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { DeadlineExceeded, withDeadline } from '../engine/deadline';
import { ConnectionError } from '../engine/connectionError';
import { msg } from '../model/messages';
import { connectionEnvironment } from '../model/pinning';
import { Secret } from '../model/secret';
import type { TokenResult } from '../engine/tokenClient';
import type { Settings } from '../settings';
import type { ConnectionsView } from './connectionStore';
import type { Sessions } from './sessions';
import { loadEngine } from './engineModule';

export interface GraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export class GraphRequests {
  constructor(
    private readonly connections: Pick<ConnectionsView, 'getConfig'>,
    private readonly sessions: Pick<Sessions, 'cachedToken' | 'answerClaims'>,
    private readonly settings: Pick<Settings, 'requestTimeoutMs'>,
    private readonly signInWithClaims?: (id: string, claims: string) => Promise<TokenResult>,
  ) {}

  async request(
    session: { id: string; accessToken: string },
    path: string,
    init: GraphRequestInit = {},
  ): Promise<GraphResponse> {
    const config = typeof session?.id === 'string' ? this.connections.getConfig(session.id) : undefined;
    if (!config) throw refused(msg('The connection no longer exists.'));
    if (!this.#issued(session.id, session.accessToken)) {
      throw refused(
        msg(
          'This session is not the connection\u2019s current one. Get a session again with vscode.authentication.getSession and pass it.',
        ),
      );
    }
    const method = (init.method ?? 'GET').toUpperCase();
    if (!METHODS.includes(method)) throw refused(msg('Method {method} is not supported.', { method }));
    const graph = connectionEnvironment(config).graphEndpoint;
    // Only a path on the connection's own Graph host: its token never goes anywhere else.
    const url = typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && new URL(path, graph);
    if (!url || url.origin !== graph) {
      throw refused(msg('Give a path on Microsoft Graph such as /v1.0/me, not a URL.'));
    }
    const timeoutMs = this.settings.requestTimeoutMs();
    // The claims-challenge answerer and the failure classifier come from dist/engine.js (engineModule.ts).
    const { ClaimsChallengeAnswerer, responseChallenge, networkFailureOf, noAnswerFailure } = loadEngine();
    const answerer = new ClaimsChallengeAnswerer(
      new Secret(session.accessToken),
      async (claims) => (await this.sessions.answerClaims(config.id, claims, this.signInWithClaims)).accessToken,
    );
    const { response, body } = await answerer.send(async (token) => {
      try {
        return await withDeadline(timeoutMs, undefined, async (signal) => {
          // The URL as text: VS Code's fetch in the extension host takes a string or a Request.
          const response = await fetch(url.href, {
            method,
            headers: { Accept: 'application/json', ...init.headers, Authorization: `Bearer ${token.reveal()}` },
            ...(init.body !== undefined ? { body: init.body } : {}),
            signal,
          });
          return { response, body: await response.text() };
        });
      } catch (err) {
        if (err instanceof DeadlineExceeded) throw new ConnectionError(noAnswerFailure('graph', err.timeoutMs));
        const network = networkFailureOf(err, url.hostname);
        throw network ? new ConnectionError(network) : err;
      }
    }, responseChallenge);
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  }

  /** Whether the token is the one this window last handed out for the connection (compared in constant time). */
  #issued(id: string, accessToken: unknown): boolean {
    const current = this.sessions.cachedToken(id)?.accessToken.reveal();
    if (!current || typeof accessToken !== 'string') return false;
    const hash = (text: string) => createHash('sha256').update(text).digest();
    return timingSafeEqual(hash(current), hash(accessToken));
  }
}

function refused(message: ReturnType<typeof msg>): ConnectionError {
  return new ConnectionError({ kind: 'configuration', status: 'error', message });
}
