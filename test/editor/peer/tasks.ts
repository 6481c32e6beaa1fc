/**
 * What a peer window can be asked to do (test/editor/windows.ts). A task gets its args and its folder, may
 * signal the suite and wait for it, and returns a JSON value. Add tasks here for other multi-window tests.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../../support/waitFor';
import { addConnection, testingApi } from '../support';

export interface PeerContext {
  folder: string;
}

export const signal = (context: PeerContext, name: string) =>
  writeFileSync(path.join(context.folder, `${name}.signal`), '');
export const waitForSignal = (context: PeerContext, name: string, timeoutMs = 120_000) =>
  waitFor(() => existsSync(path.join(context.folder, `${name}.signal`)), `the suite's ${name}`, timeoutMs);

export const TASKS: Record<string, (args: never, context: PeerContext) => Promise<unknown>> = {
  /**
   * Activates, signals 'ready', waits for 'go', adds `count` connections at once (named `<prefix> <n>`), then
   * waits until this window sees `expectTotal` connections whose names start with one of `prefixes`; returns
   * the names it sees.
   */
  async addConnections(args: { prefix: string; count: number; prefixes: string[]; expectTotal: number }, context) {
    const api = await testingApi();
    signal(context, 'ready');
    await waitForSignal(context, 'go');
    await Promise.all(
      Array.from({ length: args.count }, (_, n) => addConnection(api, sampleConnection(`${args.prefix} ${n}`))),
    );
    const mine = () => api.store.list().filter((e) => args.prefixes.some((p) => e.name.startsWith(`${p} `)));
    await waitFor(() => mine().length >= args.expectTotal, `${args.expectTotal} connections in this window`, 60_000);
    return mine().map((e) => e.name);
  },

  /** A connection's status and its Test Connection checks as this window's tree shows them ("Mailbox: failed: …"). */
  async connectionChecklist(args: { id: string }) {
    const api = await testingApi();
    const { statusOf } = await import('../../../src/connections/facts');
    const checks = api.tree
      .getChildren({ kind: 'connection', id: args.id })
      .filter((n) => n.kind === 'detail' && n.key.startsWith('check:'))
      .map((n) => api.tree.getTreeItem(n))
      .map((i) => `${typeof i.label === 'string' ? i.label : (i.label?.label ?? '')}: ${String(i.description)}`);
    return { status: statusOf(api.store.facts(args.id)), checks };
  },

  /** The connections (names) this window has right after activation: what a reload shows. */
  async listConnections() {
    const api = await testingApi();
    return api.store.list().map((e) => e.name);
  },
};

/** A connection that needs no network to save (app-only, with a secret, on the global cloud). */
export function sampleConnection(name: string) {
  return {
    name,
    environment: 'global' as const,
    tenant: 'contoso.onmicrosoft.com',
    authType: 'clientCredentials' as const,
    clientId: '44444444-4444-4444-8444-444444444444',
    clientSecret: `secret of ${name}`,
    account: 'adele@contoso.onmicrosoft.com',
  };
}
