/**
 * Claims challenges, as Microsoft Graph sends them to clients that declared the `cp1` capability
 * (Continuous Access Evaluation, Conditional Access authentication context):
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge ("Claims challenge header format"):
 *
 *   HTTP 401, WWW-Authenticate: Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",
 *                               error="insufficient_claims", claims="<base64 of {"access_token":{"acrs":{"essential":true,"value":"c1"}}}>"
 *
 * While a challenge is armed (`Emulator.challengeClaims`), Graph answers every CAE-capable token (one
 * requested with the `cp1` client capability: `xms_cc`) without the asked-for authentication context
 * (`acrs`) that way. A token carries `acrs` only when its token request's `claims`
 * parameter asked for it, so passing needs a new token requested with the challenge's claims; a challenge
 * that is not `satisfiable` answers every token so (a policy this client cannot meet).
 */
import type { JWTPayload } from 'jose';
import type { Emulator } from '../emulator';

export interface ClaimsChallengeSpec {
  /** The authentication context the challenge asks for; `c1` by default. */
  acrs?: string;
  /** False: even a token with the claims is challenged again. */
  satisfiable?: boolean;
}

type ClaimsRequest = { access_token?: { acrs?: { value?: unknown; values?: unknown }; xms_cc?: { values?: unknown } } };

function parse(claims: string | undefined): ClaimsRequest | undefined {
  if (!claims) return undefined;
  try {
    const parsed: unknown = JSON.parse(claims);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The client capabilities a token request declared (`claims` → `access_token.xms_cc.values`), e.g. `['cp1']`. */
export function clientCapabilitiesOf(claims: string | undefined): string[] | undefined {
  const values = parse(claims)?.access_token?.xms_cc?.values;
  return Array.isArray(values) ? values.map(String) : undefined;
}

/**
 * What a token request's `claims` adds to the access token: the `acrs` it asked for, and `xms_cc` with
 * the client capabilities it declared (a CAE-capable token).
 */
export function accessTokenClaimsOf(claims: string | undefined): JWTPayload {
  const acrs = parse(claims)?.access_token?.acrs;
  const values = typeof acrs?.value === 'string' ? [acrs.value] : Array.isArray(acrs?.values) ? acrs.values : [];
  const capabilities = clientCapabilitiesOf(claims);
  return {
    ...(values.length ? { acrs: values.map(String) } : {}),
    ...(capabilities?.length ? { xms_cc: capabilities } : {}),
  };
}

/** Graph's answer to a token that does not satisfy the armed challenge, or undefined when it passes. */
export function claimsChallengeAnswer(
  emulator: Emulator,
  challenge: Required<ClaimsChallengeSpec> | undefined,
  token: JWTPayload,
): { status: number; body: unknown; headers: Record<string, string> } | undefined {
  // Graph challenges only clients that declared they can answer (cp1); others keep their token's lifetime.
  const capable = Array.isArray(token.xms_cc) && (token.xms_cc as unknown[]).includes('cp1');
  if (!challenge || !capable) return undefined;
  const acrs = Array.isArray(token.acrs) ? (token.acrs as unknown[]) : [];
  if (challenge.satisfiable && acrs.includes(challenge.acrs)) return undefined;
  const claims = { access_token: { acrs: { essential: true, value: challenge.acrs } } };
  const header = [
    'Bearer realm=""',
    `authorization_uri="${emulator.loginEndpoint}/common/oauth2/authorize"`,
    'client_id="00000003-0000-0000-c000-000000000000"',
    'error="insufficient_claims"',
    `claims="${Buffer.from(JSON.stringify(claims)).toString('base64')}"`,
  ].join(', ');
  return {
    status: 401,
    headers: { 'WWW-Authenticate': header },
    body: {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: InsufficientAuthenticationContext',
      },
    },
  };
}
