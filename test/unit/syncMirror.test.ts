import * as assert from 'node:assert/strict';
import { isBroken, parseStoredConnection } from '../../src/model/storedConnection';
import {
  mergeMirrors,
  mirrorOf,
  parseMirror,
  planSync,
  TOMBSTONE_DAYS,
  type Mirror,
  type SyncRecord,
} from '../../src/model/syncMirror';
import { requiredSecrets, secretsMissing } from '../../src/model/secretsNeeded';

/** Settings Sync's merge of connection definitions (src/model/syncMirror.ts), machine by machine. */
describe('Settings Sync mirror of the connections', () => {
  const t = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));
  const syncable = (r: SyncRecord) => !isBroken(parseStoredConnection(r, 0));
  const conn = (id: string, name = id, extra: Record<string, unknown> = {}): SyncRecord => ({
    id,
    name,
    authType: 'clientCredentials',
    environment: 'global',
    tenant: 'contoso.onmicrosoft.com',
    clientId: '00000000-0000-4000-8000-000000000001',
    account: 'adele@contoso.test',
    ...extra,
  });
  /** One machine: its connections.json and the mirror it agreed on last. */
  class Machine {
    base: Mirror | undefined;
    constructor(public records: SyncRecord[]) {}
    /** Reconciles with the key's value as Settings Sync left it; returns what it writes into the key. */
    sync(key: Mirror | undefined, now: Date): Mirror {
      const arrived = key && JSON.stringify(key) !== JSON.stringify(this.base) ? key : undefined;
      const plan = planSync(this.records, syncable, this.base, arrived, now);
      if (plan.records) this.records = plan.records;
      this.base = plan.mirror;
      return plan.mirror;
    }
    names(): string[] {
      return this.records.map((r) => r.name as string).sort();
    }
  }

  it('a connection new on one machine arrives on the other; its changes follow (same id)', () => {
    const a = new Machine([conn('a1', 'Work')]);
    const b = new Machine([]);
    const key = a.sync(undefined, t(0));
    b.sync(key, t(1));
    assert.deepEqual(b.names(), ['Work']);
    a.records = [conn('a1', 'Work renamed')];
    const plan = planSync(b.records, syncable, b.base, a.sync(b.base, t(2)), t(3));
    assert.deepEqual(plan.updated, ['a1']);
    assert.equal(plan.records?.[0].name, 'Work renamed');
  });

  it('concurrent changes to different connections both survive (Settings Sync keeps only one value of the key)', () => {
    const a = new Machine([conn('x', 'X'), conn('y', 'Y')]);
    const b = new Machine([]);
    b.sync(a.sync(undefined, t(0)), t(1));
    a.records = [conn('x', 'X by A'), conn('y', 'Y')];
    b.records = [conn('x', 'X'), conn('y', 'Y by B')];
    const fromA = a.sync(a.base, t(2));
    const fromB = b.sync(b.base, t(3));
    // The key ends up with B's value; A merges it, then B merges A's answer.
    const answer = a.sync(fromB, t(4));
    b.sync(answer, t(5));
    assert.deepEqual(a.names(), ['X by A', 'Y by B']);
    assert.deepEqual(b.names(), ['X by A', 'Y by B']);
    assert.ok(fromA);
  });

  it('a deletion travels to a machine that had the connection from sync, and is not undone by it', () => {
    const a = new Machine([conn('a1'), conn('a2')]);
    const b = new Machine([]);
    b.sync(a.sync(undefined, t(0)), t(1));
    b.records = b.records.filter((r) => r.id !== 'a2'); // deleted on B
    const fromB = b.sync(b.base, t(2));
    a.sync(fromB, t(3));
    assert.deepEqual(a.names(), ['a1'], 'deleted on A too, though A made it');
    const back = a.sync(a.base, t(4));
    b.sync(back, t(5));
    assert.deepEqual(b.names(), ['a1'], 'and it does not come back to B');
  });

  it('never deletes a connection this machine never had in a mirror, even with another machine’s clock ahead', () => {
    const b = new Machine([conn('local', 'Made here while sync was off')]);
    const remote: Mirror = { version: 1, entries: [{ id: 'local', at: t(59).toISOString() }] };
    const out = b.sync(remote, t(1));
    assert.deepEqual(b.names(), ['Made here while sync was off']);
    const entry = out.entries.find((e) => e.id === 'local');
    assert.ok(entry?.config, 'it goes out again');
    assert.ok(Date.parse(entry.at) > Date.parse(t(59).toISOString()), 'later than the deletion, so it wins elsewhere');
  });

  it('an absent or emptied key (the other machine turned sync off) deletes nothing', () => {
    const a = new Machine([conn('a1')]);
    const b = new Machine([]);
    b.sync(a.sync(undefined, t(0)), t(1));
    b.sync(undefined, t(2));
    assert.deepEqual(b.names(), ['a1']);
    b.sync({ version: 1, entries: [] }, t(3));
    assert.deepEqual(b.names(), ['a1']);
  });

  it('keeps damaged local records as they are, and applies no remote configuration it cannot read', () => {
    const broken: SyncRecord = { id: 'broken', name: 'Broken', authType: 'unknown' };
    const b = new Machine([broken]);
    const remote: Mirror = {
      version: 1,
      entries: [
        { id: 'broken', at: t(30).toISOString(), config: conn('broken', 'Readable') },
        { id: 'odd', at: t(30).toISOString(), config: { id: 'odd', name: 'Odd', authType: 'nope' } },
      ],
    };
    const plan = planSync(b.records, syncable, undefined, remote, t(1));
    assert.equal(plan.records, undefined, 'nothing to write');
    assert.deepEqual([plan.added, plan.updated, plan.removed], [[], [], []]);
  });

  it('carries no field named like a secret, and refuses entries that are not a mirror’s', () => {
    const leaky = conn('a1', 'Leaky', { clientSecret: 's3cret', password: 'pw', certificate: 'pfx' });
    const mirror = mirrorOf([leaky], syncable, undefined, t(0));
    assert.doesNotMatch(JSON.stringify(mirror), /s3cret|"pw"|"pfx"|clientSecret|password|certificate"/);
    const parsed = parseMirror({
      version: 1,
      entries: [
        { id: 'ok', at: t(0).toISOString(), config: { ...conn('ok'), password: 'pw' } },
        { id: '__proto__', at: t(0).toISOString() },
        { id: 'wrong-id', at: t(0).toISOString(), config: conn('other') },
        { id: 'no-time', config: conn('no-time') },
        'not an entry',
      ],
    });
    assert.ok(parsed && parsed !== 'newer');
    assert.deepEqual(
      parsed.entries.map((e) => e.id),
      ['ok'],
    );
    assert.equal(parsed.entries[0].config?.password, undefined);
    assert.equal(parseMirror({ version: 2, entries: [] }), 'newer');
    assert.equal(parseMirror('garbage'), undefined);
  });

  it('forgets a deletion after TOMBSTONE_DAYS', () => {
    const old: Mirror = { version: 1, entries: [{ id: 'gone', at: t(0).toISOString() }] };
    const later = new Date(t(0).getTime() + (TOMBSTONE_DAYS + 1) * 24 * 60 * 60 * 1000);
    assert.deepEqual(mergeMirrors({ version: 1, entries: [] }, old, later).entries, []);
  });

  it('an unchanged configuration keeps its time (nothing to push when nothing changed)', () => {
    const first = mirrorOf([conn('a1')], syncable, undefined, t(0));
    const again = mirrorOf([conn('a1')], syncable, first, t(9));
    assert.deepEqual(again, first);
  });

  it('knows which secrets a connection cannot sign in without', () => {
    const cc = parseStoredConnection(conn('cc'), 0);
    assert.ok(!isBroken(cc));
    assert.deepEqual(requiredSecrets(cc), ['clientSecret']);
    assert.equal(secretsMissing(cc, []), true);
    assert.equal(secretsMissing(cc, ['clientSecret']), false);
  });
});
