/** Which pool is the canary and which the stable one, from the split the router serves. Pure. */
import { formatSplit, InputError, type Split } from '@cutover/config';

export interface Roles {
  stable: string;
  canary: string;
  /** The canary's weight now: 0 when starting, between 0 and 100 when resuming, 100 when already promoted. */
  weight: number;
  resuming: boolean;
}

export interface RoleInput {
  /** The split read from the router. */
  split: Split;
  /** The names a split may use (router.pools()). */
  pools: readonly string[];
  /** The `canary` input, when set. */
  canary?: string;
  /** Symlink routers: the `version` input names the release to roll out when `canary` is not set. */
  version?: string;
  /** A symlink router: the pools are the releases on disk, so the canary must be named. */
  symlink?: boolean;
  /** The canary and stable pools a paused run recorded (its deployment's payload), if any. */
  recorded?: { canary: string; stable: string };
}

const weightOf = (split: Split, pool: string) => split[pool] ?? 0;

/**
 * - `canary` given: it must be a pool; the stable pool is the one other pool with traffic.
 * - starting (one pool at 100): the canary is the one pool at 0 (or `version` for symlink releases).
 * - resuming (two pools part way): the pools a paused run recorded; without that record both pools
 *   could be the canary, and guessing wrong would promote the old version: name it.
 * - symlink: `canary`, else `version`, and nothing else: a release at 0 may be an older one.
 * Errors name the `canary` (or `version`) input.
 */
export function chooseRoles(input: RoleInput): Roles {
  const { split, pools } = input;
  const named = input.canary?.trim() || (input.symlink ? namedRelease(input) : undefined);
  const withTraffic = pools.filter((pool) => weightOf(split, pool) > 0);
  const partial = withTraffic.filter((pool) => weightOf(split, pool) < 100);
  if (withTraffic.length > 2) {
    throw new InputError(`canary: the split ${formatSplit(split)} sends traffic to ${withTraffic.length} pools; a canary moves traffic between two`);
  }

  if (named) {
    if (!pools.includes(named)) throw new InputError(`canary: "${named}" is not a pool of the environment (${pools.join(', ') || 'none'})`);
    const others = withTraffic.filter((pool) => pool !== named);
    const weight = weightOf(split, named);
    if (others.length === 0) {
      if (weight === 100) return { stable: named, canary: named, weight: 100, resuming: true };
      throw new InputError(`canary: no pool takes traffic in ${formatSplit(split)}; nothing to compare "${named}" with`);
    }
    return { stable: others[0]!, canary: named, weight, resuming: weight > 0 };
  }

  if (partial.length === 2) {
    const recorded = input.recorded;
    if (recorded && partial.includes(recorded.canary) && partial.includes(recorded.stable) && recorded.canary !== recorded.stable) {
      return { stable: recorded.stable, canary: recorded.canary, weight: weightOf(split, recorded.canary), resuming: true };
    }
    throw new InputError(
      `canary: the split ${formatSplit(split)} is part way through a canary and no paused run recorded which pool is the canary; name it (the earlier run's \`canary\` output)`,
    );
  }

  const stable = withTraffic[0];
  if (!stable) throw new InputError(`canary: no pool takes traffic in ${formatSplit(split)}; there is no stable pool to compare with`);
  const idle = pools.filter((pool) => weightOf(split, pool) === 0);
  const version = input.version?.trim();
  if (version && idle.includes(version)) return { stable, canary: version, weight: 0, resuming: false };
  if (idle.length === 1) return { stable, canary: idle[0]!, weight: 0, resuming: false };
  if (idle.length === 0) throw new InputError(`canary: no pool is at weight 0 in ${formatSplit(split)}; name the canary pool`);
  throw new InputError(`canary: ${idle.length} pools are at weight 0 (${idle.join(', ')}); name the canary pool`);
}

/** A symlink rollout's release: the `version` input, which must be on every host. */
function namedRelease(input: RoleInput): string {
  const version = input.version?.trim();
  const releases = input.pools.join(', ') || 'none';
  if (!version) {
    throw new InputError(
      `canary: a symlink router rolls out a named release: set \`version\` or \`canary\`; every release on disk that is not live counts as idle, older ones too (${releases})`,
    );
  }
  if (!input.pools.includes(version)) throw new InputError(`version: release "${version}" is not on every host (${releases})`);
  return version;
}
