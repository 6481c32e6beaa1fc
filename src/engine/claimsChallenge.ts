/**
 * Claims challenges (Continuous Access Evaluation, Conditional Access authentication context): Microsoft
 * Graph answers a token it no longer accepts with
 *
 *   HTTP 401, WWW-Authenticate: Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",
 *                               error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsi…"
 *
 * (https://learn.microsoft.com/entra/identity-platform/claims-challenge, "Claims challenge header format";
 * https://learn.microsoft.com/entra/identity-platform/app-resilience-continuous-access-evaluation). The
 * claims are base64 JSON, passed as they are (decoded) to the token request's `claims`; the request is then
 * sent once more with the new token. A second challenge is not answered again (no loop).
 */
import { ConnectionError } from './connectionError';
import { msg } from '../model/messages';
import type { Secret } from '../model/secret';

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * The challenges of a WWW-Authenticate value (RFC 9110 §11.6.1): `scheme param=value, param="quoted", …`,
 * several challenges separated by commas. Parameter names are lower-cased; values unquoted.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const take = (pattern: RegExp): string | undefined => {
    const found = pattern.exec(header.slice(i))?.[0];
    if (found !== undefined) i += found.length;
    return found;
  };
  while (i < header.length) {
    take(/^[\s,]+/);
    const name = take(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+/);
    if (!name) break;
    if (take(/^\s*=\s*/) === undefined) {
      // A token without "=": the scheme of the next challenge.
      current = { scheme: name, params: {} };
      challenges.push(current);
      continue;
    }
    let value = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i];
      }
      i++;
    } else {
      value = take(/^[^\s,]*/) ?? '';
    }
    if (current) current.params[name.toLowerCase()] = value;
  }
  return challenges;
}

/** The claims (JSON text) a Bearer challenge with `error="insufficient_claims"` asks for, or undefined. */
export function claimsChallengeOf(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = parseWwwAuthenticate(header).find(
    (c) => c.scheme.toLowerCase() === 'bearer' && c.params.error === 'insufficient_claims' && c.params.claims,
  );
  const encoded = bearer?.params.claims;
  if (!encoded) return undefined;
  const json = encoded.trim().startsWith('{') ? encoded : Buffer.from(encoded, 'base64').toString('utf8');
  try {
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? JSON.stringify(claims) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims a fetch answer's 401 asks for (its WWW-Authenticate), if any. */
export function responseChallenge({ response }: { response: Response }): string | undefined {
  return response.status === 401 ? claimsChallengeOf(response.headers.get('www-authenticate')) : undefined;
}

/**
 * Sends a Graph request with a connection's token and answers one claims challenge: a new token with the
 * claims (`renew`: silently where possible), then the same request once more. Later requests through the
 * same answerer use the new token. Each `send` is one request under its own deadline; `renew` is outside
 * it (it may be an interactive sign-in).
 */
export class ClaimsChallengeAnswerer {
  #token: Secret;

  constructor(
    token: Secret,
    private readonly renew?: (claims: string) => Promise<Secret>,
  ) {
    this.#token = token;
  }

  get token(): Secret {
    return this.#token;
  }

  /** `challengeOf` reads the claims an answer asks for (a 401's WWW-Authenticate), if any. */
  async send<T>(send: (token: Secret) => Promise<T>, challengeOf: (answer: T) => string | undefined): Promise<T> {
    const first = await send(this.#token);
    const claims = this.renew ? challengeOf(first) : undefined;
    if (!claims || !this.renew) return first;
    this.#token = await this.renew(claims);
    const second = await send(this.#token);
    if (challengeOf(second)) {
      throw new ConnectionError({
        kind: 'conditionalAccess',
        status: 'error',
        code: 'insufficient_claims',
        message: msg(
          'Microsoft Graph asked again for more claims after a new token with them was sent: a Conditional Access policy may require something this sign-in cannot give (a compliant device, a stronger sign-in). Ask an administrator which policy applies.',
        ),
      });
    }
    return second;
  }
}
