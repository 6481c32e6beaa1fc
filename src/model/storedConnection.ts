/**
 * Reads a stored connection configuration back (from globalState, written by an older or newer version,
 * or damaged). A bad entry becomes a `BrokenConnection` that names what is wrong, so one damaged entry
 * never stops the others from loading and can still be deleted.
 */
import { msg, type Message } from './messages';
import { AUTH_TYPE_TABLE, isAuthType, storedField, type ConnectionConfig } from './authTypes';
import { isEnvironmentId } from './clouds';
import { isCalendarDay } from './credentialExpiry';

export interface BrokenConnection {
  id: string;
  name: string;
  /** Why it cannot be read (shown in the tree). */
  broken: Message;
}

type Raw = Record<string, unknown>;

const { text: str, optionalText: optStr } = storedField;

/** Pinned endpoints: https origins exactly (what `endpointsFromSetting` stores), and a name. */
function endpointsOk(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const e = value as Raw;
  const origin = (v: unknown) => {
    try {
      return typeof v === 'string' && new URL(v).protocol === 'https:' && new URL(v).origin === v;
    } catch {
      return false;
    }
  };
  return typeof e.name === 'string' && origin(e.loginEndpoint) && origin(e.graphEndpoint);
}

const operationsOk = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((o) => typeof o === 'string'));

export function parseStoredConnection(value: unknown, index: number): ConnectionConfig | BrokenConnection {
  const r: Raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
  const id = typeof r.id === 'string' && r.id ? r.id : `broken-${index}`;
  const name = typeof r.name === 'string' && r.name ? r.name : `#${index + 1}`;
  const broken = (why: Message): BrokenConnection => ({ id, name, broken: why });

  if (!str(r, 'id') || !str(r, 'name')) return broken(msg('id or name missing'));
  if (!isAuthType(r.authType)) return broken(msg('unknown auth type'));
  if (!isEnvironmentId(r.environment)) return broken(msg('unknown environment'));
  // Absent endpoints on a custom connection: stored before pinning, filled in once from the user setting (pinning.ts).
  if (r.endpoints !== undefined && (r.environment !== 'custom' || !endpointsOk(r.endpoints)))
    return broken(msg('endpoints malformed'));
  if (!str(r, 'tenant') || !optStr(r, 'sharedMailbox')) return broken(msg('tenant or shared mailbox malformed'));
  if (
    !AUTH_TYPE_TABLE[r.authType].storedShapeOk(r) ||
    !(r.secretExpiresOn === undefined || isCalendarDay(r.secretExpiresOn as string)) ||
    // Operations (absent on connections stored before them): a list of ids; ids a newer version adds are ignored.
    !operationsOk(r.operations) ||
    !operationsOk((r.scopes as Raw | undefined)?.operations)
  )
    return broken(msg('fields malformed'));
  return r as unknown as ConnectionConfig;
}

export function isBroken(entry: ConnectionConfig | BrokenConnection): entry is BrokenConnection {
  return 'broken' in entry;
}
