/**
 * What `to` names, and what a rollback can restore without GitHub's deployment history. Pure.
 *
 * Precedence of `to`: a pool of the environment first (pool routers only: a symlink split names
 * releases), then a deployment id, then a version. Pools come first because they are read from
 * the environment file alone, so `to` means the same thing with or without a token.
 */
import { poolAddressesOf, type NamedEnvironment, type Split } from '@cutover/config';
import type { VersionObservation } from './plan.js';
import { RollbackTargetError } from './choose.js';

export const NO_HISTORY_WITHOUT_TOKEN = 'without a token rollback cannot read the deployment history: set token, or set `to` to a version or pool';

/** `to` when it names a pool of the environment and the router routes to pools. */
export function poolNamed(environment: NamedEnvironment, to: string | undefined): string | undefined {
  if (to === undefined || environment.router.kind === 'symlink') return undefined;
  return poolAddressesOf(environment.pools, to) ? to : undefined;
}

export type LocalTarget =
  /** Symlink: that release on every host. */
  | { kind: 'release'; release: string }
  /** Pool routers: all traffic on that pool. */
  | { kind: 'pool'; pool: string }
  /** Pool routers: all traffic on the one pool whose servers answer that version at `versionUrl`. */
  | { kind: 'version'; version: string; versionUrl: string };

/** The target of a rollback without a token, from `to` and the environment file only; refuses what needs the history. */
export function localTarget(environment: NamedEnvironment, to: string | undefined): LocalTarget {
  if (to === undefined) throw new RollbackTargetError(NO_HISTORY_WITHOUT_TOKEN);
  if (environment.router.kind === 'symlink') return { kind: 'release', release: to };
  const pool = poolNamed(environment, to);
  if (pool !== undefined) return { kind: 'pool', pool };
  const versionUrl = environment.health?.['version-url'];
  if (versionUrl) return { kind: 'version', version: to, versionUrl };
  const pools = Object.keys(environment.pools).join(', ');
  throw new RollbackTargetError(
    `to: "${to}" is not a pool of environments.${environment.name}.pools (${pools}), and without a token a version is found only ` +
      `by asking the pools at environments.${environment.name}.health.version-url, which is not set` +
      (/^\d+$/.test(to) ? ' (a deployment id needs a token)' : ''),
  );
}

/** The split a local target restores: everything on one pool or release (the others go to 0). */
export function localSplit(target: { kind: 'release'; release: string } | { kind: 'pool'; pool: string }): Split {
  return target.kind === 'release' ? { [target.release]: 100 } : { [target.pool]: 100 };
}

/** What one pool's servers answered, for messages: "blue 127.0.0.1:8001 runs v5". */
function describeObservation(seen: VersionObservation): string {
  return seen.error !== undefined ? `${seen.pool} ${seen.address}: no version (${seen.error})` : `${seen.pool} ${seen.address} runs ${seen.version}`;
}

/**
 * The one pool all of whose servers answer `version`. None, or several, is refused: traffic never
 * goes to a guess.
 */
export function poolRunning(version: string, observations: readonly VersionObservation[], pools: readonly string[]): string {
  const running = pools.filter((pool) => {
    const seen = observations.filter((observation) => observation.pool === pool);
    return seen.length > 0 && seen.every((observation) => observation.version === version);
  });
  if (running.length === 1) return running[0]!;
  if (running.length === 0) {
    throw new RollbackTargetError(
      `to: no pool runs version ${version} (${observations.map(describeObservation).join('; ')}); nothing was changed: set \`to\` to a pool, or set token to roll back through the deployment history`,
    );
  }
  throw new RollbackTargetError(`to: several pools run version ${version} (${running.join(', ')}); nothing was changed: set \`to\` to one of these pools`);
}
