// blue-green-switch, as a bundle, on an environment whose router has two instances (two real HAProxy):
// the environment file's instances reach the router; both switch; drift is refused before any change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, haproxyCommand, makeWorkspace, poolsAnswering, startBackend, startHaproxy, type Haproxy, type Workspace } from '@cutover/testkit';
import { healthz, runSwitch } from './blue-green-setup.js';

let blue: Backend;
let green: Backend;
let haproxies: Haproxy[];
let workspace: Workspace;

beforeAll(async () => {
  [blue, green] = await Promise.all([startBackend({ pool: 'blue' }), startBackend({ pool: 'green' })]);
  const servers = [
    { name: 'b1', address: blue.address },
    { name: 'g1', address: green.address, drain: true },
  ];
  haproxies = await Promise.all([startHaproxy({ servers }), startHaproxy({ servers })]);
  workspace = await makeWorkspace();
  await workspace.writeEnvironment({
    router: { kind: 'haproxy', backend: 'app', instances: haproxies.map((haproxy, index) => ({ name: `lb-${index + 1}`, socket: haproxy.socket })) },
    pools: { blue: [blue.address], green: [green.address] },
    health: healthz,
  });
});

afterAll(async () => {
  await Promise.all([...(haproxies ?? []), blue, green].filter(Boolean).map((server) => server!.stop()));
  await workspace?.remove();
});

describe('blue-green-switch on router instances', () => {
  it('switches every instance', async () => {
    const run = await runSwitch(workspace);
    expect(run.errors).toEqual([]);
    expect(run.outputs.live).toBe('green');
    expect(run.stdout).toContain('2 haproxy instances: lb-1 (HAProxy backend app at');
    for (const haproxy of haproxies) expect(await poolsAnswering(haproxy.url, 10)).toEqual({ green: 10 });
  });

  it('refuses instances that disagree, naming each, and changes nothing', async () => {
    // lb-2 changed by hand: back to blue.
    await haproxyCommand(haproxies[1]!.socket, 'set server app/b1 state ready');
    await haproxyCommand(haproxies[1]!.socket, 'set server app/g1 state drain');
    const run = await runSwitch(workspace, { to: 'blue' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringContaining('the instances disagree (drift): lb-1 {blue: 0, green: 100}, lb-2 {blue: 100, green: 0}')]);
    expect(await poolsAnswering(haproxies[0]!.url, 10)).toEqual({ green: 10 });
    expect(await poolsAnswering(haproxies[1]!.url, 10)).toEqual({ blue: 10 });
  });

  it("converges deliberately to the pool named in `to`, warning with each instance's split", async () => {
    expect((await runSwitch(workspace, { converge: 'true' })).errors).toEqual(['converge: name the pool (or release) to converge to in `to`']);
    const run = await runSwitch(workspace, { to: 'blue', converge: 'true' });
    expect(run.errors).toEqual([]);
    expect(run.warnings).toContainEqual(
      expect.stringContaining(
        'converge: the instances disagreed (lb-1 {blue: 0, green: 100}, lb-2 {blue: 100, green: 0}); every instance now sends all traffic to blue',
      ),
    );
    expect(run.outputs.live).toBe('blue');
    for (const haproxy of haproxies) expect(await poolsAnswering(haproxy.url, 10)).toEqual({ blue: 10 });
  });
});
