/**
 * The connection model as the rest of the code imports it (../shared/DESIGN.md "Auth types"): a storable
 * configuration, one shape per auth type (./authTypes.ts, the table every auth-type rule lives in), and,
 * separately, its `ConnectionSecrets`. Two types, so a secret cannot be saved with the configuration by
 * mistake.
 */
import { DEFAULT_PUBLIC_CLIENT_ID, type ConnectionConfig } from './authTypes';
import type { Secret } from './secret';

export {
  AUTH_TYPES,
  DEFAULT_PUBLIC_CLIENT_ID,
  SECRET_FIELDS,
  SIGN_IN_METHODS,
  isAppOnly,
  isAuthType,
  secretFieldsFor,
  type AuthCodeConnection,
  type AuthType,
  type ByoAppConnection,
  type ClientCertificateConnection,
  type ClientCredentialsConnection,
  type ConnectionConfig,
  type PinnedEndpoints,
  type RopcConnection,
  type SecretField,
  type SignInMethod,
} from './authTypes';

/** The secret fields of a connection. Kept only in SecretStorage. */
export interface ConnectionSecrets {
  clientSecret?: Secret;
  /** The .pfx file, base64. */
  certificate?: Secret;
  certificatePassword?: Secret;
  password?: Secret;
}

/** The client id a connection signs in with: its own, else the public client pinned at save. */
export function clientIdOf(config: ConnectionConfig): string {
  return (
    config.clientId ?? ('publicClientId' in config ? config.publicClientId : undefined) ?? DEFAULT_PUBLIC_CLIENT_ID
  );
}
