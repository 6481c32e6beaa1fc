/**
 * A plain HTTPS server (certificate of the test CA, free port on 127.0.0.1) that records every connection
 * and request and answers each with an OAuth-style 400. It stands for a host that a hostile workspace
 * names: a test proves that nothing reaches it.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { ensureTestCa } from './certs';

export interface RecordedRequest {
  method: string;
  url: string;
  /** Length only: a body may hold a secret, and tests print what they recorded. */
  bodyBytes: number;
}

export interface RecordingServer {
  origin: string;
  /** TCP connections accepted, before any TLS or HTTP. */
  readonly connections: number;
  readonly requests: readonly RecordedRequest[];
  stop(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const { certPem, keyPem } = ensureTestCa().issueServerCert(['127.0.0.1', 'localhost']);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', bodyBytes });
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'recording server' }));
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    origin: `https://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
