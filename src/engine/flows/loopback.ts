/**
 * Authorization code with PKCE and a loopback redirect (RFC 8252), for public and confidential clients
 * alike. MSAL's own `acquireTokenInteractive` exists only on public clients and cannot be cancelled, so
 * the loopback listener is ours: both loopback addresses of one port, its Host checked, short deadlines,
 * form_post only, state checked, one answer, then closed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  CryptoProvider,
  type AuthenticationResult,
  type ConfidentialClientApplication,
  type PublicClientApplication,
} from '@azure/msal-node';
import { ConnectionError } from '../failures';
import { formatMessage, msg, type Message } from '../../model/messages';

export interface LoopbackRequest {
  scopes: string[];
  openBrowser: (url: string) => Promise<void>;
  signal?: AbortSignal;
  timeoutMs: number;
  loginHint?: string;
  /** `select_account` shows Entra's account picker (a first sign-in, or Sign In with Another Account). */
  prompt?: 'select_account';
  /** The page the browser shows in the user's language (English when absent). */
  translate?: (message: Message) => string;
  /** A claims challenge's claims (JSON), for the authorization and the code redemption alike. */
  claims?: string;
}

interface AuthorizeAnswer {
  code?: string;
  state?: string;
  client_info?: string;
  error?: string;
  error_description?: string;
  error_subcode?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// The texts come from our translations: escaped all the same, a translation is data, not markup.
const PAGE = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  `<style>body{font-family:system-ui,sans-serif;margin:3em;color-scheme:light dark}</style></head>` +
  `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;

export async function signInWithLoopback(
  app: PublicClientApplication | ConfidentialClientApplication,
  request: LoopbackRequest,
): Promise<AuthenticationResult> {
  const state = randomUUID();
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const listener = await listenOnLoopback({
    expectedState: state,
    ...(request.translate ? { translate: request.translate } : {}),
  });
  try {
    const { redirectUri } = listener;
    const url = await app.getAuthCodeUrl({
      scopes: request.scopes,
      redirectUri,
      responseMode: 'form_post',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      ...(request.prompt ? { prompt: request.prompt } : {}),
      ...(request.loginHint ? { loginHint: request.loginHint } : {}),
      ...(request.claims ? { claims: request.claims } : {}),
    });
    await request.openBrowser(url);
    const answer = await waitFor(listener.answer, request.signal, request.timeoutMs);
    if (answer.error) {
      // The shape MSAL's errors have, so failure classification treats both alike.
      throw Object.assign(new Error(answer.error), {
        errorCode: answer.error,
        errorMessage: answer.error_description ?? '',
        subError: answer.error_subcode ?? '',
      });
    }
    return await app.acquireTokenByCode({
      code: answer.code!,
      codeVerifier: verifier,
      redirectUri,
      scopes: request.scopes,
      clientInfo: answer.client_info ?? '',
      ...(request.claims ? { claims: request.claims } : {}),
    });
  } finally {
    listener.close();
  }
}

function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new ConnectionError({
          kind: 'timeout',
          status: 'error',
          message: msg('Sign-in timed out: the browser did not come back within {minutes} minutes. Try again.', {
            minutes: Math.round(timeoutMs / 60000),
          }),
        }),
      );
    }, timeoutMs);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort);
    promise.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e) => {
        cleanup();
        reject(e);
      },
    );
  });
}

/**
 * Production deadlines of the listener. A browser delivers the form post at once; a client that sends
 * its headers or body slowly (or never) is cut: headers within 5 s, the whole request within 9 s
 * (Node checks every 500 ms), so no socket is held longer than 10 s.
 */
export interface LoopbackLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  checkIntervalMs: number;
  maxBodyBytes: number;
}
export const LOOPBACK_LIMITS: Readonly<LoopbackLimits> = Object.freeze({
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 9_000,
  checkIntervalMs: 500,
  maxBodyBytes: 64 * 1024,
});

export interface LoopbackListenerOptions {
  expectedState: string;
  /** Shorter deadlines for tests; production uses LOOPBACK_LIMITS. */
  limits?: Partial<LoopbackLimits>;
  /** Tests: the port to try first (normally the system picks a free one). */
  firstPort?: number;
  /** Tests: the IPv6 loopback address; one the machine lacks stands for a machine without IPv6. */
  ipv6Address?: string;
  /** The page the browser shows in the user's language (English when absent). */
  translate?: (message: Message) => string;
  /** A claims challenge's claims (JSON), for the authorization and the code redemption alike. */
  claims?: string;
}

export interface LoopbackListener {
  port: number;
  /** `http://localhost:PORT`: the redirect URI to send, and the only Host the listener accepts. */
  redirectUri: string;
  /** The addresses held on `port`: 127.0.0.1 and ::1, or 127.0.0.1 alone where the machine has no IPv6 loopback. */
  addresses: string[];
  answer: Promise<AuthorizeAnswer>;
  close(): void;
}

/** Ports tried before giving up when another process holds [::1] on the port the system offered. */
const PORT_ATTEMPTS = 10;

/**
 * Listens on both loopback addresses of one port. The redirect URI says `localhost`, which a browser
 * may resolve to 127.0.0.1 or to ::1: holding only one would let another process on the same machine
 * take the other and receive the code. Where [::1] is taken, another port is tried; where the machine
 * has no IPv6 loopback, nobody can hold [::1] and `localhost` reaches 127.0.0.1 only, so 127.0.0.1
 * alone is safe. The redirect URI stays `http://localhost:PORT` in both cases, because Microsoft Entra
 * ID ignores the port only for `localhost` redirect URIs, does not support `[::1]`, and a
 * `http://127.0.0.1` one can be registered only through the app manifest
 * (https://learn.microsoft.com/en-us/entra/identity-platform/reply-url#localhost-exceptions).
 */
export async function listenOnLoopback(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  const limits = { ...LOOPBACK_LIMITS, ...options.limits };
  let settle!: (answer: AuthorizeAnswer) => void;
  const answer = new Promise<AuthorizeAnswer>((resolve) => (settle = resolve));
  let answered = false;
  let expectedHost = '';
  const translate = options.translate ?? ((message: Message) => formatMessage(message));
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const page = (status: number, title: Message, body: Message) => {
      res.writeHead(status, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'close',
      });
      res.end(PAGE(translate(title), translate(body)));
    };
    // Only the host:port the redirect URI names: a page that makes the browser post to this port under
    // another name (DNS rebinding) is refused.
    if ((req.headers.host ?? '').toLowerCase() !== expectedHost) {
      page(421, msg('Sign-in failed'), msg('This answer was not sent to the address of the sign-in in progress.'));
      return;
    }
    if (req.method !== 'POST') {
      // A code in the query string is refused: only form_post keeps it out of browser history and logs.
      page(
        req.url === '/favicon.ico' ? 404 : 400,
        msg('Sign-in failed'),
        msg('The sign-in answer must arrive as a form post.'),
      );
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > limits.maxBodyBytes) {
      page(413, msg('Sign-in failed'), msg('The sign-in answer is too large.'));
      return;
    }
    let body = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > limits.maxBodyBytes && !tooLarge) {
        tooLarge = true;
        page(413, msg('Sign-in failed'), msg('The sign-in answer is too large.'));
        req.destroy();
      }
    });
    req.on('end', () => {
      if (tooLarge) return;
      const fields = Object.fromEntries(new URLSearchParams(body)) as AuthorizeAnswer;
      if (answered || fields.state !== options.expectedState) {
        page(400, msg('Sign-in failed'), msg('This answer does not belong to the sign-in in progress.'));
        return;
      }
      answered = true;
      page(
        200,
        fields.error ? msg('Sign-in failed') : msg('Signed in'),
        fields.error
          ? msg('Return to VS Code to see what went wrong.')
          : msg('You can close this tab and return to VS Code.'),
      );
      settle(fields);
    });
  };
  // Node's connection checks cut a socket that sends nothing, headers too slowly (408) or a body too
  // slowly (408); after the answer the socket is closed (Connection: close).
  const newServer = () =>
    createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: limits.checkIntervalMs,
        keepAliveTimeout: limits.headersTimeoutMs,
      },
      handler,
    );
  const ipv6Address = options.ipv6Address ?? '::1';
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const v4 = newServer();
    try {
      await listen(v4, attempt === 0 ? (options.firstPort ?? 0) : 0, '127.0.0.1');
    } catch (e) {
      lastError = e;
      continue;
    }
    const port = (v4.address() as AddressInfo).port;
    const servers: Server[] = [v4];
    const v6 = newServer();
    try {
      await listen(v6, port, ipv6Address);
      servers.push(v6);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
        // [::1]:port belongs to someone else (EADDRINUSE) or cannot be had: another port.
        lastError = e;
        closeAll(v4);
        continue;
      }
    }
    expectedHost = `localhost:${port}`;
    return {
      port,
      redirectUri: `http://${expectedHost}`,
      addresses: servers.map((s) => (s.address() as AddressInfo).address),
      answer,
      close: () => servers.forEach(closeAll),
    };
  }
  throw lastError;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeAll(server: Server): void {
  server.close();
  server.closeAllConnections();
}
