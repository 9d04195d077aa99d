// Rollback speed: from the spawn of the action's process to all traffic on the good pool, measured from
// outside through the real proxy (nginx, HAProxy), median and p95 over several runs. Goal: < 2 s.
// Each run: the bad split is put back, a fresh GitHub stand-in holds the history, the bundle runs
// while a client requests continuously; the time is the last answer from the bad pool.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Environment, NamedEnvironment } from '@cutover/config';
import { applySplit, createRouter } from '@cutover/routers';
import { type Backend, lastAnswerFrom, makeTempDir, runAction, startBackend, startGitHubStandIn, startHaproxy, startNginx } from '@cutover/testkit';
import { seedDeployment, writeEnvironmentFile } from '../test/rollback-fixtures.js';
import { quantile } from './_shared.js';

const RUNS = 10;

/**
 * The bad pool's last answer, `lastMs` after `origin`, as ms after the process was spawned (as a
 * runner starts the step: the test kit's setup before the spawn is not the action's). -1, the bad
 * pool never answered, leaves nothing to time.
 */
function fromSpawn(lastMs: number, origin: number, spawnedAt: number): number {
  if (lastMs < 0) throw new Error('the bad pool never answered through the proxy: no rollback to time');
  return Math.round(lastMs - (spawnedAt - origin));
}

async function measure(kind: 'nginx' | 'haproxy', environment: Environment, proxyUrl: string) {
  const workspace = await makeTempDir(`cutover-bench-rollback-${kind}-`);
  await writeEnvironmentFile(workspace, { production: environment });
  const named: NamedEnvironment = { ...environment, name: 'production' };
  const router = createRouter(named);
  const totals: number[] = [];
  const internal: number[] = [];
  let failedRequests = 0;
  for (let run = 0; run < RUNS; run++) {
    await applySplit(router, { blue: 100, green: 0 });
    const gh = await startGitHubStandIn();
    try {
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
      await seedDeployment(gh, { version: 'v1', splitAfter: { blue: 0, green: 100 }, states: ['success'], at: ago(60) });
      await seedDeployment(gh, { version: 'v2', splitAfter: { blue: 100, green: 0 }, states: ['success'], at: ago(5) });
      const origin = performance.now();
      const traffic = lastAnswerFrom(proxyUrl, origin, 'blue');
      const result = await runAction('rollback', {
        inputs: { environment: 'production', reason: 'bench' },
        workspace,
        apiUrl: gh.apiUrl,
        token: gh.token,
        repository: `${gh.owner}/${gh.repo}`,
      });
      // Keep watching a moment: a late answer from the bad pool would count.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = await traffic.stop();
      if (result.exitCode !== 0) throw new Error(`rollback failed: ${result.errors.join('; ')}\n${result.stdout}`);
      totals.push(fromSpawn(seen.lastMs, origin, result.spawnedAt));
      failedRequests += seen.failed;
      const own = /Traffic restored (\d+) ms after the process started/.exec(result.stdout);
      if (own) internal.push(Number(own[1]));
    } finally {
      await gh.stop();
    }
  }
  return {
    runs: RUNS,
    startToGoodPoolMs: { median: quantile(totals, 0.5), p95: quantile(totals, 0.95), max: Math.max(...totals) },
    insideProcessMs: { median: quantile(internal, 0.5), p95: quantile(internal, 0.95) },
    failedRequests,
    underTwoSeconds: quantile(totals, 0.95) < 2000,
  };
}

const SLOW_RUNS = 5;
const SLOW_ANSWER_MS = 5_000;

/**
 * `to: <pool>` against a GitHub API that takes 5 s to answer each request (then a 404, which is not
 * retried): traffic must not wait for it. The step is stopped (SIGKILL, post step skipped) once
 * it logs that traffic is restored: what follows is records against the slow API.
 */
async function measureToPoolSlowGitHub(environment: Environment, proxyUrl: string) {
  const workspace = await makeTempDir('cutover-bench-rollback-slow-');
  await writeEnvironmentFile(workspace, { production: environment });
  const router = createRouter({ ...environment, name: 'production' });
  const held = new Set<ServerResponse>();
  const slow = createServer((_, response) => {
    held.add(response);
    setTimeout(() => {
      held.delete(response);
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    }, SLOW_ANSWER_MS);
  });
  slow.listen(0, '127.0.0.1');
  await once(slow, 'listening');
  const apiUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  const totals: number[] = [];
  let failedRequests = 0;
  try {
    for (let run = 0; run < SLOW_RUNS; run++) {
      await applySplit(router, { blue: 100, green: 0 });
      const origin = performance.now();
      const traffic = lastAnswerFrom(proxyUrl, origin, 'blue');
      const result = await runAction('rollback', {
        inputs: { environment: 'production', to: 'green', reason: 'bench' },
        workspace,
        apiUrl,
        token: 'ghs_slow',
        post: false,
        interrupt: { signal: 'SIGKILL', whenStdout: /Traffic restored \d+ ms after the process started/ },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = await traffic.stop();
      totals.push(fromSpawn(seen.lastMs, origin, result.spawnedAt));
      failedRequests += seen.failed;
    }
  } finally {
    for (const response of held) response.destroy();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  }
  return {
    runs: SLOW_RUNS,
    githubAnswersAfterMs: SLOW_ANSWER_MS,
    startToGoodPoolMs: { median: quantile(totals, 0.5), p95: quantile(totals, 0.95), max: Math.max(...totals) },
    failedRequests,
  };
}

export async function run(): Promise<object> {
  const blue: Backend = await startBackend({ pool: 'blue', version: 'v2' });
  const green: Backend = await startBackend({ pool: 'green', version: 'v1' });
  const pools = { blue: [blue.address], green: [green.address] };
  const health = { 'version-url': 'http://{address}/version' };
  const figures: Record<string, unknown> = {};
  try {
    const nginx = await startNginx({
      servers: [
        { address: blue.address, weight: 1 },
        { address: green.address, down: true },
      ],
    });
    try {
      figures.nginx = await measure(
        'nginx',
        { router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload }, pools, health },
        nginx.url,
      );
    } finally {
      await nginx.stop();
    }
    const haproxy = await startHaproxy({
      servers: [
        { name: 'blue-1', address: blue.address, weight: 100 },
        { name: 'green-1', address: green.address, weight: 0 },
      ],
    });
    try {
      const environment: Environment = { router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend }, pools, health };
      figures.haproxy = await measure('haproxy', environment, haproxy.url);
      figures.haproxyToPoolSlowGitHub = await measureToPoolSlowGitHub(environment, haproxy.url);
    } finally {
      await haproxy.stop();
    }
  } finally {
    await Promise.all([blue.stop(), green.stop()]);
  }
  console.log(JSON.stringify(figures, null, 2));
  return {
    what: 'ms from the spawn of the rollback process to the last answer from the bad pool through the proxy; insideProcess: as the action logs it; haproxyToPoolSlowGitHub: `to: green` with a GitHub API that answers each request after 5 s',
    ...figures,
  };
}

export default run;
