// The HAProxy router against real HAProxy: pools of several servers, canary splits, make-before-break.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { applySplit, createRouter, haproxyRouter, parseServersState, type HaproxyRouterConfig } from '@cutover/routers';
import { haproxyCommand, startBackend, startHaproxy, type Backend, type Haproxy } from '@cutover/testkit';

let backends: Backend[];
let haproxy: Haproxy;
let environment: NamedEnvironment;

beforeAll(async () => {
  backends = await Promise.all(['stable', 'stable', 'canary'].map((pool) => startBackend({ pool })));
  haproxy = await startHaproxy({
    servers: [
      { name: 's1', address: backends[0]!.address },
      { name: 's2', address: backends[1]!.address },
      { name: 'c1', address: backends[2]!.address, drain: true },
      // Not in any pool: the router leaves it alone.
      { name: 'other', address: '127.0.0.1:1', weight: 0 },
    ],
  });
  environment = {
    name: 'production',
    router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend },
    pools: { stable: [backends[0]!.address, backends[1]!.address], canary: [backends[2]!.address] },
  };
});

afterAll(async () => {
  await haproxy?.stop();
  await Promise.all((backends ?? []).map((backend) => backend.stop()));
});

const state = async () =>
  Object.fromEntries(parseServersState(await haproxyCommand(haproxy.socket, 'show servers state app')).map((s) => [s.name, `${s.admin} ${s.weight}`]));

describe('HAProxy router', () => {
  it('weighs servers so that each pool gets its share, whatever its size, and drains a pool at 0', async () => {
    const router = createRouter(environment);
    expect(await router.read()).toEqual({ stable: 100, canary: 0 });

    expect(await applySplit(router, { stable: 75, canary: 25 })).toMatchObject({ after: { stable: 75, canary: 25 }, changed: true });
    // Two stable servers at 3 and one canary at 2: 6 to 2, 75% to 25%.
    expect(await state()).toMatchObject({ s1: 'ready 3', s2: 'ready 3', c1: 'ready 2' });

    await applySplit(router, { canary: 100 });
    expect(await state()).toMatchObject({ s1: 'drain 3', s2: 'drain 3', c1: 'ready 1', other: 'ready 0' });
    expect(await router.read()).toEqual({ stable: 0, canary: 100 });

    await applySplit(router, { stable: 100 });
    expect(await router.read()).toEqual({ stable: 100, canary: 0 });
  });

  it('refuses a pool none of whose addresses is a backend server, every server left as it was', async () => {
    const router = createRouter(environment);
    const before = await state();
    // A backend server removed behind our back: the canary pool's address no longer matches.
    const broken = createRouter({ ...environment, pools: { ...environment.pools, canary: ['127.0.0.1:2'] } });
    await expect(applySplit(broken, { stable: 50, canary: 50 })).rejects.toThrow('environments.production.pools.canary: none of its addresses');
    expect(await state()).toEqual(before);
    expect(await router.read()).toEqual({ stable: 100, canary: 0 });
  });

  it('puts back every server it can when one refuses to go back, naming that server', async () => {
    const before = await state();
    expect(before).toMatchObject({ s1: 'ready 1', s2: 'ready 1', c1: 'drain 1' });
    // Real HAProxy behind, but two commands refused: s2 draining (the change fails) and s1 coming back.
    const refused = new Set(['set server app/s2 state drain', 'set server app/s1 state ready']);
    const send = async (command: string) => (refused.has(command) ? 'Refused for the test.\n' : haproxyCommand(haproxy.socket, command));
    const router = haproxyRouter(environment, environment.router as HaproxyRouterConfig, { send });
    await expect(applySplit(router, { canary: 100 })).rejects.toThrow(
      /HAProxy refused "set server app\/s2 state drain".*ALSO FAILED: HAProxy refused "set server app\/s1 state ready": Refused for the test\.$/,
    );
    // c1, after s1 in the way back, is drained again.
    expect(await state()).toMatchObject({ s1: 'drain 1', s2: 'ready 1', c1: 'drain 1' });
    await haproxyCommand(haproxy.socket, 'set server app/s1 state ready');
    expect(await state()).toEqual(before);
  });
});
