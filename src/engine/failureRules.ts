/**
 * The classifier's table (failures.ts): every code it knows, the status it leads to and the sentence
 * that says what to do. README.md's "Common errors" follows it (a unit test compares them).
 */
import { msg, type Message } from '../model/messages';

export type FailureStatus = 'reconnectRequired' | 'consentRequired' | 'error';

export type FailureKind =
  | 'cancelled'
  | 'timeout'
  | 'reconnect'
  | 'consent'
  | 'badClientSecret'
  | 'secretExpired'
  | 'badCertificate'
  | 'clockSkew'
  | 'conditionalAccess'
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

/** One row of the classifier's table: the codes it covers, the status they lead to and what to do. */
export interface FailureRule {
  /** `AADSTS…` codes, OAuth `error` values, Node error codes, or `HTTP 429` / `HTTP 5xx`. */
  codes: readonly string[];
  kind: FailureKind;
  status: FailureStatus;
  /** `{host}` and `{seconds}` are filled in where the rule is used. */
  message: Message;
}

/**
 * Every code the classifier knows, with its sentence. Meanings: the Microsoft Entra error reference,
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes (cited per code in
 * test/unit/failures.test.ts); Node's TLS and DNS codes: https://nodejs.org/api/errors.html.
 */
export const FAILURE_RULES = {
  consent: {
    // `consent_required`: OpenID Connect's error for it (Core §3.1.2.6), e.g. on a silent request with no AADSTS code.
    codes: ['AADSTS65001', 'AADSTS90094', 'AADSTS90095', 'AADSTS90008', 'consent_required'],
    kind: 'consent',
    status: 'consentRequired',
    message: msg(
      'An administrator must consent to the requested permissions. Send them the admin consent link (Copy Admin Consent Link), then sign in again.',
    ),
  },
  declined: {
    codes: ['AADSTS65004', 'authorization_declined', 'access_denied'],
    kind: 'declined',
    status: 'error',
    message: msg('Sign-in was declined. Sign in again and accept to connect.'),
  },
  conditionalAccess: {
    codes: ['AADSTS53003', 'AADSTS530032', 'AADSTS530035'],
    kind: 'conditionalAccess',
    status: 'error',
    message: msg(
      'A Conditional Access policy of your organization blocked this sign-in (for example the location, the app or the sign-in method is not allowed). Ask your administrator which policy applies.',
    ),
  },
  deviceCompliance: {
    codes: ['AADSTS53000', 'AADSTS53001', 'AADSTS530003', 'AADSTS530033'],
    kind: 'conditionalAccess',
    status: 'error',
    message: msg(
      'Your organization allows this sign-in only from a managed, compliant device. Sign in with the browser on such a device (device code sign-in cannot prove the device), or ask your administrator.',
    ),
  },
  secretExpired: {
    codes: ['AADSTS7000222'],
    kind: 'secretExpired',
    status: 'error',
    message: msg(
      'The client secret has expired. Create a new secret in the app registration (Certificates & secrets) and enter its value with Edit Connection.',
    ),
  },
  badClientSecret: {
    codes: ['AADSTS7000215'],
    kind: 'badClientSecret',
    status: 'error',
    message: msg(
      "The client secret is wrong. Enter the secret's value (not its ID) with Edit Connection, or create a new secret in the app registration.",
    ),
  },
  clockSkew: {
    codes: ['AADSTS700024'],
    kind: 'clockSkew',
    status: 'error',
    message: msg(
      "Microsoft Entra refused the client assertion because its time is outside the valid range. Check that this computer's clock, date and time zone are correct, then try again.",
    ),
  },
  badCertificate: {
    codes: ['AADSTS700027'],
    kind: 'badCertificate',
    status: 'error',
    message: msg(
      'Microsoft Entra refused the certificate. Upload its public key (.cer) to the app registration, or choose the certificate that is registered.',
    ),
  },
  certificateExpired: {
    codes: ['AADSTS1000502'],
    kind: 'badCertificate',
    status: 'error',
    message: msg(
      'The certificate is outside its validity period (expired or not yet valid). Create a new certificate, upload its public key to the app registration and edit the connection.',
    ),
  },
  badPassword: {
    codes: ['AADSTS50126'],
    kind: 'badPassword',
    status: 'error',
    message: msg('The username or password is wrong. Edit the connection and enter them again.'),
  },
  mfaRequired: {
    codes: ['AADSTS50076', 'AADSTS50079', 'AADSTS50158'],
    kind: 'mfaRequired',
    status: 'error',
    message: msg(
      'This account needs multi-factor authentication, which username and password sign-in cannot do. Use the authorization code auth type.',
    ),
  },
  unknownApp: {
    codes: ['AADSTS700016'],
    kind: 'unknownApp',
    status: 'error',
    message: msg(
      'No application with this client ID exists in the tenant. Check the client ID and the tenant, or ask an administrator to add the app.',
    ),
  },
  unknownTenant: {
    codes: ['AADSTS90002', 'AADSTS900023', 'AADSTS90023'],
    kind: 'unknownTenant',
    status: 'error',
    message: msg('The tenant was not found. Check the tenant ID or domain and the environment.'),
  },
  redirectMismatch: {
    codes: ['AADSTS50011'],
    kind: 'redirectMismatch',
    status: 'error',
    message: msg(
      'The redirect URI is not registered. Add http://localhost to the app registration (see Copy Redirect URI).',
    ),
  },
  publicFlowsDisabled: {
    codes: ['AADSTS7000218'],
    kind: 'publicFlowsDisabled',
    status: 'error',
    message: msg(
      'The app does not allow public client flows. Enable "Allow public client flows" in the app registration, or add a client secret.',
    ),
  },
  reconnect: {
    codes: [
      'AADSTS50173',
      'AADSTS700082',
      'AADSTS700084',
      'AADSTS50078',
      'AADSTS50132',
      'AADSTS50133',
      'AADSTS70043',
      'AADSTS70008',
      'AADSTS54005',
      'AADSTS500011',
      'invalid_grant',
      'interaction_required',
    ],
    kind: 'reconnect',
    status: 'reconnectRequired',
    message: msg('The sign-in is no longer valid (it was revoked, expired or changed). Sign in again to reconnect.'),
  },
  codeExpired: {
    codes: ['expired_token', 'device_code_expired'],
    kind: 'codeExpired',
    status: 'error',
    message: msg('The sign-in code expired before it was used. Sign in again and enter the new code in time.'),
  },
  throttled: {
    codes: ['HTTP 429', 'AADSTS50196', 'slow_down'],
    kind: 'throttled',
    status: 'error',
    message: msg('Microsoft Entra is throttling requests. Try again in {seconds} seconds.'),
  },
  serverError: {
    codes: ['HTTP 5xx', 'server_error', 'temporarily_unavailable'],
    kind: 'serverError',
    status: 'error',
    message: msg('Microsoft Entra had a temporary problem. Try again in a minute.'),
  },
  dns: {
    codes: ['ENOTFOUND', 'EAI_AGAIN'],
    kind: 'network',
    status: 'error',
    message: msg(
      'The host name {host} does not resolve (DNS). Check the address, the network connection and the DNS or proxy settings.',
    ),
  },
  tlsUntrusted: {
    codes: [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    ],
    kind: 'network',
    status: 'error',
    message: msg(
      'The certificate of {host} is not trusted (self-signed or from an unknown certificate authority). If a proxy inspects HTTPS, the operating system must trust its CA certificate.',
    ),
  },
  tlsWrongHost: {
    codes: ['ERR_TLS_CERT_ALTNAME_INVALID'],
    kind: 'network',
    status: 'error',
    message: msg(
      'The certificate of {host} is for another host name. Check the endpoint address and the proxy settings.',
    ),
  },
  tlsExpired: {
    codes: ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'],
    kind: 'network',
    status: 'error',
    message: msg(
      "The certificate of {host} is expired or not yet valid. Check this computer's clock; otherwise the server's certificate must be renewed.",
    ),
  },
  network: {
    codes: ['network_error', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'],
    kind: 'network',
    status: 'error',
    message: msg(
      '{host} could not be reached. Check the network connection (and a proxy, if you use one), then try again.',
    ),
  },
  graphThrottled: {
    codes: ['Graph HTTP 429'],
    kind: 'throttled',
    status: 'error',
    message: msg('HTTP 429: Microsoft Graph is throttling requests. Try again in {seconds} seconds.'),
  },
  graphServerError: {
    codes: ['Graph HTTP 5xx'],
    kind: 'serverError',
    status: 'error',
    message: msg('HTTP {status}: Microsoft Graph had a problem on its side. Try again later.'),
  },
} as const satisfies Record<string, FailureRule>;
