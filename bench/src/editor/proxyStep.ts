/**
 * The token path in the extension host through a real proxy (the `proxy` package, test/sandbox/realProxy.ts)
 * named by the `http.proxy` user setting, with VS Code's default `http.proxySupport` ("override"), against
 * a raw POST of the same grant through the same proxy from the same host; the same pair without the proxy
 * beside it, and how many CONNECTs the proxy saw per request (VS Code's proxy agent opens a new tunnel per
 * request: bench/README.md "Through a proxy").
 *
 * The emulator listens on 127.0.0.2: VS Code never proxies localhost, 127.0.0.1 or ::1
 * (https://github.com/microsoft/vscode-proxy-agent/blob/999f6e5aa314eb1205382c118b5fc290b63fb4a1/src/index.ts#L310).
 * The raw POST goes through `node:https` without an agent, which VS Code's patch routes as it routes the
 * engine's requests (the bench turns `http.fetchAdditionalSupport` off, so `fetch` would go around the proxy).
 */
import { request } from 'node:https';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension';
import { Secret } from '../../../src/model/secret';
import { startEmulator } from '../../../test/sandbox/emulator';
import { startRealProxy } from '../../../test/sandbox/realProxy';
import { summarize } from '../common/stats';

const OURS = 'outlook365-connections.outlook365-connections';
const APP = 'c0ffee00-0000-4000-8000-00000000be15';
const SECRET = 'bench-secret-be15';
const NO_UI = { openBrowser: async () => undefined, showDeviceCode: () => undefined };

export async function proxyStep(step: { samples?: number }): Promise<Record<string, unknown>> {
  const exported = (await vscode.extensions.getExtension<{ testing?: TestingApi }>(OURS)?.activate())?.testing;
  if (!exported) throw new Error('the extension did not return its testing API');
  const api = exported;
  api.log.stopCapturing(); // as in a user's window (suite.ts, tokensStep)
  const pairs = Math.max(20, Math.floor((step.samples ?? 200) / 4));
  const emulator = await startEmulator({ quiet: true, address: '127.0.0.2' });
  const proxy = await startRealProxy();
  const http = () => vscode.workspace.getConfiguration('http');
  const setProxy = (value: string | undefined) => setUserSetting('http', 'proxy', value);
  const id = 'bench-proxy-cc';
  try {
    emulator.addApp({
      clientId: APP,
      publicClient: false,
      secrets: [SECRET],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    await setUserSetting('outlook365', 'customEnvironment', {
      name: 'Emulator',
      loginEndpoint: emulator.loginEndpoint,
      graphEndpoint: emulator.graphEndpoint,
    });
    await api.configurations.save(
      {
        id,
        name: id,
        authType: 'clientCredentials',
        environment: 'custom',
        endpoints: { name: 'Emulator', loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint },
        tenant: 'contoso.test',
        clientId: APP,
        account: 'adele@contoso.test',
      },
      { clientSecret: new Secret(SECRET) },
    );
    await api.sessions.signIn(id, NO_UI);
    const tokenUrl = new URL(`${emulator.loginEndpoint}/contoso.test/oauth2/v2.0/token`);
    const body = new URLSearchParams({
      client_id: APP,
      client_secret: SECRET,
      grant_type: 'client_credentials',
      scope: `${emulator.graphEndpoint}/.default`,
    }).toString();
    const raw = () => rawPost(tokenUrl, body);
    const service = () => api.sessions.getToken(id, { forceRefresh: true });
    const tokens = () => emulator.countRequests({ path: /\/token$/ });

    // Through the proxy and direct in alternating blocks (the setting changes between blocks, outside the
    // timing), so that a change in the machine's load weighs on both alike.
    type Route = 'throughProxy' | 'direct';
    const samples = {
      throughProxy: { service: [] as number[], raw: [] as number[] },
      direct: { service: [] as number[], raw: [] as number[] },
    };
    const connects = { throughProxy: { service: 0, raw: 0 }, direct: { service: 0, raw: 0 } };
    let serviceRequests = 0;
    const block = async (route: Route, n: number, record: boolean) => {
      await setProxy(route === 'throughProxy' ? proxy.url : undefined);
      for (let i = 0; i < n; i++) {
        const order = i % 2 ? (['raw', 'service'] as const) : (['service', 'raw'] as const);
        for (const name of order) {
          const c0 = proxy.connects.length;
          const r0 = tokens();
          const t0 = performance.now();
          await (name === 'raw' ? raw() : service());
          if (!record) continue;
          samples[route][name].push(performance.now() - t0);
          connects[route][name] += proxy.connects.length - c0;
          if (name === 'service') serviceRequests += tokens() - r0;
        }
      }
    };
    await block('throughProxy', 5, false);
    await block('direct', 5, false);
    const BLOCKS = 4;
    for (let b = 0; b < BLOCKS; b++) {
      for (const route of (b % 2 ? ['direct', 'throughProxy'] : ['throughProxy', 'direct']) as Route[]) {
        await block(route, Math.ceil(pairs / BLOCKS), true);
      }
    }
    const figures = (route: Route) => {
      const service_ = summarize(samples[route].service);
      const raw_ = summarize(samples[route].raw);
      const n = samples[route].service.length;
      return {
        service: service_,
        raw: raw_,
        ratio: service_.median / raw_.median,
        connectsPerRequest: { service: connects[route].service / n, raw: connects[route].raw / n },
      };
    };
    const throughProxy = figures('throughProxy');
    const direct = figures('direct');
    return {
      proxy: {
        pairs,
        proxySupport: http().get('proxySupport'),
        throughProxy,
        direct,
        tokenRequestsPerServiceRefresh:
          serviceRequests / (samples.throughProxy.service.length + samples.direct.service.length),
        goal: 1.3,
      },
    };
  } finally {
    await setProxy(undefined).catch(() => undefined);
    await api.configurations.delete(id).catch(() => undefined);
    await proxy.stop();
    await emulator.stop();
  }
}

/**
 * Writes a user setting and waits until the extension host has it (a connection saved before that would
 * not find the custom environment's endpoints).
 */
export async function setUserSetting(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  const deadline = Date.now() + 10_000;
  while (!isDeepStrictEqual(vscode.workspace.getConfiguration(section).inspect(key)?.globalValue, value)) {
    if (Date.now() > deadline) throw new Error(`${section}.${key} did not reach the extension host`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One POST through `node:https` with no agent of its own: VS Code's proxy support routes it. */
function rawPost(url: URL, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
        },
        signal: AbortSignal.timeout(30_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((JSON.parse(text) as { access_token?: string }).access_token) resolve();
          else reject(new Error(`raw POST: no token (${res.statusCode})`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
