import * as assert from 'node:assert/strict';
import {
  APP_ONLY_SOURCE_MINIMUM,
  KNOWN_PERMISSIONS,
  OPERATION_IDS,
  OPERATION_PERMISSIONS,
  type KnownPermission,
} from '../../src/model/graphPermissions';
import {
  allows,
  derivePermissions,
  parseOperations,
  withOperation,
  type OperationId,
} from '../../src/model/operations';
import { summarizeScopes } from '../../src/model/scopes';

const known = KNOWN_PERMISSIONS as Readonly<Record<string, KnownPermission>>;

/**
 * The privilege a permission name says, per Microsoft Graph's naming: `{resource}.{access}[.{scope}]`,
 * access ReadBasic < Read < ReadWrite (Send stands alone), scope own < Shared < All.
 */
function privilege(name: string): { resource: string; access: number; scope: number } {
  const [resource, access, scope = ''] = name.split('.');
  return {
    resource,
    access: ['ReadBasic', 'Read', 'ReadWrite', 'Send'].indexOf(access),
    scope: ['', 'Shared', 'All'].indexOf(scope),
  };
}

describe('permissions by operation: the data (graphPermissions.ts)', () => {
  it('names only permissions of its source list, each with the scheme its kind needs', () => {
    for (const id of OPERATION_IDS) {
      for (const kind of ['delegated', 'application'] as const) {
        const { least, higher, requests } = OPERATION_PERMISSIONS[id][kind];
        for (const name of [least, ...higher]) {
          assert.ok(known[name], `${id} ${kind}: ${name} is in KNOWN_PERMISSIONS`);
          assert.ok(
            kind === 'delegated' ? known[name].delegated : known[name].application,
            `${id}: ${name} has a ${kind} scheme in permissions.json`,
          );
        }
        assert.ok(requests.length > 0 && requests.every((r) => /^(GET|POST|PATCH) \//.test(r)), `${id}: requests`);
      }
    }
    for (const name of APP_ONLY_SOURCE_MINIMUM) assert.ok(known[name].application, name);
  });

  it('least privileged ≤ each higher privileged one (same resource, no less access or reach, not the same)', () => {
    for (const id of OPERATION_IDS) {
      for (const kind of ['delegated', 'application'] as const) {
        const { least, higher } = OPERATION_PERMISSIONS[id][kind];
        assert.ok(!higher.includes(least), `${id} ${kind}: the least is not also higher`);
        assert.equal(new Set(higher).size, higher.length, `${id} ${kind}: no duplicate`);
        const l = privilege(least);
        for (const h of higher.map(privilege)) {
          // An application permission reaches every mailbox whatever its name says (Mail.ReadBasic.All < Mail.Read).
          const reach = kind === 'application' ? 0 : h.scope - l.scope;
          assert.equal(h.resource, l.resource, `${id} ${kind}: ${least} and its higher ones are of one resource`);
          assert.ok(h.access >= l.access && reach >= 0 && h.access - l.access + reach > 0, `${id} ${kind}: ${least}`);
        }
      }
    }
  });

  it('every known permission is used, and the names look like Graph permissions', () => {
    const used = new Set<string>(APP_ONLY_SOURCE_MINIMUM);
    for (const id of OPERATION_IDS) {
      for (const kind of ['delegated', 'application'] as const) {
        const { least, higher } = OPERATION_PERMISSIONS[id][kind];
        [least, ...higher].forEach((n) => used.add(n));
      }
    }
    assert.deepEqual([...used].sort(), Object.keys(known).sort());
    for (const name of Object.keys(known)) assert.match(name, /^[A-Z][A-Za-z]+\.[A-Za-z]+(\.[A-Za-z]+)?$/);
  });

  it('the reference’s least privileged answers for the operations the issue names', () => {
    const least = (id: OperationId, kind: 'delegated' | 'application') => OPERATION_PERMISSIONS[id][kind].least;
    assert.equal(least('readMail', 'delegated'), 'Mail.Read');
    assert.equal(least('readMail', 'application'), 'Mail.Read');
    assert.equal(least('readSharedMailbox', 'delegated'), 'Mail.Read.Shared');
    assert.equal(least('sendAsShared', 'delegated'), 'Mail.Send.Shared');
    assert.equal(least('sendAsShared', 'application'), 'Mail.Send');
    assert.equal(least('readMailboxSettings', 'delegated'), 'MailboxSettings.Read');
    assert.equal(least('writeMailboxSettings', 'delegated'), 'MailboxSettings.ReadWrite');
    assert.equal(least('mailNotifications', 'delegated'), 'Mail.ReadBasic');
    assert.equal(least('eventNotifications', 'delegated'), 'Calendars.Read');
    assert.equal(least('profile', 'delegated'), 'User.Read');
    assert.deepEqual(APP_ONLY_SOURCE_MINIMUM, ['Mail.Read', 'User.Read.All']);
  });
});

describe('permissions by operation: the derivation (operations.ts)', () => {
  const names = (ops: OperationId[], kind: 'delegated' | 'application' = 'delegated') =>
    derivePermissions(ops, kind).map((d) => d.permission);

  it('one operation: its least privileged permission', () => {
    for (const id of OPERATION_IDS) {
      assert.deepEqual(names([id]), [OPERATION_PERMISSIONS[id].delegated.least], id);
      assert.deepEqual(names([id], 'application'), [OPERATION_PERMISSIONS[id].application.least], id);
    }
  });

  it('a permission needed anyway replaces a lower one, and says which operations it is for', () => {
    assert.deepEqual(derivePermissions(['readMail', 'writeMail'], 'delegated'), [
      { permission: 'Mail.ReadWrite', operations: ['readMail', 'writeMail'] },
    ]);
    assert.deepEqual(derivePermissions(['readMail', 'mailNotifications'], 'delegated'), [
      { permission: 'Mail.Read', operations: ['readMail', 'mailNotifications'] },
    ]);
    assert.deepEqual(names(['readMailboxSettings', 'writeMailboxSettings']), ['MailboxSettings.ReadWrite']);
    assert.deepEqual(names(['readMail', 'readSharedMailbox', 'sendMail']), [
      'Mail.Read',
      'Mail.Read.Shared',
      'Mail.Send',
    ]);
    // App-only: one application permission reaches every mailbox, shared ones included.
    assert.deepEqual(names(['readMail', 'readSharedMailbox', 'profile'], 'application'), [
      'Mail.Read',
      'User.ReadBasic.All',
    ]);
  });

  it('for every pair of operations: each one allowed, nothing redundant, nothing but least privileged ones', () => {
    for (const kind of ['delegated', 'application'] as const) {
      for (const a of OPERATION_IDS) {
        for (const b of OPERATION_IDS) {
          const derived = names([a, b], kind);
          for (const op of [a, b]) assert.ok(allows(derived, op, kind), `${kind} ${a}+${b}: ${op} allowed`);
          for (const p of derived) {
            const without = derived.filter((d) => d !== p);
            assert.ok(!(allows(without, a, kind) && allows(without, b, kind)), `${kind} ${a}+${b}: ${p} needed`);
            assert.ok(
              [a, b].some((op) => OPERATION_PERMISSIONS[op][kind].least === p),
              `${kind} ${a}+${b}: ${p} is an operation's least`,
            );
          }
        }
      }
    }
  });

  it('the draft keeps operations as known ids, once each, in table order', () => {
    assert.deepEqual(parseOperations('sendMail readMail bogus readMail'), ['readMail', 'sendMail']);
    assert.deepEqual(parseOperations(['profile', 42, 'nope']), ['profile']);
    assert.equal(withOperation('sendMail', 'readMail', true), 'readMail sendMail');
    assert.equal(withOperation('readMail sendMail', 'readMail', false), 'sendMail');
  });

  it('the requested scopes: the preset, the operations’ permissions, the additional ones; /.default alone', () => {
    assert.deepEqual(summarizeScopes({ preset: 'minimal', additional: [] }), ['openid', 'offline_access', 'Mail.Read']);
    assert.deepEqual(
      summarizeScopes({ preset: 'minimal', operations: ['readSharedMailbox', 'profile'], additional: ['Mail.Send'] }),
      ['openid', 'offline_access', 'Mail.Read', 'Mail.Read.Shared', 'User.Read', 'Mail.Send'],
    );
    assert.deepEqual(summarizeScopes({ preset: 'custom', operations: ['sendMail'], additional: [] }), ['Mail.Send']);
    assert.deepEqual(
      summarizeScopes({ preset: 'appDefault', operations: ['sendMail'], additional: ['Mail.Send'] }),
      ['openid', 'offline_access', '.default'],
      'nothing is added to /.default (Entra refuses it: AADSTS70011)',
    );
  });
});
