/**
 * The shape of an export file (Export Connections…, read back by Import Connections…): the configuration
 * of each connection and nothing a machine holds for it. Never a secret, token, password or certificate
 * (not even its thumbprint or a client secret's expiry day: the importer brings their own), and no facts (who signed in, when, what was
 * granted). `media/schemas/connections-export.schema.json` describes the same shape for the JSON editor;
 * test/unit/connectionExport.test.ts keeps the two together.
 *
 * Pure (no Node, no vscode).
 */
import { AUTH_TYPE_TABLE, type AuthType, type ConnectionConfig, type SecretField } from './authTypes';
import type { DraftField } from './draft';

export const EXPORT_VERSION = 1;

/**
 * What `$schema` says. Not an https address: the JSON editor downloads a `$schema` given as http(s) and
 * prefers it over any file-name association, so offline it would find no schema at all (VS Code 1.100's
 * json server: `getSchemaForResource` uses `$schema` first; the client fetches http(s) schemas and opens any
 * other scheme as a document). The extension serves this scheme from the schema it ships.
 */
export const EXPORT_SCHEMA_SCHEME = 'outlook365-schema';
export const EXPORT_SCHEMA_URI = `${EXPORT_SCHEMA_SCHEME}:/connections-export.schema.json`;
/** The suggested file name; `*.outlook365.json` is also what the schema is associated with. */
export const EXPORT_FILE_NAME = 'connections.outlook365.json';

/** The fields every entry may have, then those of each auth type (in the order they are written). */
export const COMMON_EXPORT_FIELDS = ['id', 'name', 'authType', 'environment', 'endpoints', 'tenant'] as const;
export const EXPORT_FIELDS: { readonly [K in AuthType]: readonly string[] } = {
  authCode: ['sharedMailbox', 'loginHint', 'scopes', 'signInMethod'],
  byoApp: ['clientId', 'confidential', 'sharedMailbox', 'loginHint', 'scopes', 'signInMethod'],
  clientCredentials: ['clientId', 'account', 'sharedMailbox', 'operations'],
  clientCertificate: ['clientId', 'account', 'sharedMailbox', 'sendX5c', 'operations'],
  ropc: ['clientId', 'username', 'scopes'],
};

export type ExportEntry = Record<string, unknown> & { id: string; name: string; authType: AuthType };

export interface ExportDocument {
  $schema: string;
  version: number;
  connections: ExportEntry[];
}

/** One connection as it is exported: its configuration fields only, in a stable order. */
export function exportEntry(config: ConnectionConfig): ExportEntry {
  const source = config as unknown as Record<string, unknown>;
  const entry: Record<string, unknown> = {};
  for (const field of [...COMMON_EXPORT_FIELDS, ...EXPORT_FIELDS[config.authType]]) {
    const value = source[field];
    if (value === undefined || (field === 'endpoints' && config.environment !== 'custom')) continue;
    entry[field] = typeof value === 'object' ? structuredClone(value) : value;
  }
  return entry as ExportEntry;
}

export function exportDocument(configs: readonly ConnectionConfig[]): ExportDocument {
  return { $schema: EXPORT_SCHEMA_URI, version: EXPORT_VERSION, connections: configs.map(exportEntry) };
}

/** The file's text: indented, so a person can read and edit it. */
export function exportText(configs: readonly ConnectionConfig[]): string {
  return `${JSON.stringify(exportDocument(configs), null, 2)}\n`;
}

/** Whether two configurations export the same (the id aside). */
export function sameConfiguration(a: ConnectionConfig, b: ConnectionConfig): boolean {
  const { id: _a, ...left } = exportEntry(a);
  const { id: _b, ...right } = exportEntry(b);
  return canonical(left) === canonical(right);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The secrets a configuration cannot sign in without (an import never brings them). */
export function secretsNeeded(config: ConnectionConfig): SecretField[] {
  const spec = AUTH_TYPE_TABLE[config.authType];
  const needed = spec.secretFields.filter((f) => (spec.required as readonly string[]).includes(f));
  if (config.authType === 'byoApp' && config.confidential) needed.push('clientSecret');
  return needed;
}

/** The export field a validator message on a draft field is about (delegated types call the account `loginHint`). */
export function exportFieldOf(field: DraftField, authType: AuthType): string {
  if (field === 'scopePreset' || field === 'additionalScopes') return 'scopes';
  if (field === 'account' && AUTH_TYPE_TABLE[authType].grant === 'delegated') return 'loginHint';
  return field;
}
