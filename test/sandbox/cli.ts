/** Runs the emulator on its own: `node out/test/sandbox/cli.js [--login-port N] [--graph-port N]`. */
import { DEFAULT_USERS, PUBLIC_CLIENT_ID, startEmulator } from './emulator';
import { ensureTestCa } from './certs';

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const emulator = await startEmulator({ loginPort: arg('--login-port'), graphPort: arg('--graph-port') });
  process.stdout.write(
    `${JSON.stringify({ loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint, tenant: emulator.tenant, caCertPath: ensureTestCa().caCertPath, publicClientId: PUBLIC_CLIENT_ID, users: DEFAULT_USERS.map((u) => u.upn) })}\n`,
  );
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  void main();
}
