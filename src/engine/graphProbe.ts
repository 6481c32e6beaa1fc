/**
 * "Test connection" (DESIGN.md; issue #14 item 2) as a checklist: the token (acquired, its `scp` or
 * `roles` decoded), the profile, the own or app-only mailbox, the shared mailbox, the calendar (each one
 * real Graph GET through graphRequest.ts), and whether the token allows sending (read from its
 * permissions: nothing is sent). URLs are built from the connection's own cloud only, and a token whose
 * audience names another cloud's Graph host is refused before it is sent.
 */
import { decodeJwtClaims, grantedScopesOf } from '../model/claims';
import { ClaimsChallengeAnswerer } from './claimsChallenge';
import type { Environment } from '../model/clouds';
import type { ConnectionConfig } from '../model/connection';
import { msg, type Message } from '../model/messages';
import type { Secret } from '../model/secret';
import { planChecks, judge, sendCheck, stopsTheRest, tokenCheck, type Check, type CheckName } from './checks';
import { ConnectionError, type ConnectionFailure } from './failures';
import { graphGet, graphGetHonouringRetryAfter, type GraphSend } from './graphRequest';

export { PROBE_MAX_WAIT_SECONDS } from './graphRequest';
export type { Check, CheckFix, CheckName } from './checks';

export interface ProbeResult {
  /** No check failed. */
  ok: boolean;
  checks: Check[];
  summary: Message;
  testedAt: string;
}

export interface ProbeOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  now?: () => Date;
  /** Deadline of each Graph request (deadline.ts). */
  timeoutMs?: number;
  /** Told before each check runs (the progress notification). */
  onCheck?: (name: CheckName) => void;
  /** The request each Graph check sends (default `graphGet`): a wrapper adds its own retry around it. */
  send?: GraphSend;
  /** A token with the claims of a claims challenge (claimsChallenge.ts); without it a challenge is a 401. */
  renewToken?: (claims: string) => Promise<Secret>;
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

/** The checklist with a token in hand. */
export function probeGraph(
  config: ConnectionConfig,
  environment: Environment,
  accessToken: Secret,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  return runChecklist(config, environment, () => Promise.resolve(accessToken), options);
}

/**
 * The checklist, the token's acquisition included: a token that cannot be had fails the token check
 * (with the admin consent link when consent is missing, a new sign-in when the sign-in is gone) and
 * skips the rest. A network failure or a cancel rejects, as any other request of the connection does.
 */
export async function runChecklist(
  config: ConnectionConfig,
  environment: Environment,
  getToken: () => Promise<Secret>,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const testedAt = () => (options.now?.() ?? new Date()).toISOString();
  options.onCheck?.('token');
  let accessToken: Secret;
  try {
    accessToken = await getToken();
  } catch (err) {
    // A cancel, or a login host that cannot be reached, says nothing about the connection: it is the error.
    if (!(err instanceof ConnectionError) || ['cancelled', 'network', 'timeout'].includes(err.failure.kind)) throw err;
    const checks = [tokenRefused(err.failure), ...skipAll(config, msg('Not run: there is no token.'))];
    return { ok: false, checks, summary: summaryOf(checks), testedAt: testedAt() };
  }
  assertTokenForCloud(accessToken, environment);
  const claims = decodeJwtClaims(accessToken.reveal());
  const granted = grantedScopesOf(claims);
  const checks: Check[] = [tokenCheck(config, claims)];
  const target = {
    environment,
    accessToken,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    fetch: options.fetch,
  };
  // Every check's request answers one claims challenge (CAE) with a new token and sends once more; the
  // checks after it use the new token (claimsChallenge.ts).
  const renew = options.renewToken;
  const answerer = new ClaimsChallengeAnswerer(
    accessToken,
    renew &&
      (async (challenge) => {
        const token = await renew(challenge);
        assertTokenForCloud(token, environment);
        return token;
      }),
  );
  const base = options.send ?? graphGet;
  const send: GraphSend = (t, path) =>
    answerer.send(
      (token) => base({ ...t, accessToken: token }, path),
      (answer) => answer.claimsChallenge,
    );
  let stopped: Message | undefined;
  for (const planned of planChecks(config, granted)) {
    if ('result' in planned) {
      checks.push(planned);
    } else if (stopped) {
      checks.push({ name: planned.name, result: 'skipped', detail: stopped });
    } else {
      options.onCheck?.(planned.name);
      const check = judge(config, planned, await graphGetHonouringRetryAfter(target, planned.path, send), granted);
      checks.push(check);
      if (stopsTheRest(check)) stopped = msg('Not run after the answer of the check before.');
    }
  }
  options.onCheck?.('send');
  checks.push(sendCheck(config, granted));
  return { ok: !checks.some((c) => c.result === 'failed'), checks, summary: summaryOf(checks), testedAt: testedAt() };
}

function tokenRefused(failure: ConnectionFailure): Check {
  if (failure.kind === 'consent') {
    return {
      name: 'token',
      result: 'failed',
      detail: failure.code
        ? msg(
            'Waiting for admin consent ({code}): send the admin consent link to an administrator, then sign in again.',
            {
              code: failure.code,
            },
          )
        : msg('Waiting for admin consent: send the admin consent link to an administrator, then sign in again.'),
      fix: { kind: 'adminConsent' },
    };
  }
  return {
    name: 'token',
    result: 'failed',
    detail: failure.message,
    ...(failure.status === 'reconnectRequired' ? { fix: { kind: 'signIn' } } : {}),
  };
}

function skipAll(config: ConnectionConfig, detail: Message): Check[] {
  return (['profile', 'mailbox', 'sharedMailbox', 'calendar', 'send'] as const).map((name) => ({
    name,
    result: 'skipped',
    detail,
  }));
}

/** The permissions the failed checks name (what the "permission missing" status lists). */
export function missingPermissionsOf(checks: readonly Check[]): string[] {
  return [
    ...new Set(checks.filter((c) => c.result === 'failed' && c.missingPermission).map((c) => c.missingPermission!)),
  ];
}

function summaryOf(checks: readonly Check[]): Message {
  const count = (result: Check['result']) => checks.filter((c) => c.result === result).length;
  const missing = missingPermissionsOf(checks);
  if (missing.length > 0) {
    return msg('Permission missing: {permissions}. {passed} passed, {failed} failed, {skipped} skipped.', {
      permissions: missing.join(', '),
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
    });
  }
  const failed = checks.find((c) => c.result === 'failed');
  if (failed) return failed.detail;
  return msg('All checks passed: {passed} passed, {skipped} skipped.', {
    passed: count('passed'),
    skipped: count('skipped'),
  });
}
