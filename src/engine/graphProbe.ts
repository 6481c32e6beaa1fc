/**
 * "Test connection" (DESIGN.md): real Graph calls that prove a token can do the job: delegated, the
 * user (`/me`) and then the inbox of the shared mailbox or of the user; app-only, the account's inbox.
 * URLs are built from the connection's own cloud only, and a token whose audience names another
 * cloud's Graph host is refused before it is sent.
 */
import { decodeJwtClaims } from '../model/claims';
import { ClaimsChallengeAnswerer } from './claimsChallenge';
import type { Environment } from '../model/clouds';
import { isAppOnly, type ConnectionConfig } from '../model/connection';
import { DEFAULT_REQUEST_TIMEOUT_MS, DeadlineExceeded, withDeadline } from './deadline';
import { ConnectionError, FAILURE_RULES, networkFailureOf, noAnswerFailure } from './failures';
import { msg, type Message } from '../model/messages';
import type { Secret } from '../model/secret';

export type ProbeStepName = 'me' | 'inbox' | 'sharedInbox' | 'accountInbox';

export interface ProbeStep {
  name: ProbeStepName;
  /** Path on the Graph host, e.g. `/v1.0/me/mailFolders/inbox`. */
  path: string;
  status: number;
  ok: boolean;
  /** Graph's error code, e.g. `ErrorAccessDenied`. */
  errorCode?: string;
  /** The permission that would make a 403 pass. */
  missingPermission?: string;
  /** Graph's Retry-After of a 429, seconds. */
  retryAfterSeconds?: number;
}

export interface ProbeResult {
  ok: boolean;
  steps: ProbeStep[];
  summary: Message;
  testedAt: string;
}

type Fetch = typeof fetch;

/**
 * A 429 whose Retry-After is at most this long is waited out and the step sent once more; a longer
 * one, or a second 429, ends the test with the time to wait. Graph asks clients to wait Retry-After
 * before retrying: https://learn.microsoft.com/graph/throttling
 */
export const PROBE_MAX_WAIT_SECONDS = 10;

interface PlannedStep {
  name: ProbeStepName;
  path: string;
  permission: string;
  /** A failing optional step is reported but does not fail the test. */
  optional: boolean;
}

function plan(config: ConnectionConfig): PlannedStep[] {
  const mailbox = (upn: string) => `/v1.0/users/${encodeURIComponent(upn)}/mailFolders/inbox`;
  if (isAppOnly(config)) {
    const steps: PlannedStep[] = [
      { name: 'accountInbox', path: mailbox(config.account), permission: 'Mail.Read (application)', optional: false },
    ];
    if (config.sharedMailbox) {
      steps.push({
        name: 'sharedInbox',
        path: mailbox(config.sharedMailbox),
        permission: 'Mail.Read (application)',
        optional: false,
      });
    }
    return steps;
  }
  return [
    { name: 'me', path: '/v1.0/me', permission: 'User.Read', optional: true },
    config.sharedMailbox
      ? { name: 'sharedInbox', path: mailbox(config.sharedMailbox), permission: 'Mail.Read.Shared', optional: false }
      : { name: 'inbox', path: '/v1.0/me/mailFolders/inbox', permission: 'Mail.Read', optional: false },
  ];
}

/** Refuses a token meant for another cloud's Graph host. */
export function assertTokenForCloud(accessToken: Secret, environment: Environment): void {
  const aud = decodeJwtClaims(accessToken.reveal())?.aud;
  if (typeof aud === 'string' && aud.includes('://') && new URL(aud).origin !== environment.graphEndpoint) {
    throw new ConnectionError({
      kind: 'configuration',
      status: 'error',
      message: msg('The token is for another cloud ({audience}) and is not sent to {graph}.', {
        audience: new URL(aud).origin,
        graph: environment.graphEndpoint,
      }),
    });
  }
}

export async function probeGraph(
  config: ConnectionConfig,
  environment: Environment,
  accessToken: Secret,
  options: {
    fetch?: Fetch;
    signal?: AbortSignal;
    now?: () => Date;
    /** Deadline of each Graph request (deadline.ts). */ timeoutMs?: number;
    /** A token with the claims of a claims challenge (claimsChallenge.ts); without it a challenge is a 401. */
    renewToken?: (claims: string) => Promise<Secret>;
  } = {},
): Promise<ProbeResult> {
  assertTokenForCloud(accessToken, environment);
  const renew = options.renewToken;
  const answerer = new ClaimsChallengeAnswerer(
    accessToken,
    renew &&
      (async (claims) => {
        const token = await renew(claims);
        assertTokenForCloud(token, environment);
        return token;
      }),
  );
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const steps: ProbeStep[] = [];
  let failed: { step: ProbeStep; planned: PlannedStep } | undefined;
  type GraphBody = { error?: { code?: unknown } } | undefined;
  // One Graph request, its body included, under the deadline; a network failure names its cause and host.
  const get = async (path: string, token: Secret): Promise<{ response: Response; body: GraphBody }> => {
    const started = Date.now();
    try {
      return await withDeadline(timeoutMs, options.signal, async (signal) => {
        const response = await doFetch(`${environment.graphEndpoint}${path}`, {
          headers: { Authorization: `Bearer ${token.reveal()}`, Accept: 'application/json' },
          signal,
        });
        return { response, body: (await response.json().catch(() => undefined)) as GraphBody };
      });
    } catch (err) {
      if (err instanceof DeadlineExceeded) throw new ConnectionError(noAnswerFailure('graph', err.timeoutMs));
      // fetch gives up on a TLS handshake by itself after 10 s, before a longer deadline: the same silence.
      if ((err as { cause?: { code?: unknown } }).cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new ConnectionError(noAnswerFailure('graph', Date.now() - started));
      }
      const network = options.signal?.aborted
        ? undefined
        : networkFailureOf(err, new URL(environment.graphEndpoint).hostname);
      throw network ? new ConnectionError(network) : err;
    }
  };
  for (const planned of plan(config)) {
    let { response, body } = await answerer.send((token) => get(planned.path, token));
    let retryAfter = retryAfterSecondsOf(response);
    if (response.status === 429 && retryAfter !== undefined && retryAfter <= PROBE_MAX_WAIT_SECONDS) {
      await delay(retryAfter * 1000, options.signal);
      ({ response, body } = await answerer.send((token) => get(planned.path, token)));
      retryAfter = retryAfterSecondsOf(response);
    }
    const step: ProbeStep = { name: planned.name, path: planned.path, status: response.status, ok: response.ok };
    if (response.status === 429 && retryAfter !== undefined) {
      step.retryAfterSeconds = retryAfter;
    }
    if (!response.ok) {
      if (typeof body?.error?.code === 'string') {
        step.errorCode = body.error.code;
      }
      if (response.status === 403) {
        step.missingPermission = planned.permission;
      }
    }
    steps.push(step);
    if (
      !response.ok &&
      (!planned.optional || response.status === 401 || response.status === 429 || response.status >= 500)
    ) {
      failed = { step, planned };
      break;
    }
  }
  return {
    ok: !failed,
    steps,
    summary: failed ? failureSummary(failed.step) : successSummary(config),
    testedAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

function successSummary(config: ConnectionConfig): Message {
  const mailbox = config.sharedMailbox ?? (isAppOnly(config) ? config.account : undefined);
  return mailbox ? msg('OK: the inbox of {mailbox} can be read.', { mailbox }) : msg('OK: the inbox can be read.');
}

function failureSummary(step: ProbeStep): Message {
  if (step.status === 401) {
    return msg('HTTP 401: Graph refused the token. Sign in again.');
  }
  if (step.status === 403 && step.missingPermission) {
    return msg('HTTP 403: missing permission {permission} (or no access to that mailbox).', {
      permission: step.missingPermission,
    });
  }
  if (step.status === 404) {
    return msg('HTTP 404: the mailbox was not found. Check the account or shared mailbox address.');
  }
  if (step.status === 429) {
    return step.retryAfterSeconds !== undefined
      ? msg(FAILURE_RULES.graphThrottled.message.text, { seconds: step.retryAfterSeconds })
      : msg('HTTP 429: Microsoft Graph is throttling requests. Try again in a few minutes.');
  }
  if (step.status >= 500) {
    return msg(FAILURE_RULES.graphServerError.message.text, { status: step.status });
  }
  return step.errorCode
    ? msg('HTTP {status} from Graph ({code}).', { status: step.status, code: step.errorCode })
    : msg('HTTP {status} from Graph.', { status: step.status });
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in whole seconds from now. */
function retryAfterSecondsOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new DOMException('The test was cancelled.', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}
