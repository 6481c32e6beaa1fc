import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { LOOPBACK_LIMITS, listenOnLoopback, type LoopbackListener } from '../../src/engine/flows/loopback';
import { startEmulator, type Emulator } from '../sandbox/emulator';
import { ADELE, browserAs, makeClient, newId } from './support';

// The redirect URI stays `http://localhost:PORT`: Microsoft Entra ID ignores the port only for
// `localhost` and does not support `[::1]` redirect URIs
// (https://learn.microsoft.com/en-us/entra/identity-platform/reply-url#localhost-exceptions).

const STATE = 'state-4c1e';

async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

function listenOn(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => s.destroy());
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

interface Answer {
  status: number;
  body: string;
}

/** A form post to the listener through one address, with the Host header a browser would send (or another). */
function post(address: string, port: number, body: string, host = `localhost:${port}`): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        method: 'POST',
        path: '/',
        headers: {
          Host: host,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves with the milliseconds until the listener closed the socket. */
function closedAfter(socket: Socket, started: number): Promise<number> {
  return new Promise((resolve) => socket.once('close', () => resolve(Date.now() - started)));
}

describe('engine: the loopback listener of the authorization code sign-in', function () {
  this.timeout(30_000);
  const open: LoopbackListener[] = [];
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  let ipv6 = false;

  before(async () => {
    ipv6 = await hasIpv6Loopback();
  });
  afterEach(() => {
    open.splice(0).forEach((l) => l.close());
    servers.splice(0).forEach((s) => s.close());
    sockets.splice(0).forEach((s) => s.destroy());
  });

  async function listener(options: Partial<Parameters<typeof listenOnLoopback>[0]> = {}): Promise<LoopbackListener> {
    const l = await listenOnLoopback({ expectedState: STATE, ...options });
    open.push(l);
    return l;
  }

  it('holds both loopback addresses of its port: a process cannot take [::1]:PORT, and a post there reaches the listener', async function () {
    if (!ipv6) this.skip();
    const l = await listener();
    assert.equal(l.redirectUri, `http://localhost:${l.port}`);
    assert.deepEqual([...l.addresses].sort(), ['127.0.0.1', '::1']);
    await assert.rejects(
      listenOn(l.port, '::1'),
      { code: 'EADDRINUSE' },
      'another process cannot bind [::1] on the redirect’s port',
    );
    const viaV6 = await post('::1', l.port, `code=abc&state=${STATE}`);
    assert.equal(viaV6.status, 200);
    assert.deepEqual(await l.answer, { code: 'abc', state: STATE });
  });

  it('where another process already holds [::1] on the offered port, it moves to a port where it holds both', async function () {
    if (!ipv6) this.skip();
    const squatter = await listenOn(0, '::1');
    servers.push(squatter);
    const taken = (squatter.address() as { port: number }).port;
    const l = await listener({ firstPort: taken });
    assert.notEqual(l.port, taken, 'did not advertise a port whose [::1] another process holds');
    assert.deepEqual([...l.addresses].sort(), ['127.0.0.1', '::1']);
    assert.equal(l.redirectUri, `http://localhost:${l.port}`);
  });

  it('on a machine without an IPv6 loopback it holds 127.0.0.1, which is all `localhost` can reach there', async () => {
    // An IPv6 address the machine does not have fails to bind like ::1 on an IPv4-only machine.
    const l = await listener({ ipv6Address: '2001:db8::7' });
    assert.deepEqual(l.addresses, ['127.0.0.1']);
    assert.equal(l.redirectUri, `http://localhost:${l.port}`);
    assert.equal((await post('127.0.0.1', l.port, `code=abc&state=${STATE}`)).status, 200);
  });

  it('refuses an answer whose Host is not the advertised localhost:PORT, and still takes the right one', async () => {
    const l = await listener();
    for (const host of ['evil.test', `evil.test:${l.port}`, `127.0.0.1:${l.port}`, `localhost:${l.port + 1}`]) {
      const refused = await post('127.0.0.1', l.port, `code=stolen&state=${STATE}`, host);
      assert.equal(refused.status, 421, `Host ${host} is refused`);
    }
    assert.equal((await post('127.0.0.1', l.port, `code=abc&state=${STATE}`, `LOCALHOST:${l.port}`)).status, 200);
    assert.equal((await l.answer).code, 'abc');
  });

  it('refuses a body over the size cap', async () => {
    const l = await listener();
    const answer = await post('127.0.0.1', l.port, `state=${STATE}&code=${'x'.repeat(LOOPBACK_LIMITS.maxBodyBytes)}`);
    assert.equal(answer.status, 413);
  });

  it('production deadlines are at most 10 s for headers and for the whole request', () => {
    assert.ok(LOOPBACK_LIMITS.headersTimeoutMs + LOOPBACK_LIMITS.checkIntervalMs <= 10_000);
    assert.ok(LOOPBACK_LIMITS.requestTimeoutMs + LOOPBACK_LIMITS.checkIntervalMs <= 10_000);
  });

  describe('slow clients are cut within the deadline (test deadlines: headers 600 ms, request 1 s)', () => {
    const limits = { headersTimeoutMs: 600, requestTimeoutMs: 1_000, checkIntervalMs: 100 };
    const margin = 1_500; // a busy shared machine

    function dial(port: number): Socket {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      socket.resume(); // read the 408 answer, or 'close' never comes
      sockets.push(socket);
      return socket;
    }

    it('headers sent byte by byte', async () => {
      const l = await listener({ limits });
      const socket = dial(l.port);
      const started = Date.now();
      const closed = closedAfter(socket, started);
      const head = `POST / HTTP/1.1\r\nHost: localhost:${l.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Padding: ${'a'.repeat(500)}\r\n`;
      let i = 0;
      const drip = setInterval(
        () => (i < head.length && !socket.destroyed ? socket.write(head[i++]) : clearInterval(drip)),
        20,
      );
      try {
        const ms = await closed;
        assert.ok(i < head.length, 'cut before the headers were complete');
        assert.ok(ms < limits.headersTimeoutMs + margin, `cut after ${ms} ms`);
      } finally {
        clearInterval(drip);
      }
    });

    it('headers complete, the body never sent', async () => {
      const l = await listener({ limits });
      const socket = dial(l.port);
      const started = Date.now();
      const closed = closedAfter(socket, started);
      socket.write(
        `POST / HTTP/1.1\r\nHost: localhost:${l.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nstate=`,
      );
      const ms = await closed;
      assert.ok(ms < limits.requestTimeoutMs + margin, `cut after ${ms} ms`);
    });

    it('connected, nothing sent', async () => {
      const l = await listener({ limits });
      const socket = dial(l.port);
      const ms = await closedAfter(socket, Date.now());
      assert.ok(ms < limits.requestTimeoutMs + margin, `cut after ${ms} ms`);
    });
  });

  describe('the sign-in through it', () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator({ quiet: true });
    });
    after(() => emulator.stop());

    it('completes against the emulator with the redirect URI http://localhost:PORT', async () => {
      let redirectUri = '';
      const browser = browserAs(ADELE);
      const client = makeClient(emulator, {
        id: newId(),
        name: 'loopback',
        authType: 'authCode',
        environment: 'custom',
        tenant: 'contoso.test',
        scopes: { preset: 'minimal', additional: [] },
        signInMethod: 'browser',
      });
      const result = await client.signIn({
        ui: {
          ...browser,
          openBrowser: async (url) => {
            redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
            await browser.openBrowser(url);
          },
        },
      });
      assert.equal(result.account?.username, ADELE.upn);
      assert.match(redirectUri, /^http:\/\/localhost:\d+$/);
    });
  });
});
