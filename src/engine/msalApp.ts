/**
 * Builds the MSAL application for one connection: public or confidential, the authority of its cloud
 * and tenant (with the login host as a known authority, so MSAL never calls the global cloud for
 * instance discovery), its own token cache, a guarded network client and a logger without personal data.
 */
import { ConfidentialClientApplication, LogLevel, PublicClientApplication, type Configuration } from '@azure/msal-node';
import { authorityHost, type Environment } from '../model/clouds';
import { AUTH_TYPE_TABLE } from '../model/authTypes';
import { clientIdOf, type ConnectionConfig, type ConnectionSecrets } from '../model/connection';
import { ConnectionError } from './failures';
import { msg } from '../model/messages';
import { GuardedNetworkClient } from './network';
import { createCachePlugin, type TokenCacheStore } from './tokenCache';
import type { ParsedCertificate } from './certificate';
import { certificateRefusal } from '../model/credentialExpiry';

export interface EngineLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  trace(message: string): void;
}

export const SILENT_LOG: EngineLog = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export interface MsalAppOptions {
  config: ConnectionConfig;
  environment: Environment;
  secrets: ConnectionSecrets;
  cacheStore: TokenCacheStore;
  log?: EngineLog;
  /** The deadline of each request to the login host (`outlook365.requestTimeoutSeconds`); 30 s by default. */
  requestTimeoutMs?: number;
  /** Opens the .pfx; injected so node-forge loads only for certificate connections. */
  openCertificate?: (pfxBase64: string, password: string) => ParsedCertificate;
}

export type MsalApp =
  | { kind: 'public'; app: PublicClientApplication; network: GuardedNetworkClient }
  | {
      kind: 'confidential';
      app: ConfidentialClientApplication;
      network: GuardedNetworkClient;
      /** A certificate's validity: the token client refuses to send it outside (credentialExpiry.ts). */
      validity?: { notBefore: Date; notAfter: Date };
    };

export function createMsalApp(options: MsalAppOptions): MsalApp {
  const { config, environment, secrets } = options;
  const log = options.log ?? SILENT_LOG;
  const network = new GuardedNetworkClient(environment.loginEndpoint, options.requestTimeoutMs);
  const base: Configuration = {
    auth: {
      clientId: clientIdOf(config),
      authority: `${environment.loginEndpoint}/${encodeURIComponent(config.tenant)}`,
      knownAuthorities: [authorityHost(environment)],
      // Delegated tokens may be CAE-enabled: MSAL then sends `xms_cc` ("cp1") in each token request's
      // `claims`, and Graph may answer with a claims challenge (graphRequest.ts answers it). App-only tokens
      // are left as they are. https://learn.microsoft.com/entra/identity-platform/claims-challenge
      ...(AUTH_TYPE_TABLE[config.authType].grant === 'delegated' ? { clientCapabilities: ['cp1'] } : {}),
    },
    cache: {
      cachePlugin: createCachePlugin(options.cacheStore, (err) =>
        log.warn(`the token cache (no refresh token) could not be stored: ${(err as Error)?.name ?? 'error'}`),
      ),
    },
    system: {
      networkClient: network,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Verbose,
        // One level lower than MSAL's own: its Info is chatty, and Verbose is for tracing only.
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) {
            return;
          }
          if (level === LogLevel.Error) log.error(message);
          else if (level === LogLevel.Warning) log.warn(message);
          else if (level === LogLevel.Info) log.debug(message);
          else log.trace(message);
        },
      },
    },
  };

  // Which application: the auth type's entry says (authTypes.ts).
  switch (AUTH_TYPE_TABLE[config.authType].client) {
    case 'public':
      return { kind: 'public', app: new PublicClientApplication(base), network };
    case 'publicUnlessSecret':
      if (!secrets.clientSecret) {
        return { kind: 'public', app: new PublicClientApplication(base), network };
      }
      return confidential(base, { clientSecret: secrets.clientSecret.reveal() }, network);
    case 'secret':
      if (!secrets.clientSecret) {
        throw missingSecret();
      }
      return confidential(base, { clientSecret: secrets.clientSecret.reveal() }, network);
    case 'certificate': {
      if (!secrets.certificate || !options.openCertificate) {
        throw missingSecret();
      }
      const certificate = options.openCertificate(
        secrets.certificate.reveal(),
        secrets.certificatePassword?.reveal() ?? '',
      );
      const app = confidential(
        base,
        {
          clientCertificate: {
            thumbprintSha256: certificate.thumbprintSha256,
            privateKey: certificate.privateKeyPem,
            ...('sendX5c' in config && config.sendX5c ? { x5c: certificate.chainPem.join('\n') } : {}),
          },
        },
        network,
      );
      return { ...app, validity: { notBefore: certificate.notBefore, notAfter: certificate.notAfter } };
    }
  }
}

function confidential(
  base: Configuration,
  credential: Partial<Configuration['auth']>,
  network: GuardedNetworkClient,
): Extract<MsalApp, { kind: 'confidential' }> {
  return {
    kind: 'confidential',
    app: new ConfidentialClientApplication({ ...base, auth: { ...base.auth, ...credential } }),
    network,
  };
}

function missingSecret(): ConnectionError {
  return new ConnectionError({
    kind: 'configuration',
    status: 'error',
    message: msg('The stored credential of this connection is missing. Edit the connection and enter it again.'),
  });
}

/** An expired (or not yet valid) certificate is never sent: Entra would refuse it (AADSTS1000502). */
export function refuseInvalidCertificate(msal: MsalApp, now: Date): void {
  const why = msal.kind === 'confidential' && msal.validity && certificateRefusal(msal.validity, now);
  if (why) throw new ConnectionError({ kind: 'configuration', status: 'error', message: why });
}
