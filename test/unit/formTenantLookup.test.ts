import * as assert from 'node:assert/strict';
import { DEFAULT_PUBLIC_CLIENT_ID } from '../../src/model/authTypes';
import { emptyDraft, type DraftField } from '../../src/model/draft';
import type { FormState, InitMessage } from '../../src/webview/form/model';
import { update, type Effect, type FormEvent } from '../../src/webview/form/update';
import { currentVerdict, suggestedEnvironment } from '../../src/webview/form/tenantLookup';

const init = (): InitMessage => ({
  type: 'init',
  mode: 'add',
  draft: emptyDraft(),
  storedSecrets: [],
  environments: [
    { id: 'global', label: 'Office 365' },
    { id: 'usGovL4', label: 'US Government L4 (GCC High)' },
    { id: 'custom', label: 'Custom endpoints', problem: 'not configured' },
  ],
  otherNames: [],
  defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID,
  remote: false,
  l10n: {},
});

function run(events: FormEvent[]): { state: FormState; effects: Effect[] } {
  let result = update(undefined, { type: 'start', init: init() });
  for (const event of events) result = update(result.state, event);
  return { state: result.state!, effects: result.effects };
}
const posts = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'post' ? [e.message] : []));
const edit = (field: DraftField, value: string): FormEvent => ({ type: 'edit', field, value });
const answer = (tenant: string, environment: 'global' | 'usGovL4', verdict: object): FormEvent => ({
  type: 'host',
  message: { type: 'tenantCloud', tenant, environment, verdict } as never,
});

describe('the form: tenant look-up, Save without connecting, help links (update)', () => {
  it('typing a tenant asks again after a pause; the look-up posts only a tenant worth looking up', () => {
    const typed = run([edit('tenant', 'fabrikam-gov.test')]);
    assert.ok(
      typed.effects.some((e) => e.type === 'lookUpLater'),
      'debounced',
    );
    assert.deepEqual(posts(update(typed.state, { type: 'lookUpTenant' }).effects), [
      { type: 'lookUpTenant', tenant: 'fabrikam-gov.test', environment: 'global' },
    ]);
    for (const tenant of ['common', 'organizations', 'consumers', 'not a tenant', '']) {
      const state = run([edit('tenant', tenant)]).state;
      assert.deepEqual(posts(update(state, { type: 'lookUpTenant' }).effects), [], tenant);
    }
    // Another field does not ask; an environment that cannot be used is not asked about.
    assert.ok(!run([edit('name', 'x')]).effects.some((e) => e.type === 'lookUpLater'));
    const custom = run([edit('tenant', 'contoso.com'), edit('environment', 'custom')]).state;
    assert.deepEqual(posts(update(custom, { type: 'lookUpTenant' }).effects), []);
  });

  it('another cloud: the hint and the switch; switching chooses it, validates, focuses it and asks again', () => {
    const { state } = run([
      edit('tenant', 'fabrikam-gov.test'),
      answer('fabrikam-gov.test', 'global', { kind: 'otherCloud', environment: 'usGovL4' }),
    ]);
    assert.deepEqual(currentVerdict(state), { kind: 'otherCloud', environment: 'usGovL4' });
    assert.equal(suggestedEnvironment(state), 'usGovL4');
    const switched = update(state, { type: 'switchEnvironment' });
    assert.equal(switched.state!.draft.environment, 'usGovL4');
    assert.equal(currentVerdict(switched.state!), undefined, 'the old answer is about another environment');
    assert.ok(switched.effects.some((e) => e.type === 'lookUpLater'));
    assert.deepEqual(switched.effects.at(-1), { type: 'focus', selector: '#field-environment' });
  });

  it('a stale answer (the tenant changed meanwhile) is dropped; a changed tenant hides the old one', () => {
    const stale = run([
      edit('tenant', 'first.test'),
      edit('tenant', 'second.test'),
      answer('first.test', 'global', { kind: 'notFound' }),
    ]).state;
    assert.equal(currentVerdict(stale), undefined);
    const shown = run([edit('tenant', 'first.test'), answer('first.test', 'global', { kind: 'notFound' })]).state;
    assert.deepEqual(currentVerdict(shown), { kind: 'notFound' });
    assert.equal(currentVerdict(update(shown, edit('tenant', 'first.tes')).state!), undefined);
    // An unknown tenant is a note, not an error: saving still goes ahead.
    const filled = run([
      edit('name', 'Kept'),
      edit('tenant', 'first.test'),
      answer('first.test', 'global', { kind: 'notFound' }),
      { type: 'save' },
    ]);
    assert.equal(posts(filled.effects)[0]?.type, 'save');
  });

  it('Save posts `save` (not `submit`) with the same draft, validated first, and waits', () => {
    const invalid = run([{ type: 'save' }]);
    assert.deepEqual(posts(invalid.effects), [], 'an invalid draft is not sent');
    const { state, effects } = run([edit('name', 'Saved only'), { type: 'save' }]);
    const [message] = posts(effects);
    assert.equal(message.type, 'save');
    assert.equal(message.type === 'save' && message.draft.name, 'Saved only');
    assert.equal(state.phase, 'saving');
    const done = update(state, {
      type: 'host',
      message: { type: 'result', ok: true, message: 'Saved; not signed in.', connectionId: 'id-1' },
    });
    assert.equal(done.state!.phase, 'editing');
    assert.equal(done.state!.init.mode, 'edit');
  });

  it('a help link posts its topic id, never a URL', () => {
    const { effects } = run([{ type: 'openHelp', topic: 'registerApp' }]);
    assert.deepEqual(posts(effects), [{ type: 'openHelp', topic: 'registerApp' }]);
  });
});

describe('the protocol: the new messages from the webview are validated', () => {
  it('lookUpTenant: a tenant worth looking up and a known environment only', async () => {
    const { parseFormMessage } = await import('../../src/webview/protocol');
    assert.deepEqual(parseFormMessage({ type: 'lookUpTenant', tenant: ' contoso.com ', environment: 'global' }), {
      type: 'lookUpTenant',
      tenant: 'contoso.com',
      environment: 'global',
    });
    const refused: unknown[] = [
      { type: 'lookUpTenant', tenant: 'common', environment: 'global' },
      { type: 'lookUpTenant', tenant: 'contoso.com/../../x', environment: 'global' },
      { type: 'lookUpTenant', tenant: 'contoso.com\u202e', environment: 'global' },
      { type: 'lookUpTenant', tenant: 'contoso.com', environment: 'https://evil.test' },
      { type: 'lookUpTenant', tenant: 'contoso.com', environment: 'global', host: 'https://evil.test' },
      { type: 'lookUpTenant', tenant: 42, environment: 'global' },
      { type: 'openHelp', topic: 'https://evil.test' },
      { type: 'openHelp', topic: 'constructor' },
      { type: 'openHelp', topic: 'registerApp', url: 'https://evil.test' },
      { type: 'save', draft: emptyDraft() },
    ];
    for (const message of refused) assert.equal(parseFormMessage(message), undefined, JSON.stringify(message));
    assert.deepEqual(parseFormMessage({ type: 'openHelp', topic: 'nationalClouds' }), {
      type: 'openHelp',
      topic: 'nationalClouds',
    });
    assert.equal(parseFormMessage({ type: 'save', draft: emptyDraft(), useCertificateFile: false })?.type, 'save');
  });

  it('every help topic opens an https page on learn.microsoft.com, and nothing else opens', async () => {
    const { HELP_TOPICS, helpUrl } = await import('../../src/model/helpLinks');
    assert.ok(HELP_TOPICS.length >= 5);
    for (const topic of HELP_TOPICS) assert.match(helpUrl(topic)!, /^https:\/\/learn\.microsoft\.com\/entra\//, topic);
    for (const other of ['toString', '__proto__', 'https://learn.microsoft.com/x', undefined]) {
      assert.equal(helpUrl(other), undefined, String(other));
    }
  });
});
