/**
 * What each Outlook operation needs from Microsoft Graph: the least-privileged delegated and application
 * permission, and the higher-privileged ones that also work, as Microsoft Graph's permissions reference
 * says. Data only; ./operations.ts derives a connection's permissions and its warnings from it.
 *
 * Sources, read on 2026-11-30:
 * - microsoftgraph/microsoft-graph-devx-content `permissions/new/permissions.json` (commit 6cbd6bbd665a,
 *   2026-08-07): every name below, its schemes (delegated, application) and whether delegated needs
 *   admin consent; for each request below, the permissions listed for its path and method, and which
 *   one is marked least privileged.
 *   https://github.com/microsoftgraph/microsoft-graph-devx-content/blob/master/permissions/new/permissions.json
 * - The API pages' "Permissions" tables generated from it (least / higher privileged), for example
 *   https://learn.microsoft.com/graph/api/user-list-messages, …/message-get, …/user-sendmail,
 *   …/user-list-events, …/user-post-events, …/user-list-contacts, …/user-post-contacts,
 *   …/user-get-mailboxsettings, …/user-update-mailboxsettings, …/user-get.
 * - The `.Shared` permissions, which permissions.json lists without paths: the permissions reference
 *   https://learn.microsoft.com/graph/permissions-reference, and
 *   https://learn.microsoft.com/graph/outlook-share-messages-folders (Mail.Read.Shared / Mail.ReadWrite.Shared),
 *   https://learn.microsoft.com/graph/outlook-send-mail-from-other-user (Mail.Send.Shared: Send As and
 *   Send On Behalf Of; an app with the Mail.Send application permission sends as any user),
 *   https://learn.microsoft.com/graph/outlook-get-shared-events-calendars (Calendars.Read.Shared).
 * - Change notifications: https://learn.microsoft.com/graph/outlook-change-notifications-overview (a read
 *   permission of the resource; delegated permissions subscribe only in the signed-in user's own mailbox,
 *   the `.Shared` permissions do not support subscriptions).
 *
 * Webview-safe (bundled into the form): no Node import.
 */

/** A Microsoft Graph permission this file uses, as permissions.json describes it. */
export interface KnownPermission {
  /** Has a delegated (work or school) scheme; `adminConsent`: its `requiresAdminConsent`. */
  delegated?: { adminConsent: boolean };
  /** Has an application scheme (application permissions always need admin consent). */
  application: boolean;
}

/** Every permission name used below, with its schemes in permissions.json (commit above). */
export const KNOWN_PERMISSIONS = {
  'Mail.ReadBasic': { delegated: { adminConsent: false }, application: false },
  'Mail.ReadBasic.All': { application: true },
  'Mail.Read': { delegated: { adminConsent: false }, application: true },
  'Mail.ReadWrite': { delegated: { adminConsent: false }, application: true },
  'Mail.Read.Shared': { delegated: { adminConsent: false }, application: false },
  'Mail.ReadWrite.Shared': { delegated: { adminConsent: false }, application: false },
  'Mail.Send': { delegated: { adminConsent: false }, application: true },
  'Mail.Send.Shared': { delegated: { adminConsent: false }, application: false },
  'Calendars.Read': { delegated: { adminConsent: false }, application: true },
  'Calendars.ReadWrite': { delegated: { adminConsent: false }, application: true },
  'Calendars.Read.Shared': { delegated: { adminConsent: false }, application: false },
  'Calendars.ReadWrite.Shared': { delegated: { adminConsent: false }, application: false },
  'Contacts.Read': { delegated: { adminConsent: false }, application: true },
  'Contacts.ReadWrite': { delegated: { adminConsent: false }, application: true },
  'MailboxSettings.Read': { delegated: { adminConsent: false }, application: true },
  'MailboxSettings.ReadWrite': { delegated: { adminConsent: false }, application: true },
  'User.Read': { delegated: { adminConsent: false }, application: false },
  'User.ReadWrite': { delegated: { adminConsent: false }, application: false },
  'User.ReadBasic.All': { delegated: { adminConsent: false }, application: true },
  'User.Read.All': { delegated: { adminConsent: true }, application: true },
} as const satisfies Readonly<Record<string, KnownPermission>>;
export type PermissionName = keyof typeof KNOWN_PERMISSIONS;

/** One kind's answer: the least-privileged permission and the higher-privileged ones that also work. */
export interface PermissionChoice {
  least: PermissionName;
  higher: readonly PermissionName[];
  /** The Graph requests the operation makes (method and path), whose permissions these are. */
  requests: readonly string[];
}

export const OPERATION_IDS = [
  'readMail',
  'readSharedMailbox',
  'writeMail',
  'writeSharedMailbox',
  'sendMail',
  'sendAsShared',
  'readCalendars',
  'writeCalendars',
  'readSharedCalendars',
  'writeSharedCalendars',
  'readContacts',
  'writeContacts',
  'readMailboxSettings',
  'writeMailboxSettings',
  'mailNotifications',
  'eventNotifications',
  'profile',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];

export type OperationGroup = 'mail' | 'calendar' | 'contacts' | 'settings' | 'notifications' | 'profile';

export interface OperationPermissions {
  group: OperationGroup;
  delegated: PermissionChoice;
  application: PermissionChoice;
}

/**
 * Operation → permissions. "Read" operations read items with their bodies and attachments: listing alone
 * needs less (Mail.ReadBasic, Calendars.ReadBasic), reading a body or an attachment needs the least
 * privileged permission named here. Application permissions reach every mailbox, so the shared-mailbox
 * operations need the same application permission as their own-mailbox counterparts.
 */
export const OPERATION_PERMISSIONS: { readonly [K in OperationId]: OperationPermissions } = {
  readMail: {
    group: 'mail',
    delegated: { least: 'Mail.Read', higher: ['Mail.ReadWrite'], requests: ['GET /me/messages/{id}/attachments'] },
    application: {
      least: 'Mail.Read',
      higher: ['Mail.ReadWrite'],
      requests: ['GET /users/{id}/messages/{id}/attachments'],
    },
  },
  readSharedMailbox: {
    group: 'mail',
    delegated: { least: 'Mail.Read.Shared', higher: ['Mail.ReadWrite.Shared'], requests: ['GET /users/{id}/messages'] },
    application: { least: 'Mail.Read', higher: ['Mail.ReadWrite'], requests: ['GET /users/{id}/messages/{id}'] },
  },
  writeMail: {
    group: 'mail',
    delegated: { least: 'Mail.ReadWrite', higher: [], requests: ['PATCH /me/messages/{id}'] },
    application: { least: 'Mail.ReadWrite', higher: [], requests: ['PATCH /users/{id}/messages/{id}'] },
  },
  writeSharedMailbox: {
    group: 'mail',
    delegated: { least: 'Mail.ReadWrite.Shared', higher: [], requests: ['PATCH /users/{id}/messages/{id}'] },
    application: { least: 'Mail.ReadWrite', higher: [], requests: ['PATCH /users/{id}/messages/{id}'] },
  },
  sendMail: {
    group: 'mail',
    delegated: { least: 'Mail.Send', higher: [], requests: ['POST /me/sendmail'] },
    application: { least: 'Mail.Send', higher: [], requests: ['POST /users/{id}/sendmail'] },
  },
  sendAsShared: {
    group: 'mail',
    delegated: { least: 'Mail.Send.Shared', higher: [], requests: ['POST /users/{id}/sendmail'] },
    application: { least: 'Mail.Send', higher: [], requests: ['POST /users/{id}/sendmail'] },
  },
  readCalendars: {
    group: 'calendar',
    delegated: {
      least: 'Calendars.Read',
      higher: ['Calendars.ReadWrite'],
      requests: ['GET /me/events/{id}/attachments'],
    },
    application: {
      least: 'Calendars.Read',
      higher: ['Calendars.ReadWrite'],
      requests: ['GET /users/{id}/events/{id}/attachments'],
    },
  },
  writeCalendars: {
    group: 'calendar',
    delegated: { least: 'Calendars.ReadWrite', higher: [], requests: ['POST /me/events'] },
    application: { least: 'Calendars.ReadWrite', higher: [], requests: ['POST /users/{id}/events'] },
  },
  readSharedCalendars: {
    group: 'calendar',
    delegated: {
      least: 'Calendars.Read.Shared',
      higher: ['Calendars.ReadWrite.Shared'],
      requests: ['GET /users/{id}/calendars'],
    },
    application: { least: 'Calendars.Read', higher: ['Calendars.ReadWrite'], requests: ['GET /users/{id}/events'] },
  },
  writeSharedCalendars: {
    group: 'calendar',
    delegated: { least: 'Calendars.ReadWrite.Shared', higher: [], requests: ['POST /users/{id}/events'] },
    application: { least: 'Calendars.ReadWrite', higher: [], requests: ['POST /users/{id}/events'] },
  },
  readContacts: {
    group: 'contacts',
    delegated: { least: 'Contacts.Read', higher: ['Contacts.ReadWrite'], requests: ['GET /me/contacts'] },
    application: { least: 'Contacts.Read', higher: ['Contacts.ReadWrite'], requests: ['GET /users/{id}/contacts'] },
  },
  writeContacts: {
    group: 'contacts',
    delegated: { least: 'Contacts.ReadWrite', higher: [], requests: ['POST /me/contacts'] },
    application: { least: 'Contacts.ReadWrite', higher: [], requests: ['POST /users/{id}/contacts'] },
  },
  // The source documents list MailboxSettings.ReadWrite (one revision MailboxSettings.Read): reading needs
  // only MailboxSettings.Read, the least privileged; ReadWrite only for changing them.
  readMailboxSettings: {
    group: 'settings',
    delegated: {
      least: 'MailboxSettings.Read',
      higher: ['MailboxSettings.ReadWrite'],
      requests: ['GET /me/mailboxsettings'],
    },
    application: {
      least: 'MailboxSettings.Read',
      higher: ['MailboxSettings.ReadWrite'],
      requests: ['GET /users/{id}/mailboxsettings'],
    },
  },
  writeMailboxSettings: {
    group: 'settings',
    delegated: { least: 'MailboxSettings.ReadWrite', higher: [], requests: ['PATCH /me/mailboxsettings'] },
    application: { least: 'MailboxSettings.ReadWrite', higher: [], requests: ['PATCH /users/{id}/mailboxsettings'] },
  },
  // Subscriptions need a read permission of the resource; the reference's table names Mail.ReadBasic for
  // messages (Mail.ReadBasic.All is its application form) and Calendars.Read for events.
  mailNotifications: {
    group: 'notifications',
    delegated: {
      least: 'Mail.ReadBasic',
      higher: ['Mail.Read', 'Mail.ReadWrite'],
      requests: ['POST /subscriptions (resource /me/messages)'],
    },
    application: {
      least: 'Mail.ReadBasic.All',
      higher: ['Mail.Read', 'Mail.ReadWrite'],
      requests: ['POST /subscriptions (resource /users/{id}/messages)'],
    },
  },
  eventNotifications: {
    group: 'notifications',
    delegated: {
      least: 'Calendars.Read',
      higher: ['Calendars.ReadWrite'],
      requests: ['POST /subscriptions (resource /me/events)'],
    },
    application: {
      least: 'Calendars.Read',
      higher: ['Calendars.ReadWrite'],
      requests: ['POST /subscriptions (resource /users/{id}/events)'],
    },
  },
  // Delegated: GET /me. App-only: GET /users/{account}; the source documents name User.Read.All as the
  // app-only minimum, the reference User.ReadBasic.All as least privileged for the basic profile.
  profile: {
    group: 'profile',
    delegated: { least: 'User.Read', higher: ['User.ReadWrite', 'User.Read.All'], requests: ['GET /me'] },
    application: { least: 'User.ReadBasic.All', higher: ['User.Read.All'], requests: ['GET /users/{id}'] },
  },
};

/**
 * What the source documents (../shared/seeds/) name as the minimum application permissions of the
 * app-only types ("Mail.Read, User.Read.All"), shown while no operation is ticked.
 */
export const APP_ONLY_SOURCE_MINIMUM: readonly PermissionName[] = ['Mail.Read', 'User.Read.All'];
