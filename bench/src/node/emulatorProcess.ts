/**
 * The emulator in a process of its own, so that the client side of the token bench does not share an
 * event loop (or a core) with the server that signs the tokens. Driven over IPC:
 * `{ id, cmd, args }` → `{ id, result | error }`.
 */
import { startEmulator, type Emulator } from '../../../test/sandbox/emulator';
import type { AppSpec } from '../../../test/sandbox/model';

let emulator: Emulator;

type Command = { id: number; cmd: string; args?: unknown[] };

// The arguments come over IPC as they were sent (bench/src/node/remoteEmulator.ts types the calls).
const commands: Record<string, (...args: unknown[]) => unknown> = {
  addApp: (spec) => void emulator.addApp(spec as AppSpec),
  setLifetimes: (l) => emulator.setLifetimes(l as Parameters<Emulator['setLifetimes']>[0]),
  countTokenRequests: () => emulator.countRequests({ path: /\/token$/ }),
  countLoginRequests: () => emulator.countRequests({ host: 'login' }),
  countLoginConnections: () => emulator.connectionsAccepted.login ?? 0,
  clearRequests: () => void emulator.requests.splice(0),
  stop: async () => {
    await emulator.stop();
    setImmediate(() => process.exit(0));
  },
};

async function main(): Promise<void> {
  emulator = await startEmulator({ quiet: true });
  process.on('message', async (message: Command) => {
    try {
      const result = await commands[message.cmd](...(message.args ?? []));
      process.send!({ id: message.id, result });
    } catch (err) {
      process.send!({ id: message.id, error: String((err as Error)?.stack ?? err) });
    }
  });
  process.send!({
    ready: true,
    loginEndpoint: emulator.loginEndpoint,
    graphEndpoint: emulator.graphEndpoint,
    tenant: emulator.tenant,
  });
  process.on('disconnect', () => process.exit(0));
}

void main();
