/** Symlink releases: which host runs which release, as pure functions. Pools are release names. */
import { posix } from 'node:path';
import type { Split } from '@cutover/config';
import { apportion, sharesToSplit } from '../plan.js';

/**
 * The release a `current` link names: the first path segment under releases-dir of its target
 * (relative targets resolve from the link's directory); undefined when it points elsewhere.
 */
export function releaseOf(linkTarget: string, releasesDir: string, current: string): string | undefined {
  const target = posix.resolve(posix.dirname(current), linkTarget.trim());
  const relative = posix.relative(posix.resolve(releasesDir), target);
  if (relative === '' || relative.startsWith('..') || posix.isAbsolute(relative)) return undefined;
  return relative.split('/')[0];
}

/** Weight of a release = its share of the hosts that run one (hosts without a release are not counted). */
export function hostSplit(releases: (string | undefined)[]): Split {
  const counts: Record<string, number> = {};
  for (const release of releases) if (release !== undefined) counts[release] = (counts[release] ?? 0) + 1;
  return sharesToSplit(counts);
}

/** How many of `hosts` hosts run each release of `split`. */
export function hostCounts(split: Split, hosts: number): Record<string, number> {
  return apportion(split, hosts);
}

/**
 * The release each host should run for `split`, moving as few hosts as it can: a release that
 * shrinks keeps its last hosts, so the rollout goes through the hosts in their order (first hosts
 * first, step after step); movers take the releases still short of hosts, in split order.
 */
export function assignHosts(current: (string | undefined)[], split: Split): string[] {
  const room = hostCounts(split, current.length);
  const assigned: (string | undefined)[] = current.map(() => undefined);
  for (let index = current.length - 1; index >= 0; index -= 1) {
    const release = current[index];
    if (release !== undefined && (room[release] ?? 0) > 0) {
      room[release]! -= 1;
      assigned[index] = release;
    }
  }
  const short = Object.keys(room).flatMap((release) => Array<string>(room[release]!).fill(release));
  return assigned.map((release) => release ?? short.shift()!);
}

/** The split a symlink router reads back after applying `split` to `hosts` hosts. */
export function symlinkExpected(split: Split, hosts: number): Split {
  return { ...Object.fromEntries(Object.keys(split).map((release) => [release, 0])), ...sharesToSplit(hostCounts(split, hosts)) };
}

/** `batch` as the environment file writes it: a host count, or a percentage of the hosts ("25%"). */
export const BATCH_PERCENT_PATTERN = '^([1-9][0-9]?|100)%$';

/**
 * Hosts moved at once for `batch` over `hosts` hosts: at least 1, at most all. A percentage rounds
 * down (25% of 6 hosts is 1): fewer hosts at once keeps more of them serving the release they ran
 * (CodeDeploy's minimum healthy hosts); a whole host is the least that can move.
 */
export function batchSize(batch: number | string | undefined, hosts: number): number {
  if (batch === undefined) return 1;
  const size = typeof batch === 'number' ? batch : Math.floor((hosts * Number(batch.slice(0, -1))) / 100);
  return Math.max(1, Math.min(hosts, size));
}

/** `items` in consecutive groups of `size` (the last may be smaller). */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}
