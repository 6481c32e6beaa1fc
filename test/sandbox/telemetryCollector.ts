/**
 * A local stand-in for Application Insights ingestion, for the in-editor test with telemetry on. It
 * answers `POST /v2/track` (and `/v2.1/track`) as ingestion does, `{ itemsReceived, itemsAccepted,
 * errors }`, over HTTPS with the test CA (@vscode/extension-telemetry sends through `node:https`), and
 * keeps every request body. `GET /received` hands them to the suite; anything else posted (code-server's
 * own telemetry, pointed here with CS_TELEMETRY_URL so nothing leaves the machine) is kept apart.
 * The Application Insights SDK posts a JSON array of envelopes (or line-delimited JSON):
 * https://learn.microsoft.com/en-us/azure/azure-monitor/app/api-custom-events-metrics
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureTestCa } from './certs';

export interface TelemetryEnvelope {
  name: string;
  iKey?: string;
  tags?: Record<string, string>;
  data?: {
    baseType?: string;
    baseData?: { name?: string; properties?: Record<string, string>; measurements?: Record<string, number> };
  };
}

export interface Received {
  /** Raw bodies posted to the ingestion path, in order. */
  bodies: string[];
  /** Envelopes parsed from them. */
  envelopes: TelemetryEnvelope[];
  /** Requests to any other path (method and path only). */
  other: string[];
}

export interface TelemetryCollector {
  /** `https://127.0.0.1:PORT/`: the IngestionEndpoint of the test build's connection string. */
  url: string;
  received: Received;
  stop(): Promise<void>;
}

function parseEnvelopes(body: string): TelemetryEnvelope[] {
  const text = body.trim();
  if (!text) return [];
  if (text.startsWith('[')) return JSON.parse(text) as TelemetryEnvelope[];
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TelemetryEnvelope);
}

export async function startTelemetryCollector(): Promise<TelemetryCollector> {
  const ca = ensureTestCa();
  const { certPem, keyPem } = ca.issueServerCert(['127.0.0.1', 'localhost']);
  const received: Received = { bodies: [], envelopes: [], other: [] };
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/received') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(received));
        return;
      }
      if (req.method === 'POST' && /^\/v2(\.1)?\/track$/.test(path)) {
        const body = Buffer.concat(chunks).toString('utf8');
        let envelopes: TelemetryEnvelope[];
        try {
          envelopes = parseEnvelopes(body);
        } catch {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              itemsReceived: 0,
              itemsAccepted: 0,
              errors: [{ index: 0, statusCode: 400, message: 'Invalid JSON' }],
            }),
          );
          return;
        }
        received.bodies.push(body);
        received.envelopes.push(...envelopes);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: envelopes.length, itemsAccepted: envelopes.length, errors: [] }));
        return;
      }
      received.other.push(`${req.method} ${path}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
