/**
 * Anytime-valid tests by betting, the one piece of statistics every judgement stands on. Pure.
 *
 * To test "the mean of some values (each in [lo, hi]) is at most m", a gambler starts with 1 and,
 * on each value v, multiplies the wealth by 1 + λ(v - m), with λ ≥ 0 small enough that the factor
 * never goes below 0. If the mean really is at most m, the expected factor is at most 1 whatever
 * came before: the wealth is a nonnegative supermartingale, and by Ville's inequality the chance
 * that it EVER reaches 1/α is at most α — however many values, however often anyone looks, and
 * with values arriving in batches of any size. Rejecting the hypothesis when the wealth reaches 1/α
 * is therefore a test at level α that may be checked after every request (Shafer & Vovk; Howard,
 * Ramdas, McAuliffe & Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences",
 * 2021; Waudby-Smith & Ramdas, "Estimating means of bounded random variables by betting", 2024).
 *
 * Cutover bets with a fixed set of stakes at once and averages their wealth (an average of test
 * supermartingales is one). Fixed stakes make the wealth depend only on how many times each value
 * was seen, not on their order: a look's counts are enough, and a look of 10,000 requests costs no
 * more than one of 10. The stakes and their weights favour large bets, which decide fastest when
 * failures are rare (the usual case: a clean service): with these, "a clean canary fails at most
 * 1 point more than a clean baseline" is shown after 370 request pairs at α = 5%, against 480 for
 * the same stakes weighted equally and 640 for eleven stakes from 0.005 to 0.99 (simulated, see
 * bench/analysis.ts; the large-bet weight barely slows the detection of harm: 98.6% against 98.3%
 * of 1%→5% canaries caught within 1,200 pairs).
 *
 * Bounds come from inverting the tests: the lower bound of a mean is the smallest m that "mean ≤ m"
 * cannot be rejected for, and so on. A bound and a test at the same level always agree.
 */

/** Stake (a fraction of the largest safe bet) and its weight in the average; weights sum to 1. */
export const STAKES: readonly (readonly [stake: number, weight: number])[] = [
  [0.99, 0.3],
  [0.9, 0.2],
  [0.75, 0.15],
  [0.5, 0.12],
  [0.3, 0.09],
  [0.15, 0.07],
  [0.05, 0.04],
  [0.015, 0.03],
];

/** How many times each value was seen: [value, count] pairs (a value may repeat). */
export type Tally = readonly (readonly [value: number, count: number])[];

/** The range the values lie in: the bets must stay safe at both ends. */
export interface Range {
  lo: number;
  hi: number;
}

/**
 * Which hypothesis is bet against: 'above' bets that the mean exceeds m (rejects "mean ≤ m"),
 * 'below' that it falls short of m (rejects "mean ≥ m").
 */
export type Side = 'above' | 'below';

function logSumExp(values: readonly number[]): number {
  const top = Math.max(...values);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(values.reduce((sum, value) => sum + Math.exp(value - top), 0));
}

/** The log of the averaged wealth after `tally`, betting on `side` of m. */
export function logWealth(tally: Tally, m: number, side: Side, range: Range): number {
  // The largest λ that keeps every factor nonnegative: at v = lo (side above) or v = hi (below).
  const room = side === 'above' ? m - range.lo : range.hi - m;
  // m at the end of the range: "mean ≤ lo" can be rejected by any value above lo (and "mean ≥ hi"
  // by any below hi), with all the wealth on it; no value beyond them ever counts against it.
  if (room <= 0) {
    const against = tally.some(([value, count]) => count > 0 && (side === 'above' ? value > m : value < m));
    return against ? Infinity : 0;
  }
  const direction = side === 'above' ? 1 : -1;
  return logSumExp(
    STAKES.map(([stake, weight]) => {
      const lambda = stake / room;
      let sum = Math.log(weight);
      for (const [value, count] of tally) if (count > 0) sum += count * Math.log1p(lambda * direction * (value - m));
      return sum;
    }),
  );
}

/** The hypothesis on the other side of `side` is rejected at level alpha. */
export function rejects(tally: Tally, m: number, side: Side, range: Range, alpha: number): boolean {
  return logWealth(tally, m, side, range) >= Math.log(1 / alpha);
}

/**
 * The lower confidence bound of the mean: the smallest m for which "mean ≤ m" is not rejected at
 * level alpha (the wealth betting above m falls as m rises). range.lo when nothing is rejected.
 */
export function lowerBound(tally: Tally, range: Range, alpha: number): number {
  if (!rejects(tally, range.lo, 'above', range, alpha)) return range.lo;
  let rejected = range.lo;
  let kept = range.hi;
  for (let step = 0; step < 48; step++) {
    const middle = (rejected + kept) / 2;
    if (rejects(tally, middle, 'above', range, alpha)) rejected = middle;
    else kept = middle;
  }
  return kept;
}

/** The upper confidence bound of the mean: the largest m for which "mean ≥ m" is not rejected. */
export function upperBound(tally: Tally, range: Range, alpha: number): number {
  if (!rejects(tally, range.hi, 'below', range, alpha)) return range.hi;
  let kept = range.lo;
  let rejected = range.hi;
  for (let step = 0; step < 48; step++) {
    const middle = (kept + rejected) / 2;
    if (rejects(tally, middle, 'below', range, alpha)) rejected = middle;
    else kept = middle;
  }
  return kept;
}

/** The tally of Bernoulli outcomes: `hits` ones among `total`. */
export function bernoulli(hits: number, total: number): Tally {
  return [
    [1, hits],
    [0, total - hits],
  ];
}
