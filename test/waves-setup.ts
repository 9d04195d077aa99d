/**
 * Two regions as examples/waves-cutover.yml has them, on loopback: production-eu behind an HA pair
 * of HAProxy (two instances of one router), production-us behind an HA pair of nginx; each region
 * with two stable servers and one canary server of its own. Shared by the rollback of several
 * environments and the waves workflow.
 */
import type { Environment, RouterConfig } from '@cutover/config';
import { type Backend, poolsOnceSettled, startBackend, startHaproxy, startNginx } from '@cutover/testkit';

export const REGIONS = ['production-eu', 'production-us'] as const;
export type Region = (typeof REGIONS)[number];

export interface RegionBackends {
  stable: Backend[];
  canary: Backend[];
}

/** A region's pair of load balancers: the router with its two instances, and their front ends. */
export interface RegionRouters {
  router: RouterConfig;
  urls: string[];
  stop(): Promise<void>;
}

/** The servers of both regions: stable ones answering `stable`, canary ones answering `canary` (versions as given). */
export async function startRegionBackends(versions: { stable: string; canary: string }): Promise<Record<Region, RegionBackends>> {
  const region = async (): Promise<RegionBackends> => ({
    stable: await Promise.all([startBackend({ pool: 'stable', version: versions.stable }), startBackend({ pool: 'stable', version: versions.stable })]),
    canary: [await startBackend({ pool: 'canary', version: versions.canary })],
  });
  return { 'production-eu': await region(), 'production-us': await region() };
}

export function stopBackends(backends: Record<Region, RegionBackends> | undefined): Promise<unknown> {
  return Promise.all(Object.values(backends ?? {}).flatMap((region) => [...region.stable, ...region.canary].map((backend) => backend.stop())));
}

/** The region's HA pair (HAProxy for production-eu, nginx for production-us), all traffic on `live`. */
export async function startRouters(region: Region, backends: RegionBackends, live: 'stable' | 'canary'): Promise<RegionRouters> {
  const servers = [
    ...backends.stable.map((backend, index) => ({ name: `stable${index + 1}`, address: backend.address, pool: 'stable' })),
    ...backends.canary.map((backend, index) => ({ name: `canary${index + 1}`, address: backend.address, pool: 'canary' })),
  ];
  if (region === 'production-eu') {
    const pair = await Promise.all([0, 1].map(() => startHaproxy({ servers: servers.map((server) => ({ ...server, drain: server.pool !== live })) })));
    return {
      router: { kind: 'haproxy', backend: 'app', instances: pair.map((haproxy, index) => ({ name: `lb-eu-${index + 1}`, socket: haproxy.socket })) },
      urls: pair.map((haproxy) => haproxy.url),
      stop: () => Promise.all(pair.map((haproxy) => haproxy.stop())).then(() => undefined),
    };
  }
  const pair = await Promise.all([0, 1].map(() => startNginx({ servers: servers.map((server) => ({ address: server.address, down: server.pool !== live })) })));
  return {
    router: {
      kind: 'nginx',
      upstream: 'app',
      instances: pair.map((nginx, index) => ({
        name: `lb-us-${['east', 'west'][index]}`,
        'upstream-file': nginx.upstreamFile,
        test: nginx.test,
        reload: nginx.reload,
      })),
    },
    urls: pair.map((nginx) => nginx.url),
    stop: () => Promise.all(pair.map((nginx) => nginx.stop())).then(() => undefined),
  };
}

/** The region's environment, as examples/waves-cutover.yml writes it, with the test's own health and canary. */
export function regionEnvironment(region: Region, backends: RegionBackends, routers: RegionRouters, more: Partial<Environment> = {}): Environment {
  return {
    url: `https://${region === 'production-eu' ? 'eu' : 'us'}.app.example.com`,
    router: routers.router,
    pools: { stable: backends.stable.map((backend) => backend.address), canary: backends.canary.map((backend) => backend.address) },
    ...more,
  };
}

/** What answers through each load balancer of the pair, once settled on `pool` (nginx reloads in the background). */
export function answering(routers: RegionRouters, pool: string): Promise<Record<string, number>[]> {
  return Promise.all(routers.urls.map((url) => poolsOnceSettled(url, pool)));
}
