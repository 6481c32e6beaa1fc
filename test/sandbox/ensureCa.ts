/** Creates the test CA if needed and prints its path (for NODE_EXTRA_CA_CERTS). */
import { ensureTestCa } from './certs';

if (require.main === module) {
  process.stdout.write(`${ensureTestCa().caCertPath}\n`);
}
