/**
 * The last guard of the log: masks anything shaped like a credential before a line is written. Callers
 * already log only ids, kinds and codes (and `Secret` prints as "[secret]"); this catches what slips
 * through, e.g. a server answer or a request body quoted inside an error message. No `vscode` import,
 * so the unit tests can run it in Node.
 *
 * Shapes: PEM blocks; JWS and JWE compact tokens; credentials after an HTTP auth scheme (plain, quoted,
 * URL-encoded); whole `Authorization` / `Cookie` header values; sensitive keys in form bodies
 * (`client_secret=…&`), JSON (`"password":"…"`, also JSON inside a JSON string), headers and
 * `key: value` text; passwords in URLs; Microsoft Entra client secret values. What must stay readable
 * stays: AADSTS codes, trace and correlation ids, client ids (GUIDs), URLs without credentials, Graph
 * error codes (`"code":"ErrorAccessDenied"`), and numeric codes (`error?code=70008`).
 */

const SECRET = '[secret]';
const TOKEN = '[token]';

/** A PEM block (key, certificate, anything), also cut off before its END line. */
const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;

/** JWS (3 parts) and JWE (5 parts, the encrypted key may be empty) compact serialisations. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){2,4}/g;

/** The whole value of a header that carries credentials, in `Name: value` or `"name":"value"` form. */
const CREDENTIAL_HEADER =
  /((?<![A-Za-z0-9_-])(?:proxy-)?(?:authorization|cookie|set-cookie)(?:\\?["'])?\s*(?::|=|%3A)\s*(?:\\?["'])?)[^"'\\\r\n]+/gi;

/** The credential after an HTTP auth scheme: `Bearer x`, `Bearer "x"`, `Bearer%20x`, `Basic+x`. */
const SCHEME = /(\b(?:Bearer|Basic|Digest|Negotiate|NTLM|PoP)(?:\s+|%20|\+))(\\?["']?)(?![[])[^\s"'\\&,;)]+/gi;

/**
 * Keys whose values are credentials, in any spelling (snake, camel, kebab). The first ones also with any
 * word before them (`client_secret`, `pfxPassword`, `refresh_token`, `client_assertion`); `code` never
 * (`statusCode`, `error_code` are not credentials).
 */
const KEYS = [
  '(?:[A-Za-z]+[_-]?)?(?:password|passwd|passphrase|secret|token|assertion)',
  'pwd',
  'code[_-]?verifier',
  'device[_-]?code',
  'code',
  'client[_-]?info',
  'private[_-]?key',
  'pfx(?:[_-]?base64)?',
  'api[_-]?key',
  'sig',
].join('|');

/**
 * `key` then `=`, `:`, `%3D` or `%3A`, then the value: a JSON string (escapes honoured), a JSON string
 * inside a JSON string (`\"…\"`), a single-quoted string, or a bare value up to a separator.
 */
const KEY_VALUE = new RegExp(
  `((?<![A-Za-z0-9_])(?:\\\\?["'])?(?:${KEYS})(?:\\\\?["'])?\\s*(?:=|:|%3D|%3A)\\s*)` +
    `(\\\\"[^"\\\\]*\\\\"|"(?:[^"\\\\]|\\\\.)*"|'[^']*'|(?:(?!%26)[^\\s&,;"'}\\[\\]<>])+)`,
  'gi',
);

/** `scheme://user:password@host` */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:)[^\s@/"']+(@)/gi;

/** A Microsoft Entra client secret value (three characters, a digit, "Q~", then 31 or more). */
const ENTRA_SECRET = /(?<![A-Za-z0-9_.~-])[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_.~-]{31,}/g;

/** Values of the `code` key that are error codes, not authorization codes: "ErrorAccessDenied", 70008. */
const READABLE_CODE = /^(?:[A-Za-z_]+|\d+)$/;

export function mask(text: string): string {
  return text
    .replace(PEM, '[pem]')
    .replace(JWT, TOKEN)
    .replace(CREDENTIAL_HEADER, `$1${SECRET}`)
    .replace(SCHEME, `$1$2${SECRET}`)
    .replace(KEY_VALUE, (whole, key: string, value: string) => {
      const quote = /^(\\"|"|')/.exec(value)?.[1] ?? '';
      const inner = quote ? value.slice(quote.length, value.length - quote.length) : value;
      if (inner === SECRET || inner === TOKEN || inner === '[pem]' || inner === '') return whole;
      if (/code["']?\s*(?:=|:|%3D|%3A)/i.test(key) && !/(?:verifier|device)/i.test(key) && READABLE_CODE.test(inner))
        return whole;
      return `${key}${quote}${SECRET}${quote}`;
    })
    .replace(URL_PASSWORD, `$1${SECRET}$2`)
    .replace(ENTRA_SECRET, SECRET);
}
