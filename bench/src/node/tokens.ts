/**
 * Token path and concurrency at the engine level, in plain Node, against the emulator running in a
 * child process (bench/src/node/emulatorProcess.ts):
 *  - a client-credentials acquisition that goes to the network: the engine's
 *    `ConnectionTokenClient.getToken({ forceRefresh: true })`, a raw `fetch` POST to the same token
 *    endpoint, and @azure/identity's `ClientSecretCredential` (authorityHost = the emulator,
 *    disableInstanceDiscovery), interleaved round by round so drift hits all three alike;
 *  - a token answered from MSAL's cache (engine and @azure/identity);
 *  - 100 concurrent `getToken` calls for one expired connection (app-only and delegated/refresh token):
 *    token requests the emulator saw and wall time;
 *  - 50 connections force-refreshed at once against one.
 * Usage: node bench/.build/node/tokens.js --out <file.json> [--samples N] [--rounds N]
 * (NODE_EXTRA_CA_CERTS must name the emulator's test CA.)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { resolveEnvironment, type Environment } from '../../../src/model/clouds';
import type { ConnectionConfig, ConnectionSecrets } from '../../../src/model/connection';
import { parsePfx } from '../../../src/engine/certificate';
import { Secret } from '../../../src/model/secret';
import { MemoryTokenCacheStore } from '../../../src/engine/tokenCache';
import { ConnectionTokenClient } from '../../../src/engine/tokenClient';
import { sampleSequential, summarize } from '../common/stats';
import { RemoteEmulator } from './remoteEmulator';

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const OUT = arg('out');
const SAMPLES = Number(arg('samples', '60'));
const ROUNDS = Number(arg('rounds', '10'));

const APP = 'c0ffee00-0000-4000-8000-00000000be01';
const SECRET = 'bench-secret-be01';
const TENANT = 'contoso.test';
const ADELE = { upn: 'adele@contoso.test', password: 'Passw0rd!adele' };

function ms(samples: number[]) {
  const s = summarize(samples);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { medianMs: r(s.median), p10Ms: r(s.p10), p90Ms: r(s.p90), n: s.n };
}

function us(samples: number[]) {
  const s = summarize(samples);
  const r = (x: number) => Math.round(x * 1000 * 10) / 10;
  return { medianUs: r(s.median), p10Us: r(s.p10), p90Us: r(s.p90), n: s.n };
}

async function main(): Promise<void> {
  const emulator = await RemoteEmulator.start(path.join(__dirname, 'emulatorProcess.js'));
  try {
    const environment: Environment = resolveEnvironment('custom', {
      name: 'Emulator',
      loginEndpoint: emulator.loginEndpoint,
      graphEndpoint: emulator.graphEndpoint,
    });
    await emulator.call('addApp', {
      clientId: APP,
      publicClient: false,
      secrets: [SECRET],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    const scope = `${environment.graphEndpoint}/.default`;
    const tokenUrl = `${environment.loginEndpoint}/${TENANT}/oauth2/v2.0/token`;

    const ccConfig = (id: string): ConnectionConfig => ({
      id,
      name: id,
      authType: 'clientCredentials',
      environment: 'custom',
      tenant: TENANT,
      clientId: APP,
      account: ADELE.upn,
    });
    const client = (config: ConnectionConfig, secrets: ConnectionSecrets) =>
      new ConnectionTokenClient({
        config,
        environment,
        secrets,
        cacheStore: new MemoryTokenCacheStore(),
        openCertificate: parsePfx,
      });
    const ccSecrets = { clientSecret: new Secret(SECRET) };

    // ---- 3. one client-credentials acquisition over the network ------------------------------------
    // A 60-second token is inside MSAL's 5-minute renewal margin: every MSAL call (ours and
    // @azure/identity's) goes to the network, as a forced refresh does.
    await emulator.call('setLifetimes', { accessTokenSeconds: 60 });
    const body = () =>
      new URLSearchParams({
        client_id: APP,
        client_secret: SECRET,
        grant_type: 'client_credentials',
        scope,
      }).toString();
    const engine = client(ccConfig('engine'), ccSecrets);
    const identity = new ClientSecretCredential(TENANT, APP, SECRET, {
      authorityHost: environment.loginEndpoint,
      disableInstanceDiscovery: true,
    });
    const contenders: Record<string, () => Promise<unknown>> = {
      rawFetch: async () => {
        const response = await fetch(tokenUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
          body: body(),
        });
        const json = (await response.json()) as { access_token?: string };
        if (!json.access_token) throw new Error('raw POST: no token');
      },
      engine: async () => {
        const result = await engine.getToken({ forceRefresh: true });
        if (result.fromCache) throw new Error('engine answered from cache');
      },
      azureIdentity: async () => {
        await identity.getToken(scope);
      },
    };
    const names = Object.keys(contenders);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const requests: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    const firstCall: Record<string, { ms: number; tokenRequests: number; loginRequests: number }> = {};
    for (const name of names) {
      const [t0, l0] = [await emulator.tokenRequests(), await emulator.call<number>('countLoginRequests')];
      const started = performance.now();
      await contenders[name]();
      const elapsed = performance.now() - started;
      firstCall[name] = {
        ms: Math.round(elapsed * 100) / 100,
        tokenRequests: (await emulator.tokenRequests()) - t0,
        loginRequests: (await emulator.call<number>('countLoginRequests')) - l0,
      };
    }
    for (let i = 0; i < 10; i++) for (const name of names) await contenders[name]();
    for (let round = 0; round < SAMPLES; round++) {
      // rotate who goes first
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        const before = await emulator.tokenRequests();
        const t0 = performance.now();
        await contenders[name]();
        samples[name].push(performance.now() - t0);
        requests[name] += (await emulator.tokenRequests()) - before;
      }
    }
    const network = Object.fromEntries(
      names.map((n) => [
        n,
        { ...ms(samples[n]), tokenRequestsPerCall: requests[n] / SAMPLES, firstCall: firstCall[n] },
      ]),
    );
    const raw = summarize(samples.rawFetch).median;
    const ratios = {
      engineVsRaw: summarize(samples.engine).median / raw,
      azureIdentityVsRaw: summarize(samples.azureIdentity).median / raw,
    };

    // ---- cached: a valid token from MSAL's cache -----------------------------------------------------
    await emulator.call('setLifetimes', { accessTokenSeconds: 3600 });
    await engine.getToken({ forceRefresh: true });
    const identityCached = new ClientSecretCredential(TENANT, APP, SECRET, {
      authorityHost: environment.loginEndpoint,
      disableInstanceDiscovery: true,
    });
    await identityCached.getToken(scope);
    const beforeCached = await emulator.tokenRequests();
    const engineCached = await sampleSequential(1000, async () => {
      const r = await engine.getToken();
      if (!r.fromCache) throw new Error('expected a cached token');
    });
    const identityCachedSamples = await sampleSequential(1000, () => identityCached.getToken(scope));
    const cachedRequests = (await emulator.tokenRequests()) - beforeCached;

    // ---- 4. concurrency: 100 callers, one expired connection -------------------------------------------
    await emulator.call('setLifetimes', { accessTokenSeconds: 60 });
    const hundred = async (c: ConnectionTokenClient) => {
      await c.getToken({ forceRefresh: true }); // a 60-second token: expired for MSAL's margin
      const walls: number[] = [];
      const counts: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const before = await emulator.tokenRequests();
        const t0 = performance.now();
        const results = await Promise.all(Array.from({ length: 100 }, () => c.getToken()));
        walls.push(performance.now() - t0);
        counts.push((await emulator.tokenRequests()) - before);
        if (new Set(results.map((r) => r.accessToken.reveal())).size !== 1)
          throw new Error('callers got different tokens');
      }
      return { ...ms(walls), tokenRequestsPerRound: counts };
    };
    const appOnly100 = await hundred(client(ccConfig('concurrent-cc'), ccSecrets));
    const ropc = client(
      {
        id: 'concurrent-ropc',
        name: 'ropc',
        authType: 'ropc',
        environment: 'custom',
        tenant: TENANT,
        username: ADELE.upn,
        scopes: { preset: 'minimal', additional: [] },
      },
      { password: new Secret(ADELE.password) },
    );
    await ropc.signIn({ ui: { openBrowser: async () => undefined, showDeviceCode: () => undefined } });
    const delegated100 = await (async () => {
      const walls: number[] = [];
      const counts: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const before = await emulator.tokenRequests();
        const t0 = performance.now();
        await Promise.all(Array.from({ length: 100 }, () => ropc.getToken()));
        walls.push(performance.now() - t0);
        counts.push((await emulator.tokenRequests()) - before);
      }
      return { ...ms(walls), tokenRequestsPerRound: counts };
    })();

    // ---- 4b. 50 connections refreshed at once, against one ---------------------------------------------
    const fifty = Array.from({ length: 50 }, (_, i) => client(ccConfig(`fifty-${i}`), ccSecrets));
    await Promise.all(fifty.map((c) => c.getToken({ forceRefresh: true }))); // connections open, metadata known
    const one: number[] = [];
    const all: number[] = [];
    const allCounts: number[] = [];
    // The floor: the same 50 token requests as raw POSTs at once against one raw POST. The emulator
    // signs each token on one core (as any one server process would): what 50 at once cost beyond one,
    // before any client work, is this.
    const rawOne: number[] = [];
    const rawAll: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = performance.now();
      await fifty[round % 50].getToken({ forceRefresh: true });
      one.push(performance.now() - t0);
      const before = await emulator.tokenRequests();
      t0 = performance.now();
      await Promise.all(fifty.map((c) => c.getToken({ forceRefresh: true })));
      all.push(performance.now() - t0);
      allCounts.push((await emulator.tokenRequests()) - before);
      t0 = performance.now();
      await contenders.rawFetch();
      rawOne.push(performance.now() - t0);
      t0 = performance.now();
      await Promise.all(fifty.map(() => contenders.rawFetch()));
      rawAll.push(performance.now() - t0);
    }
    const fiftyResult = {
      one: ms(one),
      fifty: ms(all),
      ratio: summarize(all).median / summarize(one).median,
      tokenRequestsPerRound: allCounts,
      rawOne: ms(rawOne),
      rawFifty: ms(rawAll),
      rawRatio: summarize(rawAll).median / summarize(rawOne).median,
    };

    const result = {
      node: process.version,
      network: { ...network, ratios },
      cached: {
        engineMsalCache: us(engineCached),
        azureIdentityMsalCache: us(identityCachedSamples),
        tokenRequests: cachedRequests,
      },
      concurrency: { appOnly100, delegated100, fifty: fiftyResult },
    };
    const text = JSON.stringify(result, null, 2);
    if (OUT) writeFileSync(OUT, text);
    else process.stdout.write(`${text}\n`);
  } finally {
    await emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
