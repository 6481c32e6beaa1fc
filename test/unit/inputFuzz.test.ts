// Property-based fuzzing of the webview message protocol and the validator (issue 9, proof). Fixed
// seed, so a failure is reproducible; `npm run fuzz` runs the same properties with 100,000 cases.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SecretField } from '../../src/model/connection';
import { scopeProblem } from '../../src/model/scopes';
import {
  AUTH_TYPES,
  draftFromConfig,
  emptyDraft,
  validateDraft,
  type ConnectionDraft,
  type DraftField,
} from '../../src/model/validate';
import { parseFormMessage } from '../../src/webview/protocol';

const RUNS = Number(process.env.OUTLOOK365_FUZZ_RUNS) || 2000;
const SEED = 0x0365;
/** No single call may take this long (the "no hang" invariant); generous for a busy machine. */
const CALL_DEADLINE_MS = 1000;
const GRAPH = 'https://graph.microsoft.com';
const CUSTOM = { name: 'Sandbox', loginEndpoint: 'https://127.0.0.1:4366', graphEndpoint: 'https://127.0.0.1:4367' };

const FIELDS = Object.keys(emptyDraft()) as DraftField[];
const STRING_FIELDS = FIELDS.filter((f) => typeof emptyDraft()[f] === 'string');

/** Characters no field accepts (none is one of a field's allowed exceptions). */
const BAD_CHARS = [
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u0080',
  '\u0085',
  '\u009B',
  '\u00AD',
  '\u061C',
  '\u180E',
  '\u200B',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2028',
  '\u2029',
  '\u2060',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\uFEFF',
  '\uFFF9',
  '\u{E0001}',
  '\uD83D',
];

/** Plausible values per field, so that many drafts get far into the validator (and some are accepted). */
const plausible: Record<string, fc.Arbitrary<string>> = {
  name: fc.constantFrom('Work', '東京', 'Büro Köln', 'می\u200Cخواهم', 'a'.repeat(100), ' x '),
  authType: fc.constantFrom(...AUTH_TYPES),
  environment: fc.constantFrom('global', 'usGovL4', 'usGovL5', 'china', 'custom'),
  tenant: fc.constantFrom(
    'contoso.com',
    '11111111-2222-3333-4444-555555555555',
    '',
    'common',
    'organizations',
    'consumers',
  ),
  clientId: fc.constantFrom('11111111-2222-3333-4444-555555555555', ''),
  clientSecret: fc.constantFrom('s3cret~value', ''),
  certificate: fc.constantFrom('QUJD\r\nREVG', ''),
  certificatePassword: fc.constantFrom('', 'pw'),
  account: fc.constantFrom('adele@contoso.com', ''),
  sharedMailbox: fc.constantFrom('', 'support@contoso.com'),
  username: fc.constantFrom('adele@contoso.com', ''),
  password: fc.constantFrom('p@ss', ''),
  scopePreset: fc.constantFrom('minimal', 'sharedMailbox', 'calendar', 'sharedCalendar', 'everything', 'custom'),
  additionalScopes: fc.constantFrom(
    '',
    'Mail.Send',
    `${GRAPH}/Mail.Read Contacts.Read`,
    'https://127.0.0.1:4367/Mail.Send',
    'Mail.Send\nCalendars.Read',
  ),
  signInMethod: fc.constantFrom('auto', 'browser', 'deviceCode'),
};

/** Any string: plausible, or arbitrary Unicode (also lone surrogates), or plausible with noise. */
const fieldValue = (field: string) =>
  fc.oneof(
    { weight: 40, arbitrary: plausible[field] ?? fc.string() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(plausible[field] ?? fc.string(), fc.string({ unit: 'binary', maxLength: 4 }))
        .map(([a, b]) => a + b),
    },
  );

const draftArb: fc.Arbitrary<ConnectionDraft> = fc.record({
  ...Object.fromEntries(STRING_FIELDS.map((f) => [f, fieldValue(f)])),
  sendX5c: fc.boolean(),
}) as unknown as fc.Arbitrary<ConnectionDraft>;

/** Hostile JSON: anything, plus prototype keys at any depth. */
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'type',
  'draft',
  'toString',
  'hasOwnProperty',
  ...FIELDS,
);
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object'), tie('array')),
  object: fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 }),
  array: fc.array(tie('value'), { maxLength: 3 }),
})).value;

const messageArb = fc.oneof(
  draftArb.map((draft) => ({ type: 'submit', draft, useCertificateFile: false })),
  draftArb.map((draft) => ({ type: 'copy', what: 'adminConsentLink', draft })),
  fc.record(
    {
      type: fc.constantFrom('submit', 'copy', 'ready', 'cancel', 'pickCertificate', 'x'),
      draft: hostileJson,
      what: hostileJson,
      useCertificateFile: hostileJson,
    },
    { requiredKeys: ['type'] },
  ),
  hostileJson,
);

/** Through JSON, as postMessage delivers it: `__proto__` becomes an own key, not a prototype. */
const delivered = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  assert.ok(ms < CALL_DEADLINE_MS, `${what} took ${Math.round(ms)} ms`);
  return result;
}

const prototypeSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** Re-validating what was accepted, as Edit Connection does (its secrets stored), gives the same configuration. */
let accepted = 0;
function assertStable(draft: ConnectionDraft): void {
  const first = timed('validateDraft', () => validateDraft(draft, { customEnvironment: CUSTOM }));
  if (!first.ok) return;
  accepted++;
  const again = validateDraft(draftFromConfig(first.config), {
    customEnvironment: CUSTOM,
    existing: first.config,
    storedSecrets: Object.keys(first.secrets) as SecretField[],
  });
  assert.ok(again.ok, `accepted once, refused again: ${JSON.stringify(!again.ok && again.errors)}`);
  assert.deepEqual(again.config, first.config);
}

describe(`fuzz: webview protocol and validator (${RUNS} cases each, seed ${SEED})`, function () {
  this.timeout(Math.max(30_000, RUNS * 5));
  const params = { seed: SEED, numRuns: RUNS };
  const before = prototypeSnapshot();

  afterEach(() => {
    assert.equal(prototypeSnapshot(), before, 'Object.prototype changed');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('parseFormMessage never throws, never pollutes prototypes, and what it accepts validates stably', () => {
    fc.assert(
      fc.property(messageArb, (raw) => {
        const message = timed('parseFormMessage', () => parseFormMessage(delivered(raw)));
        if (message && (message.type === 'submit' || message.type === 'copy')) {
          // The draft it returns is a fresh object of exactly the draft's keys, with plain values.
          assert.deepEqual(Object.keys(message.draft).sort(), [...FIELDS].sort());
          assert.equal(Object.getPrototypeOf(message.draft), Object.prototype);
          assertStable(message.draft);
        }
      }),
      params,
    );
  });

  it('validateDraft never throws, and every accepted draft re-validates to the same configuration', () => {
    accepted = 0;
    fc.assert(
      fc.property(draftArb, (draft) => assertStable(draft)),
      params,
    );
    // The invariant says something only if many drafts are accepted.
    assert.ok(accepted > RUNS / 20, `only ${accepted} of ${RUNS} drafts accepted`);
  });

  it('a control, bidi or invisible format character in any field is never accepted', () => {
    fc.assert(
      fc.property(
        draftArb,
        fc.constantFrom(...STRING_FIELDS),
        fc.constantFrom(...BAD_CHARS),
        fc.nat(),
        (draft, field, bad, at) => {
          const value = draft[field] as string;
          const position = at % (value.length + 1);
          const d = { ...draft, [field]: value.slice(0, position) + bad + value.slice(position) };
          const result = validateDraft(d, { customEnvironment: CUSTOM });
          assert.ok(!result.ok && result.errors[field], `${JSON.stringify(bad)} in ${field} accepted`);
          assert.equal(parseFormMessage(delivered({ type: 'submit', draft: d, useCertificateFile: false })), undefined);
        },
      ),
      params,
    );
  });

  it('.default with anything after it, and scope URIs with a query, fragment or user info, are never accepted', () => {
    const suffix = fc.oneof(
      fc.constantFrom('?', '#', '/', '?x', '#x', '%20', '/..', '/.', ':'),
      fc.tuple(fc.constantFrom('?', '#', '/'), fc.string({ maxLength: 8 })).map(([a, b]) => a + b),
    );
    const permission = fc.constantFrom('.default', 'Mail.Read', 'Mail.Send.Shared');
    const graph = fc.constantFrom(GRAPH, 'https://127.0.0.1:4367');
    const bad = fc.oneof(
      fc.tuple(graph, permission, suffix).map(([g, p, s]) => `${g}/${p}${s}`),
      fc
        .tuple(graph, permission, fc.constantFrom('user@', 'user:pw@', '@', ':@', 'a%40b@'))
        .map(([g, p, u]) => g.replace('https://', `https://${u}`) + `/${p}`),
    );
    fc.assert(
      fc.property(bad, graph, fc.constantFrom(...AUTH_TYPES), (scope, graphEndpoint, authType) => {
        const host = scope.includes('127.0.0.1') ? CUSTOM.graphEndpoint : GRAPH;
        assert.ok(scopeProblem(scope, host), `${scope} accepted`);
        assert.ok(scopeProblem(scope, graphEndpoint), `${scope} accepted for ${graphEndpoint}`);
        const d = {
          ...emptyDraft(),
          name: 'n',
          authType,
          environment: host === GRAPH ? 'global' : 'custom',
          additionalScopes: scope,
          clientId: '11111111-2222-3333-4444-555555555555',
          tenant: 'contoso.com',
          username: 'a@contoso.com',
          password: 'p',
        };
        assert.ok(
          !validateDraft(d, { customEnvironment: CUSTOM }).ok ||
            !(['authCode', 'byoApp', 'ropc'] as string[]).includes(authType),
        );
      }),
      params,
    );
  });
});
