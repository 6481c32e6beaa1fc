// Rows of the "through a proxy" figure (bench/src/editor/proxyStep.ts) for the table of report.mjs.
import { fmtMs, fmtX } from './report.mjs';

/** [what, ours, compared with, ratio, goal, verdict] rows, or none when the step did not run. */
export function proxyRows(proxy) {
  if (!proxy) return [];
  const { throughProxy: p, direct: d } = proxy;
  const connects = (c) => `${c.service.toFixed(1)} | ${c.raw.toFixed(1)} CONNECTs per request`;
  return [
    [
      `through a proxy (http.proxy, proxySupport ${proxy.proxySupport}): service refresh vs raw POST (host)`,
      fmtMs(p.service.median),
      fmtMs(p.raw.median),
      fmtX(p.ratio),
      '≤ 1.30×',
      `${p.ratio <= proxy.goal ? 'met' : 'MISSED'}; ${connects(p.connectsPerRequest)}`,
    ],
    [
      '  the same pair direct (no proxy, same host and emulator)',
      fmtMs(d.service.median),
      fmtMs(d.raw.median),
      fmtX(d.ratio),
      '',
      `proxy costs the service ${fmtX(p.service.median / d.service.median)}`,
    ],
  ];
}
