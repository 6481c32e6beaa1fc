/**
 * The bench inside the real extension host (code-server = VS Code 1.100.3), loaded as the
 * `extensionTestsPath` of a workbench window. One window = one step: bench/run.mjs writes
 * `<OUTLOOK365_BENCH_DIR>/step.json`, (re)loads the window, and this suite runs that step and writes
 * `result-<index>.json`. Steps:
 *  - activate: time `activate()` of this extension and of `vscode.microsoft-authentication` (neither
 *    active yet: a fresh window), extension-host memory around them, then the tree (getChildren +
 *    getTreeItem for every connection);
 *  - seed: writes N stored connections (configurations into the connections file, facts into the facts file), for
 *    the next windows to activate with;
 *  - tokens: the provider/service token path and concurrency against an emulator started in this host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension';
import type { ConnectionConfig } from '../../../src/model/connection';
import type { ConnectionFacts } from '../../../src/connections/facts';
import type { Check } from '../../../src/engine/checks';
import { DEFAULT_PUBLIC_CLIENT_ID } from '../../../src/model/connection';
import { msg } from '../../../src/model/messages';
import { pinMissing } from '../../../src/model/pinning';
import { Secret } from '../../../src/model/secret';
import { parseStoredConnection } from '../../../src/model/storedConnection';
import { RemoteEmulator } from '../node/remoteEmulator';
import { exposeGc, memory, sampleSequential, summarize } from '../common/stats';
import { formStep } from './formOpen';
import { proxyStep } from './proxyStep';

export const OURS = 'outlook365-connections.outlook365-connections';
export const BUILTIN = 'vscode.microsoft-authentication';

interface Step {
  index: number;
  mode: 'activate' | 'seed' | 'tokens' | 'form' | 'proxy';
  /** activate: measure the built-in first (the order alternates between windows). */
  builtinFirst?: boolean;
  /** activate: quiet time before measuring, so the workbench's own start-up work has settled. */
  settleMs?: number;
  treeReps?: number;
  /** activate: write a CPU profile of this extension's activation. */
  profile?: boolean;
  /** activate: how long to keep watching the provider calls VS Code makes on its own. */
  watchMs?: number;
  /** activate: write the seeded facts back at the end (seeded windows). */
  restoreFacts?: number;
  /** seed: how many connections. */
  count?: number;
  samples?: number;
  rounds?: number;
}

export async function run(): Promise<void> {
  const dir = process.env.OUTLOOK365_BENCH_DIR;
  if (!dir) throw new Error('OUTLOOK365_BENCH_DIR is not set');
  const step = JSON.parse(fs.readFileSync(path.join(dir, 'step.json'), 'utf8')) as Step;
  const started = performance.now();
  const others = otherExtensionHosts();
  let result: Record<string, unknown>;
  try {
    const work = { activate: activateStep, seed: seedStep, tokens: tokensStep, form: formStep, proxy: proxyStep }[
      step.mode
    ];
    result = { ok: true, ...(await work(step, dir)) };
  } catch (err) {
    result = { ok: false, error: String((err as Error)?.stack ?? err) };
  }
  result = {
    step,
    pid: process.pid,
    node: process.version,
    vscode: vscode.version,
    stepMs: Math.round(performance.now() - started),
    // Extension hosts of earlier windows still running beside this one, and the CPU they used meanwhile.
    otherExtensionHosts: others.map((o) => ({ pid: o.pid, cpuMsDuringStep: cpuMs(o.pid) - o.cpuMs })),
    ...result,
  };
  fs.writeFileSync(path.join(dir, `result-${step.index}.json`), JSON.stringify(result, null, 2));
}

/** CPU time (user + system) of a process, from /proc (Linux); NaN when it is gone. */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

function otherExtensionHosts(): { pid: number; cpuMs: number }[] {
  if (process.platform !== 'linux') return [];
  const out: { pid: number; cpuMs: number }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!pid || pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // only this code-server's (other work on the machine may run its own)
      if (cmdline.includes('--type=extensionHost') && ppid === process.ppid) out.push({ pid, cpuMs: cpuMs(pid) });
    } catch {
      // gone
    }
  }
  return out;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sets an `http.*` user setting and waits until this extension host sees it (VS Code's proxy support reads it here). */
async function setHttp(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('http').update(key, value, vscode.ConfigurationTarget.Global);
  const deadline = performance.now() + 10_000;
  while (vscode.workspace.getConfiguration('http').get(key) !== value) {
    if (performance.now() > deadline) throw new Error(`http.${key} did not reach the extension host`);
    await sleep(20);
  }
}

function ms(samples: number[]) {
  const s = summarize(samples);
  return { medianMs: round(s.median), p10Ms: round(s.p10), p90Ms: round(s.p90), n: s.n };
}
function us(samples: number[]) {
  const s = summarize(samples);
  return { medianUs: round(s.median * 1000, 1), p10Us: round(s.p10 * 1000, 1), p90Us: round(s.p90 * 1000, 1), n: s.n };
}

async function testingApi(): Promise<TestingApi> {
  const extension = vscode.extensions.getExtension<{ testing?: TestingApi }>(OURS);
  if (!extension) throw new Error(`${OURS} is not installed`);
  const api = await extension.activate();
  if (!api.testing) throw new Error('the extension did not run in test mode');
  return api.testing;
}

// ---- activate ------------------------------------------------------------------------------------

async function activateStep(step: Step, dir: string) {
  const gc = exposeGc();
  await sleep(step.settleMs ?? 0);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const before = memory(gc);
  const order = step.builtinFirst ? [BUILTIN, OURS] : [OURS, BUILTIN];
  const loads = watchModuleLoads(
    order.map((id) => path.join(vscode.extensions.getExtension(id)!.extensionPath, 'dist', 'extension.js')),
  );
  const activation: Record<string, unknown> = {};
  const memoryAfter: Record<string, ReturnType<typeof memory>> = {};
  let api: TestingApi | undefined;
  let watch: ReturnType<typeof watchProvider> | undefined;
  let oursActivatedAt = 0;
  for (const id of order) {
    const extension = vscode.extensions.getExtension(id);
    if (!extension) throw new Error(`${id} is not installed`);
    const wasActive = extension.isActive;
    let session: import('node:inspector/promises').Session | undefined;
    if (step.profile && id === OURS) session = await startProfile();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const exports: unknown = await extension.activate();
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (id === OURS) {
      oursActivatedAt = performance.now();
      api = (exports as { testing?: TestingApi }).testing;
      if (!api) throw new Error('the extension did not run in test mode');
      // Right away: VS Code asks a newly registered provider for its sessions (RPC round trip later).
      watch = watchProvider(api);
    }
    if (session) await stopProfile(session, path.join(dir, `activate-${step.index}.cpuprofile`));
    const main = path.join(extension.extensionPath, 'dist', 'extension.js');
    activation[id] = {
      ms: round(elapsed),
      hostCpuMs: round((cpu.user + cpu.system) / 1000, 1),
      loadMs: loads.ms(main),
      wasActive,
      hostKind: extension.extensionKind === vscode.ExtensionKind.Workspace ? 'workspace' : 'ui',
    };
    memoryAfter[id] = memory(gc);
  }
  loads.dispose();
  if (!api || !watch) throw new Error('the extension did not activate');
  // activate() reports its own duration in the log ("N connection(s) in X ms"): the rest of the
  // measured time is VS Code loading the module and calling in.
  const line = api.log.captured.find((l) => l.startsWith('[activate]')) ?? '';
  const match = /(\d+) connection\(s\) in ([\d.]+) ms/.exec(line);
  const connections = api.store.list().length;

  // What VS Code asks the provider on its own once it is registered (the Accounts menu asks for every
  // session): let it arrive and finish before the tree is measured, and count what it did.
  await watch.settled(step.watchMs ?? 2500);
  const providerCalls = watch.report(oursActivatedAt);
  const lagMax = lag.max;
  const lagP99 = lag.percentile(99);
  lag.disable();
  const afterProviderCalls = memory(gc);

  const tree = api.tree;
  const walkTop = () => {
    const nodes = tree.getChildren();
    for (const node of nodes) tree.getTreeItem(node);
    return nodes.length;
  };
  const walkAll = () => {
    let count = 0;
    for (const node of tree.getChildren()) {
      tree.getTreeItem(node);
      count++;
      for (const child of tree.getChildren(node)) {
        tree.getTreeItem(child);
        count++;
      }
    }
    return count;
  };
  let treeSession: import('node:inspector/promises').Session | undefined;
  if (step.profile) treeSession = await startProfile();
  let t0 = performance.now();
  const topCount = walkTop();
  const firstTop = performance.now() - t0;
  const top = await sampleSequential(step.treeReps ?? 20, walkTop, 2);
  if (treeSession) await stopProfile(treeSession, path.join(dir, `tree-${step.index}.cpuprofile`));
  t0 = performance.now();
  const allCount = walkAll();
  const firstAll = performance.now() - t0;
  const all = await sampleSequential(Math.max(5, Math.floor((step.treeReps ?? 20) / 2)), walkAll, 1);
  const afterTree = memory(gc);

  // One facts write (what every sign-in, refresh or failure does), until it is in the facts file. The
  // token path does not wait for it (it is written in the background); measured here to the disk.
  const first = api.store.list()[0];
  const store = api.store;
  const factsWrite = first
    ? ms(
        await sampleSequential(
          10,
          () => {
            store.setFacts(first.id, { account: 'bench@contoso.test' });
            return store.flush();
          },
          2,
        ),
      )
    : undefined;

  if (step.restoreFacts) {
    // Put back the facts the seed wrote, so that every window starts from the same stored state
    // (the provider's answers above may have recorded failures).
    await store.flush();
    await writeFactsFile(api.factsFile, makeConnections(step.restoreFacts).facts);
  }
  return {
    connections,
    activation,
    oursInsideActivateMs: match ? Number(match[2]) : undefined,
    /** Of that: opening the store (configurations from globalState, the facts file). */
    oursStoreOpenMs: Number(/\(store ([\d.]+) ms\)/.exec(line)?.[1] ?? NaN),
    eventLoop: { maxLagMs: round(lagMax / 1e6, 1), p99LagMs: round(lagP99 / 1e6, 1) },
    providerCalls,
    memory: { before, after: memoryAfter, afterProviderCalls, afterTree },
    factsWrite,
    tree: {
      topLevel: { items: topCount, firstMs: round(firstTop), ...ms(top) },
      expanded: { items: allCount, firstMs: round(firstAll), ...ms(all) },
    },
  };
}

/**
 * Times how long Node takes to load (read, compile, run the top level of) each given module file: the
 * extension host loads an extension's main file through Node's CommonJS loader.
 */
function watchModuleLoads(files: string[]) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _extensions: Record<string, (module: unknown, filename: string) => void> };
  const original = Module._extensions['.js'];
  const times = new Map<string, number>();
  Module._extensions['.js'] = function (this: unknown, module: unknown, filename: string) {
    if (!files.includes(filename)) return original.call(this, module, filename);
    const t0 = performance.now();
    try {
      return original.call(this, module, filename);
    } finally {
      times.set(filename, round(performance.now() - t0));
    }
  };
  return {
    ms: (file: string) => times.get(file),
    dispose: () => {
      Module._extensions['.js'] = original;
    },
  };
}

/**
 * Wraps the registered provider's getSessions (VS Code calls it by method lookup, so the wrapper sees
 * its calls too) and the store's facts writes, to tell what happens after activation on its own.
 */
function watchProvider(api: TestingApi) {
  const provider = api.provider as unknown as { getSessions: (scopes?: readonly string[]) => Promise<unknown[]> };
  const original = provider.getSessions.bind(provider);
  const calls = {
    all: 0,
    byConnection: 0,
    byPermission: 0,
    busyMs: 0,
    sessionsReturned: 0,
    inFlight: 0,
    firstStart: 0,
    lastEnd: 0,
  };
  provider.getSessions = async (scopes?: readonly string[]) => {
    const t0 = performance.now();
    if (!calls.firstStart) calls.firstStart = t0;
    if (!scopes || scopes.length === 0) calls.all++;
    else if (scopes.some((s) => s.startsWith('connection:'))) calls.byConnection++;
    else calls.byPermission++;
    calls.inFlight++;
    try {
      const sessions = await original(scopes);
      calls.sessionsReturned += sessions.length;
      return sessions;
    } finally {
      calls.inFlight--;
      calls.busyMs += performance.now() - t0;
      calls.lastEnd = performance.now();
    }
  };
  const store = api.store;
  const failuresBefore = store.list().filter((e) => store.facts(e.id).failure).length;
  let factWrites = 0;
  const sub = store.onDidChange(() => factWrites++);
  return {
    async settled(ms: number) {
      const deadline = performance.now() + 90_000;
      await sleep(ms);
      while (calls.inFlight > 0 && performance.now() < deadline) await sleep(50);
    },
    /** `since`: when activation ended; the report says how long after it the provider was still busy. */
    report(since?: number) {
      sub.dispose();
      provider.getSessions = original;
      return {
        getSessionsAll: calls.all,
        getSessionsByConnection: calls.byConnection,
        getSessionsByPermission: calls.byPermission,
        sessionsReturned: calls.sessionsReturned,
        /** Sum of call durations (calls overlap). */
        busyMs: round(calls.busyMs, 1),
        ...(since !== undefined
          ? { busyUntilMsAfterActivation: calls.lastEnd ? round(calls.lastEnd - since, 1) : 0 }
          : {}),
        storeChanges: factWrites,
        connectionsWithFailureBefore: failuresBefore,
        connectionsWithFailureAfter: store.list().filter((e) => store.facts(e.id).failure).length,
      };
    },
  };
}

async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfile(session: import('node:inspector/promises').Session, file: string) {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  fs.writeFileSync(file, JSON.stringify(profile));
}

// ---- seed ------------------------------------------------------------------------------------------

const SCOPE_PRESETS = ['minimal', 'sharedMailbox', 'calendar', 'sharedCalendar', 'everything'] as const;

/** `count` varied, valid stored connections and, for most, facts as sign-in and test leave them. */
export function makeConnections(count: number): {
  configs: ConnectionConfig[];
  facts: Record<string, ConnectionFacts>;
} {
  const configs: ConnectionConfig[] = [];
  const facts: Record<string, ConnectionFacts> = {};
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const id = `bench-${String(i).padStart(4, '0')}-${((i * 2654435761) % 2 ** 32).toString(16)}`;
    const base = {
      id,
      name: `Mailbox connection ${i + 1}`,
      environment: (['global', 'global', 'global', 'usGovL4', 'china'] as const)[i % 5],
      tenant: i % 3 ? `tenant${i % 17}.onmicrosoft.com` : '72f988bf-86f1-41af-91ab-2d7cd011db47',
    };
    const clientId = `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const scopes = { preset: SCOPE_PRESETS[i % SCOPE_PRESETS.length], additional: i % 4 === 0 ? ['Mail.Send'] : [] };
    const user = `user${i}@contoso.com`;
    let config: ConnectionConfig;
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        config = {
          ...base,
          authType: 'authCode',
          scopes,
          signInMethod: 'auto',
          ...(i % 8 === 0 ? { sharedMailbox: `shared${i}@contoso.com` } : {}),
        };
        break;
      case 4:
      case 5:
        config = { ...base, authType: 'clientCredentials', clientId, account: user };
        break;
      case 6:
        config = {
          ...base,
          authType: 'clientCertificate',
          clientId,
          account: user,
          certificateThumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678A1B2C3D4E5F6071829AB3C4D',
          certificateNotAfter: new Date(now + 200 * 86400_000).toISOString(),
          sendX5c: i % 2 === 0,
        };
        break;
      case 7:
      case 8:
        config = { ...base, authType: 'byoApp', clientId, confidential: i % 2 === 0, scopes, signInMethod: 'browser' };
        break;
      default:
        config = { ...base, authType: 'ropc', username: user, scopes };
    }
    // As a save leaves it: the public client pinned (src/model/pinning.ts). Unpinned, the first window
    // would measure the one-time pinning of an update instead of an activation.
    configs.push(pinMissing(config, { defaultPublicClientId: DEFAULT_PUBLIC_CLIENT_ID }) ?? config);
    const kind = i % 6;
    if (kind === 5) continue; // never signed in
    const granted = ['User.Read', 'Mail.Read', ...(i % 3 === 0 ? ['Mail.Send'] : [])];
    const f: ConnectionFacts = {
      signedIn: kind !== 4,
      account: user,
      expiresOn: new Date(now + (kind === 3 ? -600_000 : 45 * 60_000 + (i % 30) * 60_000)).toISOString(),
      grantedScopes: granted,
      requestedScopes: [
        'openid',
        'profile',
        'offline_access',
        'https://graph.microsoft.com/User.Read',
        'https://graph.microsoft.com/Mail.Read',
      ],
    };
    if (kind === 4) {
      f.failure = {
        status: 'reconnectRequired',
        kind: 'reconnect',
        code: 'AADSTS50173',
        message: msg('The sign-in expired or was revoked. Sign in again.'),
        at: new Date(now - 3600_000).toISOString(),
      };
    }
    if (i % 4 === 1) {
      f.lastTest = {
        ok: true,
        summary: msg('Connected: read the mailbox of {account}.', { account: user }),
        at: new Date(now - 86400_000).toISOString(),
        // As Test Connection leaves them (src/engine/checks.ts).
        checks: [
          { name: 'token', result: 'passed', detail: msg('Token acquired.') },
          {
            name: 'profile',
            result: 'passed',
            detail: msg('Signed in as {account}.', { account: user }),
            path: '/v1.0/me',
            status: 200,
          },
          {
            name: 'mailbox',
            result: 'passed',
            detail: msg('Inbox read.'),
            path: '/v1.0/me/mailFolders/inbox',
            status: 200,
          },
        ] as Check[],
      };
    }
    facts[id] = f;
  }
  return { configs, facts };
}

async function seedStep(step: Step) {
  const api = await testingApi();
  const { configs, facts } = makeConnections(step.count ?? 1000);
  const broken = configs.map(parseStoredConnection).filter((e) => 'broken' in e);
  if (broken.length) throw new Error(`seed made ${broken.length} unreadable entries: ${JSON.stringify(broken[0])}`);
  // The connections file and the facts file, as the store leaves them after 1,000 saves.
  const t0 = performance.now();
  await fs.promises.writeFile(api.connectionsFile, JSON.stringify({ version: 1, connections: configs }));
  await api.store.flush();
  const factsFileBytes = await writeFactsFile(api.factsFile, facts);
  await api.store.reload();
  const bytes = Buffer.byteLength(JSON.stringify(configs));
  // Give the workbench time to persist globalState before the window is reloaded.
  await sleep(1500);
  return {
    seeded: api.store.list().length,
    globalStateBytes: bytes,
    factsFileBytes,
    writeMs: round(performance.now() - t0),
  };
}

// ---- tokens ----------------------------------------------------------------------------------------

const CC_APP = 'c0ffee00-0000-4000-8000-00000000be11';
const CC_SECRET = 'bench-secret-be11';
const ADELE = { upn: 'adele@contoso.test', password: 'Passw0rd!adele' };
const NO_UI = { openBrowser: async () => undefined, showDeviceCode: () => undefined };

async function tokensStep(step: Step, dir: string) {
  const api = await testingApi();
  // As in a user's window: lines below the log level are dropped, not kept for a test to read.
  api.log.stopCapturing();
  const samples = step.samples ?? 500;
  const rounds = step.rounds ?? 10;
  // The emulator in a process of its own (bench/src/node/emulatorProcess.ts, built beside this file), as
  // Entra ID is another machine: signing 50 tokens at once in this host's event loop was charged to the
  // refreshes being measured.
  const emulator = await RemoteEmulator.start(path.join(__dirname, '..', 'node', 'emulatorProcess.js'));
  const section = vscode.workspace.getConfiguration('outlook365');
  await section.update(
    'customEnvironment',
    { name: 'Emulator', loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint },
    vscode.ConfigurationTarget.Global,
  );
  // A custom connection keeps the endpoints it is saved with (src/model/pinning.ts).
  const endpoints = { name: 'Emulator', loginEndpoint: emulator.loginEndpoint, graphEndpoint: emulator.graphEndpoint };
  const tokenRequests = () => emulator.tokenRequests();
  // VS Code asks the provider for sessions on its own (accounts menu, session change events): count those calls.
  const provider = api.provider;
  const watch = watchProvider(api);
  const created: string[] = [];
  try {
    await emulator.call('addApp', {
      clientId: CC_APP,
      publicClient: false,
      secrets: [CC_SECRET],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    const save = async (id: string, config: ConnectionConfig, secrets: Record<string, Secret>) => {
      await api.configurations.save(config, secrets);
      created.push(id);
      return id;
    };
    const cc = (id: string) =>
      save(
        id,
        {
          id,
          name: id,
          authType: 'clientCredentials',
          environment: 'custom',
          endpoints,
          tenant: 'contoso.test',
          clientId: CC_APP,
          account: ADELE.upn,
        },
        { clientSecret: new Secret(CC_SECRET) },
      );
    const ccId = await cc('bench-cc');
    const ropc = (id: string) =>
      save(
        id,
        {
          id,
          name: id,
          authType: 'ropc',
          environment: 'custom',
          endpoints,
          tenant: 'contoso.test',
          username: ADELE.upn,
          scopes: { preset: 'minimal', additional: [] },
        },
        { password: new Secret(ADELE.password) },
      );
    const ropcId = await ropc('bench-ropc');
    await api.sessions.signIn(ccId, NO_UI);
    await api.sessions.signIn(ropcId, NO_UI);

    // -- cached: from the service's memory, through the provider as VS Code calls it
    const scopes = [`connection:${ccId}`];
    const before = await tokenRequests();
    const getSessions = await sampleSequential(
      samples,
      async () => {
        const [session] = await provider.getSessions(scopes);
        if (!session?.accessToken) throw new Error('no session');
      },
      50,
    );
    const serviceCached = await sampleSequential(samples, () => api.sessions.getToken(ccId), 50);
    const cachedRequests = (await tokenRequests()) - before;

    // -- one acquisition over the network: the service's forced refresh against a raw POST (same host, same emulator)
    const tokenUrl = `${emulator.loginEndpoint}/contoso.test/oauth2/v2.0/token`;
    const scope = `${emulator.graphEndpoint}/.default`;
    const raw = async () => {
      const body = new URLSearchParams({
        client_id: CC_APP,
        client_secret: CC_SECRET,
        grant_type: 'client_credentials',
        scope,
      }).toString();
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body,
      });
      if (!((await response.json()) as { access_token?: string }).access_token) throw new Error('raw POST: no token');
    };
    const forced = () => api.sessions.getToken(ccId, { forceRefresh: true });
    // The raw POST as an extension writes it with VS Code's default settings: `fetch` with VS Code's proxy
    // support (http.fetchAdditionalSupport, which the test workbench turns off), so that it resolves the
    // proxy for each request as `node:https` (the engine's door) does. Unpatched, measured after the pairs.
    const fetchSupport = (on: boolean) => setHttp('fetchAdditionalSupport', on);
    await fetchSupport(true);
    for (let i = 0; i < 10; i++) {
      await raw();
      await forced();
    }
    const rawSamples: number[] = [];
    const serviceSamples: number[] = [];
    const networkCount = Math.max(40, Math.floor(samples / 5)); // pairs (service, raw)
    let forcedRequests = 0;
    // New connections to the login host per call: 0 when a kept-alive connection was reused.
    const connections = { service: 0, raw: 0 };
    const loginConnections = () => emulator.call<number>('countLoginConnections');
    for (let i = 0; i < networkCount; i++) {
      const pair =
        i % 2
          ? ([
              ['raw', raw],
              ['service', forced],
            ] as const)
          : ([
              ['service', forced],
              ['raw', raw],
            ] as const);
      for (const [name, fn] of pair) {
        const c0 = await tokenRequests();
        const k0 = await loginConnections();
        const t0 = performance.now();
        await fn();
        (name === 'raw' ? rawSamples : serviceSamples).push(performance.now() - t0);
        if (name === 'service') forcedRequests += (await tokenRequests()) - c0;
        connections[name] += (await loginConnections()) - k0;
      }
    }

    // A delegated refresh (ROPC: the refresh-token grant; the emulator rotates the refresh token), which
    // counts as done only once the token cache holding the new refresh token is stored in SecretStorage.
    // Beside it, in alternating pairs, the same grant done by hand: a raw refresh-token POST for the same
    // client, user and scopes, then one SecretStorage write of a value as large as our token caches' entry
    // (what an extension that keeps its own refresh token must store before it may use the new one).
    const delegated = () => api.sessions.getToken(ropcId, { forceRefresh: true });
    const ropcConfig = api.store.getConfig(ropcId);
    const ropcClient =
      (ropcConfig?.authType === 'ropc' && (ropcConfig.clientId || ropcConfig.publicClientId)) ||
      DEFAULT_PUBLIC_CLIENT_ID;
    const ropcScope = [...(api.store.facts(ropcId).requestedScopes ?? []), 'offline_access'].join(' ');
    const grant = async (fields: Record<string, string>) => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams({ client_id: ropcClient, scope: ropcScope, ...fields }).toString(),
      });
      const answer = (await response.json()) as { access_token?: string; refresh_token?: string };
      if (!answer.access_token || !answer.refresh_token) throw new Error(`raw ${fields.grant_type}: no tokens`);
      return answer.refresh_token;
    };
    let rawRefreshToken = await grant({ grant_type: 'password', username: ADELE.upn, password: ADELE.password });
    const cacheEntry = (await api.rawSecrets.get('outlook365/tokenCaches')) ?? '';
    const rawRefreshPostSamples: number[] = [];
    const rawDelegated = async () => {
      const t0 = performance.now();
      rawRefreshToken = await grant({ grant_type: 'refresh_token', refresh_token: rawRefreshToken });
      rawRefreshPostSamples.push(performance.now() - t0);
      await api.rawSecrets.store('outlook365/bench-probe', cacheEntry);
    };
    for (let i = 0; i < 5; i++) {
      await delegated();
      await rawDelegated();
    }
    rawRefreshPostSamples.length = 0;
    const delegatedSamples: number[] = [];
    const rawDelegatedSamples: number[] = [];
    for (let i = 0; i < networkCount; i++) {
      const pair = i % 2 ? [rawDelegated, delegated] : [delegated, rawDelegated];
      for (const fn of pair) {
        const t0 = performance.now();
        await fn();
        (fn === delegated ? delegatedSamples : rawDelegatedSamples).push(performance.now() - t0);
      }
    }
    const delegatedRefresh = ms(delegatedSamples);
    if (step.profile) {
      const session = await startProfile();
      for (let i = 0; i < 100; i++) await delegated();
      await stopProfile(session, path.join(dir, `delegated-refresh-${step.index}.cpuprofile`));
    }

    await fetchSupport(false);
    for (let i = 0; i < 5; i++) await raw();
    const rawUnpatched = ms(await sampleSequential(networkCount, raw, 0));

    // Besides the network, around one refresh: the facts write (to the file, in the background: not
    // waited for by the refresh), and the token cache's SecretStorage read and write (round trips to
    // the workbench).
    const factsWrite = ms(
      await sampleSequential(
        50,
        () => {
          api.store.setFacts(ccId, { account: ADELE.upn });
          return api.store.flush();
        },
        5,
      ),
    );
    // All token caches are one SecretStorage entry (src/connections/tokenCacheMap.ts): a read and a write of it.
    const cacheKey = 'outlook365/tokenCaches';
    const cacheValue = (await api.rawSecrets.get(cacheKey)) ?? '';
    const secretRead = ms(await sampleSequential(50, () => api.rawSecrets.get(cacheKey), 5));
    const secretWrite = ms(
      await sampleSequential(50, () => api.rawSecrets.store('outlook365/bench-probe', cacheValue), 5),
    );
    await api.rawSecrets.delete('outlook365/bench-probe');
    if (step.profile) {
      const session = await startProfile();
      for (let i = 0; i < 100; i++) await forced();
      await stopProfile(session, path.join(dir, `service-refresh-${step.index}.cpuprofile`));
    }

    // -- 100 concurrent callers, one expired connection
    await emulator.call('setLifetimes', { accessTokenSeconds: 60 }); // inside the service's 2-minute and MSAL's 5-minute margins: expired for both
    const hundred = async (id: string, call: () => Promise<unknown>, options: { cold?: boolean } = {}) => {
      await api.sessions.getToken(id, { forceRefresh: true });
      await sleep(200);
      const walls: number[] = [];
      const counts: number[] = [];
      const distinct: number[] = [];
      for (let r = 0; r < (options.cold ? Math.min(rounds, 3) : rounds); r++) {
        if (options.cold) {
          // As after a reload, or when another window changed the configuration: the service drops its
          // clients (the token it still holds has expired), so the next callers build a client first.
          await api.sessions.getToken(id, { forceRefresh: true });
          await api.rawSecrets.store('outlook365/revision', `bench-${Date.now()}-${r}`);
          await sleep(300);
        }
        const c0 = await tokenRequests();
        const t0 = performance.now();
        const results = await Promise.all(Array.from({ length: 100 }, call));
        walls.push(performance.now() - t0);
        await sleep(100); // whatever VS Code does in reaction (session change events) lands here, not in the next round
        counts.push((await tokenRequests()) - c0);
        const tokens = new Set(
          results.map((r) =>
            Array.isArray(r)
              ? (r as { accessToken: string }[])[0]?.accessToken
              : (r as { accessToken: Secret }).accessToken.reveal(),
          ),
        );
        distinct.push(tokens.size);
      }
      return { ...ms(walls), tokenRequestsPerRound: counts, distinctTokensPerRound: distinct };
    };
    const concurrency = {
      appOnlyGetSessions: await hundred(ccId, () => provider.getSessions([`connection:${ccId}`])),
      appOnlyGetToken: await hundred(ccId, () => api.sessions.getToken(ccId)),
      delegatedGetSessions: await hundred(ropcId, () => provider.getSessions([`connection:${ropcId}`])),
      delegatedGetToken: await hundred(ropcId, () => api.sessions.getToken(ropcId)),
      appOnlyGetSessionsColdClient: await hundred(ccId, () => provider.getSessions([`connection:${ccId}`]), {
        cold: true,
      }),
      delegatedGetSessionsColdClient: await hundred(ropcId, () => provider.getSessions([`connection:${ropcId}`]), {
        cold: true,
      }),
    };
    await emulator.call('setLifetimes', { accessTokenSeconds: 3600 });

    // -- 50 connections refreshed at once, against one: app-only (client credentials: the cache holds no
    // refresh token, its write is not waited for) and delegated (ROPC: a rotated refresh token, stored
    // before the refresh counts as done; the token cache writes of a burst are coalesced).
    // Each refresh leaves background work: its token cache write to SecretStorage (and the check of the
    // change event that follows), the facts file. Every measurement starts when that has died down, and
    // the time until it did is recorded too.
    let lastSecretChange = performance.now();
    let cacheWrites = 0;
    const quiet = api.rawSecrets.onDidChange((e) => {
      lastSecretChange = performance.now();
      if (e.key === 'outlook365/tokenCaches') cacheWrites++;
    });
    const settled = async () => {
      await api.store.flush();
      const deadline = performance.now() + 15_000;
      while (performance.now() - lastSecretChange < 250 && performance.now() < deadline) await sleep(25);
      return lastSecretChange;
    };
    const fiftyAtOnce = async (make: (i: number) => Promise<string>, signIn: (id: string) => Promise<unknown>) => {
      const fifty: string[] = [];
      for (let i = 0; i < 50; i++) fifty.push(await make(i));
      for (const id of fifty) await signIn(id);
      await Promise.all(fifty.map((id) => api.sessions.getToken(id, { forceRefresh: true })));
      const one: number[] = [];
      const all: number[] = [];
      const allUntilQuiet: number[] = [];
      const allCounts: number[] = [];
      const writes: number[] = [];
      for (let r = 0; r < Math.min(rounds, 3); r++) {
        await settled();
        let t0 = performance.now();
        await api.sessions.getToken(fifty[r % 50], { forceRefresh: true });
        one.push(performance.now() - t0);
        await settled();
        const c0 = await tokenRequests();
        const w0 = cacheWrites;
        t0 = performance.now();
        await Promise.all(fifty.map((id) => api.sessions.getToken(id, { forceRefresh: true })));
        all.push(performance.now() - t0);
        allCounts.push((await tokenRequests()) - c0);
        allUntilQuiet.push((await settled()) - t0);
        writes.push(cacheWrites - w0);
      }
      return {
        ids: fifty,
        one: ms(one),
        fifty: ms(all),
        fiftyUntilQuiet: ms(allUntilQuiet),
        ratio: round(summarize(all).median / summarize(one).median),
        tokenRequestsPerRound: allCounts,
        secretWritesPerRound: writes,
      };
    };
    const secretWrites50: number[] = [];
    const rawOne: number[] = [];
    const rawFifty: number[] = [];
    let fiftyAppOnly: Awaited<ReturnType<typeof fiftyAtOnce>>;
    let fiftyDelegated: Awaited<ReturnType<typeof fiftyAtOnce>>;
    try {
      fiftyAppOnly = await fiftyAtOnce(
        (i) => cc(`bench-fifty-${i}`),
        (id) => api.sessions.signIn(id, NO_UI),
      );
      if (step.profile) {
        // Where the host's time goes when 50 refresh at once (bench/README.md, "the floor").
        await settled();
        const session = await startProfile();
        await Promise.all(fiftyAppOnly.ids.map((id) => api.sessions.getToken(id, { forceRefresh: true })));
        await settled();
        await stopProfile(session, path.join(dir, `fifty-${step.index}.cpuprofile`));
      }
      fiftyDelegated = await fiftyAtOnce(
        (i) => ropc(`bench-fifty-ropc-${i}`),
        (id) => api.sessions.signIn(id, NO_UI),
      );
      // The floor: one raw POST against 50 at once from this host, the same grant (no cache, no
      // SecretStorage): what the emulator and the host's network stack make of 50 at once.
      for (let r = 0; r < 3; r++) {
        await settled();
        let t0 = performance.now();
        await raw();
        rawOne.push(performance.now() - t0);
        t0 = performance.now();
        await Promise.all(Array.from({ length: 50 }, raw));
        rawFifty.push(performance.now() - t0);
      }
      // What 50 token cache writes cost on their own: 50 SecretStorage writes at once, same size.
      const probeValue = (await api.sessions.getToken(fiftyAppOnly.ids[0])).accessToken.reveal();
      for (let r = 0; r < 3; r++) {
        await settled();
        const t0 = performance.now();
        await Promise.all(
          fiftyAppOnly.ids.map((_, i) => api.rawSecrets.store(`outlook365/bench-probe-${i}`, probeValue)),
        );
        secretWrites50.push(performance.now() - t0);
      }
      await Promise.all(fiftyAppOnly.ids.map((_, i) => api.rawSecrets.delete(`outlook365/bench-probe-${i}`)));
    } finally {
      quiet.dispose();
    }

    return {
      cached: {
        providerGetSessions: us(getSessions),
        serviceGetToken: us(serviceCached),
        tokenRequests: cachedRequests,
      },
      network: {
        rawFetch: ms(rawSamples),
        rawFetchWithoutProxySupport: rawUnpatched,
        serviceForcedRefresh: { ...ms(serviceSamples), tokenRequestsPerCall: forcedRequests / networkCount },
        delegatedRefresh,
        rawDelegated: ms(rawDelegatedSamples),
        rawRefreshPost: ms(rawRefreshPostSamples),
        tokenCachesEntryBytes: Buffer.byteLength(cacheValue),
        newConnectionsPerCall: { service: connections.service / networkCount, raw: connections.raw / networkCount },
        ratio: round(summarize(serviceSamples).median / summarize(rawSamples).median),
        factsWrite,
        secretRead,
        secretWrite,
      },
      concurrency,
      fifty: {
        ...fiftyAppOnly,
        ids: undefined,
        secretWrites50: ms(secretWrites50),
        rawOne: ms(rawOne),
        rawFifty: ms(rawFifty),
        rawRatio: round(summarize(rawFifty).median / summarize(rawOne).median),
      },
      fiftyDelegated: { ...fiftyDelegated, ids: undefined },
      providerCalls: watch.report(),
    };
  } finally {
    for (const id of created) await api.configurations.delete(id).catch(() => undefined);
    await section.update('customEnvironment', undefined, vscode.ConfigurationTarget.Global);
    await emulator.stop();
  }
}

/** Writes the facts file as the store would (the format of src/connections/factsFile.ts); returns its bytes. */
async function writeFactsFile(file: string, facts: Record<string, ConnectionFacts>): Promise<number> {
  const text = JSON.stringify({ version: 1, facts });
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, text);
  return Buffer.byteLength(text);
}
