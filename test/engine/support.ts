/** Shared set-up of the engine tests: an emulator per suite and connection clients pointed at it. */
import { resolveEnvironment, type Environment } from '../../src/model/clouds';
import type { AuthCodeConnection, ConnectionConfig, ConnectionSecrets } from '../../src/model/connection';
import { parsePfx } from '../../src/engine/certificate';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import { ConnectionTokenClient, type InteractionUi, type TokenResult } from '../../src/engine/tokenClient';
import { completeAuthorizeInBrowser } from '../sandbox/browserBot';
import type { Emulator } from '../sandbox/emulator';

import { waitFor } from '../support/waitFor';

export { waitFor };

export const ADELE = { upn: 'adele@contoso.test', password: 'Passw0rd!adele' };
export const MEGAN = { upn: 'megan@contoso.test', password: 'Passw0rd!megan' };

export function environmentOf(emulator: Emulator): Environment {
  return resolveEnvironment('custom', {
    name: 'Emulator',
    loginEndpoint: emulator.loginEndpoint,
    graphEndpoint: emulator.graphEndpoint,
  });
}

export function makeClient(
  emulator: Emulator,
  config: ConnectionConfig,
  secrets: ConnectionSecrets = {},
  cacheStore = new MemoryTokenCacheStore(),
  options: { homeAccountId?: string } = {},
) {
  return new ConnectionTokenClient({
    config,
    environment: environmentOf(emulator),
    secrets,
    cacheStore,
    openCertificate: parsePfx,
    ...options,
  });
}

/** A browser that signs in as `creds` on the emulator's login page. */
export function browserAs(creds: { upn: string; password: string } | { decline: true }): InteractionUi {
  return {
    openBrowser: async (url) => {
      // Not awaited by the flow's logic beyond the hand-off: a real browser works on its own.
      void completeAuthorizeInBrowser(url, creds).catch(() => undefined);
    },
    showDeviceCode: () => {
      throw new Error('unexpected device code');
    },
  };
}

let counter = 0;
/** A sign-in with the Microsoft public app against the emulator's tenant (the engine tests' usual connection). */
export function authCodeConnection(extra: Partial<AuthCodeConnection> = {}): AuthCodeConnection {
  return {
    id: newId(),
    name: 'auth code',
    authType: 'authCode',
    environment: 'custom',
    tenant: 'contoso.test',
    scopes: { preset: 'minimal', additional: [] },
    signInMethod: 'browser',
    ...extra,
  };
}

export function newId(): string {
  counter += 1;
  return `test-${counter}`;
}

/**
 * Signs in as Adele with 1-second access tokens, waits until the token has expired and runs `work`
 * with the client and the first result; the emulator's token lifetime is restored afterwards.
 */
export async function withExpiredSignIn(
  emulator: Emulator,
  config: ConnectionConfig,
  work: (client: ConnectionTokenClient, first: TokenResult) => Promise<void>,
): Promise<void> {
  emulator.setLifetimes({ accessTokenSeconds: 1 });
  try {
    const client = makeClient(emulator, config);
    const first = await client.signIn({ ui: browserAs(ADELE) });
    await waitFor(() => Date.now() > first.expiresOn.getTime() + 10, 'the token to expire', 5000);
    await work(client, first);
  } finally {
    emulator.setLifetimes({ accessTokenSeconds: 3600 });
  }
}
