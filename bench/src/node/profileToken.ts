/**
 * Where the client-side time of one network token acquisition goes (for the analysis in bench/RESULTS.md).
 * The emulator runs in its own process, so the profile holds only the client. Built with the packages
 * left external (bench/lib/build.mjs), so profile frames name their package.
 *   node bench/.build/node/profileToken.js [--n 400] [--dir bench/.build/profiles]
 * Writes <contender>.cpuprofile (open in Chrome DevTools or VS Code) and prints, per contender, the
 * client CPU per call and the self time by package.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { ClientSecretCredential } from '@azure/identity';
import { resolveEnvironment } from '../../../src/model/clouds';
import { parsePfx } from '../../../src/engine/certificate';
import { Secret } from '../../../src/model/secret';
import { MemoryTokenCacheStore } from '../../../src/engine/tokenCache';
import { ConnectionTokenClient } from '../../../src/engine/tokenClient';
import { RemoteEmulator } from './remoteEmulator';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

function category(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:internal/deps/undici') || /undici/.test(url)) return 'node: undici (fetch)';
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url.includes('profileToken')) return 'bench + src/engine';
  return url;
}

async function main() {
  const n = Number(arg('n', '400'));
  const dir = arg('dir', path.join(__dirname, '..', 'profiles'));
  mkdirSync(dir, { recursive: true });
  const emulator = await RemoteEmulator.start(path.join(__dirname, 'emulatorProcess.js'));
  const APP = 'c0ffee00-0000-4000-8000-00000000be02';
  await emulator.call('addApp', {
    clientId: APP,
    publicClient: false,
    secrets: ['s'],
    redirectUris: [],
    appRoles: ['Mail.Read'],
  });
  await emulator.call('setLifetimes', { accessTokenSeconds: 60 });
  const environment = resolveEnvironment('custom', {
    name: 'E',
    loginEndpoint: emulator.loginEndpoint,
    graphEndpoint: emulator.graphEndpoint,
  });
  const scope = `${environment.graphEndpoint}/.default`;
  const tokenUrl = `${environment.loginEndpoint}/contoso.test/oauth2/v2.0/token`;
  const client = new ConnectionTokenClient({
    config: {
      id: 'p',
      name: 'p',
      authType: 'clientCredentials',
      environment: 'custom',
      tenant: 'contoso.test',
      clientId: APP,
      account: 'a@contoso.test',
    },
    environment,
    secrets: { clientSecret: new Secret('s') },
    cacheStore: new MemoryTokenCacheStore(),
    openCertificate: parsePfx,
  });
  const identity = new ClientSecretCredential('contoso.test', APP, 's', {
    authorityHost: environment.loginEndpoint,
    disableInstanceDiscovery: true,
  });
  const contenders: Record<string, () => Promise<unknown>> = {
    rawFetch: async () => {
      const body = new URLSearchParams({
        client_id: APP,
        client_secret: 's',
        grant_type: 'client_credentials',
        scope,
      }).toString();
      const r = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body,
      });
      await r.json();
    },
    engine: () => client.getToken({ forceRefresh: true }),
    azureIdentity: () => identity.getToken(scope),
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  for (const [name, fn] of Object.entries(contenders)) {
    for (let i = 0; i < 30; i++) await fn();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await session.post('Profiler.start');
    for (let i = 0; i < n; i++) await fn();
    const { profile } = await session.post('Profiler.stop');
    const wall = (performance.now() - t0) / n;
    const cpu = process.cpuUsage(cpu0);
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    const self = new Map<number, number>();
    profile.samples!.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
    const byCategory = new Map<string, number>();
    for (const node of profile.nodes) {
      const key = category(node.callFrame.url, node.callFrame.functionName);
      byCategory.set(key, (byCategory.get(key) ?? 0) + (self.get(node.id) ?? 0));
    }
    console.log(
      `\n${name}: wall ${wall.toFixed(3)} ms/call, client CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms/call (profiled)`,
    );
    for (const [k, t] of [...byCategory].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
      console.log(`  ${(t / 1000 / n).toFixed(3).padStart(7)} ms/call  ${k}`);
    }
  }
  await emulator.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
