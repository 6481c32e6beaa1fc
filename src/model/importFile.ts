/**
 * Reads an export file for Import Connections… and refuses anything an export does not look like, with one
 * message saying why: too large, not JSON, nested too deeply, prototype keys anywhere, a field that looks
 * like a secret (exports never carry one), unknown fields at the top or in an entry, a missing or unknown
 * version, too many entries, fields of the wrong type, repeated ids or names. What the values mean (tenant,
 * client ID, scopes, endpoints…) is checked afterwards by the form's validator (importPlan.ts).
 *
 * Pure (no Node, no vscode): the command checks the file's size before reading it, and this checks again.
 */
import { AUTH_TYPES, isAuthType, type AuthType } from './authTypes';
import { COMMON_EXPORT_FIELDS, EXPORT_FIELDS, EXPORT_VERSION, type ExportEntry } from './connectionExport';
import { msg, type Message } from './messages';

export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Far more than a team shares, far less than what would make the preview unusable. */
export const MAX_IMPORT_ENTRIES = 200;
const MAX_DEPTH = 6;
const MAX_TEXT = 1024;
const MAX_ADDITIONAL_SCOPES = 100;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Keys that name a secret, token or key material: an export never has them, whatever else the file is. */
const SECRET_KEY = /secret|passw|token|credential|pfx|private|assertion|cookie|bearer|^certificate(password)?$/i;
const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const TOP_LEVEL = new Set(['$schema', 'version', 'connections']);

export type ParsedImport = { ok: true; entries: ExportEntry[] } | { ok: false; problem: Message };

type Kind = 'text' | 'boolean' | 'scopes' | 'endpoints' | 'operations';
const KIND: Record<string, Kind> = {
  confidential: 'boolean',
  sendX5c: 'boolean',
  scopes: 'scopes',
  endpoints: 'endpoints',
  operations: 'operations',
};
/** Fields an entry of a type must have (the validator then checks what they say). */
const REQUIRED: { readonly [K in AuthType]: readonly string[] } = {
  authCode: ['scopes', 'signInMethod'],
  byoApp: ['clientId', 'confidential', 'scopes', 'signInMethod'],
  // The mailbox is optional for app-only types: a service account may have none (../shared/seeds/, German).
  clientCredentials: ['clientId'],
  clientCertificate: ['clientId', 'sendX5c'],
  ropc: ['username', 'scopes'],
};

const refuse = (problem: Message): ParsedImport => ({ ok: false, problem });

export function parseImportText(text: string): ParsedImport {
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) return refuse(tooLarge());
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return refuse(msg('The file is not valid JSON, so it is not an export of connections.'));
  }
  const hostile = hostileKey(document);
  if (hostile) return refuse(hostile);
  if (!isRecord(document)) return refuse(msg('The file is not an export of connections (no JSON object).'));
  const unknown = Object.keys(document).find((k) => !TOP_LEVEL.has(k));
  if (unknown !== undefined)
    return refuse(msg('The file has an unknown field "{field}" at its top level.', { field: unknown }));
  if (document.version === undefined) {
    return refuse(msg('The file has no "version": it is not an export of connections.'));
  }
  if (document.version !== EXPORT_VERSION) {
    return refuse(
      msg('The file is in format version {version}; this version of the extension reads version {supported}.', {
        version: JSON.stringify(document.version).slice(0, 40),
        supported: EXPORT_VERSION,
      }),
    );
  }
  if (document.$schema !== undefined && typeof document.$schema !== 'string') {
    return refuse(msg('The file\u2019s "$schema" is not a string.'));
  }
  const list = document.connections;
  if (!Array.isArray(list)) return refuse(msg('The file has no "connections" list.'));
  if (list.length === 0) return refuse(msg('The file contains no connections.'));
  if (list.length > MAX_IMPORT_ENTRIES) {
    return refuse(
      msg('The file has {count} connections; at most {max} can be imported at once.', {
        count: list.length,
        max: MAX_IMPORT_ENTRIES,
      }),
    );
  }
  const entries: ExportEntry[] = [];
  for (const [index, value] of list.entries()) {
    const problem = entryProblem(value, index);
    if (problem) return refuse(problem);
    entries.push(value as ExportEntry);
  }
  return repeated(entries) ?? { ok: true, entries };
}

export function tooLarge(): Message {
  return msg('The file is larger than {size} MB: an export of connections is far smaller.', {
    size: MAX_IMPORT_BYTES / (1024 * 1024),
  });
}

/** How an entry is named in messages: its place, and its name when it has one. */
export function entryLabel(index: number, value: unknown): string {
  const name = isRecord(value) && typeof value.name === 'string' ? value.name.slice(0, 100) : '';
  return name ? `#${index + 1} "${name}"` : `#${index + 1}`;
}

/** A prototype key or a secret-looking key anywhere, or nesting no export has. */
function hostileKey(root: unknown): Message | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (!value || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return msg('The file is nested more deeply than an export of connections.');
    for (const key of Array.isArray(value) ? [] : Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) return msg('The file contains the key "{key}", which is refused.', { key });
      if (SECRET_KEY.test(key)) {
        return msg(
          'The file contains a field "{key}" that looks like a secret. Exports never carry secrets, tokens or passwords: remove it and import again.',
          { key },
        );
      }
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}

function entryProblem(value: unknown, index: number): Message | undefined {
  const entry = entryLabel(index, value);
  if (!isRecord(value)) return msg('Connection {entry} is not a JSON object.', { entry });
  if (!isAuthType(value.authType)) {
    return msg('Connection {entry} has no known "authType" (one of {types}).', { entry, types: AUTH_TYPES.join(', ') });
  }
  const allowed = new Set<string>([...COMMON_EXPORT_FIELDS, ...EXPORT_FIELDS[value.authType]]);
  const unknown = Object.keys(value).find((k) => !allowed.has(k));
  if (unknown !== undefined) {
    return msg('Connection {entry} has a field "{field}" that a connection of its type does not have.', {
      entry,
      field: unknown,
    });
  }
  const required = ['id', 'name', 'environment', 'tenant', ...REQUIRED[value.authType]];
  if (value.environment === 'custom') required.push('endpoints');
  const absent = required.find((f) => value[f] === undefined);
  if (absent !== undefined) return msg('Connection {entry} has no "{field}".', { entry, field: absent });
  if (value.environment !== 'custom' && value.endpoints !== undefined) {
    return msg('Connection {entry} has "endpoints" but its environment is not "custom".', { entry });
  }
  const wrong = Object.keys(value).find((k) => !fieldOk(KIND[k] ?? 'text', value[k]));
  if (wrong !== undefined) return msg('Connection {entry} has a malformed "{field}".', { entry, field: wrong });
  if (!ID.test(value.id as string))
    return msg('Connection {entry} has an "id" that is not a connection ID.', { entry });
  return undefined;
}

function fieldOk(kind: Kind, value: unknown): boolean {
  const text = (v: unknown) => typeof v === 'string' && v.length <= MAX_TEXT;
  const exactly = (v: unknown, keys: string[]): v is Record<string, unknown> =>
    isRecord(v) && Object.keys(v).length === keys.length && keys.every((k) => Object.hasOwn(v, k));
  switch (kind) {
    case 'text':
      return text(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'operations':
      return operationList(value);
    case 'scopes':
      return (
        (exactly(value, ['preset', 'additional']) ||
          (exactly(value, ['preset', 'additional', 'operations']) && operationList(value.operations))) &&
        text(value.preset) &&
        Array.isArray(value.additional) &&
        value.additional.length <= MAX_ADDITIONAL_SCOPES &&
        value.additional.every(text)
      );
    case 'endpoints':
      return exactly(value, ['name', 'loginEndpoint', 'graphEndpoint']) && Object.values(value).every(text);
  }
}

/** A list of operation ids (which ones exist, the validator's permission plan decides; unknown ones are ignored). */
function operationList(value: unknown): boolean {
  return Array.isArray(value) && value.length <= 50 && value.every((v) => typeof v === 'string' && v.length <= 64);
}

/** Two entries with one id or one name (names compare without case, as the form does). */
function repeated(entries: readonly ExportEntry[]): ParsedImport | undefined {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) return refuse(msg('The file has two connections with the ID "{id}".', { id: e.id }));
    const name = e.name.trim().toLowerCase();
    if (names.has(name)) return refuse(msg('The file has two connections named "{name}".', { name: e.name }));
    ids.add(e.id);
    names.add(name);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
