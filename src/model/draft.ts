/**
 * The draft: a connection as the form holds it (flat strings and one boolean), before the validator
 * (./validate.ts) turns it into a configuration. Its shape is checked here for untrusted input.
 */
export interface ConnectionDraft {
  name: string;
  authType: string;
  environment: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** `YYYY-MM-DD` or empty: when the client secret expires (optional, not secret). */
  secretExpiresOn: string;
  certificate: string;
  certificatePassword: string;
  sendX5c: boolean;
  account: string;
  sharedMailbox: string;
  username: string;
  password: string;
  /** The operations ticked (./operations.ts), ids separated by spaces. */
  operations: string;
  scopePreset: string;
  additionalScopes: string;
  signInMethod: string;
}
export type DraftField = keyof ConnectionDraft;

const STRING_FIELDS = [
  'name',
  'authType',
  'environment',
  'tenant',
  'clientId',
  'clientSecret',
  'secretExpiresOn',
  'certificate',
  'certificatePassword',
  'account',
  'sharedMailbox',
  'username',
  'password',
  'operations',
  'scopePreset',
  'additionalScopes',
  'signInMethod',
] as const satisfies readonly DraftField[];

/** Upper bounds on input sizes: a .pfx of a long chain is a few KB; nothing legitimate comes near these. */
const MAX_LENGTH: Partial<Record<DraftField, number>> = { certificate: 256 * 1024, additionalScopes: 8 * 1024 };
const DEFAULT_MAX_LENGTH = 1024;

export function emptyDraft(): ConnectionDraft {
  return {
    name: '',
    authType: 'authCode',
    environment: 'global',
    tenant: '',
    clientId: '',
    clientSecret: '',
    secretExpiresOn: '',
    certificate: '',
    certificatePassword: '',
    sendX5c: false,
    account: '',
    sharedMailbox: '',
    username: '',
    password: '',
    operations: '',
    scopePreset: 'minimal',
    additionalScopes: '',
    signInMethod: 'auto',
  };
}

/**
 * Checks the shape of an untrusted draft (a webview message): an object with exactly the draft's keys,
 * strings within size limits and a boolean. Returns undefined when the shape is wrong.
 */
export function parseDraft(value: unknown): ConnectionDraft | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const allowed = new Set<string>([...STRING_FIELDS, 'sendX5c']);
  if (Object.keys(record).some((k) => !allowed.has(k))) {
    return undefined;
  }
  const draft = emptyDraft();
  for (const field of STRING_FIELDS) {
    const v = record[field];
    if (v === undefined) {
      continue;
    }
    if (typeof v !== 'string' || v.length > (MAX_LENGTH[field] ?? DEFAULT_MAX_LENGTH)) {
      return undefined;
    }
    draft[field] = v;
  }
  if (record.sendX5c !== undefined) {
    if (typeof record.sendX5c !== 'boolean') {
      return undefined;
    }
    draft.sendX5c = record.sendX5c;
  }
  return draft;
}
