import * as assert from 'node:assert/strict';
import { DEFAULT_PUBLIC_CLIENT_ID } from '../../src/model/authTypes';
import { emptyDraft, type ConnectionDraft, type DraftField } from '../../src/model/draft';
import { permissionPlan, planOfDraft } from '../../src/model/permissionPlan';
import { parseStoredConnection, isBroken } from '../../src/model/storedConnection';
import { signInChanges } from '../../src/model/signInIdentity';
import { draftFromConfig, validateDraft } from '../../src/model/validate';
import type { FormState, InitMessage } from '../../src/webview/form/model';
import { update, type Effect, type FormEvent } from '../../src/webview/form/update';

const GUID = '11111111-2222-3333-4444-555555555555';
const draft = (over: Partial<ConnectionDraft>): ConnectionDraft => ({ ...emptyDraft(), name: 'Work', ...over });
const warningTexts = (d: ConnectionDraft) =>
  (planOfDraft(d)?.warnings ?? []).map((w) => `${w.field}: ${w.message.text}`);

describe('permissions by operation: the plan, its reasons and its warnings (permissionPlan.ts)', () => {
  it('each requested permission says why: sign-in, the preset, an operation, an additional scope', () => {
    const plan = planOfDraft(draft({ operations: 'readMail profile', additionalScopes: 'User.Read.All' }))!;
    assert.equal(plan.kind, 'delegated');
    assert.equal(plan.configuredOnApp, false);
    assert.deepEqual(plan.requested, ['openid', 'offline_access', 'Mail.Read', 'User.Read', 'User.Read.All']);
    assert.deepEqual(
      plan.permissions.map((p) => [p.permission, p.reasons, p.adminConsent]),
      [
        ['openid', [{ kind: 'signIn' }], false],
        ['offline_access', [{ kind: 'signIn' }], false],
        [
          'Mail.Read',
          [
            { kind: 'preset', preset: 'minimal' },
            { kind: 'operation', operation: 'readMail' },
          ],
          false,
        ],
        ['User.Read', [{ kind: 'operation', operation: 'profile' }], false],
        ['User.Read.All', [{ kind: 'additional' }], true],
      ],
    );
  });

  it('a shared mailbox without a .Shared permission is warned about on its field; ticking the operation ends it', () => {
    assert.deepEqual(warningTexts(draft({ sharedMailbox: 'support@contoso.com' })), [
      'sharedMailbox: Reading the shared mailbox needs Mail.Read.Shared: tick \u201cRead a shared mailbox\u201d.',
    ]);
    assert.deepEqual(
      warningTexts(draft({ sharedMailbox: 'support@contoso.com', operations: 'readSharedMailbox' })),
      [],
    );
    assert.deepEqual(warningTexts(draft({ sharedMailbox: 'support@contoso.com', scopePreset: 'sharedMailbox' })), []);
    assert.deepEqual(warningTexts(draft({ operations: 'sendMail' })), [], 'no shared mailbox, no warning');
  });

  it('with a shared mailbox, sending, changing mail and calendars need their .Shared permissions', () => {
    const shared = { sharedMailbox: 'support@contoso.com', scopePreset: 'sharedMailbox' };
    assert.deepEqual(warningTexts(draft({ ...shared, operations: 'sendMail' })), [
      'operations: Sending from the shared mailbox needs Mail.Send.Shared: tick \u201cSend as or on behalf of a shared mailbox\u201d.',
    ]);
    assert.deepEqual(warningTexts(draft({ ...shared, operations: 'sendMail sendAsShared' })), []);
    assert.equal(warningTexts(draft({ ...shared, operations: 'writeMail readCalendars writeCalendars' })).length, 3);
    assert.deepEqual(
      warningTexts(draft({ ...shared, operations: 'writeMail writeSharedMailbox readCalendars readSharedCalendars' })),
      [],
    );
  });

  it('delegated change notifications cannot cover a shared mailbox (Graph: own mailbox only)', () => {
    const texts = warningTexts(
      draft({ sharedMailbox: 'support@contoso.com', operations: 'readSharedMailbox mailNotifications' }),
    );
    assert.equal(texts.length, 1);
    assert.match(texts[0], /^operations: Change notifications with delegated permissions cover only/);
  });

  it('app-only: requests /.default; shows the application permissions to grant, the seeds’ minimum when nothing is ticked', () => {
    const base = { authType: 'clientCredentials', sharedMailbox: 'support@contoso.com' };
    const none = planOfDraft(draft(base))!;
    assert.equal(none.kind, 'application');
    assert.equal(none.configuredOnApp, true);
    assert.deepEqual(none.requested, ['.default']);
    assert.deepEqual(
      none.permissions.map((p) => [p.permission, p.reasons, p.adminConsent]),
      [
        ['Mail.Read', [{ kind: 'sourceMinimum' }], true],
        ['User.Read.All', [{ kind: 'sourceMinimum' }], true],
      ],
    );
    assert.deepEqual(none.warnings, [], 'application permissions reach the shared mailbox');
    const ticked = planOfDraft(draft({ ...base, operations: 'readSharedMailbox sendAsShared' }))!;
    assert.deepEqual(
      ticked.permissions.map((p) => p.permission),
      ['Mail.Read', 'Mail.Send'],
    );
  });

  it('your own app with /.default: asks for the configured permissions, lists what the app registration needs', () => {
    const plan = permissionPlan({
      authType: 'byoApp',
      preset: 'appDefault',
      operations: ['readMail', 'profile'],
      additional: [],
      sharedMailbox: 'support@contoso.com',
    });
    assert.deepEqual(plan.requested, ['openid', 'offline_access', '.default']);
    assert.equal(plan.configuredOnApp, true);
    assert.deepEqual(
      plan.permissions.map((p) => p.permission),
      ['Mail.Read', 'User.Read'],
    );
  });
});

describe('permissions by operation: validation and storage', () => {
  it('operations are stored with the connection (in scopes, or beside them for app-only) and come back to Edit', () => {
    const delegated = validateDraft(draft({ operations: 'sendMail readMail' }));
    assert.ok(delegated.ok);
    assert.deepEqual(delegated.config.authType === 'authCode' && delegated.config.scopes, {
      preset: 'minimal',
      operations: ['readMail', 'sendMail'],
      additional: [],
    });
    assert.equal(draftFromConfig(delegated.config).operations, 'readMail sendMail');

    const appOnly = validateDraft(
      draft({
        authType: 'clientCredentials',
        clientId: GUID,
        clientSecret: 's',
        tenant: 'contoso.com',
        account: 'a@contoso.com',
        operations: 'readMail',
      }),
    );
    assert.ok(appOnly.ok);
    assert.deepEqual(appOnly.config.authType === 'clientCredentials' && appOnly.config.operations, ['readMail']);
    assert.equal(draftFromConfig(appOnly.config).operations, 'readMail');
  });

  it('a connection stored before operations loads unchanged: nothing derived, its scopes kept', () => {
    const stored = {
      id: 'c1',
      name: 'Old',
      authType: 'authCode',
      environment: 'global',
      tenant: 'organizations',
      publicClientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
      scopes: { preset: 'sharedMailbox', additional: ['Mail.Send'] },
      signInMethod: 'auto',
    };
    const config = parseStoredConnection(stored, 0);
    assert.ok(!isBroken(config));
    assert.equal(draftFromConfig(config).operations, '');
    const again = validateDraft(draftFromConfig(config), { existing: config });
    assert.ok(again.ok);
    assert.deepEqual(again.config, config, 'saved again without a change, it is stored as it was');
    assert.ok(isBroken(parseStoredConnection({ ...stored, scopes: { ...stored.scopes, operations: 'readMail' } }, 0)));
    assert.ok(!isBroken(parseStoredConnection({ ...stored, scopes: { ...stored.scopes, operations: ['later'] } }, 0)));
  });

  it('the shared-mailbox warning comes from the validator too (the extension and the form say the same)', () => {
    const result = validateDraft(draft({ sharedMailbox: 'support@contoso.com' }));
    assert.ok(result.ok, 'a warning, not an error');
    assert.match(result.warnings.sharedMailbox?.text ?? '', /needs Mail\.Read\.Shared/);
    assert.equal(
      validateDraft(draft({ sharedMailbox: 'support@contoso.com', operations: 'readSharedMailbox' })).warnings
        .sharedMailbox,
      undefined,
    );
  });

  it('/.default only for your own app, and alone; Custom takes operations instead of scopes', () => {
    const own = { authType: 'byoApp', clientId: GUID, scopePreset: 'appDefault' };
    assert.ok(validateDraft(draft(own)).ok);
    const combined = validateDraft(draft({ ...own, additionalScopes: 'Mail.Send' }));
    assert.ok(!combined.ok && combined.errors.additionalScopes);
    const publicApp = validateDraft(draft({ scopePreset: 'appDefault' }));
    assert.ok(!publicApp.ok && publicApp.errors.scopePreset);
    assert.ok(validateDraft(draft({ scopePreset: 'custom', operations: 'readMail' })).ok);
    assert.ok(!validateDraft(draft({ scopePreset: 'custom' })).ok);
  });

  it('ticking an operation that adds a permission signs the connection out on save; one that adds none does not', () => {
    const stored = draft({ scopePreset: 'minimal' });
    assert.deepEqual(signInChanges(stored, { ...stored, operations: 'sendMail' }, []), ['operations']);
    assert.deepEqual(
      signInChanges(stored, { ...stored, operations: 'readMail' }, []),
      [],
      'Mail.Read is requested already',
    );
    const app = draft({ authType: 'clientCredentials', account: 'a@contoso.com' });
    assert.deepEqual(
      signInChanges(app, { ...app, operations: 'sendMail' }, []),
      [],
      'app-only asks for /.default anyway',
    );
  });
});

describe('permissions by operation in the form (update)', () => {
  const init = (over: Partial<InitMessage> = {}): InitMessage => ({
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
    ...over,
  });
  function after(events: FormEvent[], first = init()): { state: FormState; effects: Effect[] } {
    let result = update(undefined, { type: 'start', init: first });
    for (const event of events) result = update(result.state, event);
    return { state: result.state!, effects: result.effects };
  }
  const edit = (field: DraftField, value: string): FormEvent => ({ type: 'edit', field, value });

  it('ticking an operation validates at once and is kept (setState), and the submit carries it', () => {
    const ticked = after([edit('name', 'Work'), edit('operations', 'readSharedMailbox')]);
    assert.deepEqual(ticked.effects, [{ type: 'persist' }, { type: 'validatedNow' }]);
    const submitted = update(ticked.state, { type: 'submit' });
    const message = submitted.effects.find((e) => e.type === 'post');
    assert.ok(message && message.type === 'post' && message.message.type === 'submit');
    assert.equal(message.message.draft.operations, 'readSharedMailbox');
  });

  it('the shared-mailbox warning shows on the field as soon as the mailbox is typed, and goes with the operation', () => {
    const typed = after([edit('sharedMailbox', 'support@contoso.com'), { type: 'validate' }]);
    assert.match(typed.state.warnings.sharedMailbox?.text ?? '', /Mail\.Read\.Shared/);
    const fixed = update(typed.state, edit('operations', 'readSharedMailbox')).state!;
    assert.equal(fixed.warnings.sharedMailbox, undefined);
  });

  it('Edit shows the operations stored with the connection', () => {
    const stored = draft({ operations: 'readMail sendMail' });
    const { state } = after([], init({ mode: 'edit', draft: stored }));
    assert.equal(state.draft.operations, 'readMail sendMail');
  });
});
