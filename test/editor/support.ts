/** Shared set-up of the in-editor suite: the extension's testing API and an emulator as the custom cloud. */
import * as vscode from 'vscode';
import type { TestingApi } from '../../src/extension';
import { emptyDraft, type ConnectionDraft } from '../../src/model/validate';
import { startEmulator, type Emulator } from '../sandbox/emulator';

export { waitFor } from '../support/waitFor';
import { waitFor } from '../support/waitFor';

export const EXTENSION_ID = 'outlook365-connections.outlook365-connections';
export const ADELE = { upn: 'adele@contoso.test', password: 'Passw0rd!adele' };

/** A tree item's label as text (VS Code's `label` is a string or a `{ label, highlights }`). */
export function labelText(label: string | vscode.TreeItemLabel | undefined): string {
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export async function testingApi(): Promise<TestingApi> {
  const extension = vscode.extensions.getExtension<{ testing?: TestingApi }>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  if (!api.testing) throw new Error('the extension did not run in test mode');
  return api.testing;
}

let shared: Emulator | undefined;

/** One emulator for the whole suite, configured as the custom environment. */
/**
 * Registers a confidential app with the application permission Mail.Read in the emulator (what an admin
 * consents to for an app-only connection), with a client secret or certificates. Each suite uses a client
 * id of its own: the emulator is shared, and registering an id again replaces the app.
 */
export function addServiceApp(
  emulator: Emulator,
  clientId: string,
  credential: { secrets: string[] } | { certificates: { certPem: string }[] },
): void {
  emulator.addApp({ clientId, publicClient: false, redirectUris: [], appRoles: ['Mail.Read'], ...credential });
}

export async function sandbox(): Promise<Emulator> {
  if (!shared) {
    shared = await startEmulator({ quiet: true });
    await vscode.workspace
      .getConfiguration('outlook365')
      .update(
        'customEnvironment',
        { name: 'Emulator', loginEndpoint: shared.loginEndpoint, graphEndpoint: shared.graphEndpoint },
        vscode.ConfigurationTarget.Global,
      );
  }
  return shared;
}

export async function stopSandbox(): Promise<void> {
  await shared?.stop();
  shared = undefined;
}

export function draft(fields: Partial<ConnectionDraft>): ConnectionDraft {
  return { ...emptyDraft(), environment: 'custom', tenant: 'contoso.test', ...fields };
}

/** Adds a connection through the form's own code path; returns its id. */
export async function addConnection(api: TestingApi, fields: Partial<ConnectionDraft>): Promise<string> {
  const outcome = await api.form.save(draft(fields), {});
  if (!outcome.ok) throw new Error(`form refused the draft: ${JSON.stringify(outcome.errors)}`);
  return outcome.connectionId;
}

/**
 * Asks the runner for a screenshot of the workbench (the extension host cannot take one) and waits
 * until it is written. Without the runner (e.g. under @vscode/test-electron) it does nothing.
 */
export async function screenshot(name: string, options: { waitForText?: string } = {}): Promise<void> {
  const dir = process.env.OUTLOOK365_SCREENSHOT_DIR;
  if (!dir) return;
  const fs = await import('node:fs');
  const path = await import('node:path');
  const png = path.join(dir, `${name}.png`);
  fs.rmSync(png, { force: true });
  fs.writeFileSync(path.join(dir, `${name}.request`), JSON.stringify(options));
  // The runner itself waits up to 15 s for `waitForText`, then takes the picture (seconds on a loaded machine,
  // the newest VS Code beside the oldest): this deadline must be well past both.
  await waitFor(() => fs.existsSync(png) && fs.statSync(png).size > 0, `screenshot ${name}`, 60_000);
}
