/**
 * A local Microsoft Entra ID v2.0 + Microsoft Graph, over real HTTPS on 127.0.0.1, good enough for the
 * real @azure/msal-node to run every grant against it (TESTING.md §1). Two servers, as in a real cloud:
 * the login host and the Graph host. Tests drive it in-process (or over /_emulator/ from another process).
 */
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { createServer as createTcpServer, isIP, type AddressInfo, type Socket } from 'node:net';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importX509, jwtVerify, type JWTPayload } from 'jose';
import { ensureTestCa } from './certs';
import { handleGraph } from './graph';
import {
  DEFAULT_APPS, DEFAULT_TENANT, DEFAULT_USERS, SHARED_MAILBOXES, makeApp, makeUser,
  type App, type AppSpec, type AuthCode, type DeviceCode, type FaultEndpoint, type FaultSpec, type RefreshToken,
  type RequestRecord, type RequestedScope, type User, type UserSpec,
} from './model';
import { browserIndexPage, deviceCodeEntryPage, formPostPage, loginPage, messagePage } from './pages';

export { DEFAULT_TENANT, DEFAULT_USERS, PUBLIC_CLIENT_ID, SHARED_MAILBOXES } from './model';

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
}

/** The routes of the login host that a person's browser opens; the only ones the plain-HTTP origin serves. */
const BROWSER_ROUTES = /^\/(?:devicelogin|[^/]+\/(?:oauth2\/v2\.0\/authorize(?:\/login)?|v2\.0\/adminconsent(?:\/login)?))$/;

function isLoopbackAddress(address: string): boolean {
  return (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';
}

function originOf(address: string, port: number): string {
  return `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

/** The emulator's servers: the login host, Graph, and the plain-HTTP browser pages (`browserPort`). */
export type EmulatorHost = 'login' | 'graph' | 'browser';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
type VerifyKey = Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

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
  apps = new Map<string, App>();
  #codes = new Map<string, AuthCode>();
  #refreshTokens = new Map<string, RefreshToken>();
  #deviceCodes = new Map<string, DeviceCode>();
  #pending = new Map<string, Record<string, string>>();
  #faults: (FaultSpec & { left: number })[] = [];
  #lifetimes = { accessTokenSeconds: 3600, refreshTokenSeconds: 90 * 24 * 3600 };
  #deviceCodeSettings = { intervalSeconds: 5, expiresInSeconds: 900 };
  /** How far the emulator's clock is ahead of this machine's, for client assertions (700024). */
  #clockSkewSeconds = 0;
  #servers: { close(callback: () => void): void }[] = [];
  /** Every open socket, with the host it came in on. */
  #sockets = new Map<Socket, EmulatorHost>();
  /** Hosts whose new connections are accepted and never answered (`stallConnections`). */
  #stalled = new Set<EmulatorHost>();
  /** Delegated permissions left out of issued tokens although asked for and consented (see `withhold`). */
  #withheld = new Set<string>();
  #privateKey!: SigningKey;
  publicKey!: VerifyKey;
  #jwks: unknown;
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
    if (this.options.browserPort !== undefined && (!browserAddresses.length || !browserAddresses.every(isLoopbackAddress))) {
      throw new Error(`browserAddresses must be loopback addresses (127.0.0.0/8 or ::1): ${browserAddresses.join(', ')}`);
    }
    const ca = ensureTestCa(this.options.caDir);
    const { certPem, keyPem } = ca.issueServerCert(['127.0.0.1', 'localhost']);
    const keys = await generateKeyPair('RS256', { extractable: true });
    this.#privateKey = keys.privateKey;
    this.publicKey = keys.publicKey;
    this.#jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' }] };
    const listen = (host: EmulatorHost, port: number, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>, tls = true, address = '127.0.0.1') =>
      new Promise<number>((resolve, reject) => {
        const serve = (req: IncomingMessage, res: ServerResponse) => {
          handler(req, res).catch((err: unknown) => {
            if (!res.headersSent) this.#json(res, 500, { error: 'server_error', error_description: String(err) });
            else res.end();
          });
        };
        const server: Server = tls ? createServer({ cert: certPem, key: keyPem }, serve) : createHttpServer(serve);
        // A plain TCP listener in front hands each connection to the HTTP(S) server, or keeps it open
        // and silent while its host is stalled (a TLS handshake that never completes).
        const front = createTcpServer((socket) => {
          this.#sockets.set(socket, host);
          socket.on('close', () => this.#sockets.delete(socket));
          if (!this.#stalled.has(host)) server.emit('connection', socket);
        });
        front.once('error', reject);
        front.listen(port, address, () => resolve((front.address() as AddressInfo).port));
        this.#servers.push(front);
      });
    this.loginEndpoint = `https://127.0.0.1:${await listen('login', this.options.loginPort ?? 0, (q, s) => this.#handleLogin(q, s))}`;
    this.graphEndpoint = `https://127.0.0.1:${await listen('graph', this.options.graphPort ?? 0, (q, s) => this.#handleGraph(q, s))}`;
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
    this.apps = new Map(DEFAULT_APPS.map((a) => [a.clientId, makeApp(a)]));
    this.#faults = [];
    this.#stalled.clear();
    this.#lifetimes = { accessTokenSeconds: 3600, refreshTokenSeconds: 90 * 24 * 3600 };
    this.#clockSkewSeconds = 0;
    this.#withheld = new Set();
  }
  /**
   * Issues delegated tokens without these permissions even when they are asked for: the token's `scp` and
   * the response's `scope` leave them out, without an error. The authorization server may grant less than
   * was asked (RFC 6749 §3.3, https://www.rfc-editor.org/rfc/rfc6749#section-3.3: "The authorization server
   * MAY fully or partially ignore the scope requested by the client"); Microsoft's docs say the same of the
   * response's `scope` (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2).
   */
  withhold(permissions: string[]): void {
    this.#withheld = new Set(permissions.map((p) => p.toLowerCase()));
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
    this.#lifetimes = { ...this.#lifetimes, ...lifetimes };
  }
  /** Moves the emulator's clock ahead (or back) of this machine's: client assertions then look expired. */
  setClockSkew(seconds: number): void {
    this.#clockSkewSeconds = seconds;
  }
  setDeviceCode(settings: { intervalSeconds?: number; expiresInSeconds?: number }): void {
    this.#deviceCodeSettings = { ...this.#deviceCodeSettings, ...settings };
  }
  approveDeviceCode(userCode: string, upn: string): boolean {
    const record = [...this.#deviceCodes.values()].find((d) => d.userCode === userCode.toUpperCase() && d.status === 'pending');
    const user = this.users.get(upn.toLowerCase());
    if (!record || !user) return false;
    record.status = 'approved';
    record.user = user;
    return true;
  }
  declineDeviceCode(userCode: string): boolean {
    const record = [...this.#deviceCodes.values()].find((d) => d.userCode === userCode.toUpperCase() && d.status === 'pending');
    if (record) record.status = 'declined';
    return !!record;
  }
  revokeRefreshTokens(upn?: string): number {
    let count = 0;
    for (const rt of this.#refreshTokens.values()) {
      if (!upn || rt.user.upn === upn.toLowerCase()) {
        rt.revoked = true;
        count++;
      }
    }
    return count;
  }
  injectFault(fault: FaultSpec): void {
    this.#faults.push({ ...fault, left: fault.times ?? 1 });
  }
  /** Removes every injected fault and stall. */
  clearFaults(): void {
    this.#faults = [];
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
  countRequests(filter: { host?: 'login' | 'graph'; path?: RegExp | string; grantType?: string; method?: string } = {}): number {
    return this.requests.filter(
      (r) =>
        (!filter.host || r.host === filter.host) &&
        (!filter.method || r.method === filter.method) &&
        (!filter.grantType || r.grantType === filter.grantType) &&
        (!filter.path || (typeof filter.path === 'string' ? r.path === filter.path : filter.path.test(r.path))),
    ).length;
  }

  // ---- HTTP plumbing ----------------------------------------------------------------------------
  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }
  #html(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  }
  #aadError(res: ServerResponse, err: AadError): void {
    const trace = randomUUID();
    const correlation = randomUUID();
    const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
    this.#json(res, err.status, {
      error: err.error,
      error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [err.code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `${this.loginEndpoint}/error?code=${err.code}`,
      ...err.extra,
    });
  }

  async #body(req: IncomingMessage): Promise<Record<string, string>> {
    let text = '';
    for await (const chunk of req) {
      text += chunk;
      if (text.length > 1_000_000) throw new Error('body too large');
    }
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      return text ? (JSON.parse(text) as Record<string, string>) : {};
    }
    return Object.fromEntries(new URLSearchParams(text));
  }

  /** Applies an injected fault; true when the request was answered (or dropped) by it. */
  async #fault(endpoint: FaultEndpoint, res: ServerResponse, record: RequestRecord): Promise<boolean> {
    const fault = this.#faults.find((f) => f.endpoint === endpoint && f.left > 0 && (!f.grantType || f.grantType === record.grantType));
    if (!fault) return false;
    fault.left--;
    switch (fault.kind) {
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
        return false;
      case 'drop':
        record.status = 0;
        res.socket?.destroy();
        return true;
      case 'hang':
        record.status = 0;
        return true;
      case 'throttle':
        record.status = 429;
        if (endpoint === 'graph') {
          // Graph's own error shape: https://learn.microsoft.com/graph/errors
          this.#json(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests.' } }, { 'Retry-After': String(fault.retryAfterSeconds ?? 30) });
          return true;
        }
        this.#json(res, 429, { error: 'temporarily_unavailable', error_description: 'AADSTS50196: The server terminated an operation because it encountered a client request loop.', error_codes: [50196] }, { 'Retry-After': String(fault.retryAfterSeconds ?? 30) });
        return true;
      case 'status':
        record.status = fault.status ?? 500;
        if (endpoint === 'graph') {
          this.#json(res, record.status, { error: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable.' } });
          return true;
        }
        this.#json(res, record.status, { error: 'server_error', error_description: 'AADSTS90033: A transient error has occurred. Please try again.', error_codes: [90033] });
        return true;
    }
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
      return this.#html(res, 200, browserIndexPage({ tenant: this.tenant.domain, deviceLogin: '/devicelogin' }));
    }
    if (!BROWSER_ROUTES.test(url.pathname)) {
      return this.#html(res, 404, messagePage('Not found', 'This address serves only the sandbox tenant\'s sign-in, device code and admin consent pages.', 'error'));
    }
    return this.#handleLogin(req, res, this.browserEndpoint);
  }

  async #handleLogin(req: IncomingMessage, res: ServerResponse, origin = this.loginEndpoint): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const record: RequestRecord = { host: 'login', method: req.method ?? 'GET', path: url.pathname, status: 200 };
    this.requests.push(record);
    const finish = res.end.bind(res);
    res.end = ((...args: Parameters<ServerResponse['end']>) => {
      record.status = res.statusCode;
      return finish(...args);
    }) as ServerResponse['end'];

    if (url.pathname.startsWith('/_emulator/')) return this.#control(url.pathname.slice('/_emulator/'.length), req, res);
    if (url.pathname === '/devicelogin') return this.#deviceLogin(req, res, url);

    const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(?:token|devicecode|authorize|authorize\/login|logout)|discovery\/v2\.0\/keys|v2\.0\/adminconsent|v2\.0\/adminconsent\/login)$/.exec(url.pathname);
    if (!match) {
      this.#json(res, 404, { error: 'not_found' });
      return;
    }
    const [, tenantSegment, route] = match;
    try {
      const tid = this.#tenantId(tenantSegment);
      if (route.endsWith('openid-configuration')) {
        if (await this.#fault('metadata', res, record)) return;
        return this.#json(res, 200, this.#metadata(tenantSegment));
      }
      if (route === 'discovery/v2.0/keys') return this.#json(res, 200, this.#jwks);
      if (route === 'oauth2/v2.0/logout') return this.#html(res, 200, messagePage('Signed out', 'You have signed out.'));
      if (route === 'oauth2/v2.0/authorize') {
        record.scope = url.searchParams.get('scope') ?? undefined;
        if (await this.#fault('authorize', res, record)) return;
        return this.#authorize(res, url, tenantSegment);
      }
      if (route === 'oauth2/v2.0/authorize/login') return this.#authorizeLogin(res, await this.#body(req), tid);
      if (route === 'v2.0/adminconsent') return this.#adminConsent(res, url, tenantSegment);
      if (route === 'v2.0/adminconsent/login') return this.#adminConsentLogin(res, await this.#body(req), tid);
      const body = await this.#body(req);
      record.clientId = body.client_id;
      if (route === 'oauth2/v2.0/devicecode') {
        if (await this.#fault('devicecode', res, record)) return;
        return this.#json(res, 200, this.#deviceCode(body));
      }
      record.grantType = body.grant_type;
      record.scope = body.scope;
      if (await this.#fault('token', res, record)) return;
      return this.#json(res, 200, await this.#token(body, tid, tenantSegment));
    } catch (err) {
      if (err instanceof AadError) {
        record.error = err.error;
        return this.#aadError(res, err);
      }
      throw err;
    }
  }

  #tenantId(segment: string): string {
    const s = segment.toLowerCase();
    if (['common', 'organizations', this.tenant.id, this.tenant.domain].includes(s)) return this.tenant.id;
    if (s === 'consumers') throw new AadError(400, 'invalid_request', 9002331, 'Application is configured for use by Microsoft Account users only.');
    throw new AadError(400, 'invalid_tenant', 90002, `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  }

  #metadata(tenantSegment: string): Record<string, unknown> {
    const base = `${this.loginEndpoint}/${tenantSegment}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${this.loginEndpoint}/${['common', 'organizations'].includes(tenantSegment.toLowerCase()) ? '{tenantid}' : this.tenant.id}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.graphEndpoint}/oidc/userinfo`,
      // A person's browser opens this one: the plain-HTTP origin when there is one (`browserPort`).
      authorization_endpoint: `${this.browserEndpoint || this.loginEndpoint}/${tenantSegment}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
      tenant_region_scope: null,
      cloud_instance_name: 'emulator.local',
      cloud_graph_host_name: new URL(this.graphEndpoint).host,
      msgraph_host: new URL(this.graphEndpoint).host,
    };
  }

  #parseScopes(scope: string | undefined): RequestedScope[] {
    const scopes: RequestedScope[] = [];
    for (const asked of (scope ?? '').split(/\s+/).filter(Boolean)) {
      if (OIDC.has(asked.toLowerCase())) {
        scopes.push({ asked, name: asked.toLowerCase(), kind: 'oidc' });
        continue;
      }
      let name = asked;
      if (asked.includes('://')) {
        const url = new URL(asked);
        if (url.origin !== this.graphEndpoint) {
          throw new AadError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${asked} is not valid.`);
        }
        name = url.pathname.slice(1);
      }
      scopes.push({ asked, name, kind: name === '.default' ? 'default' : 'graph' });
    }
    return scopes;
  }

  #app(clientId: string | undefined): App {
    const app = clientId ? this.apps.get(clientId) : undefined;
    if (!app) {
      throw new AadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    return app;
  }

  /**
   * A Conditional Access block on the token endpoint: `interaction_required`, 53003, `message_only`, as
   * Entra answers it (https://github.com/dafthack/MSOLSpray/issues/5).
   */
  #checkConditionalAccess(user: User): void {
    if (user.blockedByConditionalAccess) {
      throw new AadError(400, 'interaction_required', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.', { suberror: 'message_only' });
    }
  }

  /** Delegated scopes must be consented for the app. */
  #checkConsent(app: App, scopes: RequestedScope[]): void {
    const consented = new Set(app.consentedScopes.map((s) => s.toLowerCase()));
    const missing = scopes.filter((s) => s.kind === 'graph' && !consented.has(s.name.toLowerCase()));
    if (missing.length) {
      throw new AadError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`, { suberror: 'consent_required' });
    }
  }

  async #authenticateClient(app: App, body: Record<string, string>, tenantSegment: string, required: boolean): Promise<void> {
    if (body.client_secret !== undefined) {
      if (app.expiredSecrets.includes(body.client_secret)) {
        throw new AadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
      }
      if (!app.secrets.includes(body.client_secret)) {
        throw new AadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
      return;
    }
    if (body.client_assertion !== undefined) {
      await this.#verifyAssertion(app, body.client_assertion, tenantSegment);
      return;
    }
    if (required) {
      throw new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
  }

  async #verifyAssertion(app: App, assertion: string, tenantSegment: string): Promise<void> {
    const fail = (why: string) => new AadError(401, 'invalid_client', 700027, `Client assertion failed signature validation. ${why}`);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw fail('The assertion is not a JWT.');
    }
    const thumbprints = app.certificates.map((c) => {
      const x509 = new X509Certificate(c.certPem);
      const hex = (f: string) => Buffer.from(f.replace(/:/g, ''), 'hex').toString('base64url');
      return { certPem: c.certPem, sha256: hex(x509.fingerprint256), sha1: hex(x509.fingerprint) };
    });
    const x5tS256 = (header as Record<string, unknown>)['x5t#S256'];
    const match = thumbprints.find((t) => (x5tS256 && t.sha256 === x5tS256) || (header.x5t && t.sha1 === header.x5t));
    if (!match) throw fail(`Key was not found. The certificate with the thumbprint in the assertion is not registered for app '${app.clientId}'.`);
    const alg = header.alg === 'RS256' ? 'RS256' : 'PS256';
    try {
      const key = await importX509(match.certPem, alg);
      const now = new Date(Date.now() + this.#clockSkewSeconds * 1000);
      const { payload } = await jwtVerify(assertion, key, { issuer: app.clientId, subject: app.clientId, clockTolerance: 300, currentDate: now }).catch((err: unknown) => {
        const claim = (err as { claim?: string }).claim;
        if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED' || claim === 'nbf' || claim === 'iat') {
          // Entra's answer to an assertion outside its time range (a skewed clock), e.g.
          // https://github.com/AzureAD/microsoft-authentication-library-for-java/issues/984
          throw new AadError(401, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, assertion valid from ${new Date(((decodeJwt(assertion).nbf as number | undefined) ?? 0) * 1000).toISOString()}, expiry time of assertion ${new Date(((decodeJwt(assertion).exp as number | undefined) ?? 0) * 1000).toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
        }
        throw err;
      });
      const aud = typeof payload.aud === 'string' ? payload.aud : payload.aud?.[0];
      if (!aud || !aud.startsWith(this.loginEndpoint) || !aud.endsWith('/oauth2/v2.0/token') || !aud.includes(`/${tenantSegment}/`) && !aud.includes(`/${this.tenant.id}/`) && !aud.includes(`/${this.tenant.domain}/`)) {
        throw new Error(`audience ${aud}`);
      }
    } catch (err) {
      if (err instanceof AadError) throw err;
      throw fail(String((err as Error).message));
    }
  }

  async #token(body: Record<string, string>, tid: string, tenantSegment: string): Promise<Record<string, unknown>> {
    const app = this.#app(body.client_id);
    switch (body.grant_type) {
      case 'authorization_code': {
        await this.#authenticateClient(app, body, tenantSegment, !app.publicClient);
        const code = this.#codes.get(body.code ?? '');
        if (!code || code.expiresAt < Date.now()) throw new AadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
        if (code.used) throw new AadError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
        if (code.clientId !== app.clientId) throw new AadError(400, 'invalid_grant', 70000, 'The provided value for the code is not valid for this client.');
        if (code.redirectUri !== body.redirect_uri) throw new AadError(400, 'invalid_grant', 50148, 'The redirect_uri does not match the one of the authorization request.');
        if (code.codeChallenge) {
          const verifier = body.code_verifier ?? '';
          const computed = code.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
          if (computed !== code.codeChallenge) throw new AadError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
        }
        code.used = true;
        return this.#issueDelegated(app, code.user, code.scopes, tid, code.nonce);
      }
      case 'refresh_token': {
        await this.#authenticateClient(app, body, tenantSegment, !app.publicClient);
        const rt = this.#refreshTokens.get(body.refresh_token ?? '');
        if (!rt || rt.clientId !== app.clientId) throw new AadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
        if (rt.revoked) throw new AadError(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.', { suberror: 'bad_token' });
        if (rt.expiresAt < Date.now()) throw new AadError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.', { suberror: 'bad_token' });
        this.#checkConditionalAccess(rt.user);
        if (rt.user.mfaRequired && !rt.mfa) {
          // The policy changed since the sign-in: the refresh needs MFA, which only an interactive sign-in can do.
          throw new AadError(400, 'invalid_grant', 50076, `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${this.graphEndpoint}'.`, { suberror: 'basic_action' });
        }
        const scopes = body.scope ? this.#parseScopes(body.scope) : rt.scopes;
        this.#checkConsent(app, scopes);
        return this.#issueDelegated(app, rt.user, scopes, tid);
      }
      case 'client_credentials': {
        if (app.publicClient) throw new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        await this.#authenticateClient(app, body, tenantSegment, true);
        const scopes = this.#parseScopes(body.scope);
        if (scopes.length !== 1 || scopes[0].kind !== 'default') {
          throw new AadError(400, 'invalid_scope', 1002012, `The provided value for scope ${body.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
        }
        return this.#issueAppOnly(app, scopes, tid);
      }
      case 'password': {
        if (!app.allowPublicClientFlows && app.publicClient) throw new AadError(400, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        await this.#authenticateClient(app, body, tenantSegment, !app.publicClient);
        if (tenantSegment.toLowerCase() === 'common') throw new AadError(400, 'invalid_request', 90014, 'The request body must contain a tenant-specific endpoint for the resource owner password grant.');
        const user = this.users.get((body.username ?? '').toLowerCase());
        if (!user || user.password !== body.password) throw new AadError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
        this.#checkConditionalAccess(user);
        if (user.mfaRequired) {
          throw new AadError(400, 'invalid_grant', 50076, `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${this.graphEndpoint}'.`, { suberror: 'basic_action' });
        }
        const scopes = this.#parseScopes(body.scope);
        this.#checkConsent(app, scopes);
        return this.#issueDelegated(app, user, scopes, tid);
      }
      case 'device_code':
      case 'urn:ietf:params:oauth:grant-type:device_code': {
        const record = this.#deviceCodes.get(body.device_code ?? '');
        if (!record || record.clientId !== app.clientId) throw new AadError(400, 'bad_verification_code', 70019, 'Verification code expired or not found.');
        if (record.expiresAt < Date.now()) throw new AadError(400, 'expired_token', 70020, 'The provided value for the input parameter device_code is no longer valid: it has expired.');
        if (record.status === 'declined') {
          this.#deviceCodes.delete(record.deviceCode);
          throw new AadError(400, 'authorization_declined', 70000, 'The user declined the sign-in.');
        }
        if (record.status === 'pending') throw new AadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
        this.#deviceCodes.delete(record.deviceCode);
        this.#checkConsent(app, record.scopes);
        return this.#issueDelegated(app, record.user!, record.scopes, tid);
      }
      default:
        throw new AadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${body.grant_type}'.`);
    }
  }

  #deviceCode(body: Record<string, string>): Record<string, unknown> {
    const app = this.#app(body.client_id);
    if (!app.allowPublicClientFlows) throw new AadError(400, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    const scopes = this.#parseScopes(body.scope);
    const alphabet = 'BCDFGHJKLMNPQRSTVWXZ23456789';
    const userCode = Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join('');
    const record: DeviceCode = {
      deviceCode: randomBytes(32).toString('base64url'),
      userCode,
      clientId: app.clientId,
      scopes,
      expiresAt: Date.now() + this.#deviceCodeSettings.expiresInSeconds * 1000,
      status: 'pending',
    };
    this.#deviceCodes.set(record.deviceCode, record);
    const verificationUri = `${this.browserEndpoint || this.loginEndpoint}/devicelogin`;
    return {
      user_code: userCode,
      device_code: record.deviceCode,
      verification_uri: verificationUri,
      expires_in: this.#deviceCodeSettings.expiresInSeconds,
      interval: this.#deviceCodeSettings.intervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    };
  }

  async #sign(claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuedAt()
      .setNotBefore(Math.floor(Date.now() / 1000) - 60)
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(this.#privateKey);
  }

  async #issueDelegated(app: App, user: User, scopes: RequestedScope[], tid: string, nonce?: string): Promise<Record<string, unknown>> {
    const graph = scopes.filter((s) => s.kind === 'graph' && !this.#withheld.has(s.name.toLowerCase()));
    const oidc = new Set(scopes.filter((s) => s.kind === 'oidc').map((s) => s.name));
    const lifetime = this.#lifetimes.accessTokenSeconds;
    const common = { tid, oid: user.oid, sub: createHash('sha256').update(user.oid + app.clientId).digest('base64url').slice(0, 43), name: user.displayName, preferred_username: user.upn };
    const accessToken = await this.#sign(
      { ...common, aud: this.graphEndpoint, iss: `${this.loginEndpoint}/${tid}/v2.0`, upn: user.upn, scp: graph.map((s) => s.name).join(' '), appid: app.clientId, azp: app.clientId, ver: '2.0', uti: randomBytes(8).toString('base64url') },
      lifetime,
    );
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      // Echoes the scopes in the form they were asked for, as MSAL keys its cache by them.
      scope: [...graph.map((s) => s.asked), ...[...oidc].filter((o) => o !== 'offline_access')].join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: tid })).toString('base64url'),
    };
    if (oidc.has('openid')) {
      response.id_token = await this.#sign({ ...common, aud: app.clientId, iss: `${this.loginEndpoint}/${tid}/v2.0`, ver: '2.0', ...(nonce ? { nonce } : {}) }, 3600);
    }
    if (oidc.has('offline_access')) {
      const refreshToken = `rt.${randomBytes(32).toString('base64url')}`;
      this.#refreshTokens.set(refreshToken, { user, clientId: app.clientId, scopes, expiresAt: Date.now() + this.#lifetimes.refreshTokenSeconds * 1000, revoked: false, mfa: user.mfaRequired });
      response.refresh_token = refreshToken;
    }
    return response;
  }

  async #issueAppOnly(app: App, scopes: RequestedScope[], tid: string): Promise<Record<string, unknown>> {
    const lifetime = this.#lifetimes.accessTokenSeconds;
    const accessToken = await this.#sign(
      { aud: this.graphEndpoint, iss: `${this.loginEndpoint}/${tid}/v2.0`, tid, oid: app.servicePrincipalId, sub: app.servicePrincipalId, appid: app.clientId, azp: app.clientId, idtyp: 'app', ver: '2.0', ...(app.appRoles.length ? { roles: app.appRoles } : {}) },
      lifetime,
    );
    return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken, scope: scopes[0].asked };
  }

  // ---- interactive pages --------------------------------------------------------------------------
  #redirectAllowed(app: App, redirectUri: string): boolean {
    let asked: URL;
    try {
      asked = new URL(redirectUri);
    } catch {
      return false;
    }
    const loopback = (host: string) => host === 'localhost' || host === '127.0.0.1';
    return app.redirectUris.some((registered) => {
      const r = new URL(registered);
      // Entra ignores the port of loopback redirect URIs (RFC 8252).
      if (r.protocol === 'http:' && loopback(r.hostname) && loopback(asked.hostname)) {
        return asked.protocol === 'http:' && (r.pathname === asked.pathname || r.pathname === '/');
      }
      return r.href === asked.href;
    });
  }

  #authorize(res: ServerResponse, url: URL, tenantSegment: string): void {
    const q = Object.fromEntries(url.searchParams);
    const app = this.apps.get(q.client_id ?? '');
    if (!app) {
      return this.#html(res, 400, messagePage('Sign in', `AADSTS700016: Application with identifier '${q.client_id}' was not found in the directory 'Contoso'.`, 'error'));
    }
    if (!q.redirect_uri || !this.#redirectAllowed(app, q.redirect_uri)) {
      return this.#html(res, 400, messagePage('Sign in', `AADSTS50011: The redirect URI '${q.redirect_uri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`, 'error'));
    }
    if (q.code_challenge_method && !['S256', 'plain'].includes(q.code_challenge_method)) {
      return this.#html(res, 400, messagePage('Sign in', 'AADSTS501491: Invalid code_challenge_method.', 'error'));
    }
    const txn = randomBytes(16).toString('base64url');
    this.#pending.set(txn, { ...q, tenantSegment });
    this.#html(res, 200, loginPage({ action: `/${tenantSegment}/oauth2/v2.0/authorize/login`, hidden: { txn }, title: 'Sign in', subtitle: `to continue to ${app.displayName}`, loginHint: q.login_hint }));
  }

  #authorizeLogin(res: ServerResponse, body: Record<string, string>, tid: string): void {
    const q = this.#pending.get(body.txn ?? '');
    if (!q) return this.#html(res, 400, messagePage('Sign in', 'AADSTS90014: The sign-in request has expired or is unknown. Start again from the application.', 'error'));
    const app = this.apps.get(q.client_id)!;
    const answer = (fields: Record<string, string>) => {
      this.#pending.delete(body.txn);
      if (q.response_mode === 'form_post') {
        return this.#html(res, 200, formPostPage(q.redirect_uri, { ...fields, ...(q.state ? { state: q.state } : {}) }));
      }
      const target = new URL(q.redirect_uri);
      for (const [k, v] of Object.entries({ ...fields, ...(q.state ? { state: q.state } : {}) })) target.searchParams.set(k, v);
      res.writeHead(302, { Location: target.href });
      res.end();
    };
    if (body.action === 'decline') {
      return answer({ error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.' });
    }
    const user = this.users.get((body.username ?? '').toLowerCase());
    if (!user || user.password !== body.password) {
      return this.#html(res, 200, loginPage({ action: `/${q.tenantSegment}/oauth2/v2.0/authorize/login`, hidden: { txn: body.txn }, title: 'Sign in', subtitle: `to continue to ${app.displayName}`, error: 'AADSTS50126: Your account or password is incorrect.', loginHint: body.username }));
    }
    if (user.blockedByConditionalAccess) {
      // The error response of the authorization endpoint (RFC 6749 §4.1.2.1), as for a declined consent.
      return answer({ error: 'access_denied', error_description: 'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.' });
    }
    let scopes: RequestedScope[];
    try {
      scopes = this.#parseScopes(q.scope);
      this.#checkConsent(app, scopes);
    } catch (err) {
      const e = err as AadError;
      return answer({ error: e.code === 65001 ? 'consent_required' : e.error, error_description: `AADSTS${e.code}: ${e.description}` });
    }
    const code = randomBytes(32).toString('base64url');
    this.#codes.set(code, { clientId: app.clientId, redirectUri: q.redirect_uri, codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method, scopes, user, nonce: q.nonce, expiresAt: Date.now() + 10 * 60 * 1000, used: false });
    answer({ code, client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: tid })).toString('base64url'), session_state: randomUUID() });
  }

  #adminConsent(res: ServerResponse, url: URL, tenantSegment: string): void {
    const q = Object.fromEntries(url.searchParams);
    const app = this.apps.get(q.client_id ?? '');
    if (!app) return this.#html(res, 400, messagePage('Permissions requested', `AADSTS700016: Application with identifier '${q.client_id}' was not found in the directory 'Contoso'.`, 'error'));
    const txn = randomBytes(16).toString('base64url');
    this.#pending.set(txn, { ...q, tenantSegment });
    this.#html(res, 200, loginPage({ action: `/${tenantSegment}/v2.0/adminconsent/login`, hidden: { txn }, title: 'Permissions requested', subtitle: `${app.displayName} needs: ${q.scope ?? ''}. Sign in as an administrator to accept for your organization.` }));
  }

  #adminConsentLogin(res: ServerResponse, body: Record<string, string>, tid: string): void {
    const q = this.#pending.get(body.txn ?? '');
    if (!q) return this.#html(res, 400, messagePage('Permissions requested', 'AADSTS90014: The consent request has expired.', 'error'));
    const user = this.users.get((body.username ?? '').toLowerCase());
    const redirect = (fields: Record<string, string>) => {
      this.#pending.delete(body.txn);
      if (!q.redirect_uri) return this.#html(res, 200, messagePage('Permissions requested', fields.error ? fields.error_description : 'Consent granted for your organization.'));
      const target = new URL(q.redirect_uri);
      for (const [k, v] of Object.entries({ ...fields, ...(q.state ? { state: q.state } : {}) })) target.searchParams.set(k, v);
      res.writeHead(302, { Location: target.href });
      res.end();
    };
    if (body.action === 'decline') return redirect({ error: 'access_denied', error_description: 'AADSTS65004: The admin declined to consent.' });
    if (!user || user.password !== body.password || !user.admin) {
      return redirect({ error: 'access_denied', error_description: 'AADSTS90094: The grant requires admin permission.' });
    }
    const scopes = this.#parseScopes(q.scope);
    const app = this.apps.get(q.client_id)!;
    const graph = scopes.filter((s) => s.kind === 'graph').map((s) => s.name);
    this.grantConsent(app.clientId, graph);
    redirect({ admin_consent: 'True', tenant: tid, scope: q.scope ?? '' });
  }

  async #deviceLogin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET') return this.#html(res, 200, deviceCodeEntryPage('/devicelogin'));
    const body = await this.#body(req);
    const code = (body.usercode ?? '').trim().toUpperCase();
    const record = [...this.#deviceCodes.values()].find((d) => d.userCode === code && d.status === 'pending');
    if (!record || record.expiresAt < Date.now()) {
      return this.#html(res, 200, deviceCodeEntryPage('/devicelogin', 'That code did not work. Check the code and try again.'));
    }
    if (!body.action) {
      const app = this.apps.get(record.clientId);
      return this.#html(res, 200, loginPage({ action: '/devicelogin', hidden: { usercode: code }, title: 'Sign in', subtitle: `You are signing in to ${app?.displayName ?? 'an application'} on another device.` }));
    }
    if (body.action === 'decline') {
      record.status = 'declined';
      return this.#html(res, 200, messagePage('Sign-in declined', 'You declined the sign-in. You can close this window.'));
    }
    const user = this.users.get((body.username ?? '').toLowerCase());
    if (!user || user.password !== body.password) {
      return this.#html(res, 200, loginPage({ action: '/devicelogin', hidden: { usercode: code }, title: 'Sign in', error: 'AADSTS50126: Your account or password is incorrect.', loginHint: body.username }));
    }
    this.approveDeviceCode(code, user.upn);
    void url;
    this.#html(res, 200, messagePage('You are signed in', 'You have signed in to the application on your device. You may now close this window.'));
  }

  // ---- Graph host ---------------------------------------------------------------------------------
  async #handleGraph(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.graphEndpoint);
    const record: RequestRecord = { host: 'graph', method: req.method ?? 'GET', path: url.pathname, status: 200 };
    this.requests.push(record);
    if (await this.#fault('graph', res, record)) return;
    const { status, body, headers } = await handleGraph(this, req, url);
    record.status = status;
    this.#json(res, status, body, headers);
  }

  // ---- control API (for other processes) -------------------------------------------------------------
  async #control(action: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body = (req.method === 'POST' ? await this.#body(req) : {}) as any;
    switch (action) {
      case 'add-user':
        this.addUser(body);
        return this.#json(res, 200, { ok: true });
      case 'add-app':
        this.addApp(body);
        return this.#json(res, 200, { ok: true });
      case 'revoke':
        return this.#json(res, 200, { revoked: this.revokeRefreshTokens(body.upn) });
      case 'inject-fault':
        this.injectFault(body);
        return this.#json(res, 200, { ok: true });
      case 'stall-connections':
        this.stallConnections(body.host, !!body.on);
        return this.#json(res, 200, { ok: true });
      case 'clear-faults':
        this.clearFaults();
        return this.#json(res, 200, { ok: true });
      case 'approve-device-code':
        return this.#json(res, 200, { ok: this.approveDeviceCode(body.userCode, body.upn) });
      case 'requests':
        return this.#json(res, 200, this.requests);
      case 'withhold':
        this.withhold(body.permissions ?? []);
        return this.#json(res, 200, { ok: true });
      case 'set-lifetimes':
        this.setLifetimes(body);
        return this.#json(res, 200, { ok: true });
      default:
        return this.#json(res, 404, { error: 'unknown control action' });
    }
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(options).start();
}
