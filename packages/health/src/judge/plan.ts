/**
 * How much evidence a watch needs, and how many probes a look sends to get it in time. Pure.
 *
 * The need is computed for a clean pool (no failure at all): the fewest requests per pool after
 * which the tests can show the limit held and, compared, the error rate within the tolerance. Any
 * failure makes the need larger; then the watch keeps probing at max-rate past the duration, up to
 * its deadline.
 */
import { rejects } from './betting.js';
import type { Levels, Tolerances } from './requests.js';

export interface NeedInput {
  levels: Levels;
  tolerances: Tolerances;
  maxErrorRate: number;
  compared: boolean;
}

const UNIT = { lo: 0, hi: 1 };
const DIFFERENCE = { lo: -1, hi: 1 };

/** The smallest n in [1, 10^7] for which `shown(n)` holds (monotone), or Infinity. */
function smallest(shown: (n: number) => boolean): number {
  let high = 1;
  while (!shown(high)) {
    high *= 2;
    if (high > 1e7) return Infinity;
  }
  let low = Math.floor(high / 2) + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (shown(middle)) high = middle;
    else low = middle + 1;
  }
  return high;
}

/** Requests per pool a clean pool needs for a healthy verdict. */
export function cleanNeed(input: NeedInput): number {
  const held = input.maxErrorRate > 0 ? smallest((n) => rejects([[0, n]], input.maxErrorRate, 'below', UNIT, input.levels.health)) : Infinity;
  if (!input.compared) return held;
  const errors = smallest((n) => rejects([[0, n]], input.tolerances.error, 'below', DIFFERENCE, input.levels.health));
  return Math.max(held, errors);
}

/**
 * The smallest regressions `n` requests per pool can show, against a clean baseline: the error-rate
 * difference (points) and the failed share, each at least as large as the tolerance and the limit.
 */
export function detectable(n: number, input: NeedInput): { errorDifference: number; failedShare: number } {
  const shownAbove = (m: number, range: { lo: number; hi: number }) => (rate: number) =>
    rejects(
      [
        [1, Math.round(rate * n)],
        [0, n - Math.round(rate * n)],
      ],
      m,
      'above',
      range,
      input.levels.harm,
    );
  const search = (test: (rate: number) => boolean, from: number): number => {
    if (!test(1)) return Infinity;
    let low = from;
    let high = 1;
    for (let step = 0; step < 40; step++) {
      const middle = (low + high) / 2;
      if (test(middle)) high = middle;
      else low = middle;
    }
    return high;
  };
  return {
    errorDifference: input.compared ? search(shownAbove(input.tolerances.error, DIFFERENCE), input.tolerances.error) : NaN,
    failedShare: search(shownAbove(input.maxErrorRate, UNIT), input.maxErrorRate),
  };
}

export interface ProbePlanInput extends NeedInput {
  durationMs: number;
  intervalMs: number;
  /** The most addresses a pool probed has, and the fewest (max-rate holds for each address). */
  addresses: { most: number; fewest: number };
  maxRate: number;
  /** A fixed number of requests per address and look (the check's `requests`). */
  fixed?: number;
}

export interface ProbePlan {
  /** Requests per pool a clean pool needs. */
  need: number;
  /** Requests per pool per look until the duration; afterwards `most`. */
  perLook: number;
  most: number;
  /** Requests per pool by the end of the duration, at perLook. */
  byDuration: number;
  /** The requests of a look are spread over this long. */
  spreadMs: number;
}

/** Looks a watch makes within its duration: at 0, interval, ... up to the duration. */
export function looksWithin(durationMs: number, intervalMs: number): number {
  return Math.floor(durationMs / intervalMs) + 1;
}

export function planProbes(input: ProbePlanInput): ProbePlan {
  const looks = looksWithin(input.durationMs, input.intervalMs);
  const need = cleanNeed(input);
  // max-rate per address: a pool can take as many per look as its fewest-address side allows.
  const most = Math.max(input.addresses.most, Math.floor((input.maxRate * input.intervalMs * input.addresses.fewest) / 1000));
  // A quarter more than a clean pool needs: a failure or two still decide within the duration.
  const wanted = Number.isFinite(need) ? Math.ceil((need * 1.25) / looks) : most;
  const perLook = input.fixed !== undefined ? input.fixed * input.addresses.most : Math.min(most, Math.max(input.addresses.most, wanted));
  return {
    need,
    perLook,
    most: input.fixed !== undefined ? perLook : most,
    byDuration: perLook * looks,
    // Most of the interval, so that a look ends before the next one starts.
    spreadMs: Math.round(input.intervalMs * 0.8),
  };
}
