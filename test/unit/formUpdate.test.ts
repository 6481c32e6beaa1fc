import * as assert from 'node:assert/strict';
import { DEFAULT_PUBLIC_CLIENT_ID } from '../../src/model/authTypes';
import { emptyDraft, type DraftField } from '../../src/model/draft';
import type { FormState, InitMessage } from '../../src/webview/form/model';
import { update, type Effect, type FormEvent } from '../../src/webview/form/update';

const GUID = '11111111-2222-3333-4444-555555555555';
const init = (overrides: Partial<InitMessage> = {}): InitMessage => ({
  type: 'init',
  mode: 'add',
  draft: emptyDraft(),
  storedSecrets: [],
  environments: [
    {
      id: 'global',
      label: 'Office 365',
      loginEndpoint: 'https://login.microsoftonline.com',
      graphEndpoint: 'https://graph.microsoft.com',
    },
  ],
  otherNames: [],
  defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID,
  remote: false,
  l10n: {},
  ...overrides,
});

/** Runs events from a fresh form; the state and the effects of the last event. */
function after(events: FormEvent[], first: InitMessage = init()): { state: FormState; effects: Effect[] } {
  let result = update(undefined, { type: 'start', init: first });
  for (const event of events) result = update(result.state, event);
  return { state: result.state!, effects: result.effects };
}
const posts = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'post' ? [e.message] : []));
const edit = (field: DraftField, value: string): FormEvent => ({ type: 'edit', field, value });

describe('the form as update(state, event)', () => {
  it('start: the saved draft comes back without any secret; the auth type gets the focus', () => {
    const saved = { mode: 'add' as const, draft: { name: 'Kept', password: 'leaked?', authType: 'ropc' } };
    const { state, effects } = update(undefined, { type: 'start', init: init(), saved });
    assert.equal(state!.draft.name, 'Kept');
    assert.equal(state!.draft.authType, 'ropc');
    assert.equal(state!.draft.password, '', 'a secret is never restored from setState');
    assert.deepEqual(effects, [{ type: 'title' }, { type: 'focus', selector: '#field-authType' }]);
  });

  it("typing clears the field's message at once and speaks again only after the pause", () => {
    const typed = after([edit('name', 'x'), edit('name', '')]);
    assert.equal(typed.state.errors.name, undefined, 'no message while typing');
    assert.deepEqual(typed.effects, [{ type: 'persist' }, { type: 'validateLater' }]);
    const paused = update(typed.state, { type: 'validate' });
    assert.ok(paused.state!.errors.name, 'the pause brings the message');
    assert.ok(paused.state!.touched.has('name'));
  });

  it('a choice validates at once; a new auth type hides the messages of fields not yet touched', () => {
    const { state, effects } = after([{ type: 'submit' }, edit('authType', 'clientCredentials')]);
    assert.deepEqual(effects, [{ type: 'persist' }, { type: 'validatedNow' }]);
    assert.equal(state.showAll, false);
    assert.ok(state.errors.clientId, 'the validator ran');
  });

  it('update never changes the state it is given, and returns it as is when nothing happens', () => {
    const before = after([]).state;
    const snapshot = JSON.stringify({ ...before, touched: [...before.touched], edited: [...before.edited] });
    update(before, edit('name', 'New'));
    update(before, { type: 'submit' });
    assert.equal(JSON.stringify({ ...before, touched: [...before.touched], edited: [...before.edited] }), snapshot);
    assert.equal(update(before, edit('name', '')).state, before, 'the same value is no change');
    assert.equal(
      update(before, { type: 'leave', field: 'name' }).state,
      before,
      'leaving an untouched field is no change',
    );
  });

  it('submit with errors posts nothing and focuses the first field with a message', () => {
    const { state, effects } = after([{ type: 'submit' }]);
    assert.deepEqual(posts(effects), []);
    assert.equal(state.phase, 'editing');
    assert.ok(effects.some((e) => e.type === 'focus' && e.selector === '#field-name'));
  });

  it("submit sends only the chosen auth type's fields (no secret typed for another type), then waits", () => {
    const { state, effects } = after([
      edit('authType', 'ropc'),
      edit('password', 'p'),
      edit('authType', 'authCode'),
      edit('name', 'Work'),
      { type: 'submit' },
    ]);
    const [message] = posts(effects);
    assert.equal(message?.type, 'submit');
    assert.equal(message.type === 'submit' && message.draft.password, '');
    assert.equal(state.phase, 'saving');
    assert.equal(update(state, edit('name', 'Other')).state, state, 'no edits while saving');
  });

  it('cancel is sent once while busy', () => {
    const busy = after([
      edit('name', 'Work'),
      { type: 'submit' },
      { type: 'host', message: { type: 'busy', message: 'Signing in' } },
    ]);
    assert.deepEqual(busy.effects, [{ type: 'focus', selector: '#cancel' }]);
    const cancelled = update(busy.state, { type: 'cancel' });
    assert.deepEqual(posts(cancelled.effects), [{ type: 'cancel' }]);
    assert.deepEqual(posts(update(cancelled.state, { type: 'cancel' }).effects), []);
  });

  it('a saved connection forgets its typed secrets and is edited from then on', () => {
    const typed = [
      edit('authType', 'clientCredentials'),
      edit('name', 'App'),
      edit('clientId', GUID),
      edit('clientSecret', 's3cret'),
      edit('tenant', 'contoso.com'),
      edit('account', 'a@contoso.com'),
    ];
    const { state, effects } = after([
      ...typed,
      { type: 'submit' },
      { type: 'host', message: { type: 'result', ok: true, message: 'Connected', connectionId: 'c1' } },
    ]);
    assert.equal(state.draft.clientSecret, '');
    assert.deepEqual(state.init.storedSecrets, ['clientSecret']);
    assert.equal(state.init.mode, 'edit');
    assert.deepEqual(state.status, { kind: 'success', text: 'Connected' });
    assert.deepEqual(effects, [{ type: 'title' }, { type: 'persist' }, { type: 'focus', selector: '#status' }]);
  });

  it("the extension's messages for fields not on the form become the status, translated", () => {
    const { state, effects } = after(
      [{ type: 'host', message: { type: 'validation', errors: { password: 'Not here' } } }],
      init({ l10n: { 'The connection was not saved.': 'Nicht gespeichert.' } }),
    );
    assert.deepEqual(state.status, { kind: 'error', text: 'Nicht gespeichert.', details: ['Not here'] });
    assert.ok(effects.some((e) => e.type === 'focus'));
  });

  it('the copied note goes away when its time is up', () => {
    const { state, effects } = after([{ type: 'host', message: { type: 'copied', what: 'redirectUri' } }]);
    assert.equal(state.copied, 'redirectUri');
    assert.deepEqual(effects, [{ type: 'copiedLater' }]);
    assert.equal(update(state, { type: 'copiedExpired' }).state!.copied, undefined);
  });
});
