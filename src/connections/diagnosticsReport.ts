/**
 * The report of "Outlook: Copy Diagnostics", for a support ticket: pure (no `vscode`), so unit tests
 * build it from plain data. Redacted by default: no connection names (they become "connection 1, 2, …"),
 * user names, tenant or client ids, mailboxes, hosts of custom endpoints, tokens or secrets, and no
 * failure *message* (Entra's sentences name tenants, apps and users); only codes, statuses, permission
 * names, times and correlation ids (a request's id, which support needs to find it). With
 * `includeIdentifiers` the identifiers are added; secrets and tokens never are (this module never sees any).
 *
 * The facts are a JSON block with stable keys and ids (`authCode`, `consentRequired`), the same in every
 * language: whoever handles the ticket reads them, and a tool can too; only the heading and the note on
 * what was left out are in the user's language.
 */
import { isAppOnly, type ConnectionConfig } from '../model/connection';
import { graphPermissions, summarizeScopes } from '../model/scopes';
import type { BrokenConnection } from '../model/storedConnection';
import { formatMessage, msg, type Message } from '../model/messages';
import { statusOf, type ConnectionFacts } from './facts';

export interface DiagnosticsEnvironment {
  extensionVersion: string;
  vscodeVersion: string;
  /** `vscode.env.appName` and `appHost` (desktop, web, codespaces…). */
  appName: string;
  appHost: string;
  uiKind: 'desktop' | 'web';
  /** `vscode.env.remoteName`: `ssh-remote`, `wsl`, `dev-container`, …; undefined in a local window. */
  remoteName: string | undefined;
  language: string;
  /** Whether each is set: never their values (a proxy URL can carry a user name and password). */
  proxy: { httpProxySetting: boolean; httpsProxyEnv: boolean; httpProxyEnv: boolean; noProxyEnv: boolean };
}

export interface DiagnosticsConnection {
  entry: ConnectionConfig | BrokenConnection;
  facts: ConnectionFacts;
}

export interface DiagnosticsInput {
  environment: DiagnosticsEnvironment;
  connections: readonly DiagnosticsConnection[];
  includeIdentifiers: boolean;
  now: Date;
  /** Template → the user's language (English when absent). */
  translate?: (template: string) => string;
}

export function diagnosticsReport(input: DiagnosticsInput): string {
  const env = input.environment;
  const text = (message: Message) => formatMessage(message, input.translate);
  const facts = {
    created: input.now.toISOString(),
    identifiersIncluded: input.includeIdentifiers,
    extension: env.extensionVersion,
    vscode: env.vscodeVersion,
    appName: env.appName,
    appHost: env.appHost,
    uiKind: env.uiKind,
    remote: env.remoteName ?? null,
    language: env.language,
    proxy: {
      httpProxySetting: env.proxy.httpProxySetting,
      HTTPS_PROXY: env.proxy.httpsProxyEnv,
      HTTP_PROXY: env.proxy.httpProxyEnv,
      NO_PROXY: env.proxy.noProxyEnv,
    },
    connections: input.connections.map((c, index) => connectionFacts(c, index + 1, input)),
  };
  return [
    `# ${text(msg('Outlook 365 Connections: diagnostics'))}`,
    '',
    input.includeIdentifiers
      ? text(
          msg(
            'Includes identifiers (connection names, tenants, client IDs, accounts, mailboxes, hosts): share it only with people you trust. Never tokens or secrets.',
          ),
        )
      : text(
          msg(
            'Without identifiers: connection names, tenants, client IDs, accounts, mailboxes and hosts are left out. Never tokens or secrets.',
          ),
        ),
    '',
    '```json',
    JSON.stringify(facts, null, 2),
    '```',
    '',
  ].join('\n');
}

function connectionFacts({ entry, facts }: DiagnosticsConnection, n: number, input: DiagnosticsInput) {
  const label = `connection ${n}`;
  const ids = input.includeIdentifiers;
  if ('broken' in entry) {
    return { connection: label, ...(ids ? { name: entry.name } : {}), unreadable: entry.broken.text };
  }
  const config = entry;
  const failure = facts.failure;
  const requested = isAppOnly(config) ? ['.default'] : requestedOf(config);
  const granted = graphPermissions(facts.grantedScopes ?? []);
  const grantedSet = new Set(granted.map((s) => s.toLowerCase()));
  return {
    connection: label,
    authType: config.authType,
    environment: config.environment,
    status: statusOf(facts, input.now),
    ...('signInMethod' in config ? { signInMethod: config.signInMethod } : {}),
    lastFailure: failure
      ? { code: failure.code ?? failure.kind, at: failure.at, correlationId: failure.correlationId ?? null }
      : null,
    lastTest: facts.lastTest ? { ok: facts.lastTest.ok, at: facts.lastTest.at } : null,
    requestedPermissions: requested,
    grantedPermissions: granted,
    missingPermissions:
      isAppOnly(config) || !facts.signedIn ? [] : requested.filter((s) => !grantedSet.has(s.toLowerCase())),
    sharedMailbox: !!config.sharedMailbox,
    ...(ids ? identifiersOf(config, facts) : {}),
  };
}

function identifiersOf(config: ConnectionConfig, facts: ConnectionFacts): Record<string, string> {
  const clientId = config.clientId ?? ('publicClientId' in config ? config.publicClientId : undefined);
  const pairs: [string, string | undefined][] = [
    ['name', config.name],
    ['tenant', config.tenant],
    ['clientId', clientId],
    ['signedInAccount', facts.account],
    ['account', 'account' in config ? config.account : undefined],
    ['loginHint', 'loginHint' in config ? config.loginHint : undefined],
    ['username', 'username' in config ? config.username : undefined],
    ['mailbox', config.sharedMailbox],
    ['loginEndpoint', config.endpoints?.loginEndpoint],
    ['graphEndpoint', config.endpoints?.graphEndpoint],
  ];
  return Object.fromEntries(pairs.filter((p): p is [string, string] => !!p[1]));
}

function requestedOf(config: ConnectionConfig): string[] {
  return 'scopes' in config ? graphPermissions(summarizeScopes(config.scopes)) : [];
}
