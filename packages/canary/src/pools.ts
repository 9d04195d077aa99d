/** The addresses the analysis probes for a pool. Symlink pools are releases: the hosts running one. Pure. */
import { InputError, type NamedEnvironment } from '@cutover/config';
import type { PoolRef } from '@cutover/health';
import type { HostRelease } from '@cutover/routers';

/**
 * Each symlink host's addresses: a pool named after the host, else its probe URL's host:port.
 * A host with neither cannot be watched: an error naming the config path.
 */
export function symlinkHostAddresses(environment: NamedEnvironment): Record<string, string[]> {
  const router = environment.router;
  if (router.kind !== 'symlink') return {};
  const addresses: Record<string, string[]> = {};
  router.hosts.forEach((entry, index) => {
    const host = typeof entry === 'string' ? { name: entry } : entry;
    const pool = environment.pools[host.name];
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
      `environments.${environment.name}.router.hosts[${index}]: canary-step watches each host's release on its own address; give host "${host.name}" a probe URL, or a pool named "${host.name}" with its address`,
    );
  });
  return addresses;
}

/** A pool to watch: its addresses from the environment, or (symlink) those of the hosts running the release. */
export function poolRef(name: string, environment: NamedEnvironment, hosts?: { releases: HostRelease[]; addresses: Record<string, string[]> }): PoolRef {
  if (hosts) {
    return { name, addresses: hosts.releases.filter((host) => host.release === name).flatMap((host) => hosts.addresses[host.host] ?? []) };
  }
  const addresses = environment.pools[name];
  if (!addresses?.length) throw new InputError(`canary: "${name}" has no addresses in environments.${environment.name}.pools; the analysis needs them`);
  return { name, addresses };
}
