/**
 * The emulator's login host as the browser in the workbench must see it.
 *
 * Why not the emulator's own `https://127.0.0.1:PORT`: code-server is a remote window, and VS Code
 * port-forwards every `openExternal` of a `localhost` / `127.0.0.1` / `0.0.0.0` URL (as it does in
 * Codespaces or over SSH): the page opens at code-server's `/proxy/PORT/` route, over plain HTTP and
 * without the path and query. A real login host is never such an address. So the tests put the login
 * host on another loopback address, 127.0.0.2 (Linux routes all of 127/8 to `lo`; no DNS needed), with a
 * certificate from the same test CA, forwarding every request to the emulator, and tell the emulator
 * that this is its public origin (so its metadata, login pages and device-code URI name it).
 *
 * Chromium trusts the test CA through `--ignore-certificate-errors-spki-list` with the CA's key hash:
 * only certificates issued by the test CA are accepted, nothing else changes.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ensureTestCa } from '../../sandbox/certs';
import type { Emulator } from '../../sandbox/emulator';

export const PUBLIC_LOGIN_ADDRESS = '127.0.0.2';

export interface LoginHost {
  /** `https://127.0.0.2:PORT`: what the settings, MSAL and the browser use. */
  origin: string;
  /** The emulator's own origin behind it. */
  upstream: string;
  stop(): Promise<void>;
}

/** Puts the emulator's login host at https://127.0.0.2:PORT (see above). Call before anything uses it. */
export async function publishLoginHost(emulator: Emulator): Promise<LoginHost> {
  const upstream = new URL(emulator.loginEndpoint);
  const ca = ensureTestCa();
  const { certPem, keyPem } = ca.issueServerCert([PUBLIC_LOGIN_ADDRESS]);
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const forward = httpsRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        // The emulator's certificate is from the test CA: trusted here whatever NODE_EXTRA_CA_CERTS says.
        ca: ca.caCertPem,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`login host proxy: ${err.message}`);
    });
    req.pipe(forward);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, PUBLIC_LOGIN_ADDRESS, () => resolve());
  });
  const origin = `https://${PUBLIC_LOGIN_ADDRESS}:${(server.address() as AddressInfo).port}`;
  emulator.loginEndpoint = origin;
  return {
    origin,
    upstream: upstream.origin,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** base64(SHA-256(SubjectPublicKeyInfo)) of the test CA: Chromium's `--ignore-certificate-errors-spki-list`. */
export function testCaSpkiHash(): string {
  const spki = new X509Certificate(ensureTestCa().caCertPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
