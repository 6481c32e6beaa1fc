/**
 * Export Connections… and Import Connections… through their commands. The file dialogs, the pickers and the
 * notifications are answered through the `setTransferUi` seam: the extension-test host cannot drive VS Code's
 * file dialogs or quick picks from inside (the UI suite, test/ui/workbench/transfer.test.ts, drives the real
 * ones). Everything else is real: the store's file, SecretStorage, the emulator's token endpoint.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TransferUi } from '../../src/commands/transferUi';
import type { TestingApi } from '../../src/extension';
import type { ConnectionConfig } from '../../src/model/connection';
import { sameConfiguration } from '../../src/model/connectionExport';
import { isBroken } from '../../src/model/storedConnection';
import { makeClientCertificate } from '../sandbox/certs';
import type { Emulator } from '../sandbox/emulator';
import { ADELE, addServiceApp, addConnection, sandbox, testingApi, waitFor } from './support';
import { storedTokenCache } from './tokenCaches';

const CC_APP = 'c0ffee00-0000-4000-8000-00000000e013';
const BYO_APP = 'c0ffee00-0000-4000-8000-00000000e014';
const CC_SECRET = 'transfer-cc-secret-13';
const BYO_SECRET = 'transfer-byo-secret-13';
const PFX_PASSWORD = 'transfer-pfx-pass-13';
const ROPC_PASSWORD = 'transfer-ropc-pass-13';

interface Note {
  kind: string;
  message: string;
  detail?: string;
  actions: string[];
}

describe('Export and Import Connections', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let emulator: Emulator;
  let folder: string;
  const certificate = makeClientCertificate({ commonName: 'transfer-suite', password: PFX_PASSWORD });
  const notes: Note[] = [];

  /** Answers the dialogs and pickers; notifications are noted (and answered with `notifyAnswer`). */
  function answer(ui: Partial<TransferUi>, notifyAnswer?: string): void {
    api.setTransferUi({
      notify: async (kind, message, detail, ...actions) => {
        notes.push({ kind, message, detail, actions });
        return notifyAnswer;
      },
      ...ui,
    });
  }

  const configs = () => api.store.list().flatMap((e) => (isBroken(e) ? [] : [e]));
  const byName = (name: string) => configs().find((c) => c.name === name);

  async function removeAll(): Promise<void> {
    for (const entry of api.store.list()) await api.configurations.delete(entry.id);
  }

  async function exportAll(file: string): Promise<string> {
    answer({ pickConnections: async (all) => all.map((c) => c.id), saveFile: async () => vscode.Uri.file(file) });
    await vscode.commands.executeCommand('outlook365.exportConnections');
    return readFile(file, 'utf8');
  }

  async function importFile(file: string, ui: Partial<TransferUi> = {}, notifyAnswer?: string): Promise<void> {
    answer({ openFile: async () => vscode.Uri.file(file), preview: async () => true, ...ui }, notifyAnswer);
    await vscode.commands.executeCommand('outlook365.importConnections');
  }

  before(async () => {
    api = await testingApi();
    emulator = await sandbox();
    addServiceApp(emulator, CC_APP, { secrets: [CC_SECRET] });
    folder = await mkdtemp(path.join(os.tmpdir(), 'outlook365-transfer-'));
    await removeAll();
  });

  afterEach(async () => {
    api.setTransferUi(undefined);
    api.setConfirm(undefined);
    notes.length = 0;
    await removeAll();
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** One connection of each auth type, each with its secrets, through the form's save. */
  async function addEveryType(): Promise<void> {
    const common = { environment: 'global' as const, tenant: 'contoso.onmicrosoft.com' };
    await addConnection(api, {
      name: 'Delegated',
      authType: 'authCode',
      environment: 'custom',
      tenant: 'contoso.test',
      account: ADELE.upn,
    });
    await addConnection(api, {
      ...common,
      name: 'Own app',
      authType: 'byoApp',
      clientId: BYO_APP,
      clientSecret: BYO_SECRET,
      signInMethod: 'browser',
    });
    await addConnection(api, {
      ...common,
      name: 'Service',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: CC_SECRET,
      account: 'svc@contoso.onmicrosoft.com',
    });
    await addConnection(api, {
      ...common,
      name: 'Certificate',
      authType: 'clientCertificate',
      clientId: CC_APP,
      certificate: certificate.pfxBase64,
      certificatePassword: PFX_PASSWORD,
      account: 'svc@contoso.onmicrosoft.com',
      sendX5c: true,
    });
    await addConnection(api, {
      ...common,
      name: 'Password',
      authType: 'ropc',
      username: 'megan@contoso.onmicrosoft.com',
      password: ROPC_PASSWORD,
      scopePreset: 'calendar',
    });
  }

  it('export → delete → import gives the same configurations, and the file holds no secret', async () => {
    await addEveryType();
    const before = configs();
    const file = path.join(folder, 'round-trip.outlook365.json');
    const text = await exportAll(file);
    for (const secret of [
      CC_SECRET,
      BYO_SECRET,
      PFX_PASSWORD,
      ROPC_PASSWORD,
      certificate.pfxBase64,
      certificate.pfxBase64.slice(0, 40),
      certificate.thumbprintSha256Hex,
    ]) {
      assert.ok(!text.includes(secret), 'no secret, certificate or thumbprint in the file');
    }
    const doc = JSON.parse(text) as { $schema: string; version: number; connections: unknown[] };
    assert.equal(doc.version, 1);
    assert.equal(doc.$schema, 'outlook365-schema:/connections-export.schema.json');
    assert.equal(doc.connections.length, 5);
    assert.match(notes[0].message, /Exported 5 connection\(s\) to round-trip\.outlook365\.json/);

    await removeAll();
    assert.equal(api.store.list().length, 0);
    const previewed: string[] = [];
    // Every write of connections.json tells other windows once (outlook365/revision): one write for the file.
    const changed: string[] = [];
    const listening = api.rawSecrets.onDidChange((e) => changed.push(e.key));
    await importFile(file, {
      preview: async (items) => (
        previewed.push(...items.map((i) => `${i.label} | ${i.description ?? ''} | ${i.detail ?? ''}`)),
        true
      ),
    });
    await api.rawSecrets.store('outlook365-test/marker', 'done');
    await waitFor(() => changed.includes('outlook365-test/marker'), 'the marker’s change event');
    listening.dispose();
    await api.rawSecrets.delete('outlook365-test/marker');
    assert.equal(changed.filter((k) => k === 'outlook365/revision').length, 1, 'all five in one write');
    const after = configs();
    assert.equal(after.length, before.length);
    for (const original of before) {
      const back = byName(original.name);
      assert.ok(back && sameConfiguration(original, back), `${original.name} came back the same`);
    }
    // The preview: every one new; those that sign in with a secret say so.
    assert.equal(previewed.filter((l) => / \| new\b/.test(l)).length, 5);
    assert.deepEqual(
      previewed.filter((l) => l.includes('secret needed')).map((l) => l.split(' | ')[0].replace(/^\$\(\w+\) /, '')),
      ['Own app', 'Service', 'Certificate', 'Password'],
    );
    // None has a secret; the notification offers the form for them.
    for (const c of after) assert.deepEqual(await api.configurations.storedSecretFields(c.id), [], c.name);
    const done = notes.at(-1)!;
    assert.match(
      done.message,
      /Imported 5 connection\(s\)\. 4 need a secret before they can sign in: "Own app", "Service", "Certificate", "Password"\./,
    );
    assert.deepEqual(done.actions, ['Enter Secrets']);
  });

  it('"Enter Secrets" opens the form in edit mode for the connection that needs one', async () => {
    await addConnection(api, {
      name: 'Service',
      environment: 'global',
      tenant: 'contoso.onmicrosoft.com',
      authType: 'clientCredentials',
      clientId: CC_APP,
      clientSecret: CC_SECRET,
      account: 'svc@contoso.onmicrosoft.com',
    });
    const file = path.join(folder, 'secret.outlook365.json');
    await exportAll(file);
    await removeAll();
    await importFile(file, {}, 'Enter Secrets');
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Edit: Service');
    try {
      await waitFor(() => tabs().length === 1, 'the form open for editing');
    } finally {
      await vscode.window.tabGroups.close(tabs());
    }
  });

  it('Export from a connection’s item writes that one only', async () => {
    const id = await addConnection(api, {
      name: 'Only me',
      authType: 'authCode',
      environment: 'global',
      tenant: 'contoso.onmicrosoft.com',
    });
    await addConnection(api, {
      name: 'Not me',
      authType: 'authCode',
      environment: 'global',
      tenant: 'contoso.onmicrosoft.com',
    });
    const file = path.join(folder, 'one.outlook365.json');
    answer({
      pickConnections: async () => assert.fail('no picker for one connection'),
      saveFile: async () => vscode.Uri.file(file),
    });
    await vscode.commands.executeCommand('outlook365.exportConnections', { kind: 'connection', id });
    const doc = JSON.parse(await readFile(file, 'utf8')) as { connections: { name: string }[] };
    assert.deepEqual(
      doc.connections.map((c) => c.name),
      ['Only me'],
    );
  });

  it('conflicts: Replace (tokens and facts dropped when the sign-in changes, secrets kept), Keep both, Skip', async () => {
    const service = {
      environment: 'global' as const,
      authType: 'clientCredentials' as const,
      clientId: CC_APP,
      clientSecret: CC_SECRET,
      account: 'svc@contoso.onmicrosoft.com',
    };
    const replaced = await addConnection(api, {
      ...service,
      name: 'Replace me',
      environment: 'custom',
      tenant: 'contoso.test',
    });
    const kept = await addConnection(api, { ...service, name: 'Keep me', tenant: 'contoso.onmicrosoft.com' });
    const skipped = await addConnection(api, { ...service, name: 'Skip me', tenant: 'contoso.onmicrosoft.com' });
    await api.sessions.getToken(replaced); // signed in: a token cache and facts
    assert.ok(api.store.facts(replaced).signedIn);
    // An app-only token cache (no refresh token) is written in the background (tokenCache.ts): wait for it.
    assert.ok(await waitFor(() => storedTokenCache(api.rawSecrets, replaced), 'its token cache'));
    const file = path.join(folder, 'conflicts.outlook365.json');
    await exportAll(file);
    // The file's versions: another tenant and mailbox for each.
    await writeFile(
      file,
      (await readFile(file, 'utf8'))
        .replaceAll('svc@contoso.onmicrosoft.com', 'other@contoso.onmicrosoft.com')
        .replace('"contoso.test"', '"fabrikam.test"'),
    );
    const before = new Map(configs().map((c) => [c.id, c]));

    const asked: string[] = [];
    await importFile(file, {
      chooseConflict: async (entry, index, count) => {
        asked.push(`${index}/${count} ${entry.config.name}`);
        return ({ 'Replace me': 'replace', 'Keep me': 'keepBoth', 'Skip me': 'skip' } as const)[entry.config.name];
      },
    });
    assert.deepEqual(asked, ['1/3 Replace me', '2/3 Keep me', '3/3 Skip me']);
    assert.equal(configs().length, 4);
    const now = api.store.getConfig(replaced) as ConnectionConfig & { account: string };
    assert.equal(now.tenant, 'fabrikam.test');
    assert.equal(now.account, 'other@contoso.onmicrosoft.com');
    assert.equal(api.store.facts(replaced).signedIn, undefined, 'facts of the old sign-in dropped');
    assert.equal(await storedTokenCache(api.rawSecrets, replaced), undefined, 'tokens dropped');
    assert.deepEqual(await api.configurations.storedSecretFields(replaced), ['clientSecret'], 'its secret stays');
    assert.deepEqual(api.store.getConfig(kept), before.get(kept), 'Keep both leaves the existing one alone');
    const copy = byName('Keep me (2)') as ConnectionConfig & { account: string };
    assert.ok(copy && copy.id !== kept && copy.account === 'other@contoso.onmicrosoft.com', 'and adds a copy');
    assert.deepEqual(api.store.getConfig(skipped), before.get(skipped), 'Skip leaves it alone');
    assert.match(
      notes.at(-1)!.message,
      /Imported 2 connection\(s\)\. 1 need a secret before they can sign in: "Keep me \(2\)"\./,
    );
  });

  it('an import the same as what is stored changes nothing', async () => {
    await addEveryType();
    const file = path.join(folder, 'same.outlook365.json');
    await exportAll(file);
    const stored = await readFile(api.connectionsFile, 'utf8');
    await importFile(file, { preview: async () => assert.fail('nothing to preview') });
    assert.equal(await readFile(api.connectionsFile, 'utf8'), stored);
    assert.match(notes.at(-1)!.message, /here already, unchanged/);
  });

  describe('a damaged, oversized or hostile file changes nothing', () => {
    const hostile: [string, (valid: string) => string | Buffer, RegExp][] = [
      ['not JSON', (v) => v.slice(0, -20), /not valid JSON/],
      ['not UTF-8', () => Buffer.from([0xff, 0xfe, 0x00, 0x7b]), /not UTF-8 text/],
      [
        'larger than 1 MB',
        (v) => v.replace('"version": 1', `"version": 1, "pad": "${'x'.repeat(1024 * 1024)}"`),
        /larger than 1 MB/,
      ],
      [
        'a prototype key',
        (v) => v.replace('"version": 1', '"version": 1, "__proto__": { "isAdmin": true }'),
        /key "__proto__"/,
      ],
      ['a secret field', (v) => v.replace('"tenant":', '"clientSecret": "leaked", "tenant":'), /looks like a secret/],
      ['an unknown field', (v) => v.replace('"tenant":', '"colour": "red", "tenant":'), /field "colour"/],
      ['an unknown version', (v) => v.replace('"version": 1', '"version": 7'), /format version 7/],
      [
        'an invalid entry',
        (v) => v.replace('"tenant": "contoso.onmicrosoft.com"', '"tenant": "not a tenant"'),
        /1 connection\(s\) in the file are not valid/,
      ],
    ];
    for (const [what, damage, message] of hostile) {
      it(what, async () => {
        await addConnection(api, {
          name: 'Existing',
          authType: 'authCode',
          environment: 'global',
          tenant: 'contoso.onmicrosoft.com',
        });
        const valid = await exportAll(path.join(folder, 'valid.outlook365.json'));
        await removeAll();
        await addConnection(api, {
          name: 'Stays',
          authType: 'authCode',
          environment: 'global',
          tenant: 'contoso.onmicrosoft.com',
        });
        const stored = await readFile(api.connectionsFile);
        const file = path.join(folder, 'hostile.outlook365.json');
        await writeFile(file, damage(valid));
        notes.length = 0;
        await importFile(file, { preview: async () => assert.fail('refused before the preview') });
        assert.deepEqual(await readFile(api.connectionsFile), stored, 'connections.json byte-identical');
        assert.equal(notes.length, 1);
        assert.equal(notes[0].kind, 'error');
        assert.match(`${notes[0].message} ${notes[0].detail ?? ''}`, message);
        assert.match(notes[0].message, /^Nothing was imported\./);
      });
    }

    it('custom endpoints the user setting does not name: shown, and declining changes nothing', async () => {
      await addConnection(api, { name: 'Custom', authType: 'authCode', environment: 'custom', tenant: 'contoso.test' });
      const valid = await exportAll(path.join(folder, 'custom.outlook365.json'));
      await removeAll();
      const stored = await readFile(api.connectionsFile);
      const foreign = valid
        .replace(emulator.loginEndpoint, 'https://login.elsewhere.example')
        .replace(emulator.graphEndpoint, 'https://graph.elsewhere.example');
      const file = path.join(folder, 'foreign.outlook365.json');
      await writeFile(file, foreign);
      const asked: string[] = [];
      api.setConfirm(async (message, detail) => (asked.push(`${message}\n${detail}`), false));
      await importFile(file, { preview: async () => assert.fail('declined before the preview') });
      assert.equal(asked.length, 1);
      assert.match(asked[0], /Login host: login\.elsewhere\.example, Graph host: graph\.elsewhere\.example/);
      assert.deepEqual(await readFile(api.connectionsFile), stored, 'nothing written');
      // Confirmed, the connection keeps the file's endpoints (never the setting's, silently).
      api.setConfirm(async () => true);
      await importFile(file);
      assert.equal(byName('Custom')?.endpoints?.loginEndpoint, 'https://login.elsewhere.example');
    });
  });

  it('an import whose write fails half way leaves the store as it was', async () => {
    await addConnection(api, {
      name: 'Existing',
      authType: 'clientCredentials',
      environment: 'global',
      tenant: 'contoso.onmicrosoft.com',
      clientId: CC_APP,
      clientSecret: CC_SECRET,
      account: 'svc@contoso.onmicrosoft.com',
    });
    const file = path.join(folder, 'fails.outlook365.json');
    const text = await exportAll(file);
    // The file's connection under another name and id, plus a second one: two new connections to write.
    const doc = JSON.parse(text) as { connections: Record<string, unknown>[] };
    doc.connections = [1, 2].map((n) => ({ ...doc.connections[0], id: `import-${n}`, name: `Imported ${n}` }));
    await writeFile(file, JSON.stringify(doc));
    const stored = await readFile(api.connectionsFile);
    const listBefore = api.store.list();
    const secretsChanged: string[] = [];
    // facts.json's change signal is neither a secret nor a token, and the save above may still announce its
    // facts (written after it returns): only secrets, token caches and the configurations' revision count.
    const listening = api.rawSecrets.onDidChange((e) => {
      if (e.key !== 'outlook365/factsRevision') secretsChanged.push(e.key);
    });
    // The new file is written beside connections.json and then cannot replace it: as root an immutable
    // connections.json (chattr +i; root ignores permissions), otherwise a folder without write permission.
    const root = process.getuid?.() === 0;
    const storeFolder = path.dirname(api.connectionsFile);
    if (root) execFileSync('chattr', ['+i', api.connectionsFile]);
    else await chmod(storeFolder, 0o555);
    try {
      await importFile(file);
    } finally {
      if (root) execFileSync('chattr', ['-i', api.connectionsFile]);
      else await chmod(storeFolder, 0o700);
      listening.dispose();
    }
    assert.deepEqual(await readFile(api.connectionsFile), stored, 'connections.json byte-identical');
    assert.deepEqual(api.store.list(), listBefore, 'the window shows what it did');
    assert.deepEqual(secretsChanged, [], 'no secret or token written or removed');
    assert.ok(!(await readdir(storeFolder)).some((f) => f.endsWith('.tmp')), 'no temporary file left');
    assert.ok(
      api.log.captured.some((l) => /importConnections failed/.test(l)),
      'the failure is reported',
    );
    assert.ok(!notes.some((n) => /^Imported/.test(n.message)), 'no success reported');
  });
});
