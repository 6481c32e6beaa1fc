import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FactsFile } from '../../src/connections/factsFile';
import { describeProblem } from '../../src/connections/storedFile';

describe('facts file', () => {
  let dir: string;
  let file: string;
  let warnings: string[];
  let writes: number;
  const open = () =>
    new FactsFile(
      file,
      (p) => warnings.push(describeProblem(p)),
      () => writes++,
    );
  const onDisk = async () =>
    JSON.parse(await readFile(file, 'utf8')) as { version: number; facts: Record<string, unknown> };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outlook365-facts-'));
    file = path.join(dir, 'globalStorage', 'facts.json');
    warnings = [];
    writes = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts empty without a file, and creates folder and file on the first write', async () => {
    const facts = open();
    await facts.load();
    assert.deepEqual(facts.ids(), []);
    facts.set('a', { signedIn: true, account: 'adele@contoso.test' });
    assert.equal(facts.get('a')?.account, 'adele@contoso.test', 'visible at once, before the write');
    await facts.flush();
    assert.deepEqual(await onDisk(), { version: 1, facts: { a: { signedIn: true, account: 'adele@contoso.test' } } });
    assert.deepEqual(warnings, []);
  });

  it('batches changes made together into one write, and leaves no temporary file', async () => {
    const facts = open();
    await facts.load();
    for (let i = 0; i < 50; i++) facts.set(`c${i}`, { signedIn: true });
    facts.set('c0', { signedIn: false });
    await facts.flush();
    assert.equal(writes, 1);
    assert.equal(Object.keys((await onDisk()).facts).length, 50);
    assert.deepEqual((await onDisk()).facts.c0, { signedIn: false });
    assert.deepEqual(await readdir(path.dirname(file)), ['facts.json']);
    await facts.flush();
    assert.equal(writes, 1, 'nothing pending, nothing written');
  });

  it('writes by itself shortly after a change, without flush()', async () => {
    const facts = open();
    facts.set('a', { signedIn: true });
    const deadline = Date.now() + 5000;
    while (writes === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(writes, 1);
    assert.deepEqual((await onDisk()).facts, { a: { signedIn: true } });
  });

  it('two windows writing keep each other’s facts of other connections', async () => {
    const one = open();
    const two = open();
    await Promise.all([one.load(), two.load()]);
    one.set('a', { account: 'from one' });
    two.set('b', { account: 'from two' });
    await one.flush();
    await two.flush();
    assert.deepEqual((await onDisk()).facts, { a: { account: 'from one' }, b: { account: 'from two' } });
    two.delete('a');
    await two.flush();
    assert.deepEqual((await onDisk()).facts, { b: { account: 'from two' } });
    await one.load();
    assert.equal(one.get('a'), undefined);
    assert.equal(one.get('b')?.account, 'from two');
  });

  it('load() keeps what this window changed and has not written yet', async () => {
    const other = open();
    other.set('a', { account: 'other' });
    other.set('b', { account: 'other' });
    await other.flush();
    const facts = open();
    facts.set('a', { account: 'mine' });
    await facts.load();
    assert.equal(facts.get('a')?.account, 'mine');
    assert.equal(facts.get('b')?.account, 'other');
    await facts.flush(); // its pending write, before the folder is removed
  });

  it('a load() while this window’s write is under way keeps what is being written', async () => {
    const facts = open();
    facts.set('a', { account: 'v1' });
    await facts.flush();
    facts.set('a', { account: 'v2' });
    const writing = facts.flush();
    const loading = facts.load(); // reads the file while v2 is not on disk yet
    await Promise.all([writing, loading]);
    assert.equal(facts.get('a')?.account, 'v2');
    assert.deepEqual((await onDisk()).facts, { a: { account: 'v2' } });
  });

  describe('read on first use (activation, loadOnFirstUse)', () => {
    const write = async (body: unknown) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(body));
    };
    const until = async (what: string, ok: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!ok()) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    it('reads the file when facts are first asked for, not before; a change made first is kept', async () => {
      const facts = open();
      facts.loadOnFirstUse();
      await write({ version: 1, facts: { a: { account: 'a@contoso.test' }, b: { account: 'b@contoso.test' } } });
      assert.equal(await facts.changedElsewhere(), false, 'not read yet: nothing to compare');
      facts.set('b', { account: 'mine@contoso.test' });
      assert.equal(facts.get('a')?.account, 'a@contoso.test', 'written after loadOnFirstUse: read on first use');
      assert.equal(facts.get('b')?.account, 'mine@contoso.test', 'this window’s change wins');
      await facts.flush();
      assert.deepEqual(Object.keys((await onDisk()).facts).sort(), ['a', 'b']);
      assert.deepEqual(warnings, []);
    });

    it('a newer version: read as far as understood, reported, and never written', async () => {
      const facts = open();
      facts.loadOnFirstUse();
      await write({ version: 9, facts: { a: { account: 'a@contoso.test' } } });
      assert.equal(facts.get('a')?.account, 'a@contoso.test');
      assert.equal(facts.readOnly, 9);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /newer version/);
    });

    it('a damaged file: no facts at first use, then kept aside and reported as a load does', async () => {
      const facts = open();
      facts.loadOnFirstUse();
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, '{"version": 1, "facts": ');
      assert.deepEqual(facts.ids(), []);
      await until('the damaged file to be kept aside', () => warnings.some((w) => /damaged/.test(w)));
      assert.ok(
        (await readdir(path.dirname(file))).some((f) => f.startsWith('facts.json.corrupt-')),
        'kept aside, not overwritten',
      );
    });
  });

  it('a damaged file is reported (without its content) and read as empty, then replaced', async () => {
    await writeFile(path.join(dir, 'damaged.json'), '{"version":1,"facts":{"a":{"account":"secret-looking');
    file = path.join(dir, 'damaged.json');
    const facts = open();
    await facts.load();
    assert.deepEqual(facts.ids(), []);
    assert.equal(warnings.length, 1);
    assert.doesNotMatch(warnings[0], /secret-looking/);
    facts.set('b', { signedIn: true });
    await facts.flush();
    assert.deepEqual((await onDisk()).facts, { b: { signedIn: true } });
  });

  it('a failed write is reported, kept in memory and written with the next change', async () => {
    // The folder cannot be created while a file stands where it should be (fails for root as well).
    const blocker = path.dirname(file);
    await writeFile(blocker, '');
    const facts = open();
    facts.set('a', { signedIn: true });
    await facts.flush();
    assert.ok(
      warnings.some((w) => /could not write/.test(w)),
      warnings.join('\n'),
    );
    assert.equal(facts.get('a')?.signedIn, true);
    await rm(blocker);
    facts.set('b', { signedIn: true });
    await facts.flush();
    assert.deepEqual(Object.keys((await onDisk()).facts).sort(), ['a', 'b']);
  });
});
