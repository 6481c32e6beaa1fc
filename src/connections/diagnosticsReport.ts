/**
 * The report of "Outlook: Copy Diagnostics", for a support ticket: pure (no `vscode`), so unit tests
 * build it from plain data. Redacted by default: no connection names (they become "connection 1, 2, …"),
 * user names, tenant or client ids, mailboxes, hosts of custom endpoints, tokens or secrets, and no
 * failure *message* (Entra's sentences name tenants, apps and users); only codes, statuses, permission
 * names, times and correlation ids (a request's id, which support needs to find it). With
 * `includeIdentifiers` the identifiers are added; secrets and tokens never are (this module never sees any).
 *
 * In English with stable ids (`authCode`, `consentRequired`): it is read by whoever handles the ticket,
 * like VS Code's own "Report Issue" system information.
 */
import { isAppOnly, type ConnectionConfig } from '../model/connection';
import { graphPermissions, summarizeScopes } from '../model/scopes';
import type { BrokenConnection } from '../model/storedConnection';
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
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
/** Markdown table cells: no pipe or line break from a value can break the table. */
const cell = (value: string) => value.replace(/[|\\]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
const list = (values: readonly string[]) => (values.length ? values.join(', ') : '(none)');

export function diagnosticsReport(input: DiagnosticsInput): string {
  const env = input.environment;
  const lines = [
    '# Outlook 365 Connections: diagnostics',
    '',
    `Created ${input.now.toISOString()}. ${
      input.includeIdentifiers
        ? 'Includes identifiers (connection names, tenants, client IDs, accounts, mailboxes, hosts): share it only with people you trust.'
        : 'Identifiers are left out (connection names, tenants, client IDs, accounts, mailboxes, hosts). No tokens or secrets.'
    }`,
    '',
    '| | |',
    '|---|---|',
    `| Extension | ${cell(env.extensionVersion)} |`,
    `| VS Code | ${cell(env.vscodeVersion)} (${cell(env.appName)}, ${cell(env.appHost)}) |`,
    `| UI kind | ${env.uiKind} |`,
    `| Remote | ${cell(env.remoteName ?? 'none (local window)')} |`,
    `| Language | ${cell(env.language)} |`,
    `| http.proxy set | ${yesNo(env.proxy.httpProxySetting)} |`,
    `| HTTPS_PROXY / HTTP_PROXY in the environment | ${yesNo(env.proxy.httpsProxyEnv)} / ${yesNo(env.proxy.httpProxyEnv)} |`,
    `| NO_PROXY in the environment | ${yesNo(env.proxy.noProxyEnv)} |`,
    '',
    `## Connections (${input.connections.length})`,
  ];
  input.connections.forEach((connection, index) => {
    lines.push('', ...connectionSection(connection, index + 1, input));
  });
  return `${lines.join('\n')}\n`;
}

function connectionSection({ entry, facts }: DiagnosticsConnection, n: number, input: DiagnosticsInput): string[] {
  const ids = input.includeIdentifiers;
  const title = ids ? `### Connection ${n}: ${cell(entry.name)}` : `### Connection ${n}`;
  if ('broken' in entry) {
    return [title, '', `Cannot be read: ${cell(entry.broken.text)}`];
  }
  const config = entry;
  const rows: [string, string][] = [
    ['Auth type', config.authType],
    ['Environment', config.environment],
    ['Status', statusOf(facts, input.now)],
  ];
  if ('signInMethod' in config) rows.push(['Sign-in method', config.signInMethod]);
  const failure = facts.failure;
  rows.push([
    'Last failure',
    failure
      ? [
          failure.code ?? failure.kind,
          `at ${failure.at}`,
          failure.correlationId ? `correlation ID ${failure.correlationId}` : 'no correlation ID',
        ].join(', ')
      : '(none)',
  ]);
  if (facts.lastTest) rows.push(['Last test', `${facts.lastTest.ok ? 'OK' : 'failed'} at ${facts.lastTest.at}`]);
  const requested = isAppOnly(config) ? ['.default (application permissions)'] : requestedOf(config);
  const granted = graphPermissions(facts.grantedScopes ?? []);
  const grantedSet = new Set(granted.map((s) => s.toLowerCase()));
  rows.push(['Requested permissions', list(requested)]);
  rows.push(['Granted permissions', facts.signedIn || granted.length ? list(granted) : '(not signed in)']);
  if (!isAppOnly(config) && granted.length) {
    rows.push(['Missing permissions', list(requested.filter((s) => !grantedSet.has(s.toLowerCase())))]);
  }
  rows.push(['Shared mailbox', config.sharedMailbox ? 'yes' : 'no']);
  if (ids) {
    rows.push(['Name', config.name], ['Tenant', config.tenant]);
    const clientId = config.clientId ?? ('publicClientId' in config ? config.publicClientId : undefined);
    if (clientId) rows.push(['Client ID', clientId]);
    if (facts.account) rows.push(['Account', facts.account]);
    if ('account' in config && config.account) rows.push(['Mailbox account', config.account]);
    if ('loginHint' in config && config.loginHint) rows.push(['Sign-in account', config.loginHint]);
    if ('username' in config && config.username) rows.push(['Username', config.username]);
    if (config.sharedMailbox) rows.push(['Mailbox', config.sharedMailbox]);
    if (config.endpoints) {
      rows.push(['Login host', config.endpoints.loginEndpoint], ['Graph host', config.endpoints.graphEndpoint]);
    }
  }
  return [title, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)];
}

function requestedOf(config: ConnectionConfig): string[] {
  return 'scopes' in config ? graphPermissions(summarizeScopes(config.scopes)) : [];
}
