import * as assert from 'node:assert/strict';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { addConnection, testingApi, waitFor } from './support';

const SERVICE = {
  environment: 'global' as const,
  tenant: 'contoso.onmicrosoft.com',
  authType: 'clientCredentials' as const,
  clientId: '33333333-3333-4333-8333-333333333333',
  account: 'adele@contoso.onmicrosoft.com',
};

/**
 * Writes the file as every version of the extension does (a temp file renamed over it): written in place,
 * this window's file watcher could read it half-written and keep it aside as damaged.
 */
async function writeWhole(file: string, text: string): Promise<void> {
  await writeFile(`${file}.test-tmp`, text);
  await rename(`${file}.test-tmp`, file);
}

describe('stored configurations written by a newer version', () => {
  it('are shown read-only, a save is refused with a message and leaves no secrets behind, the file stays as it was', async () => {
    const api = await testingApi();
    const existing = await addConnection(api, {
      ...SERVICE,
      name: 'Before the upgrade',
      clientSecret: 'before-secret-1',
    });
    const original = await readFile(api.connectionsFile, 'utf8');
    const stored = JSON.parse(original) as { version: number; connections: unknown[] };
    const newer = JSON.stringify({ ...stored, version: 2, addedByTheNewerVersion: { keep: 'me' } });
    try {
      await writeWhole(api.connectionsFile, newer);
      await api.store.reload();
      assert.equal(api.store.readOnly, 2);
      assert.ok(api.store.getConfig(existing), 'its connections are still shown');
      // Every SecretStorage change meanwhile; a marker written last tells when all events have arrived.
      const changed: string[] = [];
      const listening = api.rawSecrets.onDidChange((e) => changed.push(e.key));
      try {
        await assert.rejects(
          addConnection(api, { ...SERVICE, name: 'After the upgrade', clientSecret: 'orphan-secret-1' }),
          /newer version of this extension/,
        );
        await assert.rejects(api.configurations.delete(existing), /newer version of this extension/);
        await api.rawSecrets.store('outlook365-test/marker', String(Date.now()));
        await waitFor(() => changed.includes('outlook365-test/marker'), 'the marker’s change event');
      } finally {
        listening.dispose();
        await api.rawSecrets.delete('outlook365-test/marker');
      }
      assert.deepEqual(
        changed,
        ['outlook365-test/marker'],
        'no secrets written for the refused save, none deleted for the refused delete',
      );
      assert.ok(
        await api.rawSecrets.get(`outlook365/${existing}/secrets`),
        'the existing connection keeps its secrets',
      );
      assert.equal(await readFile(api.connectionsFile, 'utf8'), newer, 'left untouched');
      assert.ok(
        api.log.captured.some((l) => /written by a newer version of the extension \(format 2\)/.test(l)),
        'logged',
      );
    } finally {
      await writeWhole(api.connectionsFile, original);
      await api.store.reload();
    }
    assert.equal(api.store.readOnly, undefined);
    await api.configurations.delete(existing);
  });
});
