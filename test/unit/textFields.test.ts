// Control, bidi and invisible format characters in every text field, and the scope URI rules
// (issue 9, item 9). Bidi overrides: "Trojan Source", CVE-2021-42574 (https://trojansource.codes/).
import * as assert from 'node:assert/strict';
import { forbiddenCharacter } from '../../src/model/characters';
import { customEnvironmentProblem } from '../../src/model/clouds';
import { formatMessage } from '../../src/model/messages';
import { scopeProblem } from '../../src/model/scopes';
import { emptyDraft, validateDraft, type ConnectionDraft, type DraftField } from '../../src/model/validate';
import { parseFormMessage } from '../../src/webview/protocol';

const GUID = '11111111-2222-3333-4444-555555555555';
const GRAPH = 'https://graph.microsoft.com';

/** One valid draft per auth type, covering every string field between them. */
const VALID: ConnectionDraft[] = [
  {
    ...emptyDraft(),
    name: 'Work',
    authType: 'authCode',
    tenant: 'contoso.onmicrosoft.com',
    sharedMailbox: 'support@contoso.com',
    additionalScopes: 'Mail.Send',
  },
  {
    ...emptyDraft(),
    name: 'Own app',
    authType: 'byoApp',
    clientId: GUID,
    clientSecret: 'secret~value',
    scopePreset: 'custom',
    additionalScopes: `${GRAPH}/Mail.Read`,
    signInMethod: 'browser',
  },
  {
    ...emptyDraft(),
    name: 'Daemon',
    authType: 'clientCredentials',
    clientId: GUID,
    clientSecret: 's3cret',
    tenant: GUID,
    account: 'adele@contoso.com',
  },
  {
    ...emptyDraft(),
    name: 'Cert',
    authType: 'clientCertificate',
    clientId: GUID,
    certificate: 'QUJD\r\nREVG',
    certificatePassword: 'pw',
    tenant: GUID,
    account: 'adele@contoso.com',
  },
  {
    ...emptyDraft(),
    name: 'Robot',
    authType: 'ropc',
    tenant: GUID,
    username: 'adele@contoso.com',
    password: 'p@ss word',
  },
];

/** The characters the issue measured, and their neighbours in each class. */
const BAD: [string, string][] = [
  ['NUL', '\u0000'],
  ['ESC', '\u001B'],
  ['line feed', '\n'],
  ['carriage return', '\r'],
  ['tab', '\t'],
  ['DEL', '\u007F'],
  ['C1 NEL', '\u0085'],
  ['C1 CSI', '\u009B'],
  ['left-to-right mark', '\u200E'],
  ['right-to-left mark', '\u200F'],
  ['Arabic letter mark', '\u061C'],
  ['left-to-right embedding', '\u202A'],
  ['right-to-left override', '\u202E'],
  ['left-to-right isolate', '\u2066'],
  ['pop directional isolate', '\u2069'],
  ['zero-width space', '\u200B'],
  ['word joiner', '\u2060'],
  ['byte order mark', '\uFEFF'],
  ['soft hyphen', '\u00AD'],
  ['line separator', '\u2028'],
  ['tag character', '\u{E0041}'],
  ['lone surrogate', '\uD800'],
];

/** Characters a field may hold on purpose (base64 line breaks, scope separators, joiners in names). */
const ALLOWED: Partial<Record<DraftField, string>> = {
  name: '\u200C\u200D',
  certificate: '\r\n',
  additionalScopes: '\t\r\n',
};
const SECRETS: DraftField[] = ['clientSecret', 'certificate', 'certificatePassword', 'password'];

const stringFields = (d: ConnectionDraft) =>
  (Object.keys(d) as DraftField[]).filter((f) => typeof d[f] === 'string' && d[f] !== '');

describe('text fields refuse control and invisible format characters', () => {
  it('the valid drafts are valid (the base of every case below)', () => {
    for (const d of VALID) assert.ok(validateDraft(d).ok, JSON.stringify(validateDraft(d)));
  });

  for (const base of VALID) {
    for (const field of stringFields(base)) {
      it(`${base.authType}.${field}: each character refused with a message on that field, and by the protocol`, () => {
        for (const [what, ch] of BAD) {
          if (ALLOWED[field]?.includes(ch)) continue;
          const value = base[field] as string;
          const d = { ...base, [field]: value.slice(0, 2) + ch + value.slice(2) };
          const result = validateDraft(d);
          assert.ok(!result.ok && result.errors[field], `${what} in ${field} was accepted`);
          const text = formatMessage(result.errors[field]);
          if (SECRETS.includes(field)) {
            assert.doesNotMatch(text, /U\+|position/, 'a secret field says nothing about where');
          } else if (field !== 'authType') {
            assert.match(text, /invisible or control character U\+[0-9A-F]{4,5} at position 3/);
          }
          assert.equal(
            parseFormMessage({ type: 'submit', draft: d, useCertificateFile: false }),
            undefined,
            `protocol accepted ${what} in ${field}`,
          );
          assert.equal(parseFormMessage({ type: 'copy', what: 'adminConsentLink', draft: d }), undefined);
        }
      });
    }
  }

  it('a message names the character and its position in characters, not UTF-16 units', () => {
    assert.deepEqual(forbiddenCharacter('😀a\u202Eb'), { code: 'U+202E', position: 3 });
    assert.deepEqual(forbiddenCharacter('x\u{E0041}'), { code: 'U+E0041', position: 2 });
  });

  it('the character message wins over messages that would repeat the value', () => {
    const result = validateDraft({ ...VALID[0], tenant: 'evil\u202Emoc.com' });
    assert.ok(!result.ok);
    assert.equal(result.errors.tenant?.args?.code, 'U+202E');
    assert.doesNotMatch(JSON.stringify(result.errors), /evil/);
  });

  // Near-misses: real names, addresses and scopes must still pass.
  const accepted: [string, Partial<ConnectionDraft>][] = [
    ['a Japanese name', { name: '東京オフィスの受信トレイ' }],
    ['a German name with umlauts and ß', { name: 'Büro Köln – Straße' }],
    ['a Persian name with a zero-width non-joiner', { name: 'می\u200Cخواهم' }],
    ['an emoji sequence with a zero-width joiner', { name: 'Team 👩\u200D💻' }],
    ['an Arabic name (right-to-left letters are not overrides)', { name: 'البريد' }],
    ['a name with inner spaces and punctuation', { name: "O'Brien & Co. (EU)" }],
    ['a real UPN', { sharedMailbox: 'adele.vance@contoso.onmicrosoft.com' }],
    ['a UPN with plus and hyphen', { sharedMailbox: 'first.last+tag@sub-domain.contoso.co.uk' }],
    ['scopes separated by a line break and a tab', { additionalScopes: 'Mail.Send\nContacts.Read\tCalendars.Read' }],
    ['a full URI scope', { additionalScopes: `${GRAPH}/Mail.Send` }],
    ['a full URI scope with an upper-case host', { additionalScopes: 'https://Graph.Microsoft.com/Mail.Send' }],
    ['Mail.Read', { additionalScopes: 'Mail.Read' }],
  ];
  for (const [why, fields] of accepted) {
    it(`accepts ${why}`, () => {
      const result = validateDraft({ ...VALID[0], ...fields });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    });
  }
  it('accepts a base64 .pfx pasted with CRLF line breaks and a password with spaces and symbols', () => {
    assert.ok(validateDraft(VALID[3]).ok);
    assert.ok(validateDraft({ ...VALID[4], password: 'Ünïcødé pässwörd #1!' }).ok);
  });

  it('the custom environment setting refuses such characters in its name and endpoints', () => {
    const ok = {
      name: 'Sandbox',
      loginEndpoint: 'https://login.example.test',
      graphEndpoint: 'https://graph.example.test',
    };
    assert.equal(customEnvironmentProblem(ok), undefined);
    // URL drops the line feed: without the check this would resolve to https://login.example.test.
    for (const [key, value] of [
      ['name', 'Sand\u202Ebox'],
      ['loginEndpoint', 'https://login.exa\nmple.test'],
      ['graphEndpoint', 'https://graph.example.test\u200B'],
    ]) {
      const problem = customEnvironmentProblem({ ...ok, [key]: value });
      assert.ok(problem, `${key} accepted`);
      assert.match(formatMessage(problem), new RegExp(`customEnvironment\\.${key} contains`));
    }
  });
});

describe('scope URIs', () => {
  const refused: [string, string][] = [
    ['.default with a query', `${GRAPH}/.default?x`],
    ['.default with an empty query', `${GRAPH}/.default?`],
    ['.default with a fragment', `${GRAPH}/.default#x`],
    ['.default with an empty fragment', `${GRAPH}/.default#`],
    ['.default with a trailing slash', `${GRAPH}/.default/`],
    ['.default with a path after it', `${GRAPH}/.default/Mail.Read`],
    ['.default reached through a dot segment', `${GRAPH}/x/../.default`],
    ['.default with a percent-encoded dot', `${GRAPH}/%2Edefault`],
    ['.default with a default port', 'https://graph.microsoft.com:443/.default'],
    ['.default with a backslash', 'https://graph.microsoft.com\\.default'],
    ['a permission with a query', `${GRAPH}/Mail.Read?x=1`],
    ['a permission with a fragment', `${GRAPH}/Mail.Read#frag`],
    ['user info', 'https://user@graph.microsoft.com/Mail.Read'],
    ['user info with a password', 'https://user:pw@graph.microsoft.com/Mail.Read'],
    ['an empty user info', 'https://@graph.microsoft.com/Mail.Read'],
    ['a look-alike host through user info', 'https://graph.microsoft.com@evil.example/Mail.Read'],
    ['http', 'http://graph.microsoft.com/Mail.Read'],
    ['a right-to-left override', `${GRAPH}/Mail.Read\u202E`],
    ['a NUL', 'Mail.Read\u0000'],
  ];
  for (const [why, scope] of refused) {
    it(`refuses ${why}`, () => {
      assert.ok(scopeProblem(scope, GRAPH), `${scope} was accepted`);
      const result = validateDraft({ ...VALID[0], additionalScopes: scope });
      assert.ok(!result.ok && result.errors.additionalScopes);
    });
  }

  const fine: [string, string][] = [
    ['.default exactly', `${GRAPH}/.default`],
    ['a short name', 'Mail.Read'],
    ['a full URI', `${GRAPH}/Mail.ReadWrite.Shared`],
    ['a full URI on a custom Graph host with a port', 'https://127.0.0.1:4367/Mail.Read'],
  ];
  for (const [why, scope] of fine) {
    it(`accepts ${why}`, () =>
      assert.equal(scopeProblem(scope, scope.includes('4367') ? 'https://127.0.0.1:4367' : GRAPH), undefined));
  }

  it('a delegated connection still refuses /.default itself, with its own message', () => {
    const result = validateDraft({ ...VALID[0], additionalScopes: `${GRAPH}/.default` });
    assert.ok(!result.ok);
    assert.match(formatMessage(result.errors.additionalScopes!), /app-only/);
  });
});
