/** Pure arithmetic of splits as routers realize them: transition order, shares, per-server weights. */
import type { Split } from '@cutover/config';

/** One pool's weight moving from `from` to `to`. */
export interface WeightChange {
  pool: string;
  from: number;
  to: number;
}

/**
 * The changes from one split to another, make-before-break: every raise first, then every lower,
 * so that at no moment do the pools that take traffic have less capacity than before or after.
 * (HAProxy measured: the other order left the backend empty for a moment, thousands of 503s.)
 * Unchanged pools are left out; pools missing from a split count as 0.
 */
export function planTransition(from: Split, to: Split): WeightChange[] {
  const pools = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  const changes = pools.map((pool) => ({ pool, from: from[pool] ?? 0, to: to[pool] ?? 0 })).filter((change) => change.from !== change.to);
  return [...changes.filter((c) => c.to > c.from), ...changes.filter((c) => c.to < c.from)];
}

/**
 * Shares `total` out in whole numbers in proportion to `amounts`, by largest remainder, ties to the
 * earlier key. All zero -> all 0.
 */
export function apportion(amounts: Record<string, number>, total: number): Record<string, number> {
  const entries = Object.entries(amounts);
  const sum = entries.reduce((acc, [, amount]) => acc + amount, 0);
  if (sum <= 0) return Object.fromEntries(entries.map(([key]) => [key, 0]));
  const exact = entries.map(([key, amount], index) => ({ key, index, exact: (amount * total) / sum }));
  const shares: Record<string, number> = Object.fromEntries(exact.map((e) => [e.key, Math.floor(e.exact)]));
  let left = total - Object.values(shares).reduce((acc, share) => acc + share, 0);
  const byRemainder = [...exact].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.index - b.index);
  for (const e of byRemainder) {
    if (left <= 0) break;
    shares[e.key] = shares[e.key]! + 1;
    left -= 1;
  }
  return shares;
}

/** Raw amounts per pool (summed server weights, host counts) as a split summing to 100. */
export function sharesToSplit(amounts: Record<string, number>): Split {
  return apportion(amounts, 100);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The weight each server of a pool gets so that the pool's share of traffic is its weight in the
 * split, whatever the number of servers per pool: pool p's servers each get w_p * M / n_p, with M
 * the least common multiple of the server counts, reduced by the common divisor and, when a
 * router has a ceiling (HAProxy: 256), scaled under it. Pools at 0 get 0.
 */
export function serverWeights(split: Split, serverCounts: Record<string, number>, ceiling = Number.MAX_SAFE_INTEGER): Record<string, number> {
  const active = Object.entries(split).filter(([pool, weight]) => weight > 0 && (serverCounts[pool] ?? 0) > 0);
  const lcm = active.reduce((m, [pool]) => (m * serverCounts[pool]!) / gcd(m, serverCounts[pool]!), 1);
  const raw: Record<string, number> = Object.fromEntries(Object.keys(split).map((pool) => [pool, 0]));
  for (const [pool, weight] of active) raw[pool] = (weight * lcm) / serverCounts[pool]!;
  const divisor =
    Object.values(raw)
      .filter((w) => w > 0)
      .reduce((d, w) => gcd(d, w), 0) || 1;
  let max = 0;
  for (const pool of Object.keys(raw)) {
    raw[pool] = raw[pool]! / divisor;
    max = Math.max(max, raw[pool]!);
  }
  if (max > ceiling) {
    for (const pool of Object.keys(raw)) {
      if (raw[pool]! > 0) raw[pool] = Math.max(1, Math.round((raw[pool]! * ceiling) / max));
    }
  }
  return raw;
}

/** The split that servers weighted by serverWeights actually carry: what a router reads back. */
export function realizedSplit(split: Split, serverCounts: Record<string, number>, ceiling?: number): Split {
  const weights = serverWeights(split, serverCounts, ceiling);
  return sharesToSplit(Object.fromEntries(Object.keys(split).map((pool) => [pool, (weights[pool] ?? 0) * (serverCounts[pool] ?? 0)])));
}
