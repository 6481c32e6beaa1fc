/**
 * Export and Import Connections… in the real workbench (code-server 4.100.3 = VS Code 1.100.3, headless
 * Chromium), driven as a person does: Export from the Connections view's title menu (the picker with every
 * connection ticked, VS Code's own save dialog), the export opened in the editor with the schema's completion
 * (offline: the `$schema` is served by the extension), then Import through VS Code's open dialog with the
 * preview and a conflict answered Replace.
 * Screenshots: test-results/ui/transfer/NN-*.png; with OUTLOOK365_UPDATE_DOCS_IMAGES=1 also
 * docs/images/export-schema-completion.png and docs/images/import-preview.png (the README's pictures).
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, WorkbenchDriver, openWorkbench, until, type OpenedWorkbench } from './driver';

const EXTENSION_ID = 'outlook365-connections.outlook365-connections';
const DELEGATED = {
  id: 'transfer-delegated',
  name: 'Team inbox',
  authType: 'authCode',
  environment: 'global',
  tenant: 'contoso.onmicrosoft.com',
  publicClientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
  scopes: { preset: 'minimal', additional: [] },
  signInMethod: 'auto',
};
const SERVICE = {
  id: 'transfer-service',
  name: 'Mail robot',
  authType: 'clientCredentials',
  environment: 'global',
  tenant: 'contoso.onmicrosoft.com',
  clientId: 'c0ffee00-0000-4000-8000-00000000e015',
  account: 'robot@contoso.onmicrosoft.com',
};

function docsImage(file: string, name: string): void {
  // The README's pictures change only when asked: a test run leaves the working tree as it was.
  if (process.env.OUTLOOK365_UPDATE_DOCS_IMAGES !== '1') return;
  mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
  copyFileSync(file, path.join(ROOT, 'docs', 'images', name));
}

describe('VS Code workbench: Export and Import Connections', function () {
  this.timeout(120_000);
  let workbench: OpenedWorkbench | undefined;
  let sandboxDir: string;
  let wb: WorkbenchDriver;
  let exported: string;
  let failed = false;

  before(async function () {
    this.timeout(240_000);
    sandboxDir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-ui-transfer-'));
    const storage = path.join(sandboxDir, 'user-data', 'User', 'globalStorage', EXTENSION_ID);
    mkdirSync(storage, { recursive: true });
    writeFileSync(
      path.join(storage, 'connections.json'),
      JSON.stringify({ version: 1, connections: [DELEGATED, SERVICE] }),
    );
    workbench = await openWorkbench({
      extensionDevelopmentPath: ROOT,
      sandboxDir,
      keepSandbox: true,
      print: (line) => console.log(`      [transfer] ${line}`),
    });
    wb = new WorkbenchDriver(workbench.page, workbench.context, path.join(ROOT, 'test-results', 'ui', 'transfer'));
    exported = path.join(sandboxDir, 'workspace', 'connections.outlook365.json');
  });

  after(async function () {
    this.timeout(60_000);
    await workbench?.stop();
    if (!failed) rmSync(sandboxDir, { recursive: true, force: true });
    else console.log(`      [transfer] user data and logs kept in ${sandboxDir}`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      failed = true;
      await wb?.screenshot('FAILED').catch(() => undefined);
    }
  });

  /** The view title's "..." menu, then one of its items. */
  async function viewMenu(item: string): Promise<void> {
    await wb.openConnectionsView();
    const more = wb.page
      .locator('#workbench\\.parts\\.sidebar .action-label.codicon-toolbar-more')
      .filter({ visible: true })
      .first();
    await more.click();
    const entry = wb.page.getByRole('menuitem', { name: item, exact: true });
    await entry.waitFor({ state: 'visible' });
    await entry.hover();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.monaco-menu').first().waitFor({ state: 'hidden' });
  }

  /**
   * VS Code's own file dialog in a browser window (a quick input with the path and an OK button named
   * `okLabel`). With `file`: the file's path typed once the dialog has listed its folder, Enter once the
   * dialog shows that file as the active row. Without: Enter on what the dialog proposes.
   */
  async function fileDialog(file: string | undefined, okLabel: string, screenshotName: string): Promise<void> {
    const input = wb.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible' });
    const ok = wb.quickInput.locator('.quick-input-action .monaco-button', { hasText: okLabel });
    if (file !== undefined) await typePath(file);
    await wb.screenshot(screenshotName);
    await wb.page.keyboard.press('Enter');
    await ok.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  async function typePath(file: string): Promise<void> {
    const input = wb.quickInput.locator('input.input');
    // The dialog reads its folder, then lists it and puts the folder's path in the input (overwriting
    // anything typed before). Typed after that, the dialog follows the path and makes the file's row the
    // active one: Enter then opens it. Without waiting for both, Enter once opened nothing (CI, 2026-11-30).
    const name = path.basename(file);
    await wb.quickPickRow(name).waitFor({ state: 'visible', timeout: 15_000 });
    const activeFile = wb.quickInput
      .locator('.quick-input-list .monaco-list-row.focused')
      .filter({ has: wb.page.locator('.label-name', { hasText: name }) });
    await until(
      async () => {
        if ((await input.inputValue()) !== file) await input.fill(file);
        return (await input.inputValue()) === file && (await activeFile.count()) === 1;
      },
      `the path typed and ${name} the active row`,
      15_000,
      wb.page,
    );
  }

  it('Export from the view’s title menu: every connection ticked, VS Code’s save dialog, the file', async () => {
    await wb.waitForExtension('Outlook 365');
    await wb.openConnectionsView();
    await wb.connectionRow(DELEGATED.name).waitFor({ state: 'visible', timeout: 30_000 });
    await viewMenu('Export Connections…');
    // The picker: both connections listed, both ticked.
    for (const name of [DELEGATED.name, SERVICE.name]) await wb.quickPickRow(name).waitFor({ state: 'visible' });
    await until(
      async () => (await wb.quickInput.locator('.quick-input-count').textContent())?.trim() === '2 Selected',
      'both connections ticked',
      10_000,
      wb.page,
    );
    await wb.screenshot('export-picker');
    await wb.page.keyboard.press('Enter');
    // The save dialog proposes connections.outlook365.json in the workspace folder.
    await until(
      async () => (await wb.quickInput.locator('input.input').inputValue()).endsWith('connections.outlook365.json'),
      'the save dialog with the suggested name',
      15_000,
      wb.page,
    );
    await fileDialog(undefined, 'Export', 'export-save-dialog');
    await wb
      .notification(/Exported 2 connection\(s\) to connections\.outlook365\.json/)
      .first()
      .waitFor({ timeout: 15_000 });
    await until(() => existsSync(exported), 'the export on disk', 10_000);
    const doc = JSON.parse(readFileSync(exported, 'utf8')) as {
      $schema: string;
      version: number;
      connections: { name: string }[];
    };
    assert.equal(doc.version, 1);
    assert.deepEqual(
      doc.connections.map((c) => c.name),
      [DELEGATED.name, SERVICE.name],
    );
  });

  it('the export in the editor: the schema completes an entry’s fields', async () => {
    // A copy to edit (the workbench saves edits on its own; the import below reads the export as written).
    const copy = path.join(path.dirname(exported), 'edit.outlook365.json');
    copyFileSync(exported, copy);
    await wb.page.keyboard.press('Control+P');
    await wb.quickInput.locator('input.input').waitFor({ state: 'visible' });
    await wb.page.keyboard.type(path.basename(copy));
    await wb.quickPickRow(path.basename(copy)).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    const editor = wb.page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible' });
    // After the service connection's tenant: a new property line, where the schema offers its fields.
    const lines = readFileSync(copy, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(`"account": "${SERVICE.account}"`)) + 1;
    await wb.page.keyboard.press('Control+G');
    await wb.page.keyboard.type(String(line));
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.type(',');
    await wb.page.keyboard.press('Enter');
    const suggest = wb.page.locator('.editor-widget.suggest-widget');
    const offered = await until(
      async () => {
        await wb.page.keyboard.press('Control+Space');
        await suggest.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
        const labels = await suggest
          .locator('.monaco-list-row .label-name')
          .allTextContents()
          .catch(() => []);
        return labels.some((l) => l.includes('sharedMailbox')) ? labels : undefined;
      },
      'the schema’s completion of a client credentials entry',
      60_000,
      wb.page,
    );
    assert.ok(
      !offered.some((l) => l.includes('scopes')),
      `a client credentials entry has no scopes: ${offered.join(', ')}`,
    );
    const file = await wb.screenshot('export-schema-completion');
    docsImage(file, 'export-schema-completion.png');
    await wb.page.keyboard.press('Escape');
  });

  it('Import: VS Code’s open dialog, the preview (new, conflict, secret needed), Replace', async () => {
    // The file as a colleague changed it: the delegated connection in another tenant; the robot deleted here.
    writeFileSync(
      exported,
      readFileSync(exported, 'utf8').replace(
        '"tenant": "contoso.onmicrosoft.com"',
        '"tenant": "fabrikam.onmicrosoft.com"',
      ),
    );
    await wb.contextMenu(wb.connectionRow(SERVICE.name), 'Delete Connection');
    const question = wb.dialog(/Delete the connection "Mail robot"\?/);
    await question.waitFor({ state: 'visible' });
    await wb.answerDialog(question, 'Delete');
    await wb.connectionRow(SERVICE.name).waitFor({ state: 'hidden' });

    await viewMenu('Import Connections…');
    await fileDialog(exported, 'Import', 'import-open-dialog');
    // The preview.
    const title = wb.quickInput.locator('.quick-input-title');
    await until(
      async () => /Import Connections from connections\.outlook365\.json/.test((await title.textContent()) ?? ''),
      'the preview',
      15_000,
      wb.page,
    );
    const rows = wb.quickInput.locator('.quick-input-list .monaco-list-row');
    const texts = async () => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await until(async () => (await texts()).length >= 3, 'the preview rows', 10_000, wb.page);
    const preview = await texts();
    assert.match(preview[0], /^Import\s*1 new, 0 unchanged, 1 conflicts$/);
    assert.ok(
      preview.some((t) => t.includes(DELEGATED.name) && t.includes(`conflict with "${DELEGATED.name}"`)),
      preview.join(' / '),
    );
    assert.ok(
      preview.some((t) => t.includes(SERVICE.name) && t.includes('new') && t.includes('secret needed')),
      preview.join(' / '),
    );
    const file = await wb.screenshot('import-preview');
    docsImage(file, 'import-preview.png');
    await wb.page.keyboard.press('Enter');
    // The conflict: Replace (the first choice) with the keyboard.
    await until(
      async () => /Conflict 1 of 1: "Team inbox"/.test((await title.textContent()) ?? ''),
      'the conflict choice',
      15_000,
      wb.page,
    );
    await wb.quickPickRow('Replace').waitFor({ state: 'visible' });
    await wb.screenshot('import-conflict');
    await wb.page.keyboard.press('Enter');
    const done = wb
      .notification(/Imported 2 connection\(s\)\. 1 need a secret before they can sign in: "Mail robot"\./)
      .first();
    await done.waitFor({ timeout: 15_000 });
    await done.getByRole('button', { name: 'Enter Secrets' }).waitFor();
    await wb.screenshot('import-done');
    await wb.connectionRow(SERVICE.name).waitFor({ state: 'visible' });
    const stored = JSON.parse(
      readFileSync(
        path.join(sandboxDir, 'user-data', 'User', 'globalStorage', EXTENSION_ID, 'connections.json'),
        'utf8',
      ),
    ) as { connections: { id: string; tenant: string }[] };
    assert.equal(stored.connections.find((c) => c.id === DELEGATED.id)?.tenant, 'fabrikam.onmicrosoft.com', 'replaced');
    assert.equal(stored.connections.length, 2);
  });
});
