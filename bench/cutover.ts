// npm run bench -- cutover: failed requests during 10 blue-green switches under load, requests/s, and
// the time from the spawn of the action's process to 100% of responses from the new pool, for nginx
// and HAProxy.
import { makeWorkspace, runAction, startBackend, startHaproxy, startLoad, startNginx, timeToPool, type Backend, type ConnectionMode } from '@cutover/testkit';

import { quantile } from './_shared.js';

const SWITCHES = 10;
const CONCURRENCY = 8;

interface Scenario {
  router: 'nginx' | 'haproxy';
  mode: ConnectionMode;
}

const scenarios: Scenario[] = [
  { router: 'nginx', mode: 'fresh' },
  { router: 'nginx', mode: 'keep-alive' },
  { router: 'nginx', mode: 'keep-alive-retry' },
  { router: 'haproxy', mode: 'keep-alive' },
  { router: 'haproxy', mode: 'fresh' },
];

export interface ScenarioFigures {
  router: string;
  connections: ConnectionMode;
  switches: number;
  requests: number;
  failed: number;
  failures: Record<string, number>;
  requestsPerSecond: number;
  toNewPoolMs: { median: number; p95: number; max: number };
  actionMs: { median: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(scenario: Scenario, blue: Backend, green: Backend): Promise<ScenarioFigures> {
  const workspace = await makeWorkspace();
  const server =
    scenario.router === 'nginx'
      ? await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] })
      : await startHaproxy({
          servers: [
            { name: 'blue1', address: blue.address },
            { name: 'green1', address: green.address, drain: true },
          ],
        });
  try {
    const router =
      'upstreamFile' in server
        ? { kind: 'nginx', 'upstream-file': server.upstreamFile, upstream: server.upstream, test: server.test, reload: server.reload }
        : { kind: 'haproxy', socket: server.socket, backend: server.backend };
    await workspace.writeEnvironment({ router, pools: { blue: [blue.address], green: [green.address] } });
    const load = startLoad(server.url, { mode: scenario.mode, concurrency: CONCURRENCY });
    await sleep(1_000);
    const toNewPool: number[] = [];
    const actionMs: number[] = [];
    for (let index = 0; index < SWITCHES; index += 1) {
      const run = await runAction('blue-green-switch', {
        workspace: workspace.dir,
        inputs: { environment: 'production', config: 'cutover.yml' },
        sha: 'a'.repeat(40),
        post: false,
        timeoutMs: 60_000,
      });
      if (run.exitCode !== 0) throw new Error(`switch ${index + 1} failed: ${run.errors.join('; ')}`);
      actionMs.push(performance.now() - run.spawnedAt);
      // Let the new pool settle, then read when the old one answered last.
      await sleep(1_000);
      // From the spawn, as a runner starts the step: the test kit's setup before it (20-50 ms) is not the action's.
      toNewPool.push(timeToPool(load.samples, run.outputs.live!, run.spawnedAt));
    }
    const result = await load.stop();
    const failures: Record<string, number> = {};
    for (const sample of result.failed) {
      const key = sample.error ?? `HTTP ${sample.status}`;
      failures[key] = (failures[key] ?? 0) + 1;
    }
    return {
      router: scenario.router,
      connections: scenario.mode,
      switches: SWITCHES,
      requests: result.total,
      failed: result.failed.length,
      failures,
      requestsPerSecond: Math.round(result.rate),
      toNewPoolMs: { median: Math.round(quantile(toNewPool, 0.5)), p95: Math.round(quantile(toNewPool, 0.95)), max: Math.round(Math.max(...toNewPool)) },
      actionMs: { median: Math.round(quantile(actionMs, 0.5)) },
    };
  } finally {
    await server.stop();
    await workspace.remove();
  }
}

export async function run(): Promise<object> {
  const blue = await startBackend({ pool: 'blue' });
  const green = await startBackend({ pool: 'green' });
  const figures: ScenarioFigures[] = [];
  try {
    for (const scenario of scenarios) figures.push(await measure(scenario, blue, green));
  } finally {
    await blue.stop();
    await green.stop();
  }
  console.table(
    figures.map((f) => ({
      router: f.router,
      connections: f.connections,
      requests: f.requests,
      failed: f.failed,
      'req/s': f.requestsPerSecond,
      'to new pool median ms': f.toNewPoolMs.median,
      'p95 ms': f.toNewPoolMs.p95,
      'action median ms': f.actionMs.median,
    })),
  );
  return {
    note:
      'toNewPoolMs: from the spawn of the blue-green-switch process to the start of the last request the old pool answered. ' +
      'keep-alive-retry resends once a request whose reused keep-alive connection was closed before any answer (as browsers do).',
    concurrency: CONCURRENCY,
    scenarios: figures,
  };
}

export default run;
