/**
 * A local Microsoft Entra ID v2.0 + Microsoft Graph, over real HTTPS on 127.0.0.1, good enough for the
 * real @azure/msal-node to run every grant against it (TESTING.md §1). Two servers, as in a real cloud:
 * the login host and the Graph host. Tests drive it in-process (or over /_emulator/ from another process).
 *
 * This file holds the servers, the state, the control methods and the routing; each group of endpoints
 * is a module of its own in endpoints/ (authorize, adminConsent, deviceCode, token, metadata, faults,
 * control), and Graph is graph.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { createServer as createTcpServer, isIP, type AddressInfo, type Socket } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { ensureTestCa } from './certs';
import { adminConsent, adminConsentLogin } from './endpoints/adminConsent';
import { authorize, authorizeLogin } from './endpoints/authorize';
import type { EmulatorContext, EmulatorState } from './endpoints/context';
import { control } from './endpoints/control';
import { deviceCode, deviceLogin } from './endpoints/deviceCode';
import { tenantIdOf } from './endpoints/directory';
import { applyFault } from './endpoints/faults';
import { AadError, readBody, sendAadError, sendHtml, sendJson } from './endpoints/http';
import { isOtherCloudTenant, metadata, otherCloudMetadata } from './endpoints/metadata';
import { token } from './endpoints/token';
import { clientCapabilitiesOf, type ClaimsChallengeSpec } from './endpoints/claimsChallenge';
import { handleGraph } from './graph';
import {
  DEFAULT_APPS,
  DEFAULT_TENANT,
  DEFAULT_USERS,
  SHARED_MAILBOXES,
  makeApp,
  makeUser,
  type App,
  type AppSpec,
  type FaultSpec,
  type RequestRecord,
  type User,
  type UserSpec,
} from './model';
import { browserIndexPage, messagePage } from './pages';

export { DEFAULT_TENANT, DEFAULT_USERS, PUBLIC_CLIENT_ID, SHARED_MAILBOXES, US_GOV_TENANT } from './model';

export interface EmulatorOptions {
  loginPort?: number;
  graphPort?: number;
  name?: string;
  quiet?: boolean;
  caDir?: string;
  /**
   * Also serves the pages a person's browser opens (sign-in, device code, admin consent) over plain HTTP
   * on loopback, at this port (0 = a free one), so that a person's own browser shows no certificate
   * warning for the throwaway CA. Only those pages are served there. While it is on, the metadata's
   * `authorization_endpoint` and the device code's `verification_uri` name that origin
   * (`browserEndpoint`); the authority, the token endpoint and everything MSAL fetches stay on the HTTPS
   * login host. Unset (the default): no HTTP server, and nothing changes.
   */
  browserPort?: number;
  /**
   * The loopback addresses the browser pages listen on, all with the same port; the first one is the
   * origin named in URLs. Default `['127.0.0.1']`. Only loopback addresses (127.0.0.0/8, ::1) are accepted.
   * `['::1', '127.0.0.1']` names `http://[::1]:PORT`, which a remote VS Code window (code-server) opens as
   * it is; it port-forwards `openExternal` of `localhost` / `127.0.0.1` URLs to its `/proxy/PORT/` route
   * and drops their path and query.
   */
  browserAddresses?: string[];
  /**
   * The loopback address the login host and Graph listen on and are named by (default 127.0.0.1). VS Code's
   * proxy support never proxies `localhost`, `127.0.0.1` or `::1`; a proxy test serves them on another
   * loopback address, e.g. 127.0.0.2 (see test/editor/proxy.test.ts).
   */
  address?: string;
}

/** The routes of the login host that a person's browser opens; the only ones the plain-HTTP origin serves. */
const BROWSER_ROUTES =
  /^\/(?:devicelogin|[^/]+\/(?:oauth2\/v2\.0\/authorize(?:\/login)?|v2\.0\/adminconsent(?:\/login)?))$/;

function isLoopbackAddress(address: string): boolean {
  return (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';
}

function originOf(address: string, port: number): string {
  return `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

/** The emulator's servers: the login host, Graph, and the plain-HTTP browser pages (`browserPort`). */
export type EmulatorHost = 'login' | 'graph' | 'browser';

type VerifyKey = Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];

export class Emulator {
  loginEndpoint = '';
  graphEndpoint = '';
  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT`) when `browserPort` is set: the origin named in browser URLs. */
  browserEndpoint = '';
  /** Every origin of the browser pages (one per listening address), `browserEndpoint` first. */
  browserEndpoints: string[] = [];
  readonly tenant = DEFAULT_TENANT;
  readonly requests: RequestRecord[] = [];

  users = new Map<string, User>();
  mailboxes = new Set<string>();
  /**
   * Mailboxes an Exchange application access policy keeps every app out of: app-only requests get 403
   * ErrorAccessDenied although the token has the role (https://learn.microsoft.com/graph/auth-limit-mailbox-access).
   */
  deniedToApps = new Set<string>();
  apps = new Map<string, App>();
  /** What only the endpoints see (codes, tokens, faults, lifetimes, the signing key). */
  #state: EmulatorState = {
    codes: new Map(),
    refreshTokens: new Map(),
    deviceCodes: new Map(),
    pending: new Map(),
    faults: [],
    lifetimes: { accessTokenSeconds: 3600, refreshTokenSeconds: 90 * 24 * 3600 },
    deviceCodeSettings: { intervalSeconds: 5, expiresInSeconds: 900 },
    clockSkewSeconds: 0,
    withheld: new Set(),
  };
  #context: EmulatorContext = { emulator: this, state: this.#state };
  #servers: { close(callback: () => void): void }[] = [];
  /** Every open socket, with the host it came in on. */
  #sockets = new Map<Socket, EmulatorHost>();
  /** TCP connections each host accepted (a client that keeps its connection alive opens one). */
  readonly connectionsAccepted: Record<string, number> = {};
  /** Hosts whose new connections are accepted and never answered (`stallConnections`). */
  #stalled = new Set<EmulatorHost>();
  publicKey!: VerifyKey;
  readonly kid = randomBytes(8).toString('hex');

  constructor(readonly options: EmulatorOptions = {}) {
    this.reset();
  }

  async start(): Promise<this> {
    try {
      return await this.#start();
    } catch (err) {
      // A port taken or an address missing: close what already listens before reporting it.
      await this.stop();
      throw err;
    }
  }

  async #start(): Promise<this> {
    const browserAddresses = this.options.browserAddresses ?? ['127.0.0.1'];
    if (
      this.options.browserPort !== undefined &&
      (!browserAddresses.length || !browserAddresses.every(isLoopbackAddress))
    ) {
      throw new Error(
        `browserAddresses must be loopback addresses (127.0.0.0/8 or ::1): ${browserAddresses.join(', ')}`,
      );
    }
    const hostAddress = this.options.address ?? '127.0.0.1';
    if (isIP(hostAddress) !== 4 || !isLoopbackAddress(hostAddress)) {
      throw new Error(`address must be an IPv4 loopback address (127.0.0.0/8): ${hostAddress}`);
    }
    const ca = ensureTestCa(this.options.caDir);
    const { certPem, keyPem } = ca.issueServerCert([...new Set(['127.0.0.1', hostAddress]), 'localhost']);
    const keys = await generateKeyPair('RS256', { extractable: true });
    this.#state.privateKey = keys.privateKey;
    this.publicKey = keys.publicKey;
    this.#state.jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' }] };
    const listen = (
      host: EmulatorHost,
      port: number,
      handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
      tls = true,
      address = '127.0.0.1',
    ) =>
      new Promise<number>((resolve, reject) => {
        const serve = (req: IncomingMessage, res: ServerResponse) => {
          handler(req, res).catch((err: unknown) => {
            if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err) });
            else res.end();
          });
        };
        const server: Server = tls ? createServer({ cert: certPem, key: keyPem }, serve) : createHttpServer(serve);
        // A plain TCP listener in front hands each connection to the HTTP(S) server, or keeps it open
        // and silent while its host is stalled (a TLS handshake that never completes).
        const front = createTcpServer((socket) => {
          this.#sockets.set(socket, host);
          this.connectionsAccepted[host] = (this.connectionsAccepted[host] ?? 0) + 1;
          socket.on('close', () => this.#sockets.delete(socket));
          if (!this.#stalled.has(host)) server.emit('connection', socket);
        });
        front.once('error', reject);
        front.listen(port, address, () => resolve((front.address() as AddressInfo).port));
        this.#servers.push(front);
      });
    this.loginEndpoint = `https://${hostAddress}:${await listen('login', this.options.loginPort ?? 0, (q, s) => this.#handleLogin(q, s), true, hostAddress)}`;
    this.graphEndpoint = `https://${hostAddress}:${await listen('graph', this.options.graphPort ?? 0, (q, s) => this.#handleGraph(q, s), true, hostAddress)}`;
    if (this.options.browserPort !== undefined) {
      let port = this.options.browserPort;
      const origins: string[] = [];
      for (const address of browserAddresses) {
        port = await listen('browser', port, (q, s) => this.#handleBrowser(q, s), false, address);
        origins.push(originOf(address, port));
      }
      this.browserEndpoints = origins;
      this.browserEndpoint = origins[0];
    }
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets.keys()) socket.destroy();
    await Promise.all(this.#servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.#servers = [];
  }

  // ---- control --------------------------------------------------------------------------------
  reset(): void {
    this.users = new Map(DEFAULT_USERS.map((u) => [u.upn.toLowerCase(), makeUser(u)]));
    this.mailboxes = new Set(SHARED_MAILBOXES);
    this.deniedToApps = new Set();
    this.apps = new Map(DEFAULT_APPS.map((a) => [a.clientId, makeApp(a)]));
    this.#state.faults = [];
    this.#stalled.clear();
    this.#state.lifetimes = { accessTokenSeconds: 3600, refreshTokenSeconds: 90 * 24 * 3600 };
    this.#state.clockSkewSeconds = 0;
    this.#state.withheld = new Set();
    this.#state.claimsChallenge = undefined;
  }
  /**
   * Arms a claims challenge (endpoints/claimsChallenge.ts): Graph answers every token without the
   * authentication context `acrs` (default `c1`) with a 401 and `error="insufficient_claims"` until a token
   * requested with those claims comes; `satisfiable: false` challenges every token. Undefined disarms it.
   */
  challengeClaims(spec: ClaimsChallengeSpec | undefined = {}): void {
    this.#state.claimsChallenge = spec && { acrs: spec.acrs ?? 'c1', satisfiable: spec.satisfiable ?? true };
  }
  /**
   * Issues delegated tokens without these permissions even when they are asked for: the token's `scp` and
   * the response's `scope` leave them out, without an error. The authorization server may grant less than
   * was asked (RFC 6749 §3.3, https://www.rfc-editor.org/rfc/rfc6749#section-3.3: "The authorization server
   * MAY fully or partially ignore the scope requested by the client"); Microsoft's docs say the same of the
   * response's `scope` (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2).
   */
  withhold(permissions: string[]): void {
    this.#state.withheld = new Set(permissions.map((p) => p.toLowerCase()));
  }
  addUser(spec: UserSpec): User {
    const user = makeUser(spec);
    this.users.set(user.upn, user);
    return user;
  }
  addMailbox(address: string): void {
    this.mailboxes.add(address.toLowerCase());
  }
  addApp(spec: AppSpec): App {
    const app = makeApp(spec);
    this.apps.set(app.clientId, app);
    return app;
  }
  grantConsent(clientId: string, scopes: string[]): void {
    const app = this.apps.get(clientId);
    if (app) app.consentedScopes = [...new Set([...app.consentedScopes, ...scopes])];
  }
  setLifetimes(lifetimes: { accessTokenSeconds?: number; refreshTokenSeconds?: number }): void {
    this.#state.lifetimes = { ...this.#state.lifetimes, ...lifetimes };
  }
  /** Moves the emulator's clock ahead (or back) of this machine's: client assertions then look expired. */
  setClockSkew(seconds: number): void {
    this.#state.clockSkewSeconds = seconds;
  }
  setDeviceCode(settings: { intervalSeconds?: number; expiresInSeconds?: number }): void {
    this.#state.deviceCodeSettings = { ...this.#state.deviceCodeSettings, ...settings };
  }
  approveDeviceCode(userCode: string, upn: string): boolean {
    const record = [...this.#state.deviceCodes.values()].find(
      (d) => d.userCode === userCode.toUpperCase() && d.status === 'pending',
    );
    const user = this.users.get(upn.toLowerCase());
    if (!record || !user) return false;
    record.status = 'approved';
    record.user = user;
    return true;
  }
  declineDeviceCode(userCode: string): boolean {
    const record = [...this.#state.deviceCodes.values()].find(
      (d) => d.userCode === userCode.toUpperCase() && d.status === 'pending',
    );
    if (record) record.status = 'declined';
    return !!record;
  }
  revokeRefreshTokens(upn?: string): number {
    let count = 0;
    for (const rt of this.#state.refreshTokens.values()) {
      if (!upn || rt.user.upn === upn.toLowerCase()) {
        rt.revoked = true;
        count++;
      }
    }
    return count;
  }
  injectFault(fault: FaultSpec): void {
    this.#state.faults.push({ ...fault, left: fault.times ?? 1 });
  }
  /** Removes every injected fault and stall. */
  clearFaults(): void {
    this.#state.faults = [];
    this.#stalled.clear();
  }
  /**
   * While on, the host accepts new TCP connections and never answers them: no TLS handshake, no byte.
   * Turning it on also closes the host's open connections, so kept-alive sockets cannot bypass it.
   */
  stallConnections(host: EmulatorHost, on: boolean): void {
    if (!on) {
      this.#stalled.delete(host);
      return;
    }
    this.#stalled.add(host);
    for (const [socket, of] of this.#sockets) if (of === host) socket.destroy();
  }
  countRequests(
    filter: { host?: 'login' | 'graph'; path?: RegExp | string; grantType?: string; method?: string } = {},
  ): number {
    return this.requests.filter(
      (r) =>
        (!filter.host || r.host === filter.host) &&
        (!filter.method || r.method === filter.method) &&
        (!filter.grantType || r.grantType === filter.grantType) &&
        (!filter.path || (typeof filter.path === 'string' ? r.path === filter.path : filter.path.test(r.path))),
    ).length;
  }

  // ---- login host -------------------------------------------------------------------------------
  /**
   * The plain-HTTP origin of the browser pages (`browserPort`): the login host's pages that a person's
   * browser opens, nothing else. Loopback only; a Host header that is not a loopback name is refused
   * (DNS rebinding).
   */
  async #handleBrowser(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    const hostname = /^\[([^\]]+)\](?::\d+)?$/.exec(host)?.[1] ?? host.replace(/:\d+$/, '');
    if (!isLoopbackAddress(hostname) && hostname.toLowerCase() !== 'localhost') {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: the sandbox sign-in pages answer loopback host names only.');
      return;
    }
    const url = new URL(req.url ?? '/', this.browserEndpoint);
    if (req.method === 'GET' && url.pathname === '/') {
      return sendHtml(res, 200, browserIndexPage({ tenant: this.tenant.domain, deviceLogin: '/devicelogin' }));
    }
    if (!BROWSER_ROUTES.test(url.pathname)) {
      return sendHtml(
        res,
        404,
        messagePage(
          'Not found',
          "This address serves only the sandbox tenant's sign-in, device code and admin consent pages.",
          'error',
        ),
      );
    }
    return this.#handleLogin(req, res, this.browserEndpoint);
  }

  async #handleLogin(req: IncomingMessage, res: ServerResponse, origin = this.loginEndpoint): Promise<void> {
    const ctx = this.#context;
    const url = new URL(req.url ?? '/', origin);
    const record: RequestRecord = { host: 'login', method: req.method ?? 'GET', path: url.pathname, status: 200 };
    this.requests.push(record);
    const finish = res.end.bind(res);
    res.end = ((...args: Parameters<ServerResponse['end']>) => {
      record.status = res.statusCode;
      return finish(...args);
    }) as ServerResponse['end'];

    if (url.pathname.startsWith('/_emulator/')) {
      return control(ctx, url.pathname.slice('/_emulator/'.length), req, res);
    }
    if (url.pathname === '/devicelogin') return deviceLogin(ctx, req, res);

    const match =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(?:token|devicecode|authorize|authorize\/login|logout)|discovery\/v2\.0\/keys|v2\.0\/adminconsent|v2\.0\/adminconsent\/login)$/.exec(
        url.pathname,
      );
    if (!match) {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    const [, tenantSegment, route] = match;
    if (route.endsWith('openid-configuration') && isOtherCloudTenant(tenantSegment)) {
      if (await applyFault(this.#state, 'metadata', res, record)) return;
      return sendJson(res, 200, otherCloudMetadata());
    }
    try {
      const tid = tenantIdOf(ctx, tenantSegment);
      if (route.endsWith('openid-configuration')) {
        if (await applyFault(this.#state, 'metadata', res, record)) return;
        return sendJson(res, 200, metadata(ctx, tenantSegment));
      }
      if (route === 'discovery/v2.0/keys') return sendJson(res, 200, this.#state.jwks);
      if (route === 'oauth2/v2.0/logout') return sendHtml(res, 200, messagePage('Signed out', 'You have signed out.'));
      if (route === 'oauth2/v2.0/authorize') {
        record.scope = url.searchParams.get('scope') ?? undefined;
        recordClaims(record, url.searchParams.get('claims') ?? undefined);
        if (await applyFault(this.#state, 'authorize', res, record)) return;
        return authorize(ctx, res, url, tenantSegment);
      }
      if (route === 'oauth2/v2.0/authorize/login') return authorizeLogin(ctx, res, await readBody(req), tid);
      if (route === 'v2.0/adminconsent') return adminConsent(ctx, res, url, tenantSegment);
      if (route === 'v2.0/adminconsent/login') return adminConsentLogin(ctx, res, await readBody(req), tid);
      const body = await readBody(req);
      record.clientId = body.client_id;
      if (route === 'oauth2/v2.0/devicecode') {
        if (await applyFault(this.#state, 'devicecode', res, record)) return;
        return sendJson(res, 200, deviceCode(ctx, body));
      }
      record.grantType = body.grant_type;
      record.scope = body.scope;
      recordClaims(record, body.claims);
      if (await applyFault(this.#state, 'token', res, record)) return;
      return sendJson(res, 200, await token(ctx, body, tid, tenantSegment));
    } catch (err) {
      if (err instanceof AadError) {
        record.error = err.error;
        return sendAadError(res, err, this.loginEndpoint);
      }
      throw err;
    }
  }

  // ---- Graph host ---------------------------------------------------------------------------------
  async #handleGraph(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.graphEndpoint);
    const record: RequestRecord = { host: 'graph', method: req.method ?? 'GET', path: url.pathname, status: 200 };
    this.requests.push(record);
    if (await applyFault(this.#state, 'graph', res, record)) return;
    const { status, body, headers } = await handleGraph(this, req, url, this.#state.claimsChallenge);
    record.status = status;
    sendJson(res, status, body, headers);
  }
}

function recordClaims(record: RequestRecord, claims: string | undefined): void {
  if (!claims) return;
  record.claims = claims;
  record.clientCapabilities = clientCapabilitiesOf(claims);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(options).start();
}
