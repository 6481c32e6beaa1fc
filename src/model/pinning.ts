/**
 * Where a connection's requests go is decided once, when it is saved: a `custom` connection keeps the
 * endpoints and a default-client connection the public client id that the user's settings named then
 * (see `PinnedEndpoints`). A workspace cannot change them, and neither can a later edit of the settings:
 * when the user's settings differ, the connection keeps what it has and offers "Update Endpoints".
 * Pure: the caller passes the user-level setting values (never a workspace's).
 */
import {
  customEnvironmentProblem,
  EnvironmentError,
  resolveEnvironment,
  type CustomEnvironmentSetting,
  type Environment,
} from './clouds';
import { DEFAULT_PUBLIC_CLIENT_ID, type ConnectionConfig, type PinnedEndpoints } from './connection';
import { formatMessage, msg } from './messages';

/** The user-level values of the settings that route requests (VS Code's user settings or defaults only). */
export interface RoutingSettings {
  customEnvironment?: CustomEnvironmentSetting;
  defaultPublicClientId: string;
}

/** The endpoints the setting names now, or undefined when it is missing or invalid. */
export function endpointsFromSetting(setting: CustomEnvironmentSetting | undefined): PinnedEndpoints | undefined {
  if (customEnvironmentProblem(setting)) return undefined;
  const { name, loginEndpoint, graphEndpoint } = resolveEnvironment('custom', setting);
  return { name, loginEndpoint, graphEndpoint };
}

/** The environment a saved connection talks to: built in, or its pinned endpoints. Never the setting. */
export function connectionEnvironment(config: ConnectionConfig): Environment {
  if (config.environment !== 'custom') return resolveEnvironment(config.environment);
  if (!config.endpoints) {
    throw new EnvironmentError(
      formatMessage(
        msg(
          'The endpoints of this custom connection are not known yet: set outlook365.customEnvironment in your user settings.',
        ),
      ),
    );
  }
  return resolveEnvironment('custom', config.endpoints);
}

function usesDefaultClient(config: ConnectionConfig): config is Extract<ConnectionConfig, { publicClientId?: string }> {
  return (config.authType === 'authCode' || config.authType === 'ropc') && !config.clientId;
}

/** Whether a connection was stored before pinning (what `pinMissing` fills in is absent), without the settings. */
export function needsPinning(config: ConnectionConfig): boolean {
  return (
    (config.environment === 'custom' && !config.endpoints) || (usesDefaultClient(config) && !config.publicClientId)
  );
}

/**
 * A connection stored before pinning, with what it used then filled in from the user's settings (once:
 * the result is stored). Undefined when nothing is missing, or when a custom connection's setting is
 * not usable yet (it stays unpinned and cannot sign in until the user setting is there).
 */
export function pinMissing(config: ConnectionConfig, settings: RoutingSettings): ConnectionConfig | undefined {
  let next = config;
  if (config.environment === 'custom' && !config.endpoints) {
    const endpoints = endpointsFromSetting(settings.customEnvironment);
    if (endpoints) next = { ...next, endpoints };
  }
  if (usesDefaultClient(next) && !next.publicClientId) {
    next = { ...next, publicClientId: settings.defaultPublicClientId || DEFAULT_PUBLIC_CLIENT_ID };
  }
  return next === config ? undefined : next;
}

/** One pinned value that differs from the user's settings now: [pinned, setting]. */
export interface RoutingChange {
  loginEndpoint?: [string, string];
  graphEndpoint?: [string, string];
  publicClientId?: [string, string];
}

/**
 * What "Update Endpoints" would change, or undefined when the connection already matches the user's
 * settings (or the setting is not usable: nothing to update to). A different display name alone is no change.
 */
export function routingChange(config: ConnectionConfig, settings: RoutingSettings): RoutingChange | undefined {
  const change: RoutingChange = {};
  if (config.environment === 'custom') {
    // An unpinned connection is not "changed": `pinMissing` pins it as soon as the setting is usable.
    const now = endpointsFromSetting(settings.customEnvironment);
    const pinned = config.endpoints;
    if (now && pinned) {
      if (now.loginEndpoint !== pinned.loginEndpoint) change.loginEndpoint = [pinned.loginEndpoint, now.loginEndpoint];
      if (now.graphEndpoint !== pinned.graphEndpoint) change.graphEndpoint = [pinned.graphEndpoint, now.graphEndpoint];
    }
  }
  if (usesDefaultClient(config) && config.publicClientId && config.publicClientId !== settings.defaultPublicClientId) {
    change.publicClientId = [config.publicClientId, settings.defaultPublicClientId];
  }
  return Object.keys(change).length > 0 ? change : undefined;
}

/** The connection with the endpoints and public client of the user's settings now (after the user confirmed). */
export function withCurrentRouting(config: ConnectionConfig, settings: RoutingSettings): ConnectionConfig {
  let next = config;
  const endpoints = config.environment === 'custom' ? endpointsFromSetting(settings.customEnvironment) : undefined;
  if (endpoints) next = { ...next, endpoints };
  if (usesDefaultClient(next)) next = { ...next, publicClientId: settings.defaultPublicClientId };
  return next;
}
