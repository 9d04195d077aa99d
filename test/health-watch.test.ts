// health-watch end to end: the bundle against sample backends whose errors and latency the test
// sets, real Prometheus scraping them, and local receivers for the webhook, Slack and PagerDuty.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  runAction,
  startBackend,
  startGitHubStandIn,
  startPrometheus,
  type Backend,
  type Prometheus,
  type RunActionOptions,
} from '@cutover/testkit';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

let blue: Backend;
let green: Backend;
let quiet: Backend;
let prometheus: Prometheus;
let doomed: Prometheus;
let receiver: Server;
let receiverUrl = '';
let received: Received[] = [];
let workspace: string;
let load: NodeJS.Timeout;

const errorRate = '(sum(rate(http_requests_total{pool="{pool}",code=~"5.."}[3s])) or vector(0)) / sum(rate(http_requests_total{pool="{pool}"}[3s]))';

function environmentFile(): object {
  const pools = { blue: [blue.address], green: [green.address], quiet: [quiet.address] };
  const router = { kind: 'command', read: ['true'], apply: ['true'] };
  const alerts = [
    { webhook: { 'url-env': 'HOOK_URL' } },
    { slack: { 'url-env': 'SLACK_URL' } },
    { pagerduty: { 'routing-key-env': 'PD_ROUTING_KEY', url: `${receiverUrl}/pd` } },
  ];
  const checks = (prometheusUrl: string) => [
    { name: 'healthz', http: { url: 'http://{address}/healthz', 'expect-status': 200, 'max-latency': '500ms' } },
    { name: 'error-rate', main: true, prometheus: { url: prometheusUrl, query: errorRate, max: 0.05 } },
    { name: 'revenue', prometheus: { url: prometheusUrl, query: 'sum(business_revenue_per_minute{pool="{pool}"})', min: 50 } },
  ];
  // As a user writes it, only faster: looks every 250 ms over 2 s; the judgement at its defaults.
  const health = { interval: '250ms', duration: '2s' };
  return {
    environments: {
      production: { router, pools, health: { ...health, checks: checks(prometheus.url) }, alerts },
      // Its Prometheus is stopped mid-watch.
      fragile: { router, pools, health: { ...health, checks: checks(doomed.url) }, alerts },
      // No interval (the default, 10s), and a deadline shorter than its duration.
      short: { router, pools, health: { duration: '2s', deadline: '1s', checks: checks(prometheus.url) } },
      // A monitor names no target: the router says which pool is live.
      monitor: {
        router: { kind: 'command', read: ['echo', 'blue 0\ngreen 100\nquiet 0'], apply: ['true'] },
        pools,
        health: { ...health, checks: checks(prometheus.url) },
      },
    },
  };
}

const env = () => ({ HOOK_URL: `${receiverUrl}/hook`, SLACK_URL: `${receiverUrl}/slack`, PD_ROUTING_KEY: 'pd-r0uting-key' });

function watchAction(inputs: RunActionOptions['inputs'], options: RunActionOptions = {}) {
  return runAction('health-watch', {
    workspace,
    env: env(),
    sha: 'c0ffee'.padEnd(40, '0'),
    runId: '4242',
    repository: 'acme/shop',
    ...options,
    inputs: { environment: 'production', version: 'v2', ...inputs },
  });
}

type Interval = { checks: { check: string; state: string; observed?: number; requests?: number; reason?: string }[] };
function report(
  path: string | undefined,
): Record<string, unknown> & { intervals: Interval[]; checks: Record<string, unknown>[]; comparisons: Record<string, unknown>[] } {
  expect(path && existsSync(path)).toBeTruthy();
  return JSON.parse(readFileSync(path!, 'utf8'));
}

/** One check's records, look by look. */
const looksOf = (json: { intervals: Interval[] }, check: string) => json.intervals.flatMap((record) => record.checks.filter((entry) => entry.check === check));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const from = (path: string) => received.filter((r) => r.path === path).map((r) => r.body);

beforeAll(async () => {
  [blue, green, quiet] = await Promise.all([startBackend({ pool: 'blue' }), startBackend({ pool: 'green' }), startBackend({ pool: 'quiet' })]);
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(req.url === '/pd' ? 202 : 200, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  // Steady traffic on blue and green, as users would send; quiet gets a few requests, then none.
  load = setInterval(() => {
    for (const backend of [blue, green])
      fetch(`${backend.url}/`).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
  }, 25);
  await Promise.all(Array.from({ length: 5 }, () => fetch(`${quiet.url}/`).then((r) => r.arrayBuffer())));
  const targets = [blue.address, green.address, quiet.address];
  [prometheus, doomed] = await Promise.all([startPrometheus({ targets }), startPrometheus({ targets })]);
  await Promise.all([prometheus.waitForTargets(), doomed.waitForTargets()]);
  // Enough scrapes for 3s rates, and quiet's requests out of the window.
  await sleep(4500);
  workspace = await makeTempDir('cutover-health-watch-');
  await mkdir(join(workspace, '.github'), { recursive: true });
  await writeFile(join(workspace, '.github', 'cutover.yml'), JSON.stringify(environmentFile(), null, 2));
}, 60_000);

afterAll(async () => {
  clearInterval(load);
  await Promise.all([blue?.stop(), green?.stop(), quiet?.stop(), prometheus?.stop(), doomed?.stop()]);
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
  green.setErrorRate(0);
  green.setLatency(0);
});

describe('health-watch', () => {
  it('calls a healthy pool healthy, reports every sample, and resolves PagerDuty incidents', async () => {
    const gh = await startGitHubStandIn();
    const run = await watchAction({ target: 'green' }, { apiUrl: gh.apiUrl, token: gh.token, repository: `${gh.owner}/${gh.repo}` });
    await gh.stop();
    gh.assertNoViolations();
    expect(gh.store.checkRuns).toMatchObject([
      { name: 'health-watch (production)', head_sha: 'c0ffee'.padEnd(40, '0'), status: 'completed', conclusion: 'success' },
    ]);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'healthy', 'failed-checks': '' });
    const json = report(run.outputs.report);
    expect(json).toMatchObject({ environment: 'production', verdict: 'healthy', passed: true, target: { name: 'green', addresses: [green.address] } });
    expect(json.elapsedMs).toBeGreaterThanOrEqual(2000);
    // The probes were sized to what a healthy verdict needs: every look sent the same number.
    const probes = looksOf(json, 'healthz').map((entry) => entry.requests);
    expect(probes[0]).toBe((json.plans as Record<string, { perLook: number }>).healthz!.perLook);
    expect(json.checks[0]).toMatchObject({ name: 'healthz', absolute: { held: true, broken: false } });
    expect(looksOf(json, 'error-rate').every((entry) => entry.state === 'good' && entry.observed === 0)).toBe(true);
    expect(json.checks.map((c) => [c.name, c.status])).toEqual([
      ['healthz', 'pass'],
      ['error-rate', 'pass'],
      ['revenue', 'pass'],
    ]);
    // The summary: a table per check, observed against threshold, and the main metric over time.
    expect(run.summary).toContain('health-watch: production is healthy');
    expect(run.summary).toMatch(/\| revenue \| prometheus \| ✅ pass \| last 100, range 100 to 100 \| >= 50 \|/);
    expect(run.summary).toContain('```mermaid\nxychart-beta\n  title "error-rate"');
    // A later healthy run resolves what an earlier one triggered: same dedup keys, every check.
    expect(from('/pd')).toEqual(
      ['healthz', 'error-rate', 'revenue'].map((check) => ({
        routing_key: 'pd-r0uting-key',
        event_action: 'resolve',
        dedup_key: `cutover/production/${check}`,
      })),
    );
    expect(from('/slack')).toEqual([]);
    expect(from('/hook')).toMatchObject([{ action: 'resolve', verdict: 'healthy', environment: 'production' }]);
    // Secrets are masked before use.
    expect(run.stdout).toContain('::add-mask::pd-r0uting-key');
    expect(run.stdout).toContain(`::add-mask::${receiverUrl}/hook`);
  });

  it('finds 20% errors unhealthy, fails the step, and alerts every receiver with context', async () => {
    green.setErrorRate(0.2);
    await sleep(3500);
    const run = await watchAction({ target: 'green', checks: 'error-rate, revenue' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'unhealthy', 'failed-checks': 'error-rate' });
    expect(run.errors).toEqual([
      expect.stringMatching(/^health-watch: production pool green is unhealthy: error-rate: 3 bad looks of 3 \(0\.\d+ > max 0\.05; failure-limit 3\)/),
    ]);
    const json = report(run.outputs.report);
    expect(json.looks).toBe(3);
    expect(json.detectedAt).toBeTruthy();
    expect(json.firstBadSampleAt).toBeTruthy();

    const [hook] = from('/hook');
    expect(hook).toMatchObject({
      action: 'trigger',
      source: 'health-watch',
      environment: 'production',
      verdict: 'unhealthy',
      pool: 'green',
      version: 'v2',
      commit: 'c0ffee'.padEnd(40, '0'),
      runUrl: 'https://github.com/acme/shop/actions/runs/4242',
      failingChecks: [{ name: 'error-rate', threshold: '<= 0.05', observed: expect.stringMatching(/^last 0\.\d+/) }],
    });
    const slack = JSON.stringify(from('/slack'));
    for (const text of ['production', 'v2', 'c0ffee000000', 'error-rate', '&lt;= 0.05', 'https://github.com/acme/shop/actions/runs/4242'])
      expect(slack).toContain(text);
    expect(from('/pd')).toMatchObject([
      {
        event_action: 'trigger',
        dedup_key: 'cutover/production/error-rate',
        payload: { severity: 'critical', custom_details: { threshold: '<= 0.05', version: 'v2' } },
      },
    ]);
  });

  it('fails closed when Prometheus stops mid-watch: a source failure, reported', async () => {
    // Prometheus stops once the watch has looked twice (on a loaded machine a fixed delay could
    // stop it before the first look).
    let stopping: Promise<void> | undefined;
    const run = watchAction(
      { environment: 'fragile', target: 'blue', checks: 'error-rate', duration: '6s', deadline: '8s' },
      { onStdout: (stdout) => void (stdout.includes('look 2 ') && (stopping ??= doomed.stop())) },
    );
    const result = await run;
    await stopping;
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'unhealthy', 'failed-checks': 'error-rate' });
    const json = report(result.outputs.report);
    const looks = looksOf(json, 'error-rate');
    // Good while Prometheus answered, then bad with the refused connection.
    expect(looks.find((entry) => entry.state !== 'no-data')).toMatchObject({ state: 'good' });
    expect(looks.at(-1)).toMatchObject({ state: 'bad', reason: expect.stringContaining('ECONNREFUSED') });
    expect(result.errors[0]).toContain('source failure');
    expect(json.checks[0]).toMatchObject({ name: 'error-rate', status: 'fail', sourceFailures: 3 });
    expect(result.summary).toMatch(/\| error-rate \| prometheus \| ❌ fail \| .*3 source failures \|/);
  });

  it('calls a pool without traffic inconclusive at the deadline, failing unless inconclusive: pass', async () => {
    const run = await watchAction({ target: 'quiet', checks: 'error-rate', duration: '1s', deadline: '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'inconclusive', 'failed-checks': 'error-rate' });
    expect(run.errors).toEqual([expect.stringContaining('is inconclusive: deadline reached without evidence: error-rate: 0 of 5 looks measured')]);
    const json = report(run.outputs.report);
    expect(looksOf(json, 'error-rate').every((entry) => entry.state === 'no-data')).toBe(true);
    expect(from('/hook')).toMatchObject([{ action: 'trigger', verdict: 'inconclusive' }]);
    expect(from('/pd')).toMatchObject([{ event_action: 'trigger', dedup_key: 'cutover/production/error-rate', payload: { severity: 'warning' } }]);

    received = [];
    const allowed = await watchAction({ target: 'quiet', checks: 'error-rate', duration: '1s', deadline: '2s', inconclusive: 'pass' });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs.verdict).toBe('inconclusive');
    expect(allowed.summary).toContain('allowed: `inconclusive: pass`');
    expect(received).toEqual([]);
  });

  it('finds a pool failing 30% of its requests unhealthy within 3 s at 250 ms, and a clean one healthy, at the defaults', async () => {
    green.setErrorRate(0.3);
    const broken = await watchAction({ target: 'green', checks: 'healthz', duration: '3s' });
    expect(broken.exitCode).toBe(1);
    expect(broken.outputs).toMatchObject({ verdict: 'unhealthy', 'failed-checks': 'healthz' });
    expect(broken.errors[0]).toMatch(
      /^health-watch: production pool green is unhealthy: healthz: \d+(\.\d+)?% of \d+ requests failed on green, at least [\d.]+% \(limit 2%\)/,
    );
    expect(broken.summary).toContain('❌ broken');

    green.setErrorRate(0);
    const clean = await watchAction({ target: 'green', checks: 'healthz', duration: '3s' });
    expect(clean.outputs.verdict).toBe('healthy');
    expect(clean.stdout).toMatch(/healthz: \d+ requests per pool per look .*a healthy verdict needs \d+ requests per pool without failures/);
    expect(clean.summary).toContain('✅ held');
  });

  it('compares a canary with its baseline: identical pools pass, a worse canary is caught', async () => {
    const same = await watchAction({ target: 'green', baseline: 'blue', checks: 'healthz' });
    expect(same.outputs.verdict).toBe('healthy');
    expect(report(same.outputs.report).comparisons.map((c) => [c.metric, c.verdict])).toEqual([
      ['error-rate', 'within'],
      ['latency', 'within'],
    ]);

    green.setErrorRate(0.05);
    const worse = await watchAction({ target: 'green', baseline: 'blue', checks: 'healthz' });
    expect(worse.exitCode).toBe(1);
    expect(worse.outputs).toMatchObject({ verdict: 'unhealthy', 'failed-checks': 'healthz' });
    const json = report(worse.outputs.report);
    expect(json.baseline).toEqual({ name: 'blue', addresses: [blue.address] });
    expect(worse.errors[0]).toMatch(/healthz error rate worse than blue|healthz: [45](\.\d+)?% of \d+ requests failed on green/);
    expect(worse.summary).toContain('### Compared with blue');

    green.setErrorRate(0);
    green.setLatency(40);
    const slower = await watchAction({ target: 'green', baseline: 'blue', checks: 'healthz' });
    expect(slower.outputs.verdict).toBe('unhealthy');
    expect(
      report(slower.outputs.report)
        .comparisons.filter((c) => c.harm)
        .map((c) => c.metric),
    ).toEqual(['latency']);
    expect(slower.errors[0]).toMatch(/healthz latency worse than blue: slower than blue ×1\.2 in most of \d+ pairs \(median ratio ×[\d.]+/);
    expect(slower.summary).toContain('❌ worse');
  });

  it('watches the live pool when no target is given, as a scheduled monitor, and says the check run was skipped', async () => {
    const run = await watchAction({ environment: 'monitor', checks: 'revenue', duration: '1s' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.verdict).toBe('healthy');
    expect(report(run.outputs.report).target).toEqual({ name: 'green', addresses: [green.address] });
    expect(run.notices).toEqual([expect.stringContaining('No GitHub token: the check run skipped')]);
  });

  it('ends a cancelled watch with an inconclusive verdict, still reported', async () => {
    const run = await watchAction({ target: 'green', checks: 'revenue', duration: '20s' }, { interrupt: { signal: 'SIGTERM', whenStdout: 'look 2 ' } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verdict).toBe('inconclusive');
    expect(run.errors).toEqual([expect.stringContaining('is inconclusive: stopped before a verdict')]);
    expect(report(run.outputs.report).looks).toBeLessThan(6);
    expect(run.summary).toContain('health-watch: production is inconclusive');
  });

  it('refuses bad inputs before watching, naming them', async () => {
    const cases: [RunActionOptions['inputs'], string][] = [
      [{ target: 'purple' }, 'target: "purple" is not a pool of environments.production.pools (it has: blue, green, quiet)'],
      // A name every object has (it crashed the action).
      [{ target: 'toString' }, 'target: "toString" is not a pool of environments.production.pools (it has: blue, green, quiet)'],
      [{ environment: 'constructor', target: 'green' }, 'environment: "constructor" is not in environments (it has: production, fragile, short, monitor)'],
      [{ target: 'green', baseline: 'green' }, 'baseline: "green" is the target itself'],
      [
        { target: 'green', checks: 'latency' },
        'checks: no check named "latency" in environments.production.health.checks (it has: healthz, error-rate, revenue)',
      ],
      [{ target: 'green', duration: 'soon' }, 'duration: expected a duration'],
      [{ target: 'green', deadline: '1s' }, 'deadline: 1s is shorter than environments.production.health.duration (2s)'],
      // Each named where it came from: the file's interval against the duration input.
      [
        { target: 'green', duration: '100ms' },
        'environments.production.health.interval: 250ms is longer than duration (100ms); nothing would be watched twice',
      ],
      [{ target: 'green', interval: '3s' }, 'interval: 3s is longer than environments.production.health.duration (2s)'],
      [{ environment: 'short', target: 'green', duration: '5s' }, 'duration: 5s is shorter than the default interval (10s); set interval'],
      // The file's deadline was raised to the watch's duration without a word.
      [
        { environment: 'short', target: 'green', interval: '250ms' },
        'environments.short.health.deadline: 1s is shorter than environments.short.health.duration (2s); the deadline is the longest a watch may last',
      ],
      [{ target: 'green', inconclusive: 'maybe' }, 'inconclusive: expected one of fail, pass, got "maybe"'],
    ];
    for (const [inputs, message] of cases) {
      const run = await watchAction(inputs);
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([expect.stringContaining(message)]);
      expect(run.outputs).toEqual({});
    }
    const missing = await watchAction({ target: 'green' }, { env: { HOOK_URL: `${receiverUrl}/hook`, SLACK_URL: `${receiverUrl}/slack` } });
    expect(missing.errors).toEqual([
      'environments.production.alerts[2].pagerduty.routing-key-env: the environment variable PD_ROUTING_KEY is not set; give it to the step (env: PD_ROUTING_KEY: ${{ secrets.PD_ROUTING_KEY }})',
    ]);
    expect(received).toEqual([]);
    expect(blue.requests() + green.requests()).toBeGreaterThan(0);
  });
});
