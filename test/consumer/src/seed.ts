/**
 * The first workbench start (a test run, `extensionTestsPath`): seeds two signed-in connections through
 * the provider extension's own code paths (its form's save, its provider's createSession with the
 * emulator's login page completed over HTTP), as a person would in the Add Connection form. The consumer
 * suite proper runs in the next starts, where VS Code shows its real dialogs (a test run refuses them).
 */
import * as vscode from 'vscode';
import { completeAuthorizeInBrowser } from '../../sandbox/browserBot';
import { updateState } from './state';

const PROVIDER_EXTENSION = 'outlook365-connections.outlook365-connections';
export const ADELE = { upn: 'adele@contoso.test', password: 'Passw0rd!adele' };
export const CONNECTION_NAME = 'Consumer mail';
export const SECOND_CONNECTION_NAME = 'Consumer second mail';

/** The part of the provider extension's test hooks the seed uses (only present in a test run). */
interface TestingHooks {
  form: {
    init(id: undefined): Promise<{ draft: Record<string, unknown> }>;
    save(
      draft: Record<string, unknown>,
      options: object,
    ): Promise<{ ok: true; connectionId: string } | { ok: false; errors: unknown }>;
  };
  provider: vscode.AuthenticationProvider;
  store: { flush(): Promise<void> };
  setOpenExternal(open: ((url: string) => Promise<void>) | undefined): void;
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<{ testing?: TestingHooks }>(PROVIDER_EXTENSION);
  const testing = (await extension?.activate())?.testing;
  if (!testing) {
    const loaded = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(
      `the provider extension did not run in test mode (${extension ? 'active' : 'not loaded'}; extensions: ${loaded.join(', ')})`,
    );
  }
  // Two signed-in connections: the suites ask for the second by id and for a permission both have.
  const first = await seedConnection(testing, CONNECTION_NAME);
  const second = await seedConnection(testing, SECOND_CONNECTION_NAME);
  await testing.store.flush();
  updateState({
    connectionId: first,
    connectionName: CONNECTION_NAME,
    secondConnectionId: second,
    secondConnectionName: SECOND_CONNECTION_NAME,
  });
}

/** Saves a browser-sign-in connection through the form and signs it in as Adele; its id. */
async function seedConnection(testing: TestingHooks, name: string): Promise<string> {
  const { draft } = await testing.form.init(undefined);
  const saved = await testing.form.save(
    {
      ...draft,
      name,
      authType: 'authCode',
      environment: 'custom',
      tenant: 'contoso.test',
      scopePreset: 'minimal',
      signInMethod: 'browser',
    },
    {},
  );
  if (!saved.ok) throw new Error(`the form refused the draft: ${JSON.stringify(saved.errors)}`);
  testing.setOpenExternal(async (url) => void completeAuthorizeInBrowser(url, ADELE).catch(() => undefined));
  try {
    const session = await testing.provider.createSession([`connection:${saved.connectionId}`], {});
    if (session.id !== saved.connectionId) throw new Error('signed in another connection');
  } finally {
    testing.setOpenExternal(undefined);
  }
  return saved.connectionId;
}
