/**
 * A real HTTP proxy for tests: the `proxy` package from the npm registry (an HTTP CONNECT proxy, as a
 * corporate proxy is to VS Code), on a free port of 127.0.0.1, with its own log of every CONNECT it
 * received (`host:port` as the client asked for it). The log is what proves that a request went through it.
 * `startHungProxy()`: a proxy that accepts connections and never answers, for request deadlines.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createTcpServer, type Socket } from 'node:net';

/**
 * The package is ESM only (its types resolve under node16 resolution, not this project's): loaded with
 * require(esm), which the extension hosts' Node (≥ 20.19) and the runner's have.
 */
function loadProxyPackage(): { createProxy(server: Server): Server } {
  return createRequire(__filename)('proxy') as { createProxy(server: Server): Server };
}

export interface RealProxy {
  /** `http://127.0.0.1:PORT`, what `http.proxy` or HTTPS_PROXY names. */
  url: string;
  /** Every CONNECT target (`host:port`), in order. */
  readonly connects: readonly string[];
  stop(): Promise<void>;
}

export async function startRealProxy(onConnect: (target: string) => void = () => undefined): Promise<RealProxy> {
  const { createProxy } = loadProxyPackage();
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createProxy(createServer());
  server.on('connect', (req: { url?: string }) => {
    const target = req.url ?? '';
    connects.push(target);
    onConnect(target);
  });
  return listen(server, sockets, (port) => ({
    url: `http://127.0.0.1:${port}`,
    connects,
  }));
}

/** A proxy that accepts every connection and says nothing (neither to CONNECT nor to anything else). */
export async function startHungProxy(): Promise<{ url: string; readonly connections: number; stop(): Promise<void> }> {
  let connections = 0;
  const server = createTcpServer(() => connections++);
  return listen(server, new Set(), (port) => ({
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
  }));
}

async function listen<T extends object>(
  server: Server | ReturnType<typeof createTcpServer>,
  sockets: Set<Socket>,
  describe: (port: number) => T,
): Promise<T & { stop(): Promise<void> }> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  const described = describe(port);
  return Object.assign(described, {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
