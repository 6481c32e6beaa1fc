// Formatting of bench/results.json as the table `npm run bench` prints.
import { proxyRows } from './proxyReport.mjs';

export function median(values) {
  const s = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}

export const fmtBytes = (b) => (b === undefined ? '—' : `${(b / 1000).toFixed(1)} kB`);
export const fmtMs = (v) =>
  v === undefined ? '—' : v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
export const fmtUs = (v) => (v === undefined ? '—' : `${v.toFixed(1)} µs`);
export const fmtX = (v) => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}×`);
export const fmtMB = (v) => (v === undefined ? '—' : `${v.toFixed(1)} MB`);
const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : 'MISSED');

const OURS = 'outlook365-connections.outlook365-connections';
const BUILTIN = 'vscode.microsoft-authentication';

/** The medians the table shows, from the raw per-window results. */
export function summarize(results) {
  const summary = { bundle: results.bundle, engine: results.engine };
  const ws = results.editor?.windows;
  if (!ws) return summary;
  const pick = (list, f) => median(list.map(f));
  const activationSummary = (list) => {
    if (list.length === 0) return undefined;
    const oursFirst = list.filter((w) => !w.step.builtinFirst);
    const builtinFirst = list.filter((w) => w.step.builtinFirst);
    const act = (w, id) => w.activation[id].ms;
    // heap this extension's activation added: from just before to just after its activate()
    const ourDelta = (w) =>
      w.memory.after[OURS].heapUsedMB -
      (w.step.builtinFirst ? w.memory.after[BUILTIN].heapUsedMB : w.memory.before.heapUsedMB);
    const first = {
      ours: pick(oursFirst, (w) => act(w, OURS)),
      builtin: pick(builtinFirst, (w) => act(w, BUILTIN)),
      n: [oursFirst.length, builtinFirst.length],
    };
    const second = { ours: pick(builtinFirst, (w) => act(w, OURS)), builtin: pick(oursFirst, (w) => act(w, BUILTIN)) };
    return {
      windows: list.length,
      connections: list[0].connections,
      anyAlreadyActive: list.some((w) => w.activation[OURS].wasActive || w.activation[BUILTIN].wasActive),
      // the comparison: each extension measured first in a fresh window
      first,
      ratio: first.ours / first.builtin,
      second,
      all: { ours: pick(list, (w) => act(w, OURS)), builtin: pick(list, (w) => act(w, BUILTIN)) },
      // extension-host CPU during activate() (less sensitive to other load on the machine than wall time)
      firstLoad: {
        ours: pick(oursFirst, (w) => w.activation[OURS].loadMs),
        builtin: pick(builtinFirst, (w) => w.activation[BUILTIN].loadMs),
      },
      firstCpu: {
        ours: pick(oursFirst, (w) => w.activation[OURS].hostCpuMs),
        builtin: pick(builtinFirst, (w) => w.activation[BUILTIN].hostCpuMs),
      },
      samples: {
        ours: list.map((w) => act(w, OURS)),
        builtin: list.map((w) => act(w, BUILTIN)),
        builtinFirst: list.map((w) => !!w.step.builtinFirst),
      },
      oursInsideActivateMs: pick(list, (w) => w.oursInsideActivateMs),
      oursStoreOpenMs: pick(
        list.filter((w) => Number.isFinite(w.oursStoreOpenMs)),
        (w) => w.oursStoreOpenMs,
      ),
      afterActivation: {
        getSessionsAllCalls: pick(list, (w) => w.providerCalls.getSessionsAll),
        sessionsReturned: pick(list, (w) => w.providerCalls.sessionsReturned),
        providerBusyUntilMs: pick(list, (w) => w.providerCalls.busyUntilMsAfterActivation),
        storeChanges: pick(list, (w) => w.providerCalls.storeChanges),
        maxEventLoopLagMs: pick(list, (w) => w.eventLoop.maxLagMs),
      },
      memory: {
        hostHeapAfterActivationMB: pick(list, (w) =>
          Math.max(w.memory.after[OURS].heapUsedMB, w.memory.after[BUILTIN].heapUsedMB),
        ),
        hostHeapAfterProviderCallsMB: pick(list, (w) => w.memory.afterProviderCalls.heapUsedMB),
        hostHeapAfterTreeMB: pick(list, (w) => w.memory.afterTree.heapUsedMB),
        hostRssAfterTreeMB: pick(list, (w) => w.memory.afterTree.rssMB),
        ourActivationHeapDeltaMB: pick(list, ourDelta),
      },
      tree: {
        topLevel: {
          items: list[0].tree.topLevel.items,
          firstMs: pick(list, (w) => w.tree.topLevel.firstMs),
          medianMs: pick(list, (w) => w.tree.topLevel.medianMs),
        },
        expanded: {
          items: list[0].tree.expanded.items,
          firstMs: pick(list, (w) => w.tree.expanded.firstMs),
          medianMs: pick(list, (w) => w.tree.expanded.medianMs),
        },
      },
      factsWriteMs: pick(list, (w) => w.factsWrite?.medianMs),
      otherExtensionHostCpuMs: pick(list, (w) =>
        (w.otherExtensionHosts ?? []).reduce(
          (a, o) => a + (Number.isFinite(o.cpuMsDuringStep) ? o.cpuMsDuringStep : 0),
          0,
        ),
      ),
    };
  };
  const byLabel = (label) => ws.filter((w) => w.step.mode === 'activate' && w.step.label === label);
  summary.activation = { empty: activationSummary(byLabel('empty')), seeded: activationSummary(byLabel('seeded')) };
  summary.host = ws.find((w) => w.step.mode === 'tokens');
  summary.form = ws.find((w) => w.step.mode === 'form')?.formOpen;
  summary.seed = ws.find((w) => w.step.mode === 'seed');
  summary.proxy = ws.find((w) => w.step.mode === 'proxy')?.proxy;
  return summary;
}

/** Rows: [what, ours, compared with, ratio, goal, verdict]. */
export function rows(results) {
  const out = [];
  const section = (title) => out.push([title]);
  const row = (...cells) => out.push(cells);
  const s = results.summary ?? {};
  const b = results.bundle;
  section('1. Bundle (production build)');
  row(
    'dist/extension.js vs built-in microsoft-authentication',
    fmtBytes(b.ours.bytes),
    fmtBytes(b.builtin.bytes),
    fmtX(b.ratio),
    '≤ 0.15×',
    verdict(b.ratio <= 0.15),
  );
  for (const p of b.composition.slice(0, 6)) row(`  of which ${p.name}`, fmtBytes(p.bytes));
  if (b.chunks) {
    const total = b.ours.bytes + Object.values(b.chunks).reduce((x, y) => x + y, 0);
    const chunk = (what, file) =>
      b.chunks[file] !== undefined && row(`  ${what}: dist/${file}`, fmtBytes(b.chunks[file]));
    chunk('loaded on first token (MSAL, flows, network, failures, Graph probe)', 'engine.js');
    chunk('loaded on first .pfx (node-forge)', 'forge.js');
    chunk('loaded when the form first opens (its host side)', 'formHost.js');
    chunk('loaded on the first command (the command handlers, export / import)', 'commands.js');
    chunk('loaded once Settings Sync of connections is on (the merge)', 'sync.js');
    chunk("loaded on the API's first graphRequest (Graph requests for other extensions)", 'graph.js');
    chunk('loaded once telemetry is on (reporter, Application Insights SDK)', 'telemetry.js');
    row(
      `  all ${Object.keys(b.chunks).length + 1} files`,
      fmtBytes(total),
      fmtBytes(b.builtin.bytes),
      fmtX(total / b.builtin.bytes),
    );
  }

  const empty = s.activation?.empty;
  for (const [key, a] of Object.entries(s.activation ?? {})) {
    if (!a) continue;
    section(
      `2. Activation in code-server's extension host, ${a.connections} stored connection(s) (${a.windows} fresh windows; medians)`,
    );
    row(
      `activate(), each measured first in its window (${a.first.n[0]} | ${a.first.n[1]} windows)`,
      fmtMs(a.first.ours),
      fmtMs(a.first.builtin),
      fmtX(a.ratio),
      '≤ 0.60×',
      verdict(a.ratio <= 0.6 && !a.anyAlreadyActive),
    );
    if (a.firstCpu?.ours !== undefined)
      row(
        '  extension-host CPU during that activate()',
        fmtMs(a.firstCpu.ours),
        fmtMs(a.firstCpu.builtin),
        fmtX(a.firstCpu.ours / a.firstCpu.builtin),
      );
    if (a.firstLoad?.ours !== undefined)
      row(
        '  of which Node loading dist/extension.js (read, compile, top level)',
        fmtMs(a.firstLoad.ours),
        fmtMs(a.firstLoad.builtin),
        fmtX(a.firstLoad.ours / a.firstLoad.builtin),
      );
    row('activate(), measured second, after the other one', fmtMs(a.second.ours), fmtMs(a.second.builtin));
    row('  of which inside our activate() function', fmtMs(a.oursInsideActivateMs));
    if (a.oursStoreOpenMs !== undefined)
      row('    of which opening the store (configurations, facts file)', fmtMs(a.oursStoreOpenMs));
    row(
      "  then: VS Code's getSessions() for all sessions — calls | busy until (after activation)",
      String(a.afterActivation.getSessionsAllCalls),
      fmtMs(a.afterActivation.providerBusyUntilMs),
    );
    row(
      '  then: globalState writes | max event-loop lag in the host',
      String(a.afterActivation.storeChanges),
      fmtMs(a.afterActivation.maxEventLoopLagMs),
    );
    if (key === 'seeded') {
      section(`5. Scale: ${a.connections} connections`);
      row(
        `tree: getChildren + getTreeItem × ${a.tree.topLevel.items} (warm | first call)`,
        fmtMs(a.tree.topLevel.medianMs),
        fmtMs(a.tree.topLevel.firstMs),
        '',
        '< 50 ms',
        verdict(a.tree.topLevel.medianMs < 50 && a.tree.topLevel.firstMs < 50),
      );
      row(
        `tree fully expanded: ${a.tree.expanded.items} items (warm | first call)`,
        fmtMs(a.tree.expanded.medianMs),
        fmtMs(a.tree.expanded.firstMs),
      );
      const delta = (x, y) =>
        x !== undefined && y !== undefined ? `${x - y >= 0 ? '+' : ''}${(x - y).toFixed(1)} MB` : '';
      row(
        `host heap after both activations: ${a.connections} vs 0 connections`,
        fmtMB(a.memory.hostHeapAfterActivationMB),
        fmtMB(empty?.memory.hostHeapAfterActivationMB),
        delta(a.memory.hostHeapAfterActivationMB, empty?.memory.hostHeapAfterActivationMB),
      );
      row(
        `host heap after VS Code's getSessions() and the tree: ${a.connections} vs 0`,
        fmtMB(a.memory.hostHeapAfterTreeMB),
        fmtMB(empty?.memory.hostHeapAfterTreeMB),
        delta(a.memory.hostHeapAfterTreeMB, empty?.memory.hostHeapAfterTreeMB),
      );
      row(
        `heap added by our activate() alone: ${a.connections} vs 0 connections`,
        fmtMB(a.memory.ourActivationHeapDeltaMB),
        fmtMB(empty?.memory.ourActivationHeapDeltaMB),
      );
      if (a.factsWriteMs !== undefined)
        row(
          `one facts write (store.setFacts → facts file, in the background) with ${a.connections} connections`,
          fmtMs(a.factsWriteMs),
        );
      row(
        `host RSS at the end: ${a.connections} vs 0 connections`,
        fmtMB(a.memory.hostRssAfterTreeMB),
        fmtMB(empty?.memory.hostRssAfterTreeMB),
        delta(a.memory.hostRssAfterTreeMB, empty?.memory.hostRssAfterTreeMB),
      );
    }
  }

  if (s.form) {
    const f = { median: median(s.form.form), n: s.form.form.length };
    const w = { median: median(s.form.empty), n: s.form.empty.length };
    section('6. Form open (command → fields interactive, seen in the page; alternating rounds, one window)');
    row(
      `Add Connection form vs an empty webview panel opened the same way (${f.n} | ${w.n} rounds)`,
      fmtMs(f.median),
      fmtMs(w.median),
      fmtX(f.median / w.median),
      '≤ 1.50×',
      verdict(f.median / w.median <= 1.5),
    );
    // The references that load a script: what fetching one costs a panel, apart from running ours.
    const later = (kind) => (s.form[kind] ?? []).slice(1);
    if (later('sizedScript').length) {
      row(
        '  the empty panel loading one script first: a few bytes | as many as form.js (the first open left out)',
        fmtMs(median(later('tinyScript'))),
        fmtMs(median(later('sizedScript'))),
      );
      row(
        `  Add Connection form vs the empty panel loading a script of form.js's size (${fmtBytes(s.form.formScriptBytes)})`,
        fmtMs(median(later('form'))),
        fmtMs(median(later('sizedScript'))),
        fmtX(median(later('form')) / median(later('sizedScript'))),
      );
    }
    row(
      '  first open in the window (loads dist/formHost.js) | the empty panel’s first',
      fmtMs(s.form.form[0]),
      fmtMs(s.form.empty[0]),
    );
    // Medians after the command, from the panel's own document (the first open left out).
    const phase = (kind, name) => {
      const values = (s.form.phases?.[kind] ?? [])
        .slice(1)
        .map((p) => p[name])
        .filter(Number.isFinite);
      return values.length ? fmtMs(median(values)) : '';
    };
    if (s.form.phases)
      for (const [name, what] of [
        ['document', "the panel's document starts"],
        ['requested', 'its script is requested'],
        ['style', 'form.css has arrived'],
        ['script', 'its script has arrived'],
        ['running', 'form.js begins to run'],
        ['defined', 'its web components are defined'],
        ['init', 'its init is there (in the page; after a reload, from the host)'],
        ['rendered', 'the first render is done'],
      ])
        row(`  after the command: ${what}`, phase('form', name), phase('sizedScript', name) || phase('empty', name));
  }

  const e = results.engine;
  const host = s.host;
  section('3. Token path against the emulator');
  if (host?.cached) {
    row(
      'cached session: provider.getSessions([connection:<id>]) (host)',
      fmtUs(host.cached.providerGetSessions.medianUs),
      '',
      '',
      '',
      `${host.cached.tokenRequests} token requests`,
    );
    row('cached token: service.getToken(id) from memory (host)', fmtUs(host.cached.serviceGetToken.medianUs));
  }
  if (e) {
    const cachedRatio = e.cached.engineMsalCache.medianUs / e.cached.azureIdentityMsalCache.medianUs;
    row(
      "cached token from MSAL's cache: engine vs @azure/identity (Node)",
      fmtUs(e.cached.engineMsalCache.medianUs),
      fmtUs(e.cached.azureIdentityMsalCache.medianUs),
      fmtX(cachedRatio),
      '≤ 1.00×',
      verdict(cachedRatio <= 1),
    );
    row(
      'network: engine getToken({ forceRefresh }) vs raw fetch POST (Node)',
      fmtMs(e.network.engine.medianMs),
      fmtMs(e.network.rawFetch.medianMs),
      fmtX(e.network.ratios.engineVsRaw),
      '≤ 1.30×',
      verdict(e.network.ratios.engineVsRaw <= 1.3),
    );
    row(
      'network: @azure/identity ClientSecretCredential vs raw fetch POST (Node)',
      fmtMs(e.network.azureIdentity.medianMs),
      fmtMs(e.network.rawFetch.medianMs),
      fmtX(e.network.ratios.azureIdentityVsRaw),
    );
  }
  if (host?.network) {
    row(
      host.network.rawFetchWithoutProxySupport
        ? 'network: service getToken({ forceRefresh }) vs raw fetch POST, VS Code defaults (host)'
        : 'network: service getToken({ forceRefresh }) vs raw fetch POST (host)',
      fmtMs(host.network.serviceForcedRefresh.medianMs),
      fmtMs(host.network.rawFetch.medianMs),
      fmtX(host.network.ratio),
      '≤ 1.30×',
      verdict(host.network.ratio <= 1.3),
    );
    if (host.network.factsWrite)
      row(
        '  around it: facts write (file, not waited for) | token cache read + write (SecretStorage; app-only: not waited for)',
        fmtMs(host.network.factsWrite.medianMs),
        host.network.secretRead
          ? `${fmtMs(host.network.secretRead.medianMs)} + ${fmtMs(host.network.secretWrite.medianMs)}`
          : '',
      );
    if (host.network.delegatedRefresh && host.network.secretWrite)
      row(
        `  a delegated refresh (refresh token rotated, stored before done) vs raw POST + one SecretStorage write (${fmtBytes(host.network.tokenCachesEntryBytes)} entry)`,
        fmtMs(host.network.delegatedRefresh.medianMs),
        fmtMs(host.network.rawFetch.medianMs + host.network.secretWrite.medianMs),
        fmtX(
          host.network.delegatedRefresh.medianMs / (host.network.rawFetch.medianMs + host.network.secretWrite.medianMs),
        ),
      );
    if (host.network.rawDelegated)
      row(
        '  the same delegated refresh vs that grant by hand: raw refresh-token POST + one such write (pairs)',
        fmtMs(host.network.delegatedRefresh.medianMs),
        fmtMs(host.network.rawDelegated.medianMs),
        fmtX(host.network.delegatedRefresh.medianMs / host.network.rawDelegated.medianMs),
        '≤ 1.30×',
        verdict(host.network.delegatedRefresh.medianMs / host.network.rawDelegated.medianMs <= 1.3),
      );
    if (host.network.rawRefreshPost)
      row(
        '    of which the raw refresh-token POST alone | the delegated refresh vs it',
        fmtMs(host.network.rawRefreshPost.medianMs),
        '',
        fmtX(host.network.delegatedRefresh.medianMs / host.network.rawRefreshPost.medianMs),
      );
    if (host.network.rawFetchWithoutProxySupport)
      row(
        "  the raw POST without VS Code's proxy support (http.fetchAdditionalSupport off, as in tests)",
        '',
        fmtMs(host.network.rawFetchWithoutProxySupport.medianMs),
        fmtX(host.network.serviceForcedRefresh.medianMs / host.network.rawFetchWithoutProxySupport.medianMs),
      );
    const fresh = host.network.newConnectionsPerCall;
    if (fresh)
      row(
        '  new TCP connections to the login host per call (0: a kept-alive one reused)',
        String(fresh.service),
        String(fresh.raw),
      );
  }

  out.push(...proxyRows(s.proxy));

  section('4. Concurrency (token requests the emulator saw per round; median wall time)');
  const reqs = (list) => [...new Set(list)].join('/');
  const one = (list) => list.every((n) => n === 1);
  if (host?.concurrency) {
    const c = host.concurrency;
    const r = (what, x) =>
      row(
        what,
        fmtMs(x.medianMs),
        '',
        '',
        '= 1 request',
        `${reqs(x.tokenRequestsPerRound)} request(s) ${verdict(one(x.tokenRequestsPerRound))}`,
      );
    r('100 × provider.getSessions, one expired app-only connection (host)', c.appOnlyGetSessions);
    r('100 × service.getToken, same (host)', c.appOnlyGetToken);
    r('100 × provider.getSessions, one expired delegated connection (refresh token) (host)', c.delegatedGetSessions);
    r('100 × service.getToken, same (host)', c.delegatedGetToken);
    if (c.appOnlyGetSessionsColdClient) {
      r('100 × getSessions, app-only, first use after the clients were dropped (host)', c.appOnlyGetSessionsColdClient);
      r(
        '100 × getSessions, delegated, first use after the clients were dropped (host)',
        c.delegatedGetSessionsColdClient,
      );
    }
  }
  if (e) {
    const all = [
      ...e.concurrency.appOnly100.tokenRequestsPerRound,
      ...e.concurrency.delegated100.tokenRequestsPerRound,
    ];
    row(
      '100 × ConnectionTokenClient.getToken, expired app-only | delegated (Node)',
      fmtMs(e.concurrency.appOnly100.medianMs),
      fmtMs(e.concurrency.delegated100.medianMs),
      '',
      '= 1 request',
      `${reqs(all)} request(s) ${verdict(one(all))}`,
    );
  }
  if (host?.fifty) {
    row(
      '50 app-only connections force-refreshed at once vs one (host)',
      fmtMs(host.fifty.fifty.medianMs),
      fmtMs(host.fifty.one.medianMs),
      fmtX(host.fifty.ratio),
      '≤ 3.00×',
      `${verdict(host.fifty.ratio <= 3)} (${reqs(host.fifty.tokenRequestsPerRound)} requests)`,
    );
    const d = host.fiftyDelegated;
    if (d) {
      row(
        '50 delegated connections (refresh token, stored before done) at once vs one (host)',
        fmtMs(d.fifty.medianMs),
        fmtMs(d.one.medianMs),
        fmtX(d.ratio),
        '≤ 3.00×',
        `${verdict(d.ratio <= 3)} (${reqs(d.tokenRequestsPerRound)} requests)`,
      );
      if (d.secretWritesPerRound)
        row('  SecretStorage writes of the token caches per round (coalesced)', reqs(d.secretWritesPerRound));
    }
    if (host.fifty.rawFifty) {
      row(
        '  the floor: 50 raw POSTs at once vs one raw POST (host, same emulator)',
        fmtMs(host.fifty.rawFifty.medianMs),
        fmtMs(host.fifty.rawOne.medianMs),
        fmtX(host.fifty.rawRatio),
      );
      row(
        '  50 app-only refreshes at once vs 50 raw POSTs at once (host)',
        fmtMs(host.fifty.fifty.medianMs),
        fmtMs(host.fifty.rawFifty.medianMs),
        fmtX(host.fifty.fifty.medianMs / host.fifty.rawFifty.medianMs),
      );
      if (d)
        row(
          '  50 delegated refreshes at once vs 50 raw POSTs at once (host)',
          fmtMs(d.fifty.medianMs),
          fmtMs(host.fifty.rawFifty.medianMs),
          fmtX(d.fifty.medianMs / host.fifty.rawFifty.medianMs),
        );
    }
    if (host.fifty.fiftyUntilQuiet)
      row(
        '  until their SecretStorage writes and change events are done (host)',
        fmtMs(host.fifty.fiftyUntilQuiet.medianMs),
      );
    if (host.fifty.secretWrites50)
      row(
        '  50 SecretStorage writes of a token cache at once, nothing else (host)',
        fmtMs(host.fifty.secretWrites50.medianMs),
      );
  }
  if (e) {
    row(
      '50 connections force-refreshed at once vs one (Node, engine)',
      fmtMs(e.concurrency.fifty.fifty.medianMs),
      fmtMs(e.concurrency.fifty.one.medianMs),
      fmtX(e.concurrency.fifty.ratio),
      '',
      `${reqs(e.concurrency.fifty.tokenRequestsPerRound)} requests`,
    );
    const f = e.concurrency.fifty;
    if (f.rawFifty) {
      row(
        '  the floor: 50 raw POSTs at once vs one raw POST (Node)',
        fmtMs(f.rawFifty.medianMs),
        fmtMs(f.rawOne.medianMs),
        fmtX(f.rawRatio),
      );
      row(
        '  50 engine refreshes at once vs 50 raw POSTs at once (Node)',
        fmtMs(f.fifty.medianMs),
        fmtMs(f.rawFifty.medianMs),
        fmtX(f.fifty.medianMs / f.rawFifty.medianMs),
      );
    }
  }
  return out;
}

export function printTable(results) {
  const table = rows(results);
  const widths = [0, 0, 0, 0, 0, 0];
  for (const r of table)
    if (r.length > 1) r.forEach((c, i) => (widths[i] = Math.max(widths[i], String(c ?? '').length)));
  const m = results.machine;
  const lines = [
    `\nOutlook 365 Connections bench — ${m.cpus}, ${m.memoryGB} GB, ${m.os}, Node ${m.node}; VS Code ${results.bundle.vscode} (code-server)`,
    `load average at start ${m.loadAverageAtStart?.join(' ')}, at end ${m.loadAverageAtEnd?.join(' ')}${Math.max(...(m.loadAverageAtStart ?? [0])) > 1.5 ? '  (the machine was busy: absolute times are inflated; the side-by-side ratios hold better)' : ''}`,
  ];
  lines.push(
    `${'what'.padEnd(widths[0])}  ${'ours'.padStart(widths[1])}  ${'compared'.padStart(widths[2])}  ${'ratio'.padStart(widths[3])}  ${'goal'.padEnd(widths[4])}  result`,
  );
  for (const r of table) {
    if (r.length === 1) {
      lines.push(`\n${r[0]}`);
      continue;
    }
    const [what, a = '', b = '', ratio = '', goal = '', v = ''] = r;
    lines.push(
      `${String(what).padEnd(widths[0])}  ${String(a).padStart(widths[1])}  ${String(b).padStart(widths[2])}  ${String(ratio).padStart(widths[3])}  ${String(goal).padEnd(widths[4])}  ${v}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
