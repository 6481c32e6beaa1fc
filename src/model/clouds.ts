/**
 * National clouds (DESIGN.md "Environments"). A connection names an environment id; everything that
 * talks to the network resolves it to an `Environment` once, so a token of one cloud can only ever be
 * sent to that same cloud's Graph host.
 */

export const ENVIRONMENT_IDS = ['global', 'usGovL4', 'usGovL5', 'china', 'custom'] as const;
export type EnvironmentId = (typeof ENVIRONMENT_IDS)[number];

import { forbiddenCharacter } from './characters';
import { formatMessage, msg, type Message } from './messages';

export interface Environment {
  readonly id: EnvironmentId;
  /** Display name; for `custom` the name from the setting. */
  readonly name: string;
  /** Origin of the login host, no trailing slash, e.g. `https://login.microsoftonline.com`. */
  readonly loginEndpoint: string;
  /** Origin of the Graph host, no trailing slash, e.g. `https://graph.microsoft.com`. */
  readonly graphEndpoint: string;
}

/** The `outlook365.customEnvironment` setting, as the user wrote it (unvalidated). */
export interface CustomEnvironmentSetting {
  name?: unknown;
  loginEndpoint?: unknown;
  graphEndpoint?: unknown;
}

const BUILT_IN: Record<Exclude<EnvironmentId, 'custom'>, Environment> = {
  global: {
    id: 'global',
    name: 'Office 365',
    loginEndpoint: 'https://login.microsoftonline.com',
    graphEndpoint: 'https://graph.microsoft.com',
  },
  usGovL4: {
    id: 'usGovL4',
    name: 'US Government L4 (GCC High)',
    loginEndpoint: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://graph.microsoft.us',
  },
  usGovL5: {
    id: 'usGovL5',
    name: 'US Government L5 (DoD)',
    loginEndpoint: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://dod-graph.microsoft.us',
  },
  china: {
    id: 'china',
    name: 'China (21Vianet)',
    loginEndpoint: 'https://login.chinacloudapi.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
  },
};

export function isEnvironmentId(value: unknown): value is EnvironmentId {
  return typeof value === 'string' && (ENVIRONMENT_IDS as readonly string[]).includes(value);
}

export class EnvironmentError extends Error {}

/**
 * Resolves an environment id. `custom` needs the setting; it is validated here because it comes from
 * user-edited JSON: both endpoints must be https origins (MSAL refuses http authorities).
 */
/** The stored name of a custom environment whose setting names none; shown as the localized environment label. */
export const UNNAMED_CUSTOM_ENVIRONMENT = 'Custom';

export function resolveEnvironment(id: EnvironmentId, custom?: CustomEnvironmentSetting): Environment {
  if (id !== 'custom') {
    return BUILT_IN[id];
  }
  const problem = customEnvironmentProblem(custom);
  if (problem) {
    throw new EnvironmentError(formatMessage(problem));
  }
  const setting = custom as { name?: string; loginEndpoint: string; graphEndpoint: string };
  return {
    id: 'custom',
    name: typeof setting.name === 'string' && setting.name.trim() ? setting.name.trim() : UNNAMED_CUSTOM_ENVIRONMENT,
    loginEndpoint: new URL(setting.loginEndpoint).origin,
    graphEndpoint: new URL(setting.graphEndpoint).origin,
  };
}

/** Why the custom environment setting cannot be used, or undefined when it can. */
export function customEnvironmentProblem(custom: CustomEnvironmentSetting | undefined): Message | undefined {
  if (!custom || typeof custom !== 'object') {
    return msg(
      'The custom environment is not configured: set outlook365.customEnvironment to { "name", "loginEndpoint", "graphEndpoint" }.',
    );
  }
  // `URL` silently drops tabs and line breaks: such a value would not be the host it looks like.
  for (const key of ['name', 'loginEndpoint', 'graphEndpoint'] as const) {
    const value = custom[key];
    const found = typeof value === 'string' ? forbiddenCharacter(value) : undefined;
    if (found) {
      return msg('outlook365.customEnvironment.{key} contains the invisible or control character {code}.', {
        key,
        code: found.code,
      });
    }
  }
  for (const key of ['loginEndpoint', 'graphEndpoint'] as const) {
    const value = custom[key];
    if (typeof value !== 'string' || !value) {
      return msg('outlook365.customEnvironment.{key} is missing.', { key });
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return msg('outlook365.customEnvironment.{key} is not a URL.', { key });
    }
    if (url.protocol !== 'https:') {
      return msg('outlook365.customEnvironment.{key} must use https.', { key });
    }
  }
  return undefined;
}

/** The authority host as MSAL's `knownAuthorities` compares it (host with port when not 443). */
export function authorityHost(environment: Environment): string {
  return new URL(environment.loginEndpoint).host;
}
