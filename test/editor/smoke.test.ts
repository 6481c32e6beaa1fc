// Smoke test of the in-editor suite: runs in a real VS Code extension host (code-server 4.100.3 =
// VS Code 1.100.3 and the newest tested, or a desktop VS Code under @vscode/test-electron) with the real
// `vscode` API.

import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'outlook365-connections.outlook365-connections';

describe('editor smoke', () => {
  it('runs inside the VS Code version the runner started (1.100 without one)', () => {
    // scripts/test-editor.mjs names it: the in-editor suite runs on the oldest and the newest VS Code.
    const expected = process.env.OUTLOOK365_EXPECTED_VSCODE ?? '1.100.';
    assert.ok(vscode.version.startsWith(expected), `VS Code ${vscode.version}, expected ${expected}`);
  });

  it('has loaded the extension under development', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found; found: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    assert.strictEqual((ext.packageJSON as { name: string }).name, 'outlook365-connections');
    const manifest = ext.packageJSON as { contributes?: { commands?: Array<{ command: string }> } };
    const commands = manifest.contributes?.commands ?? [];
    assert.ok(
      commands.some((c) => c.command === 'outlook365.addConnection'),
      'outlook365.addConnection is not contributed',
    );
  });

  it('exposes the built-in workbench commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('workbench.action.files.newUntitledFile'),
      `workbench.action.files.newUntitledFile missing among ${commands.length} commands`,
    );
  });

  it('opens and edits a text document', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: 'hello', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    const ok = await editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), ', world'));
    assert.ok(ok, 'edit was not applied');
    assert.strictEqual(doc.getText(), 'hello, world');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  // Proves that a failing test makes the runner exit non-zero: OUTLOOK365_SMOKE_FAIL=1.
  it('fails on purpose when OUTLOOK365_SMOKE_FAIL=1', function () {
    if (process.env.OUTLOOK365_SMOKE_FAIL !== '1') {
      this.skip();
    }
    assert.fail('intentional failure (OUTLOOK365_SMOKE_FAIL=1)');
  });
});
