// blue-green-switch through real HAProxy's runtime API: make-before-break with zero failed requests on
// keep-alive connections across ten switches, drained servers finish slow requests, a missing socket.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  type GitHubStandIn,
  type Haproxy,
  haproxyCommand,
  makeWorkspace,
  poolAt,
  slowRequests,
  startBackend,
  startGitHubStandIn,
  startHaproxy,
  startLoad,
  type Workspace,
} from '@cutover/testkit';
import { healthz, runSwitch } from './blue-green-setup.js';

let blue: Backend;
let green: Backend;
let haproxy: Haproxy;
let github: GitHubStandIn;
let workspace: Workspace;

function environment(router: Record<string, unknown> = {}) {
  return {
    router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend, ...router },
    pools: { blue: [blue.address], green: [green.address] },
    health: healthz,
  };
}

beforeAll(async () => {
  blue = await startBackend({ pool: 'blue' });
  green = await startBackend({ pool: 'green' });
});

afterAll(async () => {
  await blue?.stop();
  await green?.stop();
});

beforeEach(async () => {
  haproxy = await startHaproxy({
    servers: [
      { name: 'blue1', address: blue.address },
      { name: 'green1', address: green.address, drain: true },
    ],
  });
  github = await startGitHubStandIn();
  workspace = await makeWorkspace();
  await workspace.writeEnvironment(environment());
});

afterEach(async () => {
  await haproxy?.stop();
  await github?.stop();
  await workspace?.remove();
});

describe('blue-green-switch on HAProxy', () => {
  it('switches blue -> green -> blue ten times under a keep-alive load with zero failed requests', async () => {
    const load = startLoad(haproxy.url, { mode: 'keep-alive', concurrency: 6 });
    await load.waitFor(50);
    const lives: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      const run = await runSwitch(workspace, { version: `v${index}` }, github);
      expect(run.errors).toEqual([]);
      lives.push(run.outputs.live!);
      // The switch is done when the action ends: the next fresh request goes to the new pool.
      expect(await poolAt(haproxy.url)).toBe(run.outputs.live);
      await load.waitFor(30);
    }
    const result = await load.stop();
    expect(lives).toEqual(['green', 'blue', 'green', 'blue', 'green', 'blue', 'green', 'blue', 'green', 'blue']);
    expect(result.failed).toEqual([]);
    expect(result.byPool.green).toBeGreaterThan(0);
    expect(github.store.deployments.map((d) => (d.payload as { router: string }).router)).toEqual(Array(10).fill('haproxy'));
    github.assertNoViolations();

    // The old pool is drained, not removed: it stays in the backend for an instant switch back.
    const state = await haproxyCommand(haproxy.socket, `show servers state ${haproxy.backend}`);
    expect(state).toMatch(/ green1 127\.0\.0\.1 2 8 /);
  });

  it('lets slow requests on the drained pool finish with 200', async () => {
    const before = blue.requests();
    const slow = slowRequests(haproxy.url, 3, 2_000);
    while (blue.requests() < before + 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const run = await runSwitch(workspace);
    expect(run.exitCode).toBe(0);
    expect(await poolAt(haproxy.url)).toBe('green');
    expect(await slow).toEqual([
      { status: 200, pool: 'blue' },
      { status: 200, pool: 'blue' },
      { status: 200, pool: 'blue' },
    ]);
  });

  it('fails naming the socket when the runtime API is missing, changing nothing', async () => {
    await workspace.writeEnvironment(environment({ socket: `${haproxy.socket}.missing` }));
    const run = await runSwitch(workspace, {}, github);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`environments.production.router.socket: cannot reach the HAProxy runtime API at ${haproxy.socket}.missing: no such socket`]);
    expect(await poolAt(haproxy.url)).toBe('blue');
    expect(github.store.deployments).toEqual([]);
  });

  it('refuses a target pool none of whose addresses is a server of the backend, and restores', async () => {
    await workspace.writeEnvironment({ ...environment(), pools: { blue: [blue.address], green: ['127.0.0.1:1'] } });
    const run = await runSwitch(workspace, { smoke: 'false' }, github);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('environments.production.pools.green: none of its addresses (127.0.0.1:1) is a server of HAProxy backend app');
    expect(await poolAt(haproxy.url)).toBe('blue');
    const [deployment] = github.store.deployments;
    expect(github.store.statusesOf(Number(deployment!.id))[0]).toMatchObject({ state: 'failure' });
  });
});
