// canary-step: (1) from the start of a fault on the canary to all traffic back on the stable pool, through
// real nginx and HAProxy, running the bundled action; (2) false aborts over 100 canary steps on identical
// pools: the watch engine with the real http check against two real, identical backends.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { Environment, NamedEnvironment, Split } from '@cutover/config';
import { httpCheck, watch, type WatchReport } from '@cutover/health';
import { applySplit, createRouter, type Router } from '@cutover/routers';
import { type Backend, lastAnswerFrom, makeTempDir, repoRoot, runAction, startBackend, startHaproxy, startNginx } from '@cutover/testkit';
import { quantile } from './_shared.js';

const FAULT_RUNS = 6;
const AA_RUNS = 100;
/** As a user writes it: one http check, the judgement at its defaults; looks every 250 ms. */
const HEALTH = {
  interval: '250ms',
  checks: [{ name: 'healthz', main: true, http: { url: 'http://{address}/healthz', 'expect-status': 200 } }],
};
/** The false-abort runs: 2 s steps, a look every 250 ms, the probes sized by the watch. */
const AA = { durationMs: 2000, intervalMs: 250 };
/** The fault: the canary starts failing a quarter of its requests. */
const FAULT_RATE = 0.25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const round = (ms: number) => Math.round(ms);

async function until(router: Router, test: (split: Split) => boolean, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (test(await router.read())) return performance.now();
    await sleep(10);
  }
  throw new Error(`router did not reach the expected split within ${timeoutMs} ms`);
}

/** One proxy: FAULT_RUNS canaries; each time the canary goes bad (25% errors) 1 s into its first step. */
async function faultToStable(kind: 'nginx' | 'haproxy', environment: Environment, proxyUrl: string, green: Backend) {
  const workspace = await makeTempDir(`cutover-bench-canary-${kind}-`);
  await writeFile(join(workspace, 'cutover.yml'), JSON.stringify({ environments: { production: environment } }));
  const router = createRouter({ ...environment, name: 'production' } as NamedEnvironment);
  const routerMs: number[] = [];
  const proxyMs: number[] = [];
  for (let index = 0; index < FAULT_RUNS; index++) {
    await applySplit(router, { blue: 100 });
    green.setErrorRate(0);
    const action = runAction('canary-step', {
      workspace,
      inputs: { environment: 'production', config: 'cutover.yml', steps: '50,100', 'step-duration': '30s' },
      post: false,
      timeoutMs: 60_000,
    });
    await until(router, (split) => (split.green ?? 0) > 0, 20_000);
    await sleep(1000);
    green.setErrorRate(FAULT_RATE);
    const fault = performance.now();
    const traffic = lastAnswerFrom(proxyUrl, fault, 'green');
    routerMs.push((await until(router, (split) => split.blue === 100, 30_000)) - fault);
    const run = await action;
    await sleep(500);
    const seen = await traffic.stop();
    if (run.outputs.result !== 'aborted') throw new Error(`${kind} run ${index + 1}: expected aborted, got ${run.outputs.result}: ${run.stdout.slice(-2000)}`);
    if (seen.failed) throw new Error(`${kind} run ${index + 1}: ${seen.failed} requests failed through the proxy`);
    proxyMs.push(seen.lastMs);
  }
  const figures = (values: number[]) => ({ medianMs: round(quantile(values, 0.5)), p95Ms: round(quantile(values, 0.95)), maxMs: round(Math.max(...values)) });
  return {
    proxy: kind,
    runs: FAULT_RUNS,
    faultToSplitRestored: figures(routerMs),
    faultToLastCanaryResponse: figures(proxyMs),
  };
}

/** AA_RUNS canary steps on identical pools through the watch engine and the real http check. */
async function falseAborts(blue: Backend, green: Backend) {
  const check = httpCheck({ name: 'healthz', http: { url: 'http://{address}/healthz', 'expect-status': 200 } });
  const verdicts: Record<string, number> = { healthy: 0, unhealthy: 0, inconclusive: 0 };
  const causes: Record<string, number> = {};
  const reasons: string[] = [];
  for (let index = 0; index < AA_RUNS; index++) {
    const report: WatchReport = await watch({
      checks: [check],
      target: { name: 'green', addresses: [green.address] },
      baseline: { name: 'blue', addresses: [blue.address] },
      duration: AA.durationMs,
      interval: AA.intervalMs,
      family: 2,
    });
    verdicts[report.verdict] = (verdicts[report.verdict] ?? 0) + 1;
    for (const comparison of report.comparisons.filter((c) => c.harm)) causes[comparison.metric] = (causes[comparison.metric] ?? 0) + 1;
    if (!report.passed && reasons.length < 5) reasons.push(report.reason);
  }
  const aborted = verdicts.unhealthy! + verdicts.inconclusive!;
  return { runs: AA_RUNS, falseAborts: aborted, falseAbortRate: aborted / AA_RUNS, verdicts, causes, examples: reasons };
}

export async function run(): Promise<object> {
  if (!existsSync(join(repoRoot, 'dist', 'canary-step', 'index.js'))) throw new Error('dist/canary-step/index.js is missing: npm run build -- canary-step');
  const blue = await startBackend({ pool: 'blue', version: 'v1' });
  const green = await startBackend({ pool: 'green', version: 'v2' });
  const pools = { blue: [blue.address], green: [green.address] };
  const results = [];
  try {
    const nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] });
    try {
      results.push(
        await faultToStable(
          'nginx',
          {
            router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
            pools,
            health: HEALTH,
          },
          nginx.url,
          green,
        ),
      );
    } finally {
      await nginx.stop();
    }
    const haproxy = await startHaproxy({
      servers: [
        { name: 'blue1', address: blue.address },
        { name: 'green1', address: green.address, drain: true },
      ],
    });
    try {
      results.push(
        await faultToStable(
          'haproxy',
          { router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend }, pools, health: HEALTH },
          haproxy.url,
          green,
        ),
      );
    } finally {
      await haproxy.stop();
    }
    green.setErrorRate(0);
    const aa = await falseAborts(blue, green);
    const method = [
      `Fault to stable: the bundled action (dist/canary-step) runs steps 50,100 (30 s each, a look every 250 ms, one http check, the judgement at its defaults).`,
      `1 s into the 50% step the canary starts failing 25% of its requests (one in 4, exactly). Timed from that moment: the split read back as {blue: 100} (polling the router every 10 ms),`,
      `and the last canary response seen through the proxy by a client sending fresh-connection requests back to back. ${FAULT_RUNS} runs per proxy; every run must end aborted with no failed client request.`,
      `False aborts: ${AA_RUNS} canary steps of ${AA.durationMs} ms, a look every ${AA.intervalMs} ms, through the watch engine (comparative mode, the defaults: confidence 0.95, probes sized by the watch,`,
      `error tolerance 1 point, latency tolerance ×1.2, two steps sharing the budget) with the real http check against two real, identical backends on loopback; an unhealthy or inconclusive verdict would abort.`,
    ].join(' ');
    console.log(method);
    for (const row of results)
      console.log(
        `${row.proxy}: fault -> split restored median ${row.faultToSplitRestored.medianMs} ms, p95 ${row.faultToSplitRestored.p95Ms} ms; fault -> last canary response median ${row.faultToLastCanaryResponse.medianMs} ms, p95 ${row.faultToLastCanaryResponse.p95Ms} ms`,
      );
    console.log(
      `false aborts on identical pools: ${aa.falseAborts} of ${aa.runs} (${JSON.stringify(aa.verdicts)}${Object.keys(aa.causes).length ? `, failed metrics ${JSON.stringify(aa.causes)}` : ''})`,
    );
    return { method, faultToStable: results, falseAborts: aa };
  } finally {
    await blue.stop();
    await green.stop();
  }
}
