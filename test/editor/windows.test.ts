import * as assert from 'node:assert/strict';
import { addConnection, testingApi, waitFor } from './support';
import { sampleConnection } from './peer/tasks';
import { openWindow, windowsAvailable } from './windows';

describe('two windows (two extension hosts on one user data)', function () {
  // Two more windows start on a busy 2-core machine.
  this.timeout(300_000);

  it('adding 20 connections each at once loses none: 40 in both windows, and after a reload', async function () {
    if (!windowsAvailable()) this.skip();
    const api = await testingApi();
    const prefixes = ['Window A', 'Window B'];
    const ours = () => api.store.list().filter((e) => prefixes.some((p) => e.name.startsWith(`${p} `)));
    const other = openWindow<string[]>('second', 'addConnections', {
      prefix: 'Window B',
      count: 20,
      prefixes,
      expectTotal: 40,
    });
    await other.signalled('ready');
    other.signal('go');
    await Promise.all(Array.from({ length: 20 }, (_, n) => addConnection(api, sampleConnection(`Window A ${n}`))));
    const seenThere = await other.result;
    assert.equal(new Set(seenThere).size, 40, 'the other window sees all 40');
    await waitFor(() => ours().length >= 40, 'all 40 in this window', 60_000);
    assert.equal(new Set(ours().map((e) => e.name)).size, 40);

    // A reload: a fresh window (new extension host) reads what is stored.
    const reloaded = await openWindow<string[]>('reloaded', 'listConnections').result;
    const names = new Set(reloaded.filter((n) => prefixes.some((p) => n.startsWith(`${p} `))));
    assert.equal(names.size, 40, 'all 40 after a reload');
    await api.store.reload();
    assert.equal(ours().length, 40, 'and in this window read again from disk');

    for (const entry of ours()) await api.configurations.delete(entry.id);
  });
});
