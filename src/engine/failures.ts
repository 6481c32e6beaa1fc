/**
 * Turns any sign-in or token failure into one of DESIGN.md's statuses with a plain sentence that says
 * what to do. The sentence never quotes the server's text verbatim (it can echo user names) and never
 * carries a secret; the AADSTS code is kept separately so users can look it up.
 */
import { msg, type Message } from './messages';

export type FailureStatus = 'reconnectRequired' | 'consentRequired' | 'error';

export type FailureKind =
  | 'cancelled'
  | 'timeout'
  | 'reconnect'
  | 'consent'
  | 'badClientSecret'
  | 'badCertificate'
  | 'badPassword'
  | 'mfaRequired'
  | 'unknownApp'
  | 'unknownTenant'
  | 'redirectMismatch'
  | 'publicFlowsDisabled'
  | 'declined'
  | 'codeExpired'
  | 'throttled'
  | 'serverError'
  | 'network'
  | 'configuration'
  | 'unknown';

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

const CONSENT_CODES = new Set(['65001', '90094', '90095', '90008']);
/** The user pressed Cancel / declined on the sign-in or consent page. */
const DECLINED_CODES = new Set(['65004']);
const RECONNECT_CODES = new Set(['50173', '700082', '700084', '50078', '50132', '50133', '70043', '70008', '54005', '500011']);

function aadstsOf(error: ErrorLike): string | undefined {
  if (error.errorNo !== undefined && String(error.errorNo).match(/^\d+$/)) {
    return String(error.errorNo);
  }
  const match = /AADSTS(\d+)/.exec(`${error.errorMessage ?? ''} ${error.message ?? ''}`);
  return match?.[1];
}

function failure(kind: FailureKind, status: FailureStatus, message: Message, code?: string): ConnectionFailure {
  return code ? { kind, status, message, code: `AADSTS${code}` } : { kind, status, message };
}

/** Extra facts the network layer saw and MSAL does not pass on. */
export interface FailureContext {
  /** Retry-After of the last throttled response, seconds. */
  retryAfterSeconds?: number;
  lastStatus?: number;
  /** The OAuth error of the last failed response, for failures that arrive without it. */
  lastServerError?: { error?: string; description?: string };
}

export function classifyFailure(err: unknown, context: FailureContext = {}): ConnectionFailure {
  if (err instanceof ConnectionError) {
    return err.failure;
  }
  const f = classify(err, context);
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

function classify(err: unknown, context: FailureContext): ConnectionFailure {
  let error: ErrorLike = err && typeof err === 'object' ? (err as ErrorLike) : { message: String(err) };
  if (!aadstsOf(error) && context.lastServerError?.description) {
    // MSAL lost the server's answer on the way (e.g. a failed device code request): use what the network saw.
    error = { ...error, errorCode: context.lastServerError.error ?? error.errorCode, errorMessage: context.lastServerError.description, name: error.name };
  }
  const code = aadstsOf(error);
  const errorCode = (error.errorCode ?? error.code ?? '').toString();
  const text = `${errorCode} ${error.errorMessage ?? ''} ${error.message ?? ''}`;

  if (error.name === 'AbortError' || errorCode === 'device_code_polling_cancelled' || errorCode === 'user_cancelled') {
    return failure('cancelled', 'error', msg('Sign-in was cancelled.'));
  }
  if (code && CONSENT_CODES.has(code)) {
    return failure(
      'consent',
      'consentRequired',
      msg('An administrator must consent to the requested permissions. Send them the admin consent link (Copy Admin Consent Link), then sign in again.'),
      code,
    );
  }
  if (errorCode === 'authorization_declined' || (code && DECLINED_CODES.has(code)) || /authorization_declined|access_denied/.test(text)) {
    return failure('declined', 'error', msg('Sign-in was declined. Sign in again and accept to connect.'), code);
  }
  if (errorCode === 'expired_token' || errorCode === 'device_code_expired' || /expired_token|device_code_expired/.test(text)) {
    return failure('codeExpired', 'error', msg('The sign-in code expired before it was used. Sign in again and enter the new code in time.'), code);
  }
  if (context.lastStatus === 429 || error.status === 429 || /\b429\b|throttl/i.test(text)) {
    const seconds = context.retryAfterSeconds;
    const f = failure(
      'throttled',
      'error',
      seconds !== undefined
        ? msg('Microsoft Entra is throttling requests. Try again in {seconds} seconds.', { seconds })
        : msg('Microsoft Entra is throttling requests. Try again in a few minutes.'),
      code,
    );
    return seconds !== undefined ? { ...f, retryAfterSeconds: seconds } : f;
  }
  switch (code) {
    case '7000215':
    case '7000222':
      return failure('badClientSecret', 'error', msg('The client secret is wrong or expired. Create a new secret in the app registration and edit the connection.'), code);
    case '700027':
    case '700024':
    case '1000502':
      return failure('badCertificate', 'error', msg('Microsoft Entra refused the certificate. Upload its public key (.cer) to the app registration, or choose the certificate that is registered.'), code);
    case '50126':
      return failure('badPassword', 'error', msg('The username or password is wrong. Edit the connection and enter them again.'), code);
    case '50076':
    case '50079':
    case '50158':
      return failure('mfaRequired', 'error', msg('This account needs multi-factor authentication, which username and password sign-in cannot do. Use the authorization code auth type.'), code);
    case '700016':
      return failure('unknownApp', 'error', msg('No application with this client ID exists in the tenant. Check the client ID and the tenant, or ask an administrator to add the app.'), code);
    case '90002':
    case '900023':
    case '90023':
      return failure('unknownTenant', 'error', msg('The tenant was not found. Check the tenant ID or domain and the environment.'), code);
    case '50011':
      return failure('redirectMismatch', 'error', msg('The redirect URI is not registered. Add http://localhost to the app registration (see Copy Redirect URI).'), code);
    case '7000218':
      return failure('publicFlowsDisabled', 'error', msg('The app does not allow public client flows. Enable "Allow public client flows" in the app registration, or add a client secret.'), code);
  }
  if (
    (code && RECONNECT_CODES.has(code)) ||
    error.name === 'InteractionRequiredAuthError' ||
    errorCode === 'invalid_grant' ||
    errorCode === 'interaction_required' ||
    errorCode === 'no_tokens_found' ||
    errorCode === 'no_account_in_silent_request'
  ) {
    return failure('reconnect', 'reconnectRequired', msg('The sign-in is no longer valid (it was revoked, expired or changed). Sign in again to reconnect.'), code);
  }
  if (/endpoints_resolution_error|network_error|ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|fetch failed|socket|ETIMEDOUT|UND_ERR/i.test(text) || /ECONN|ENOTFOUND/.test(String(error.cause ?? ''))) {
    return failure('network', 'error', msg('Microsoft Entra could not be reached. Check the network connection (and a proxy, if you use one), then try again.'), code);
  }
  if ((context.lastStatus ?? error.status ?? 0) >= 500 || /server_error|temporarily_unavailable|\b50[0-9]\b/.test(text)) {
    return failure('serverError', 'error', msg('Microsoft Entra had a temporary problem. Try again in a minute.'), code);
  }
  return failure(
    'unknown',
    'error',
    code ? msg('Sign-in failed with {code}. Look the code up in the Microsoft Entra error reference.', { code: `AADSTS${code}` }) : msg('Sign-in failed: {reason}.', { reason: errorCode || 'unknown error' }),
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
      ? msg('The login host did not answer within {seconds} s. Check the network connection (and a proxy, if you use one), then try again.', { seconds })
      : msg('Microsoft Graph did not answer within {seconds} s. Check the network connection (and a proxy, if you use one), then try again.', { seconds });
  return { kind: 'network', status: 'error', detail: 'request_timeout', message };
}
