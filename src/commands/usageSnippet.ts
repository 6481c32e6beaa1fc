/**
 * "Copy Usage Snippet": the TypeScript another extension needs to use a connection: a `getSession`
 * call naming it by id (with the permissions it asks for), then a Graph call on its cloud's host and
 * its mailbox. Everything in it comes from the connection's public description: no token, no secret.
 */
import type { Outlook365Connection } from '../../api/outlook365';

export function usageSnippet(connection: Outlook365Connection): string {
  const delegated = !['clientCredentials', 'clientCertificate'].includes(connection.authType);
  // App-only tokens carry application permissions (`roles`): asking for delegated ones would fail.
  const scopes = [`connection:${connection.id}`, ...(delegated ? connection.requestedPermissions : [])];
  const graph = connection.graphEndpoint ?? 'https://graph.microsoft.com';
  const mailbox = connection.mailbox ? `users/${encodeURIComponent(connection.mailbox)}` : 'me';
  return [
    `// Outlook 365 connection ${commentText(connection.name)}: Microsoft Graph at ${graph}`,
    `const session = await vscode.authentication.getSession('outlook365', [${scopes.map(quote).join(', ')}], { createIfNone: true });`,
    `const response = await fetch(${quote(`${graph}/v1.0/${mailbox}/mailFolders/inbox/messages?$top=10`)}, {`,
    '  headers: { Authorization: `Bearer ${session.accessToken}` },',
    '});',
    '',
  ].join('\n');
}

/** The name as a JSON string, with the two characters that would end a line comment escaped too. */
function commentText(name: string): string {
  return JSON.stringify(name).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
