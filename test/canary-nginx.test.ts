// canary-step through real nginx, the environment's health as a user writes it (one check, defaults for
// the rest): a healthy canary promoted in 2-second steps, canaries failing 25% and 5% of their requests
// aborted in their first step, the same judged from nginx's access log of users' traffic, cancellation
// (SIGTERM, SIGKILL) restored by the main or the post step, a manual gate (`steps: 25`) continued by a
// second run, bad input changing nothing. Traffic is verified through nginx.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  type GitHubStandIn,
  makeWorkspace,
  type Nginx,
  poolsAnswering,
  settledOn,
  startBackend,
  startGitHubStandIn,
  startLoad,
  startNginx,
  watchTraffic,
  type Workspace,
} from '@cutover/testkit';
import { canaryHealth, runCanary, startReceiver } from './canary-setup.js';

let blue: Backend;
let green: Backend;
let nginx: Nginx;
let github: GitHubStandIn;
let workspace: Workspace;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

function environment() {
  return {
    url: 'https://app.example.com',
    router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
    pools: { blue: [blue.address], green: [green.address] },
    health: canaryHealth,
    canary: { steps: [25, 50, 100], 'step-duration': '2s' },
    alerts: [{ webhook: { 'url-env': 'CANARY_HOOK' } }],
  };
}

const env = () => ({ CANARY_HOOK: receiver.url });
const canary = (inputs: Record<string, string> = {}, options: Parameters<typeof runCanary>[2] = {}) => runCanary(workspace, inputs, { env: env(), ...options });

beforeAll(async () => {
  blue = await startBackend({ pool: 'blue', version: 'v1' });
  green = await startBackend({ pool: 'green', version: 'v2' });
  receiver = await startReceiver();
});

afterAll(async () => {
  await blue?.stop();
  await green?.stop();
  receiver?.stop();
});

beforeEach(async () => {
  nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] });
  github = await startGitHubStandIn();
  workspace = await makeWorkspace();
  await workspace.writeEnvironment(environment());
  green.setErrorRate(0);
  receiver.events.length = 0;
});

afterEach(async () => {
  await nginx?.stop();
  await github?.stop();
  await workspace?.remove();
});

describe('canary-step on nginx', () => {
  it('promotes a healthy canary step by step: all traffic on it, a deployment status per step, the analysis on the check run', async () => {
    const traffic = watchTraffic(nginx.url);
    const run = await canary({ version: 'v2' }, { github });
    const seen = await traffic.stop();
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      result: 'promoted',
      weight: '100',
      canary: 'green',
      stable: 'blue',
      reason: expect.stringContaining('passed every step'),
    });
    // Both pools served during the steps; now only the canary does.
    expect(seen.blue).toBeGreaterThan(0);
    expect(seen.green).toBeGreaterThan(0);
    expect(seen.error).toBeUndefined();
    await settledOn(nginx.url, 'green');
    expect(await poolsAnswering(nginx.url)).toEqual({ green: 40 });
    expect(run.stdout).toContain('Step 1 of 3: {blue: 75, green: 25}');
    expect(run.stdout).toContain('Step 2 of 3: {blue: 50, green: 50}');

    const [deployment] = github.store.deployments;
    expect(deployment).toMatchObject({
      environment: 'production',
      ref: 'b'.repeat(40),
      task: 'deploy',
      payload: {
        version: 'v2',
        canary: 'green',
        stable: 'blue',
        steps: [25, 50, 100],
        splitBefore: { blue: 100, green: 0 },
        splitAfter: { blue: 0, green: 100 },
        router: 'nginx',
      },
    });
    const statuses = github.store.statusesOf(Number(deployment!.id)).reverse();
    expect(statuses.map((status) => status.state)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success']);
    expect(statuses[1]!.description).toMatch(/^25% canary, healthy: error rate 0% vs 0%, median [\d.]+ms vs [\d.]+ms$/);
    expect(statuses[2]!.description).toMatch(/^50% canary, healthy: /);
    expect(statuses[3]).toMatchObject({ description: 'green promoted: 100% canary', environment_url: 'https://app.example.com' });

    const [checkRun] = github.store.checkRunsFor('b'.repeat(40));
    expect(checkRun).toMatchObject({ name: 'canary (production)', conclusion: 'success' });
    const text = (checkRun!.output as { text: string }).text;
    expect(text).toContain('| 25% | {blue: 75, green: 25} | ✅ healthy |');
    expect(text).toContain('| 50% | {blue: 50, green: 50} | ✅ healthy |');
    expect(run.summary).toContain('green promoted: it takes all traffic in production');
    expect(run.summary).toContain('```mermaid');
    expect(run.summary).toContain('healthz on green (canary) (ms)');
    expect(run.post?.stdout).toContain('nothing to do, the main step finished');
    expect(receiver.events).toEqual([]);
    github.assertNoViolations();
  });

  it('aborts a canary failing 25% of its requests in its first step: {blue: 100}', async () => {
    green.setErrorRate(0.25);
    const run = await canary({ 'step-duration': '4s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0' });
    expect(run.outputs.reason).toMatch(
      /^healthz failed at 25% canary \(unhealthy\): healthz: 2\d(\.\d+)?% of \d+ requests failed on green, at least [\d.]+% \(limit 2%\)/,
    );
    expect(run.stdout).not.toContain('Step 2 of');
    await settledOn(nginx.url, 'blue');
    expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });
  });

  it('aborts a canary with 5% errors against a clean stable pool in its first step: {blue: 100}, alerts, the reason names the check and its figures', async () => {
    green.setErrorRate(0.05);
    const run = await canary({}, { github });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0' });
    expect(run.outputs.reason).toMatch(
      /^healthz failed at 25% canary \(unhealthy\): .*(healthz error rate worse than blue: [45](\.\d+)?% vs 0%|healthz: [45](\.\d+)?% of \d+ requests failed on green)/,
    );
    expect(run.errors).toEqual([`canary-step: ${run.outputs.reason}`]);
    expect(run.stdout).not.toContain('Step 2 of');
    expect(run.stdout).toContain('Restored: {blue: 100, green: 0}');
    await settledOn(nginx.url, 'blue');
    expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });
    expect(await readFile(nginx.upstreamFile, 'utf8')).toMatch(new RegExp(`server ${green.address}[^;]*down`));

    expect(receiver.events).toHaveLength(1);
    expect(receiver.events[0]).toMatchObject({
      action: 'trigger',
      source: 'canary-step',
      environment: 'production',
      verdict: 'aborted',
      pool: 'green',
      severity: 'critical',
      failingChecks: [{ name: 'healthz', observed: expect.stringMatching(/^error-rate [45](\.\d+)?% vs 0%|\d+ of \d+ failed/) }],
    });
    const [deployment] = github.store.deployments;
    const statuses = github.store.statusesOf(Number(deployment!.id)).reverse();
    expect(statuses.map((status) => status.state)).toEqual(['in_progress', 'failure']);
    expect(statuses[1]!.description).toMatch(/^aborted: healthz failed at 25% canary/);
    expect(github.store.checkRunsFor('b'.repeat(40))[0]).toMatchObject({ conclusion: 'failure' });
    expect(run.summary).toContain('green aborted at 25%: blue takes all traffic again');
    expect(run.post?.stdout).toContain('nothing to do, the main step finished');
    github.assertNoViolations();
  });

  describe("judged from nginx's access log of users' traffic", () => {
    beforeEach(async () => {
      await workspace.writeEnvironment({
        ...environment(),
        router: { ...environment().router, 'access-log': nginx.accessLog },
        health: { interval: '250ms', checks: [{ name: 'users', traffic: {} }] },
      });
    });

    it('promotes a healthy canary while users send 200 requests a second through nginx', async () => {
      const load = startLoad(nginx.url, { concurrency: 4, mode: 'keep-alive-retry', rate: 200 });
      await load.waitFor(50);
      const run = await canary();
      const seen = await load.stop();
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({ result: 'promoted', weight: '100' });
      expect(run.stdout).toMatch(/25% canary, healthy: error rate 0% vs 0%, median [\d.]+ms vs [\d.]+ms -> advance/);
      expect(seen.byPool.green).toBeGreaterThan(0);
    });

    it("aborts a canary failing 25% of users' requests in its first step", async () => {
      green.setErrorRate(0.25);
      const load = startLoad(nginx.url, { concurrency: 4, mode: 'keep-alive-retry', rate: 200 });
      await load.waitFor(50);
      const run = await canary({ 'step-duration': '4s' });
      await load.stop();
      expect(run.exitCode).toBe(1);
      expect(run.outputs.reason).toMatch(/^users failed at 25% canary \(unhealthy\): users: \d+(\.\d+)?% of \d+ requests failed on green/);
      expect(run.stdout).not.toContain('Step 2 of');
      await settledOn(nginx.url, 'blue');
      expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });
    });
  });

  it('restores the stable pool when cancelled with SIGTERM mid-step (the main step restores, the post step verifies)', async () => {
    const run = await canary({ 'step-duration': '20s' }, { github, interrupt: { signal: 'SIGTERM', whenStdout: 'Watching green (25%)' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('SIGTERM received');
    expect(run.stdout).toContain('Restored: {blue: 100, green: 0}');
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0', reason: expect.stringContaining('cancelled (SIGTERM) at 25% canary') });
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('blue already takes all traffic');
    await settledOn(nginx.url, 'blue');
    expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });
    expect(receiver.events).toEqual([]);
    github.assertNoViolations();
  });

  it('restores the stable pool in the post step when the main step is killed (SIGKILL) mid-step', async () => {
    const run = await canary({ 'step-duration': '20s' }, { github, interrupt: { signal: 'SIGKILL', whenStdout: 'Watching green (25%)' } });
    expect(run.signal).toBe('SIGKILL');
    expect(run.state.finished).toBeUndefined();
    expect(run.post?.exitCode).toBe(0);
    // The post step found the canary's split and restored it.
    expect(run.post?.notices).toEqual(['canary-step: the main step did not finish; restored {blue: 100, green: 0}']);
    await settledOn(nginx.url, 'blue');
    expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });
    const [deployment] = github.store.deployments;
    expect(github.store.statusesOf(Number(deployment!.id))[0]).toMatchObject({
      state: 'failure',
      description: 'run ended mid-step; blue takes all traffic again',
    });
    github.assertNoViolations();
  });

  it('holds the split when cancelled with SIGTERM and on-cancel: hold (the deployment stays open for a later run)', async () => {
    const run = await canary({ 'step-duration': '20s', 'on-cancel': 'hold' }, { github, interrupt: { signal: 'SIGTERM', whenStdout: 'Watching green (25%)' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain('Restored:');
    expect(run.warnings).toContain('canary-step: cancelled (SIGTERM) and on-cancel is hold: the split stays {blue: 75, green: 25}');
    expect(run.outputs).toMatchObject({
      result: 'paused',
      weight: '25',
      reason: expect.stringContaining('cancelled (SIGTERM) at 25% canary; on-cancel is hold'),
    });
    expect(run.post?.stdout).toContain('nothing to do, the main step finished');
    const seen = await poolsAnswering(nginx.url);
    expect(seen.blue).toBeGreaterThan(0);
    expect(seen.green).toBeGreaterThan(0);
    const [deployment] = github.store.deployments;
    expect(github.store.statusesOf(Number(deployment!.id))[0]).toMatchObject({ state: 'in_progress' });
    expect(github.store.checkRunsFor('b'.repeat(40))[0]).toMatchObject({ conclusion: 'cancelled' });
    expect(receiver.events).toEqual([]);
    github.assertNoViolations();
  });

  it('keeps the split with on-cancel: hold', async () => {
    const run = await canary({ 'step-duration': '20s', 'on-cancel': 'hold' }, { interrupt: { signal: 'SIGKILL', whenStdout: 'Watching green (25%)' } });
    expect(run.post?.warnings).toEqual(['canary-step: the main step did not finish and on-cancel is hold: the split stays {blue: 75, green: 25}']);
    const seen = await poolsAnswering(nginx.url);
    expect(seen.blue).toBeGreaterThan(0);
    expect(seen.green).toBeGreaterThan(0);
  });

  it('stops at 25% with steps: 25 (paused), and a later run continues from the split it finds to promoted', async () => {
    const first = await canary({ steps: '25' }, { github });
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ result: 'paused', weight: '25', canary: 'green' });
    expect(first.summary).toContain('green paused at 25% in production');
    const seen = await poolsAnswering(nginx.url, 60);
    expect(seen.blue).toBeGreaterThan(0);
    expect(seen.green).toBeGreaterThan(0);

    // The paused deployment says which pool is the canary: no input needed.
    const second = await canary({}, { github });
    expect(second.errors).toEqual([]);
    expect(second.outputs).toMatchObject({ result: 'promoted', weight: '100', canary: 'green' });
    expect(second.stdout).toContain('Step 1 of 2: {blue: 50, green: 50}');
    expect(second.summary).toContain('steps 25% were taken by an earlier run');
    await settledOn(nginx.url, 'green');
    expect(await poolsAnswering(nginx.url)).toEqual({ green: 40 });
    // One deployment across both runs.
    expect(github.store.deployments).toHaveLength(1);
    const statuses = github.store.statusesOf(Number(github.store.deployments[0]!.id)).reverse();
    expect(statuses.map((status) => status.description)).toEqual([
      'starting the canary of green',
      expect.stringMatching(/^25% canary, healthy/),
      'paused at 25%; a later run continues',
      'resuming the canary at 25%',
      expect.stringMatching(/^50% canary, healthy/),
      'green promoted: 100% canary',
    ]);
    github.assertNoViolations();
  });

  it('without a token, a paused canary continues when the canary is named, and refuses to guess otherwise', async () => {
    const first = await canary({ steps: '50' });
    expect(first.outputs).toMatchObject({ result: 'paused', weight: '50' });
    expect(first.notices).toContain('No GitHub token: the deployment and check run records skipped; traffic changes still happen.');
    const guess = await canary();
    expect(guess.exitCode).toBe(1);
    expect(guess.errors[0]).toMatch(/^canary: the split \{blue: 50, green: 50\} is part way through a canary/);
    const named = await canary({ canary: 'green' });
    expect(named.outputs).toMatchObject({ result: 'promoted', weight: '100' });
    await settledOn(nginx.url, 'green');
    expect(await poolsAnswering(nginx.url)).toEqual({ green: 40 });
  });

  it('refuses bad input before any change, naming the input', async () => {
    const upstream = await readFile(nginx.upstreamFile, 'utf8');
    const cases: [Record<string, string>, string][] = [
      [{ steps: '50,25' }, 'steps: weights must ascend, but 25 follows 50'],
      [{ 'step-duration': '100ms' }, 'step-duration: 100ms is shorter than environments.production.health.interval (250ms)'],
      [{ canary: 'purple' }, 'canary: "purple" is not a pool of the environment (blue, green)'],
      [{ 'on-cancel': 'pray' }, 'on-cancel: expected one of restore, hold, got "pray"'],
    ];
    for (const [inputs, message] of cases) {
      const run = await canary(inputs, {});
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain(message);
      expect(run.outputs.result).toBeUndefined();
      expect(run.post?.stdout).toContain('nothing to do');
    }
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstream);
  });
});
