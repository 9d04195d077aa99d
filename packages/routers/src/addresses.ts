/**
 * Where a pool answers, for the checks that probe it. A pool of a pool router has its addresses in
 * the environment file; a symlink "pool" is a release, served by the hosts whose link names it.
 */
import { InputError, poolAddressesOf, routerInstances, type NamedEnvironment } from '@cutover/config';
import type { HostRelease, Router } from './router.js';
import { symlinkHost, type SymlinkRouterConfig } from './symlink/symlink.js';

/**
 * Each symlink host's addresses: a pool named after the host, else its probe URL's host:port.
 * A host with neither cannot be watched: an error naming the config path.
 */
export function symlinkHostAddresses(environment: NamedEnvironment): Record<string, string[]> {
  if (environment.router.kind !== 'symlink') return {};
  const addresses: Record<string, string[]> = {};
  // A router with instances: the hosts of every instance (each instance's config is complete).
  const configs = routerInstances(environment.router)?.map((instance, index) => ({ config: instance.config, at: `instances[${index}].` })) ?? [
    { config: environment.router, at: '' },
  ];
  for (const { config, at } of configs) addHosts(environment, config as SymlinkRouterConfig, at, addresses);
  return addresses;
}

function addHosts(environment: NamedEnvironment, router: SymlinkRouterConfig, at: string, addresses: Record<string, string[]>): void {
  router.hosts.forEach((entry, index) => {
    const host = symlinkHost(entry);
    const pool = poolAddressesOf(environment.pools, host.name);
    if (pool?.length) {
      addresses[host.name] = pool;
      return;
    }
    const probe = host.probe ? URL.parse(host.probe) : null;
    if (probe?.host) {
      addresses[host.name] = [probe.host];
      return;
    }
    throw new InputError(
      `environments.${environment.name}.router.${at}hosts[${index}]: a release is watched on the hosts that run it; give host "${host.name}" a probe URL, or a pool named "${host.name}" with its address`,
    );
  });
}

/** The addresses of the hosts running `release`. Pure. */
export function releaseAddresses(release: string, hosts: HostRelease[], addresses: Record<string, string[]>): string[] {
  return hosts.filter((host) => host.release === release).flatMap((host) => addresses[host.host] ?? []);
}

/**
 * The addresses that serve `pool` now: the environment's pool, or for a symlink router the hosts
 * whose link names that release (asked of the router). Undefined when the name is neither.
 */
export async function poolAddresses(environment: NamedEnvironment, router: Router, pool: string): Promise<string[] | undefined> {
  if (environment.router.kind !== 'symlink' || !router.hostReleases) return poolAddressesOf(environment.pools, pool);
  const hosts = await router.hostReleases();
  if (!(await router.pools()).includes(pool) && !hosts.some((host) => host.release === pool)) return undefined;
  return releaseAddresses(pool, hosts, symlinkHostAddresses(environment));
}
