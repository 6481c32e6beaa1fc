/**
 * The emulator in a process of its own, so that the client side of the token bench does not share an
 * event loop (or a core) with the server that signs the tokens. Driven over IPC:
 * `{ id, cmd, args }` → `{ id, result | error }`.
 */
import { startEmulator, type Emulator } from '../../../test/sandbox/emulator';

let emulator: Emulator;

type Command = { id: number; cmd: string; args?: unknown[] };

const commands: Record<string, (...args: any[]) => unknown> = {
  addApp: (spec) => void emulator.addApp(spec),
  setLifetimes: (l) => emulator.setLifetimes(l),
  countTokenRequests: () => emulator.countRequests({ path: /\/token$/ }),
  countLoginRequests: () => emulator.countRequests({ host: 'login' }),
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
  process.send!({ ready: true, loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint, tenant: emulator.tenant });
  process.on('disconnect', () => process.exit(0));
}

void main();
