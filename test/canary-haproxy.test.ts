// canary-step through real HAProxy's runtime API: a healthy canary promoted, a canary with 5% errors aborted
// in its first step back to {stable: 100}, a killed run restored by its post step. Traffic verified through HAProxy.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBackend, startGitHubStandIn, startHaproxy, type Backend, type GitHubStandIn, type Haproxy } from '@cutover/testkit';
import { makeWorkspace, type Workspace } from './blue-green-setup.js';
import { canaryHealth, poolsAnswering, runCanary, watchTraffic } from './canary-setup.js';

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
  haproxy = await startHaproxy({ servers: [{ name: 'stable1', address: stable.address }, { name: 'canary1', address: canary.address, drain: true }] });
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
  it('promotes a healthy canary: both pools serve during the steps, then only the canary', async () => {
    const traffic = watchTraffic(haproxy.url);
    const run = await runCanary(workspace, { version: 'v2' }, { github });
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

  it('aborts a canary with 5% errors in its first step: {stable: 100} through HAProxy', async () => {
    canary.setErrorRate(0.05);
    const run = await runCanary(workspace, {}, { github });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0' });
    expect(run.outputs.reason).toMatch(/^healthz failed at 10% canary \(unhealthy\): healthz error-rate worse than baseline: [45](\.\d+)?% vs 0%/);
    expect(run.stdout).not.toContain('Step 2 of');
    expect(run.stdout).toContain('Restored: {stable: 100, canary: 0}');
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    github.assertNoViolations();
  });

  it('restores {stable: 100} in the main step on SIGINT (the runner\'s first signal on cancel), and fails', async () => {
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
