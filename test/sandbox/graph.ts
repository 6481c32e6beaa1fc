/** The emulator's Microsoft Graph: verifies the bearer token and the permissions, like Graph does. */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import type { Emulator } from './emulator';
import { claimsChallengeAnswer, type ClaimsChallengeSpec } from './endpoints/claimsChallenge';

interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function graphError(status: number, code: string, message: string): GraphAnswer {
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
      },
    },
  };
}

/*
 * What each endpoint accepts, from the "Permissions" tables of Graph's reference pages (least to most
 * privileged): https://learn.microsoft.com/graph/api/user-get (User.Read …), .../user-list-messages
 * (Mail.ReadBasic, Mail.Read, Mail.ReadWrite; .Shared for another user's mailbox; application Mail.ReadBasic.All,
 * Mail.Read …), .../user-list-events (Calendars.ReadBasic, Calendars.Read …; .Shared for another user's).
 * The .Shared permissions cover the user's own mailbox too ("mail a user can access, including their own",
 * https://learn.microsoft.com/graph/permissions-reference#mailreadshared).
 */
const USER_READ = ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'];
const MAIL_SHARED = ['Mail.ReadBasic.Shared', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
const MAIL_OWN = ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite', ...MAIL_SHARED];
const MAIL_APP = ['Mail.ReadBasic', 'Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'];
const CALENDAR_SHARED = ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'];
const CALENDAR_OWN = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite', ...CALENDAR_SHARED];
const CALENDAR_APP = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
const USERS_APP = ['User.Read.All', 'Directory.Read.All'];

const has = (granted: string[], any: string[]) =>
  granted.some((g) => any.some((a) => a.toLowerCase() === g.toLowerCase()));
/**
 * Exchange's answer to mail or calendar without the permission, as Graph returns it for /me/messages
 * (https://github.com/microsoftgraph/msgraph-sdk-php/issues/1094) and /me/events
 * (https://github.com/OfficeDev/outlook-dev-docs/issues/676): it does not name the permission.
 */
const denied = () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
/** The directory's answer to /me without User.Read (https://github.com/microsoftgraph/python-sample-auth/issues/12). */
const insufficient = () =>
  graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export async function handleGraph(
  emulator: Emulator,
  req: IncomingMessage,
  url: URL,
  challenge?: Required<ClaimsChallengeSpec>,
): Promise<GraphAnswer> {
  const auth = req.headers.authorization ?? '';
  const token = /^Bearer (.+)$/.exec(auth)?.[1];
  if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  let claims: JWTPayload & { scp?: string; roles?: string[]; upn?: string; oid?: string };
  try {
    ({ payload: claims } = await jwtVerify(token, emulator.publicKey, {
      audience: emulator.graphEndpoint,
      issuer: `${emulator.loginEndpoint}/${emulator.tenant.id}/v2.0`,
    }));
  } catch (err) {
    const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
    return graphError(
      401,
      'InvalidAuthenticationToken',
      expired
        ? 'Lifetime validation failed, the token is expired.'
        : 'Access token validation failure. Invalid audience or signature.',
    );
  }
  const challenged = claimsChallengeAnswer(emulator, challenge, claims);
  if (challenged) return challenged;
  if (req.method !== 'GET') return graphError(405, 'Request_BadRequest', 'Only GET is emulated.');
  const delegated = typeof claims.scp === 'string';
  const granted = delegated ? claims.scp!.split(' ').filter(Boolean) : (claims.roles ?? []);
  const me = delegated ? emulator.users.get(String(claims.upn ?? '').toLowerCase()) : undefined;
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, '');

  const userJson = (upn: string) => {
    const user = emulator.users.get(upn);
    return { id: user?.oid ?? randomUUID(), displayName: user?.displayName ?? upn, userPrincipalName: upn, mail: upn };
  };
  const inbox = (upn: string) => ({
    status: 200,
    body: {
      id: `inbox-${Buffer.from(upn).toString('base64url')}`,
      displayName: 'Inbox',
      parentFolderId: 'msgfolderroot',
      childFolderCount: 0,
      unreadItemCount: 3,
      totalItemCount: 42,
    },
  });
  const mailboxExists = (upn: string) => emulator.users.has(upn) || emulator.mailboxes.has(upn);
  // One item of a mailbox's messages or events: enough to prove it can be read.
  const items = (upn: string, kind: 'messages' | 'events') => ({
    status: 200,
    body: { value: [{ id: `${kind}-${Buffer.from(upn).toString('base64url')}`, subject: 'Welcome' }] },
  });
  const [own, shared, app] = path.endsWith('/events')
    ? [CALENDAR_OWN, CALENDAR_SHARED, CALENDAR_APP]
    : [MAIL_OWN, MAIL_SHARED, MAIL_APP];

  if (/^\/v1\.0\/me(\/mailFolders\/inbox|\/messages|\/events)?$/.test(path)) {
    if (!delegated || !me)
      return graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    if (path === '/v1.0/me') return has(granted, USER_READ) ? { status: 200, body: userJson(me.upn) } : insufficient();
    if (path === '/v1.0/me/mailFolders/inbox') return has(granted, own) ? inbox(me.upn) : denied();
    return has(granted, own) ? items(me.upn, path.endsWith('/events') ? 'events' : 'messages') : denied();
  }
  const userMatch = /^\/v1\.0\/users\/([^/]+)(\/mailFolders\/inbox|\/messages|\/events)?$/.exec(path);
  if (userMatch) {
    const upn = userMatch[1].toLowerCase();
    if (!mailboxExists(upn)) return graphError(404, 'ErrorInvalidUser', `The requested user '${upn}' is invalid.`);
    if (!userMatch[2]) {
      const allowed = delegated
        ? (me?.upn === upn && has(granted, USER_READ)) ||
          has(granted, ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'])
        : has(granted, USERS_APP);
      return allowed ? { status: 200, body: userJson(upn) } : insufficient();
    }
    const answer =
      userMatch[2] === '/mailFolders/inbox'
        ? inbox(upn)
        : items(upn, userMatch[2] === '/events' ? 'events' : 'messages');
    if (!delegated) return has(granted, app) && !emulator.deniedToApps.has(upn) ? answer : denied();
    if (me?.upn === upn) return has(granted, own) ? answer : denied();
    return has(granted, shared) && me?.mailboxAccess.includes(upn) ? answer : denied();
  }
  return graphError(404, 'UnknownError', `Resource not found for the segment '${path}'.`);
}
