/** The traffic model: a split is a weight per pool, 0 to 100, summing to 100. Pure functions. */
import type { Split } from './types.js';

export function validateSplit(split: Split, pools: readonly string[], field = 'split'): Split {
  const known = new Set(pools);
  let sum = 0;
  for (const [pool, weight] of Object.entries(split)) {
    if (!known.has(pool)) throw new Error(`${field}: pool "${pool}" is not in pools (${pools.join(', ')})`);
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw new Error(`${field}: ${pool} has weight ${weight}; weights are whole numbers from 0 to 100`);
    }
    sum += weight;
  }
  if (sum !== 100) throw new Error(`${field}: weights sum to ${sum}, not 100 (${formatSplit(split)})`);
  return split;
}

/** Every pool named, missing ones at 0, in the order of `pools`. */
export function completeSplit(split: Split, pools: readonly string[]): Split {
  return Object.fromEntries(pools.map((pool) => [pool, split[pool] ?? 0]));
}

export function sameSplit(a: Split, b: Split): boolean {
  const pools = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...pools].every((pool) => (a[pool] ?? 0) === (b[pool] ?? 0));
}

export function formatSplit(split: Split): string {
  const entries = Object.entries(split);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([pool, weight]) => `${pool}: ${weight}`).join(', ')}}`;
}

/** The pool that takes all traffic, if one does. */
export function livePool(split: Split): string | undefined {
  return Object.entries(split).find(([, weight]) => weight === 100)?.[0];
}

/** Pools at weight 0, in the given order. */
export function idlePools(split: Split, pools: readonly string[]): string[] {
  return pools.filter((pool) => (split[pool] ?? 0) === 0);
}

/**
 * The addresses of the pool named `name`, or undefined: own names only, since a name comes from an
 * input and "toString" or "constructor" found Object's (and crashed the actions).
 */
export function poolAddressesOf(pools: Readonly<Record<string, string[]>>, name: string): string[] | undefined {
  return Object.hasOwn(pools, name) ? pools[name] : undefined;
}
