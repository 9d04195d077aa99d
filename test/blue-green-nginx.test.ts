// blue-green-switch through real nginx: zero failed requests across ten switches, slow requests finish,
// nginx -t failing leaves everything as it was, bad input fails before any change; deployments recorded.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  type GitHubStandIn,
  makeWorkspace,
  type Nginx,
  poolAt,
  slowRequests,
  startBackend,
  startGitHubStandIn,
  startLoad,
  startNginx,
  untilPool,
  type Workspace,
} from '@cutover/testkit';
import { healthz, runSwitch } from './blue-green-setup.js';

let blue: Backend;
let green: Backend;
let nginx: Nginx;
let github: GitHubStandIn;
let workspace: Workspace;

function environment(overrides: Record<string, unknown> = {}) {
  return {
    url: 'https://app.example.com',
    router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
    pools: { blue: [blue.address], green: [green.address] },
    health: healthz,
    ...overrides,
  };
}

beforeAll(async () => {
  blue = await startBackend({ pool: 'blue', version: 'v1' });
  green = await startBackend({ pool: 'green', version: 'v2' });
});

afterAll(async () => {
  await blue?.stop();
  await green?.stop();
});

beforeEach(async () => {
  nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] });
  github = await startGitHubStandIn();
  workspace = await makeWorkspace();
  await workspace.writeEnvironment(environment());
  green.setErrorRate(0);
});

afterEach(async () => {
  await nginx?.stop();
  await github?.stop();
  await workspace?.remove();
});

describe('blue-green-switch on nginx', () => {
  it('switches blue -> green -> blue ten times under a steady load with zero failed requests, and records each deployment', async () => {
    const load = startLoad(nginx.url, { mode: 'fresh', concurrency: 6 });
    await load.waitFor(50);
    const lives: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      const run = await runSwitch(workspace, { version: `v${index}` }, github);
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      lives.push(run.outputs.live!);
      expect(run.outputs.previous).toBe(index % 2 === 0 ? 'blue' : 'green');
      expect(run.outputs['deployment-id']).toMatch(/^\d+$/);
      await load.waitFor(30);
    }
    const result = await load.stop();
    expect(lives).toEqual(['green', 'blue', 'green', 'blue', 'green', 'blue', 'green', 'blue', 'green', 'blue']);
    expect(result.failed).toEqual([]);
    expect(result.byPool.blue).toBeGreaterThan(0);
    expect(result.byPool.green).toBeGreaterThan(0);
    await untilPool(nginx.url, 'blue');

    const deployments = github.store.deployments;
    expect(deployments).toHaveLength(10);
    expect(deployments[0]).toMatchObject({
      environment: 'production',
      ref: 'a'.repeat(40),
      task: 'deploy',
      payload: {
        version: 'v0',
        splitBefore: { blue: 100, green: 0 },
        splitAfter: { blue: 0, green: 100 },
        router: 'nginx',
        pools: { blue: [blue.address], green: [green.address] },
      },
    });
    const requests = github.calls('repos/create-deployment').map((call) => call.body as Record<string, unknown>);
    expect(
      requests.every((body) => body.auto_merge === false && Array.isArray(body.required_contexts) && (body.required_contexts as unknown[]).length === 0),
    ).toBe(true);
    // Traffic first: each deployment is recorded once traffic moved, with its one final status.
    const statuses = github.store.statusesOf(Number(deployments[9]!.id));
    expect(statuses.map((status) => status.state)).toEqual(['success']);
    expect(statuses[0]).toMatchObject({ environment_url: 'https://app.example.com' });
    github.assertNoViolations();
  });

  it('lets slow requests in flight at the switch finish with 200 from the old pool', async () => {
    const before = blue.requests();
    const slow = slowRequests(nginx.url, 3, 2_000);
    while (blue.requests() < before + 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const run = await runSwitch(workspace);
    expect(run.exitCode).toBe(0);
    // nginx applies a reload asynchronously (new workers start after the signal): wait for them.
    await untilPool(nginx.url, 'green');
    expect(await slow).toEqual([
      { status: 200, pool: 'blue' },
      { status: 200, pool: 'blue' },
      { status: 200, pool: 'blue' },
    ]);
  });

  it("fails naming nginx -t's message when the main config is broken: upstream file and traffic unchanged", async () => {
    const upstreamBefore = await readFile(nginx.upstreamFile, 'utf8');
    const main = await readFile(nginx.configFile, 'utf8');
    await writeFile(nginx.configFile, `broken_directive_here on;\n${main}`);
    try {
      const run = await runSwitch(workspace, { version: 'v2' }, github);
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain('unknown directive "broken_directive_here"');
      expect(run.errors[0]).toContain('restored {blue: 100, green: 0}');
      expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstreamBefore);
      expect(await poolAt(nginx.url)).toBe('blue');
      expect(run.outputs).toEqual({});
      expect(run.summary).toContain('stays as it was');
      const [deployment] = github.store.deployments;
      expect(github.store.statusesOf(Number(deployment!.id)).map((s) => s.state)).toEqual(['failure']);
      github.assertNoViolations();
    } finally {
      await writeFile(nginx.configFile, main);
    }
  });

  it('does not switch to a pool whose smoke check fails', async () => {
    green.setErrorRate(1);
    const upstreamBefore = await readFile(nginx.upstreamFile, 'utf8');
    const run = await runSwitch(workspace, {}, github);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^smoke check of pool green failed, nothing changed: healthz: .*500/);
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstreamBefore);
    expect(await poolAt(nginx.url)).toBe('blue');
    expect(github.store.deployments).toEqual([]);
  });

  it('refuses a `to` pool that does not exist, and a pool with no addresses, before any change', async () => {
    const upstreamBefore = await readFile(nginx.upstreamFile, 'utf8');
    const unknown = await runSwitch(workspace, { to: 'purple' }, github);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.errors).toEqual(['to: pool "purple" is not in the environment\'s pools (blue, green)']);
    const noCandidate = await runSwitch(workspace, { candidate: 'build/candidate.json' }, github);
    expect(noCandidate.errors).toEqual(['candidate: cannot read build/candidate.json (ENOENT)']);

    await workspace.writeEnvironment(environment({ pools: { blue: [blue.address], green: [] } }));
    const empty = await runSwitch(workspace, {}, github);
    expect(empty.exitCode).toBe(1);
    expect(empty.errors[0]).toContain('environments.production.pools.green');
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstreamBefore);
    expect(github.store.deployments).toEqual([]);
  });

  it('switches without a token and says the records were skipped', async () => {
    const run = await runSwitch(workspace);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ live: 'green', previous: 'blue', 'deployment-id': '' });
    expect(run.notices.join('\n')).toMatch(/No GitHub token: .*skipped/);
    expect(run.summary).toContain('| green (target) | 0% | 100% |');
    expect(run.summary).toContain('| blue (previous) | 100% | 0% |');
  });
});
