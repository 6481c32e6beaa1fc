/**
 * The checks of Test Connection (issue #14 item 2), what each needs and how a result is judged: which
 * Graph request proves it, the least permission it takes (Microsoft Graph permissions reference,
 * https://learn.microsoft.com/graph/permissions-reference), which granted permissions also do, and the fix
 * when one is missing. Pure: the runner (graphProbe.ts) sends the requests.
 */
import { grantedScopesOf, type TokenClaims } from '../model/claims';
import { isAppOnly, type ConnectionConfig } from '../model/connection';
import { msg, type Message } from '../model/messages';
import { graphPermissions, summarizeScopes } from '../model/scopes';
import { FAILURE_RULES } from './failureRules';

export const CHECK_NAMES = ['token', 'profile', 'mailbox', 'sharedMailbox', 'calendar', 'send'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export type CheckResult = 'passed' | 'failed' | 'skipped';

/**
 * What makes a failed check pass: the admin consent link (a permission an administrator grants: every
 * application permission, or a delegated one requested and still not granted), the form with the
 * permission ticked (a delegated one not requested), or a new sign-in.
 */
export type CheckFix = { kind: 'adminConsent' } | { kind: 'edit'; permission: string } | { kind: 'signIn' };

export interface Check {
  name: CheckName;
  result: CheckResult;
  /** What it found, what failed, or why it was skipped. */
  detail: Message;
  /** The Graph path it requested (no host, no query values that identify anyone beyond the connection's mailbox). */
  path?: string;
  status?: number;
  /** Graph's error code, e.g. `ErrorAccessDenied`. */
  errorCode?: string;
  /** The least permission that would make it pass (delegated, or application for app-only connections). */
  missingPermission?: string;
  fix?: CheckFix;
  retryAfterSeconds?: number;
}

/** A check that sends one Graph request. */
export interface GraphCheck {
  name: Exclude<CheckName, 'token' | 'send'>;
  path: string;
  /** The least permission (the operation's known minimum, since Graph's 403 does not name it). */
  least: string;
  /** Granted permissions that also allow it. */
  satisfiedBy: readonly string[];
}

const $top = '?$top=1';
const users = (upn: string) => `/v1.0/users/${encodeURIComponent(upn)}`;
const MAIL_OWN = [
  'Mail.ReadBasic',
  'Mail.Read',
  'Mail.ReadWrite',
  'Mail.ReadBasic.Shared',
  'Mail.Read.Shared',
  'Mail.ReadWrite.Shared',
];
const MAIL_SHARED = ['Mail.ReadBasic.Shared', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
const MAIL_APP = ['Mail.ReadBasic', 'Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'];
const CALENDAR_OWN = [
  'Calendars.ReadBasic',
  'Calendars.Read',
  'Calendars.ReadWrite',
  'Calendars.Read.Shared',
  'Calendars.ReadWrite.Shared',
];
const CALENDAR_APP = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
const PROFILE = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
];

const hasAny = (granted: readonly string[], any: readonly string[]) =>
  granted.some((g) => any.some((a) => a.toLowerCase() === g.toLowerCase()));
/** Any permission of a family: Mail.* or Calendars.* (regular expressions, not words to translate). */
const ofFamily = (granted: readonly string[], family: RegExp) => granted.some((g) => family.test(g));
const MAIL = /^Mail\./i;
const CALENDARS = /^Calendars\./i;

/** The mailbox app-only checks read: the account, if one is set (a pure service account has none). */
function appMailbox(config: ConnectionConfig): string | undefined {
  return isAppOnly(config) ? config.account : undefined;
}

/** The Graph permissions a delegated connection asks for (short names); none for app-only (`/.default`). */
export function requestedPermissions(config: ConnectionConfig): string[] {
  return 'scopes' in config ? graphPermissions(summarizeScopes(config.scopes)) : [];
}

/**
 * Each Graph check the connection needs, or why it is skipped. `granted` is the token's `scp` or `roles`:
 * app-only connections request `/.default`, so their roles say which optional checks apply.
 */
export function planChecks(config: ConnectionConfig, granted: readonly string[]): (GraphCheck | Check)[] {
  const appOnly = isAppOnly(config);
  const requested = requestedPermissions(config);
  const skip = (name: CheckName, detail: Message): Check => ({ name, result: 'skipped', detail });
  const plan: (GraphCheck | Check)[] = [];

  if (appOnly) {
    plan.push(skip('profile', msg('App-only tokens have no signed-in user (/me).')));
  } else if (hasAny(requested, ['User.Read'])) {
    plan.push({ name: 'profile', path: '/v1.0/me', least: 'User.Read', satisfiedBy: PROFILE });
  } else {
    plan.push(skip('profile', msg('User.Read is not requested: the profile (/me) is not read.')));
  }

  const mailbox = appMailbox(config);
  const noMailbox = msg('No mailbox is set: a service account without a mailbox (token and roles only).');
  if (appOnly && !mailbox) {
    plan.push(skip('mailbox', noMailbox));
  } else if (appOnly) {
    plan.push({
      name: 'mailbox',
      path: `${users(mailbox!)}/messages${$top}`,
      least: 'Mail.Read',
      satisfiedBy: MAIL_APP,
    });
  } else if (ofFamily(requested, MAIL) || !ofFamily(requested, CALENDARS)) {
    plan.push({ name: 'mailbox', path: `/v1.0/me/messages${$top}`, least: 'Mail.Read', satisfiedBy: MAIL_OWN });
  } else {
    plan.push(skip('mailbox', msg('No mail permission is requested.')));
  }

  if (!config.sharedMailbox) {
    plan.push(skip('sharedMailbox', msg('No shared mailbox is set.')));
  } else {
    plan.push({
      name: 'sharedMailbox',
      path: `${users(config.sharedMailbox)}/messages${$top}`,
      least: appOnly ? 'Mail.Read' : 'Mail.Read.Shared',
      satisfiedBy: appOnly ? MAIL_APP : MAIL_SHARED,
    });
  }

  if (appOnly && !mailbox) {
    plan.push(skip('calendar', noMailbox));
  } else if (appOnly && !ofFamily(granted, CALENDARS)) {
    plan.push(skip('calendar', msg('The app has no Calendars application permission.')));
  } else if (appOnly) {
    plan.push({
      name: 'calendar',
      path: `${users(mailbox!)}/events${$top}`,
      least: 'Calendars.Read',
      satisfiedBy: CALENDAR_APP,
    });
  } else if (ofFamily(requested, CALENDARS)) {
    plan.push({ name: 'calendar', path: `/v1.0/me/events${$top}`, least: 'Calendars.Read', satisfiedBy: CALENDAR_OWN });
  } else {
    plan.push(skip('calendar', msg('No calendar permission is requested.')));
  }
  return plan;
}

/** The token check: what the token says it may do (`scp` or `roles`), without sending anything. */
export function tokenCheck(config: ConnectionConfig, claims: TokenClaims | undefined): Check {
  const granted = grantedScopesOf(claims);
  const permissions = granted.join(' ') || '—';
  if (isAppOnly(config)) {
    return granted.length > 0
      ? {
          name: 'token',
          result: 'passed',
          detail: msg('App-only token; application permissions (roles): {permissions}.', { permissions }),
        }
      : {
          name: 'token',
          result: 'failed',
          detail: msg('The app-only token carries no application permissions (roles): none is granted to the app.'),
          missingPermission: 'Mail.Read',
          fix: { kind: 'adminConsent' },
        };
  }
  return {
    name: 'token',
    result: 'passed',
    detail: msg('Delegated token; permissions (scp): {permissions}.', { permissions }),
  };
}

/**
 * Whether the token allows sending (its `scp` or `roles`), never by sending: Mail.Send for the own mailbox
 * or an app-only one, Mail.Send.Shared for a delegated shared mailbox.
 */
export function sendCheck(config: ConnectionConfig, granted: readonly string[]): Check {
  const appOnly = isAppOnly(config);
  const needed = !appOnly && config.sharedMailbox ? 'Mail.Send.Shared' : 'Mail.Send';
  if (hasAny(granted, [needed])) {
    return {
      name: 'send',
      result: 'passed',
      detail: msg('The token allows sending mail ({permission}); nothing was sent.', { permission: needed }),
    };
  }
  if (appOnly) {
    return {
      name: 'send',
      result: 'skipped',
      detail: msg('The app has no Mail.Send application permission: it cannot send mail.'),
      fix: { kind: 'adminConsent' },
    };
  }
  if (hasAny(requestedPermissions(config), [needed])) {
    return {
      name: 'send',
      result: 'failed',
      detail: msg('{permission} is requested but not in the token: it was not granted.', { permission: needed }),
      missingPermission: needed,
      fix: { kind: 'adminConsent' },
    };
  }
  return {
    name: 'send',
    result: 'skipped',
    detail: msg('{permission} is not requested: this connection cannot send mail.', { permission: needed }),
    fix: { kind: 'edit', permission: needed },
  };
}

/** A Graph check's result from Graph's answer. */
export function judge(
  config: ConnectionConfig,
  check: GraphCheck,
  answer: { status: number; ok: boolean; errorCode?: string; retryAfterSeconds?: number },
  granted: readonly string[],
): Check {
  const base = {
    name: check.name,
    path: check.path,
    status: answer.status,
    ...(answer.errorCode ? { errorCode: answer.errorCode } : {}),
  };
  if (answer.ok)
    return { ...base, result: 'passed', detail: msg('HTTP {status}: readable.', { status: answer.status }) };
  if (answer.status === 401) {
    return {
      ...base,
      result: 'failed',
      detail: msg('HTTP 401: Graph refused the token. Sign in again.'),
      fix: { kind: 'signIn' },
    };
  }
  if (answer.status === 403) {
    if (hasAny(granted, check.satisfiedBy)) {
      // The permission is there: Exchange itself refuses (no access to that mailbox, or an application access policy).
      return {
        ...base,
        result: 'failed',
        detail: isAppOnly(config)
          ? msg(
              'HTTP 403 although the token has the permission: an Exchange application access policy or RBAC for Applications keeps the app out of this mailbox.',
            )
          : msg(
              'HTTP 403 although the token has the permission: the user has no access to this mailbox in Exchange. Ask an Exchange administrator for access.',
            ),
      };
    }
    const requested = hasAny(requestedPermissions(config), [check.least]);
    return {
      ...base,
      result: 'failed',
      detail: msg('HTTP 403: missing permission {permission}.', { permission: check.least }),
      missingPermission: check.least,
      fix: isAppOnly(config) || requested ? { kind: 'adminConsent' } : { kind: 'edit', permission: check.least },
    };
  }
  if (answer.status === 404) {
    return {
      ...base,
      result: 'failed',
      detail: msg('HTTP 404: the mailbox was not found. Check the account or shared mailbox address.'),
    };
  }
  if (answer.status === 429) {
    const retry = answer.retryAfterSeconds;
    return {
      ...base,
      result: 'failed',
      ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
      detail:
        retry !== undefined
          ? msg(FAILURE_RULES.graphThrottled.message.text, { seconds: retry })
          : msg('HTTP 429: Microsoft Graph is throttling requests. Try again in a few minutes.'),
    };
  }
  if (answer.status >= 500) {
    return {
      ...base,
      result: 'failed',
      ...(answer.retryAfterSeconds !== undefined ? { retryAfterSeconds: answer.retryAfterSeconds } : {}),
      detail: msg(FAILURE_RULES.graphServerError.message.text, { status: answer.status }),
    };
  }
  return {
    ...base,
    result: 'failed',
    detail: answer.errorCode
      ? msg('HTTP {status} from Graph ({code}).', { status: answer.status, code: answer.errorCode })
      : msg('HTTP {status} from Graph.', { status: answer.status }),
  };
}

/** A failure after which the other Graph checks are not sent: a refused token, throttling, a server error. */
export function stopsTheRest(check: Check): boolean {
  const status = check.status ?? 0;
  return status === 401 || status === 429 || status >= 500;
}
