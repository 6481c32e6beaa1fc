/**
 * Authorization code with PKCE and a loopback redirect (RFC 8252), for public and confidential clients
 * alike. MSAL's own `acquireTokenInteractive` exists only on public clients and cannot be cancelled, so
 * the loopback listener is ours: 127.0.0.1 only, form_post only, state checked, one answer, then closed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CryptoProvider, type AuthenticationResult, type ConfidentialClientApplication, type PublicClientApplication } from '@azure/msal-node';
import { ConnectionError } from '../failures';
import { msg } from '../messages';

export interface LoopbackRequest {
  scopes: string[];
  openBrowser: (url: string) => Promise<void>;
  signal?: AbortSignal;
  timeoutMs: number;
  loginHint?: string;
  /** `select_account` shows Entra's account picker (a first sign-in, or Sign In with Another Account). */
  prompt?: 'select_account';
}

interface AuthorizeAnswer {
  code?: string;
  state?: string;
  client_info?: string;
  error?: string;
  error_description?: string;
  error_subcode?: string;
}

const PAGE = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;margin:3em;color-scheme:light dark}</style></head>` +
  `<body><h1>${title}</h1><p>${body}</p></body></html>`;

export async function signInWithLoopback(
  app: PublicClientApplication | ConfidentialClientApplication,
  request: LoopbackRequest,
): Promise<AuthenticationResult> {
  const state = randomUUID();
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const listener = await listenOnLoopback(state);
  try {
    const redirectUri = `http://localhost:${listener.port}`;
    const url = await app.getAuthCodeUrl({
      scopes: request.scopes,
      redirectUri,
      responseMode: 'form_post',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      ...(request.prompt ? { prompt: request.prompt } : {}),
      ...(request.loginHint ? { loginHint: request.loginHint } : {}),
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

interface LoopbackListener {
  port: number;
  answer: Promise<AuthorizeAnswer>;
  close(): void;
}

function listenOnLoopback(expectedState: string): Promise<LoopbackListener> {
  let settle!: (answer: AuthorizeAnswer) => void;
  const answer = new Promise<AuthorizeAnswer>((resolve) => (settle = resolve));
  let answered = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      // A code in the query string is refused: only form_post keeps it out of browser history and logs.
      res.writeHead(req.url === '/favicon.ico' ? 404 : 400, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(PAGE('Sign-in failed', 'The sign-in answer must arrive as a form post.'));
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64 * 1024) {
        req.destroy();
      }
    });
    req.on('end', () => {
      const fields = Object.fromEntries(new URLSearchParams(body)) as AuthorizeAnswer;
      if (answered || fields.state !== expectedState) {
        res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(PAGE('Sign-in failed', 'This answer does not belong to the sign-in in progress.'));
        return;
      }
      answered = true;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(
        fields.error
          ? PAGE('Sign-in failed', 'Return to VS Code to see what went wrong.')
          : PAGE('Signed in', 'You can close this tab and return to VS Code.'),
      );
      settle(fields);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        answer,
        close: () => {
          server.close();
          server.closeAllConnections();
        },
      });
    });
  });
}
