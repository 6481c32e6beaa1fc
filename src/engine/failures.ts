/**
 * Turns any sign-in or token failure into one of DESIGN.md's statuses with a plain sentence that says
 * what to do. The sentence never quotes the server's text verbatim (it can echo user names) and never
 * carries a secret; the AADSTS code is kept separately so users can look it up.
 *
 * MSAL's own error is the truth. The network layer's record of the last request adds what MSAL drops
 * (the server's answer on some paths, Retry-After, the network error's code) only when that record
 * belongs to the request MSAL's error came from. The codes and sentences are one table
 * (`FAILURE_RULES`), which README.md's "Common errors" follows (a unit test compares them).
 */
import { correlationIdOf } from './correlation';
import { msg } from '../model/messages';
import type { RequestOutcome } from './network';
import { FAILURE_RULES, type FailureKind, type FailureRule, type FailureStatus } from './failureRules';
import { ConnectionError, type ConnectionFailure } from './connectionError';

export {
  FAILURE_RULES,
  ConnectionError,
  type ConnectionFailure,
  type FailureKind,
  type FailureRule,
  type FailureStatus,
};

interface ErrorLike {
  name?: string;
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  errorNo?: string | number;
  status?: number;
  message?: string;
  code?: string;
  cause?: unknown;
}

/** 50076 / 50079 on a refresh token: the user can do MFA, in an interactive sign-in (not ROPC). */
const MFA_ON_REFRESH = msg(
  'This account now needs multi-factor authentication. Sign in again (Sign In (Reconnect)) and complete it in the browser.',
);
const THROTTLED_NO_WAIT = msg('Microsoft Entra is throttling requests. Try again in a few minutes.');
const NETWORK_NO_HOST = msg(
  'Microsoft Entra could not be reached. Check the network connection (and a proxy, if you use one), then try again.',
);

const RULES: readonly FailureRule[] = Object.values(FAILURE_RULES);
const ruleOf = (code: string): FailureRule | undefined => RULES.find((r) => r.codes.includes(code));

/** MSAL's errors for a request that failed before any answer (MSAL drops the cause). */
const NETWORK_ERRORS = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error']);
/** MSAL's errors that stand for a server answer they do not carry (its code is in the network layer's record). */
const ANSWER_DROPPED = new Set([
  'post_request_failed',
  'device_code_request_failed',
  'endpoints_resolution_error',
  'openid_config_error',
]);
/** RFC 8628 §3.5: "keep polling" answers, never the reason a sign-in ended. */
const NOT_FINAL = new Set(['authorization_pending', 'slow_down']);

function aadstsOf(error: {
  errorNo?: string | number;
  errorMessage?: string;
  message?: string;
  description?: string;
}): string | undefined {
  // `error_codes: [0]` and "AADSTS0" are no code.
  const real = (n: string | undefined) => (n && /^\d+$/.test(n) && !/^0+$/.test(n) ? n : undefined);
  return (
    real(error.errorNo === undefined ? undefined : String(error.errorNo)) ??
    real(/AADSTS(\d+)/.exec(`${error.errorMessage ?? ''} ${error.message ?? ''} ${error.description ?? ''}`)?.[1])
  );
}

function failure(
  rule: Pick<FailureRule, 'kind' | 'status' | 'message'>,
  code?: string,
  args?: Record<string, string | number>,
): ConnectionFailure {
  const message = args ? msg(rule.message.text, args) : rule.message;
  return code
    ? { kind: rule.kind, status: rule.status, message, code: `AADSTS${code}` }
    : { kind: rule.kind, status: rule.status, message };
}

/** Extra facts the network layer saw and MSAL does not pass on. */
export interface FailureContext {
  /** How the last request of the operation ended (network.ts). */
  lastRequest?: RequestOutcome;
  /** The operation was a delegated token refresh (a refresh token; not ROPC, not app-only). */
  delegatedRefresh?: boolean;
}

export function classifyFailure(err: unknown, context: FailureContext = {}): ConnectionFailure {
  if (err instanceof ConnectionError) {
    return err.failure;
  }
  const correlationId = correlationIdOf(err);
  const f = correlationId ? { ...classify(err, context), correlationId } : classify(err, context);
  if (f.detail) return f;
  const detail = detailOf(err);
  return detail ? { ...f, detail } : f;
}

/** The most specific error code in an error and its causes (codes only: messages can carry user data). */
function detailOf(err: unknown): string | undefined {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as ErrorLike;
    const code = e.code ?? e.errorCode;
    if (typeof code === 'string' && /^[A-Za-z0-9_]+$/.test(code)) codes.push(code);
    current = e.cause;
  }
  return codes.length ? codes.join('/') : undefined;
}

/**
 * The server answer behind MSAL's error, when the network layer's record is that answer: MSAL names
 * the same OAuth error or HTTP status, or its error stands for an answer it dropped. A "keep polling"
 * answer never counts.
 */
function answerBehind(
  error: ErrorLike,
  last: RequestOutcome | undefined,
): Extract<RequestOutcome, { kind: 'answer' }> | undefined {
  if (last?.kind !== 'answer' || (last.error && NOT_FINAL.has(last.error) && last.error !== error.errorMessage))
    return undefined;
  const errorCode = error.errorCode ?? '';
  if (errorCode === 'post_request_failed') return last.error === error.errorMessage ? last : undefined;
  if (ANSWER_DROPPED.has(errorCode)) return last.status >= 400 ? last : undefined;
  if (error.status !== undefined) return last.status === error.status ? last : undefined;
  return undefined;
}

/**
 * A failure before any answer, named by Node's error code: the network layer's record of the request
 * (MSAL keeps no cause), or the error's own chain (Graph's fetch, a raw Node error).
 */
export function networkFailureOf(err: unknown, host?: string, last?: RequestOutcome): ConnectionFailure | undefined {
  const error: ErrorLike = err && typeof err === 'object' ? err : { message: String(err) };
  const failedHere = last?.kind === 'failed' ? last : undefined;
  let code = failedHere?.code;
  let at = failedHere?.host ?? host;
  if (!failedHere) {
    for (let current: unknown = err, depth = 0; current && typeof current === 'object' && depth < 5 && !code; depth++) {
      const e = current as ErrorLike & { hostname?: string };
      // Socket, DNS and TLS codes (ECONNRESET, EAI_AGAIN, ERR_TLS_…, …CERT…), not Node's other ERR_ codes.
      if (
        typeof e.code === 'string' &&
        /^(?!ERR_)E[A-Z_]+$|^(ERR_TLS_|UND_ERR_|UNABLE_TO_|DEPTH_ZERO_)\w+$|CERT/.test(e.code)
      ) {
        code = e.code;
        at = e.hostname ?? at;
      }
      current = e.cause;
    }
    const isNetwork = code || NETWORK_ERRORS.has(error.errorCode ?? '') || /fetch failed/i.test(error.message ?? '');
    if (!isNetwork) return undefined;
  }
  const rule = (code && ruleOf(code)) || FAILURE_RULES.network;
  const f = at ? failure(rule, undefined, { host: at }) : failure({ ...rule, message: NETWORK_NO_HOST });
  return code ? { ...f, detail: code } : f;
}

function classify(err: unknown, context: FailureContext): ConnectionFailure {
  const error: ErrorLike = err && typeof err === 'object' ? err : { message: String(err) };
  const errorCode = (error.errorCode ?? error.code ?? '').toString();

  if (error.name === 'AbortError' || errorCode === 'device_code_polling_cancelled' || errorCode === 'user_cancelled') {
    return failure({ kind: 'cancelled', status: 'error', message: msg('Sign-in was cancelled.') });
  }
  // MSAL ended the device code poll on its own deadline: whatever the server said last was "keep polling".
  if (errorCode === 'device_code_expired') {
    return failure(FAILURE_RULES.codeExpired);
  }
  const answer = answerBehind(error, context.lastRequest);
  if (!answer) {
    const network = networkFailureOf(err, undefined, NETWORK_ERRORS.has(errorCode) ? context.lastRequest : undefined);
    if (network) return network;
  }
  const code = aadstsOf(error) ?? (answer ? aadstsOf(answer) : undefined);
  // For post_request_failed MSAL puts the server's OAuth error in its message.
  const oauthError = errorCode === 'post_request_failed' ? (error.errorMessage ?? '') : (answer?.error ?? errorCode);
  const status = error.status ?? answer?.status;

  const byCode = code ? ruleOf(`AADSTS${code}`) : undefined;
  if (status === 429 || byCode === FAILURE_RULES.throttled || oauthError === 'slow_down') {
    const seconds = answer?.retryAfterSeconds;
    const f =
      seconds !== undefined
        ? failure(FAILURE_RULES.throttled, code, { seconds })
        : failure({ ...FAILURE_RULES.throttled, message: THROTTLED_NO_WAIT }, code);
    return seconds !== undefined ? { ...f, retryAfterSeconds: seconds } : f;
  }
  if (byCode === FAILURE_RULES.mfaRequired && context.delegatedRefresh && code !== '50158') {
    return failure({ kind: 'reconnect', status: 'reconnectRequired', message: MFA_ON_REFRESH }, code);
  }
  if (byCode) return failure(byCode, code);
  const byError = ruleOf(oauthError);
  if (byError) return failure(byError, code);
  if (
    error.name === 'InteractionRequiredAuthError' ||
    errorCode === 'no_tokens_found' ||
    errorCode === 'no_account_in_silent_request'
  ) {
    return failure(FAILURE_RULES.reconnect, code);
  }
  if ((status ?? 0) >= 500) {
    return failure(FAILURE_RULES.serverError, code);
  }
  return failure(
    {
      kind: 'unknown',
      status: 'error',
      message: code
        ? msg('Sign-in failed with {code}. Look the code up in the Microsoft Entra error reference.', {
            code: `AADSTS${code}`,
          })
        : errorCode
          ? msg('Sign-in failed: {reason}.', { reason: errorCode })
          : msg('Sign-in failed for a reason Microsoft Entra did not name. See the log for details.'),
    },
    code,
  );
}

/**
 * A request that got no answer by its deadline (deadline.ts): a passing network fault, like an
 * unreachable host, said with the host that kept silent and how long it was given.
 */
export function noAnswerFailure(host: 'login' | 'graph', timeoutMs: number): ConnectionFailure {
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  const message =
    host === 'login'
      ? msg(
          'The login host did not answer within {seconds} s. Check the network connection (and a proxy, if you use one), then try again.',
          { seconds },
        )
      : msg(
          'Microsoft Graph did not answer within {seconds} s. Check the network connection (and a proxy, if you use one), then try again.',
          { seconds },
        );
  return { kind: 'network', status: 'error', detail: 'request_timeout', message };
}
