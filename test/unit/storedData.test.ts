import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConnectionsFile } from '../../src/connections/connectionsFile';
import { FactsFile } from '../../src/connections/factsFile';
import { NewerVersionError, type StoreProblem } from '../../src/connections/storedFile';
import { isBroken, parseStoredConnection } from '../../src/model/storedConnection';

const VALID = {
  name: 'Service',
  authType: 'clientCredentials',
  environment: 'global',
  tenant: 'contoso.test',
  clientId: '11111111-1111-4111-8111-111111111111',
  account: 'adele@contoso.test',
};

describe('stored data: versions, damaged and foreign files', () => {
  let dir: string;
  let file: string;
  let problems: StoreProblem[];
  const connections = () => new ConnectionsFile(file, (p) => problems.push(p));
  const write = (document: unknown) =>
    writeFile(file, typeof document === 'string' ? document : JSON.stringify(document));
  const onDisk = async () =>
    JSON.parse(await readFile(file, 'utf8')) as { version: number; connections: Record<string, unknown>[] };
  const keptAside = async () => (await readdir(dir)).filter((f) => f.includes('.corrupt-'));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outlook365-stored-'));
    file = path.join(dir, 'connections.json');
    problems = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a list that is not a list is kept aside untouched and reported; saving works after it', async () => {
    const damaged = JSON.stringify({ version: 1, connections: { a: VALID } });
    await write(damaged);
    const store = connections();
    const loaded = await store.load();
    assert.deepEqual(loaded?.records, []);
    const [aside] = await keptAside();
    assert.ok(aside, 'a copy is kept');
    assert.equal(await readFile(path.join(dir, aside), 'utf8'), damaged, 'byte for byte');
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['keptAside'],
    );
    assert.equal(
      problems[0].kind === 'keptAside' && problems[0].keptAs,
      path.join(dir, aside),
      'the report names the copy',
    );
    await store.upsert({ ...VALID, id: 'new' });
    assert.deepEqual(
      (await onDisk()).connections.map((c) => c.id),
      ['new'],
    );
  });

  it('a file that is not JSON is kept aside, also when a write finds it first', async () => {
    await write('{"version":1,"connections":[{"id":"a"');
    await connections().upsert({ ...VALID, id: 'b' });
    assert.equal((await keptAside()).length, 1);
    assert.deepEqual(
      (await onDisk()).connections.map((c) => c.id),
      ['b'],
    );
  });

  it('entries without an id and with a repeated id are kept, each with a fresh id every window agrees on', async () => {
    await write({
      version: 1,
      connections: [
        { ...VALID, id: 'a' },
        { ...VALID, name: 'No id' },
        { ...VALID, id: 'a', name: 'Twin' },
        'not an object',
      ],
    });
    const first = (await connections().load())!.records;
    const second = (await connections().load())!.records;
    assert.equal(first.length, 4, 'none dropped');
    assert.deepEqual(
      first.map((r) => r.id),
      second.map((r) => r.id),
      'the same ids in every window',
    );
    assert.equal(new Set(first.map((r) => r.id)).size, 4, 'all different');
    assert.equal(first[0].id, 'a', 'the first keeps its id');
    assert.deepEqual(
      first.map((r) => r.name),
      ['Service', 'No id', 'Twin', undefined],
    );
    const entries = first.map(parseStoredConnection);
    assert.deepEqual(entries.map(isBroken), [false, false, false, true], 'a non-object is shown as a broken entry');
    // The next write keeps the ids given (and the broken entry as it was).
    await connections().upsert({ ...VALID, id: 'c' });
    assert.deepEqual(
      (await onDisk()).connections.map((r) => r.id),
      [...first.map((r) => r.id), 'c'],
    );
    assert.equal((await onDisk()).connections[3].value, 'not an object');
  });

  it('a file of a newer version is left untouched: shown read-only, every write refused', async () => {
    const newer = JSON.stringify({
      version: 2,
      connections: [{ ...VALID, id: 'a', futureField: { x: 1 } }],
      somethingNew: true,
    });
    await write(newer);
    const store = connections();
    const loaded = await store.load();
    assert.equal(loaded?.readOnly, 2);
    assert.deepEqual(
      loaded?.records.map((r) => r.id),
      ['a'],
      'what this version understands is shown',
    );
    assert.deepEqual(problems, [{ kind: 'newerVersion', file, version: 2 }]);
    let secretsWritten = false;
    await assert.rejects(
      store.upsert({ ...VALID, id: 'b' }, async () => void (secretsWritten = true)),
      NewerVersionError,
    );
    await assert.rejects(store.delete('a'), NewerVersionError);
    assert.equal(secretsWritten, false, 'no secrets for a configuration that cannot be saved');
    assert.equal(await readFile(file, 'utf8'), newer, 'byte for byte');
  });

  it('no orphaned secrets: the secrets step runs only when the configuration is written, and a failing one changes nothing', async () => {
    // The folder cannot be created while a file stands where it should be.
    await writeFile(path.join(dir, 'blocker'), '');
    file = path.join(dir, 'blocker', 'connections.json');
    let secretsWritten = false;
    await assert.rejects(connections().upsert({ ...VALID, id: 'a' }, async () => void (secretsWritten = true)));
    assert.equal(secretsWritten, false);

    file = path.join(dir, 'connections.json');
    await connections().upsert({ ...VALID, id: 'a' });
    const before = await readFile(file, 'utf8');
    await assert.rejects(
      connections().upsert({ ...VALID, id: 'b' }, async () => {
        throw new Error('SecretStorage refused');
      }),
      /SecretStorage refused/,
    );
    assert.equal(await readFile(file, 'utf8'), before, 'the configuration is not saved without its secrets');
    assert.deepEqual(await readdir(dir), ['blocker', 'connections.json'], 'no temporary or lock file left');
  });

  it('facts: a damaged file is kept aside and reported; a newer version is never overwritten', async () => {
    const factsPath = path.join(dir, 'facts.json');
    await writeFile(factsPath, '[1, 2');
    const facts = new FactsFile(factsPath, (p) => problems.push(p));
    await facts.load();
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['keptAside'],
    );
    const [aside] = await keptAside();
    assert.equal(await readFile(path.join(dir, aside), 'utf8'), '[1, 2');

    const newer = JSON.stringify({ version: 7, facts: { a: { signedIn: true } } });
    await writeFile(factsPath, newer);
    await facts.load();
    assert.equal(facts.readOnly, 7);
    assert.equal(facts.get('a')?.signedIn, true, 'shown');
    facts.set('b', { signedIn: true });
    await facts.flush();
    assert.equal(facts.get('b')?.signedIn, true, 'kept in memory');
    assert.equal(await readFile(factsPath, 'utf8'), newer, 'not written');
    assert.equal(problems.at(-1)?.kind, 'newerVersion');
  });

  it('facts: a newer version that appears between a load and a write is not overwritten either', async () => {
    const factsPath = path.join(dir, 'facts.json');
    const facts = new FactsFile(factsPath, (p) => problems.push(p));
    await facts.load();
    const newer = JSON.stringify({ version: 2, facts: {} });
    await writeFile(factsPath, newer);
    facts.set('a', { signedIn: true });
    await facts.flush();
    assert.equal(await readFile(factsPath, 'utf8'), newer);
    assert.equal(facts.readOnly, 2);
  });
});
