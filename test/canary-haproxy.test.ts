// canary-step through real HAProxy's runtime API, with the environment's health written as a user
// writes it (one check, defaults for everything else): a healthy canary promoted in 2-second steps, a
// canary answering 25% (and 5%) of its requests with 500 aborted in its first step back to {stable: 100},
// the same judged from HAProxy's own counters of users' traffic, a killed run restored by its post step.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  type GitHubStandIn,
  type Haproxy,
  makeWorkspace,
  poolsAnswering,
  startBackend,
  startGitHubStandIn,
  startHaproxy,
  startLoad,
  watchTraffic,
  type Workspace,
} from '@cutover/testkit';
import { canaryHealth, runCanary } from './canary-setup.js';

let stable: Backend;
let canary: Backend;
let haproxy: Haproxy;
let github: GitHubStandIn;
let workspace: Workspace;

beforeAll(async () => {
  stable = await startBackend({ pool: 'stable', version: 'v1' });
  canary = await startBackend({ pool: 'canary', version: 'v2' });
});

afterAll(async () => {
  await stable?.stop();
  await canary?.stop();
});

beforeEach(async () => {
  haproxy = await startHaproxy({
    servers: [
      { name: 'stable1', address: stable.address },
      { name: 'canary1', address: canary.address, drain: true },
    ],
  });
  github = await startGitHubStandIn();
  workspace = await makeWorkspace();
  await workspace.writeEnvironment({
    router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend },
    pools: { stable: [stable.address], canary: [canary.address] },
    health: canaryHealth,
    canary: { steps: [10, 50, 100] },
  });
  canary.setErrorRate(0);
});

afterEach(async () => {
  await haproxy?.stop();
  await github?.stop();
  await workspace?.remove();
});

describe('canary-step on HAProxy', () => {
  it('promotes a healthy canary in 2-second steps: both pools serve during the steps, then only the canary', async () => {
    const traffic = watchTraffic(haproxy.url);
    const run = await runCanary(workspace, { version: 'v2', 'step-duration': '2s' }, { github });
    const seen = await traffic.stop();
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'promoted', weight: '100', canary: 'canary', stable: 'stable' });
    expect(run.stdout).toContain('Step 1 of 3: {stable: 90, canary: 10}');
    expect(seen.canary).toBeGreaterThan(0);
    expect(seen.stable).toBeGreaterThan(0);
    expect(seen.error).toBeUndefined();
    expect(await poolsAnswering(haproxy.url)).toEqual({ canary: 40 });
    const [deployment] = github.store.deployments;
    expect(github.store.statusesOf(Number(deployment!.id)).map((status) => status.state)).toEqual(['success', 'in_progress', 'in_progress', 'in_progress']);
    github.assertNoViolations();
  });

  it('aborts a canary answering 25% of its requests with 500 in its first step: {stable: 100} through HAProxy', async () => {
    canary.setErrorRate(0.25);
    const run = await runCanary(workspace, { 'step-duration': '4s' }, { github });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0' });
    expect(run.outputs.reason).toMatch(
      /^healthz failed at 10% canary \(unhealthy\): healthz: 2\d(\.\d+)?% of \d+ requests failed on canary, at least [\d.]+% \(limit 2%\)/,
    );
    expect(run.stdout).not.toContain('Step 2 of');
    expect(run.stdout).toContain('Restored: {stable: 100, canary: 0}');
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    github.assertNoViolations();
  });

  it('aborts a canary failing 5% of its requests in its first step, worse than stable beyond the tolerance', async () => {
    canary.setErrorRate(0.05);
    const run = await runCanary(workspace, {}, { github });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0' });
    expect(run.outputs.reason).toMatch(
      /^healthz failed at 10% canary \(unhealthy\): .*healthz error rate worse than stable: [45](\.\d+)?% vs 0%, at least \+[\d.]+ points/,
    );
    expect(run.stdout).not.toContain('Step 2 of');
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
  });

  describe("judged from HAProxy's counters of users' traffic", () => {
    beforeEach(async () => {
      await workspace.writeEnvironment({
        router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend },
        pools: { stable: [stable.address], canary: [canary.address] },
        health: { interval: '250ms', checks: [{ name: 'users', traffic: {} }] },
        canary: { steps: [10, 50, 100] },
      });
    });

    it('promotes a healthy canary while users send 300 requests a second through HAProxy', async () => {
      const load = startLoad(haproxy.url, { concurrency: 4, mode: 'keep-alive', rate: 300 });
      await load.waitFor(50);
      const run = await runCanary(workspace, { 'step-duration': '2s' });
      const seen = await load.stop();
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({ result: 'promoted', weight: '100' });
      expect(run.stdout).toMatch(/users: users' traffic; a healthy verdict needs \d+ requests per pool without failures/);
      expect(run.stdout).toContain('10% canary, healthy: error rate 0% vs 0% -> advance');
      expect(seen.failed).toEqual([]);
      expect(seen.byPool.canary).toBeGreaterThan(0);
    });

    it("aborts a canary failing 25% of users' requests in its first step", async () => {
      canary.setErrorRate(0.25);
      const load = startLoad(haproxy.url, { concurrency: 4, mode: 'keep-alive', rate: 300 });
      await load.waitFor(50);
      const run = await runCanary(workspace, { 'step-duration': '4s' });
      // The step has restored and read back {stable: 100} when it ends: the users' requests from then on.
      const ended = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = await load.stop();
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0' });
      expect(run.outputs.reason).toMatch(/^users failed at 10% canary \(unhealthy\): users: \d+(\.\d+)?% of \d+ requests failed on canary/);
      expect(run.stdout).not.toContain('Step 2 of');
      // Users saw the canary's errors only while it took its 10%: none after the restore. (The last
      // 300 ms of the load stood for "after" until the step got fast enough to end inside them.)
      const after = seen.samples.filter((sample) => sample.start > ended);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((sample) => sample.pool === 'stable')).toBe(true);
      expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    });
  });

  it("restores {stable: 100} in the main step on SIGINT (the runner's first signal on cancel), and fails", async () => {
    const run = await runCanary(workspace, { 'step-duration': '20s' }, { interrupt: { signal: 'SIGINT', whenStdout: 'Watching canary (10%)' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('SIGINT received');
    expect(run.errors).toEqual(['canary-step: cancelled (SIGINT) at 10% canary; stable takes all traffic again']);
    expect(run.post?.stdout).toContain('stable already takes all traffic');
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
  });

  it('restores {stable: 100} in the post step after the main step is killed mid-step', async () => {
    const run = await runCanary(workspace, { 'step-duration': '20s' }, { interrupt: { signal: 'SIGKILL', whenStdout: 'Watching canary (10%)' } });
    expect(run.signal).toBe('SIGKILL');
    expect(run.post?.notices).toEqual(['canary-step: the main step did not finish; restored {stable: 100, canary: 0}']);
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
  });
});
