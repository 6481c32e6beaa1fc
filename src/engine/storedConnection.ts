/**
 * Reads a stored connection configuration back (from globalState, written by an older or newer version,
 * or damaged). A bad entry becomes a `BrokenConnection` that names what is wrong, so one damaged entry
 * never stops the others from loading and can still be deleted.
 */
import { isEnvironmentId } from './clouds';
import { SIGN_IN_METHODS, isAuthType, type ConnectionConfig } from './connection';
import { isScopePresetId, type ScopeSelection } from './scopes';

export interface BrokenConnection {
  id: string;
  name: string;
  broken: string;
}

type Raw = Record<string, unknown>;

const str = (r: Raw, k: string) => typeof r[k] === 'string' && (r[k] as string).length > 0;
const optStr = (r: Raw, k: string) => r[k] === undefined || typeof r[k] === 'string';

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

function scopesOk(value: unknown): value is ScopeSelection {
  if (!value || typeof value !== 'object') return false;
  const s = value as Raw;
  return isScopePresetId(s.preset) && Array.isArray(s.additional) && s.additional.every((a) => typeof a === 'string');
}

export function parseStoredConnection(value: unknown, index: number): ConnectionConfig | BrokenConnection {
  const r: Raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
  const id = typeof r.id === 'string' && r.id ? r.id : `broken-${index}`;
  const name = typeof r.name === 'string' && r.name ? r.name : `#${index + 1}`;
  const broken = (why: string): BrokenConnection => ({ id, name, broken: why });

  if (!str(r, 'id') || !str(r, 'name')) return broken('id or name missing');
  if (!isAuthType(r.authType)) return broken('unknown auth type');
  if (!isEnvironmentId(r.environment)) return broken('unknown environment');
  // Absent endpoints on a custom connection: stored before pinning, filled in once from the user setting (pinning.ts).
  if (r.endpoints !== undefined && (r.environment !== 'custom' || !endpointsOk(r.endpoints))) return broken('endpoints malformed');
  if (!str(r, 'tenant') || !optStr(r, 'sharedMailbox')) return broken('tenant or shared mailbox malformed');
  const signInOk = () => (SIGN_IN_METHODS as readonly unknown[]).includes(r.signInMethod);
  switch (r.authType) {
    case 'authCode':
      if (!optStr(r, 'clientId') || !optStr(r, 'publicClientId') || !scopesOk(r.scopes) || !signInOk() || !optStr(r, 'loginHint')) return broken('fields malformed');
      break;
    case 'byoApp':
      if (!str(r, 'clientId') || typeof r.confidential !== 'boolean' || !scopesOk(r.scopes) || !signInOk() || !optStr(r, 'loginHint')) return broken('fields malformed');
      break;
    case 'clientCredentials':
      if (!str(r, 'clientId') || !str(r, 'account')) return broken('fields malformed');
      break;
    case 'clientCertificate':
      if (!str(r, 'clientId') || !str(r, 'account') || typeof r.certificateThumbprint !== 'string' || typeof r.sendX5c !== 'boolean' || !optStr(r, 'certificateNotAfter')) {
        return broken('fields malformed');
      }
      break;
    case 'ropc':
      if (!optStr(r, 'clientId') || !optStr(r, 'publicClientId') || !str(r, 'username') || !scopesOk(r.scopes)) return broken('fields malformed');
      break;
  }
  return r as unknown as ConnectionConfig;
}

export function isBroken(entry: ConnectionConfig | BrokenConnection): entry is BrokenConnection {
  return 'broken' in entry;
}
