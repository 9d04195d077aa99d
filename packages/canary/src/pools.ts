/** The addresses the analysis probes for a pool. Symlink pools are releases: the hosts running one. Pure. */
import { InputError, poolAddressesOf, type NamedEnvironment } from '@cutover/config';
import type { PoolRef } from '@cutover/health';
import { releaseAddresses, type HostRelease } from '@cutover/routers';

/** A pool to watch: its addresses from the environment, or (symlink) those of the hosts running the release. */
export function poolRef(name: string, environment: NamedEnvironment, hosts?: { releases: HostRelease[]; addresses: Record<string, string[]> }): PoolRef {
  if (hosts) {
    return { name, addresses: releaseAddresses(name, hosts.releases, hosts.addresses) };
  }
  const addresses = poolAddressesOf(environment.pools, name);
  if (!addresses?.length) throw new InputError(`canary: "${name}" has no addresses in environments.${environment.name}.pools; the analysis needs them`);
  return { name, addresses };
}
