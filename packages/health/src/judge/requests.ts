/**
 * The judgement of a request check (http probes, load balancer counters, Prometheus counters):
 * absolute limits as proportions, and the comparison with the baseline pool pair by pair. Pure.
 *
 * - Absolute: the share of the target's requests that failed or were slower than max-latency is
 *   "broken" when the data shows it above max-error-rate, "held" when it shows it at most that.
 * - Errors compared: requests of the two pools are paired (probes sent together; log lines and
 *   counters in order); a pair scores +1 when only the target's failed, -1 when only the
 *   baseline's, 0 otherwise. Its mean is the difference of the error rates. Harm: shown above the
 *   tolerance; health: shown at most the tolerance.
 * - Latency compared: for each pair both answered, the ratio target / baseline. Harm: the target is
 *   slower than baseline × (1 + tolerance) in more than half of the pairs (the median ratio is above
 *   1 + tolerance); health: in less than half. Pairs of probes sent together share the network and
 *   the load of their moment, which a pool-against-pool comparison of medians cannot cancel (on a
 *   loaded 2-core runner, 12 ms median and 60 ms p99 probes: 0.1% of A/A pairs differ by 20%).
 */
import type { PoolLook, RequestLimits, RequestOutcome } from '../check.js';
import { bernoulli, lowerBound, rejects, upperBound, type Tally } from './betting.js';

const UNIT = { lo: 0, hi: 1 };
const DIFFERENCE = { lo: -1, hi: 1 };
/** Unpaired requests kept for the next look: enough to pair across looks, bounded for busy pools. */
const MAX_PENDING = 20_000;

export interface PoolRequests {
  requests: number;
  failed: number;
  slow: number;
  /** Looks whose source failed: they count against health (failure-limit). */
  sourceFailures: number;
  /** Latencies of the requests that had one (for reports: quantiles). */
  latencies: number[];
  /** The last few problems, for people. */
  lastProblem?: string;
  /** Epoch ms of the first failed or slow request's look. */
  firstBadAt?: number;
}

export interface RequestEvidence {
  check: string;
  target: PoolRequests;
  baseline: PoolRequests;
  /** Pairs: how many scored +1 (only the target failed), 0, -1 (only the baseline failed). */
  pairs: { plus: number; zero: number; minus: number };
  /** Latency ratios target / baseline of pairs that both answered, in ascending order. */
  ratios: number[];
  pending: { target: RequestOutcome[]; baseline: RequestOutcome[] };
  /** Seeds the shuffle of requests known only as counts. */
  seed: number;
}

function emptyPool(): PoolRequests {
  return { requests: 0, failed: 0, slow: 0, sourceFailures: 0, latencies: [] };
}

export function emptyRequestEvidence(check: string): RequestEvidence {
  let seed = 2166136261;
  for (const char of check) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619) >>> 0;
  return { check, target: emptyPool(), baseline: emptyPool(), pairs: { plus: 0, zero: 0, minus: 0 }, ratios: [], pending: { target: [], baseline: [] }, seed };
}

/** mulberry32: a small seeded generator; the shuffle only needs to ignore the outcomes. */
function random(seed: number): { next: () => number; seed: () => number } {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    seed: () => state,
  };
}

/**
 * Requests known only as counts, in an order drawn at random: pairing them by position is then a
 * random matching that cannot depend on which failed.
 */
function countedRequests(total: number, failed: number, rng: ReturnType<typeof random>): RequestOutcome[] {
  const list: RequestOutcome[] = Array.from({ length: total }, (_, index) => ({ failed: index < failed }));
  for (let index = list.length - 1; index > 0; index--) {
    const other = Math.floor(rng.next() * (index + 1));
    [list[index], list[other]] = [list[other]!, list[index]!];
  }
  return list;
}

function addPool(pool: PoolRequests, look: PoolLook, requests: readonly RequestOutcome[]): PoolRequests {
  const next: PoolRequests = { ...pool, latencies: pool.latencies };
  if (look.outcome === 'source-failure') {
    next.sourceFailures += 1;
    next.lastProblem = look.error ?? 'source failure';
    return next;
  }
  const failed = requests.filter((request) => request.failed).length;
  const slow = requests.filter((request) => !request.failed && request.slow).length;
  next.requests += requests.length;
  next.failed += failed;
  next.slow += slow;
  for (const request of requests) if (request.latencyMs !== undefined) next.latencies.push(request.latencyMs);
  const problem = requests.find((request) => request.failed || request.slow);
  if (problem) next.lastProblem = `${problem.problem ?? 'failed'}${problem.address ? ` at ${problem.address}` : ''}`;
  if ((failed || slow) && next.firstBadAt === undefined) next.firstBadAt = look.at;
  return next;
}

/** Two ascending lists as one: a look adds its ratios in linear time, not a sort of them all. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a as number[];
  const merged = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < merged.length; k++) merged[k] = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
  return merged;
}

/** How many of the ascending `sorted` are above `limit`. */
function countAbove(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= limit) low = middle + 1;
    else high = middle;
  }
  return sorted.length - low;
}

/** Adds one look's evidence (the target's and the baseline's looks of one check). */
export function addRequestLook(evidence: RequestEvidence, looks: readonly PoolLook[], limits: RequestLimits): RequestEvidence {
  const rng = random(evidence.seed);
  const next: RequestEvidence = {
    ...evidence,
    pairs: { ...evidence.pairs },
    ratios: evidence.ratios,
    pending: { target: [...evidence.pending.target], baseline: [...evidence.pending.baseline] },
  };
  for (const role of ['target', 'baseline'] as const) {
    for (const look of looks.filter((candidate) => candidate.role === role)) {
      if (look.outcome === 'source-failure') {
        next[role] = addPool(next[role], look, []);
        continue;
      }
      const requests = look.requests ?? (look.counts ? countedRequests(look.counts.total, look.counts.failed, rng) : []);
      next[role] = addPool(next[role], look, requests);
      next.pending[role].push(...requests);
    }
  }
  const paired = Math.min(next.pending.target.length, next.pending.baseline.length);
  const targets = next.pending.target.splice(0, paired);
  const baselines = next.pending.baseline.splice(0, paired);
  const ratios: number[] = [];
  for (let index = 0; index < paired; index++) {
    const target = targets[index]!;
    const baseline = baselines[index]!;
    const score = Number(target.failed) - Number(baseline.failed);
    if (score > 0) next.pairs.plus += 1;
    else if (score < 0) next.pairs.minus += 1;
    else next.pairs.zero += 1;
    if (!target.failed && !baseline.failed && target.latencyMs !== undefined && baseline.latencyMs !== undefined) {
      const floor = limits.latencyFloorMs;
      ratios.push(Math.max(target.latencyMs, floor) / Math.max(baseline.latencyMs, floor));
    }
  }
  next.ratios = mergeSorted(
    evidence.ratios,
    ratios.sort((a, b) => a - b),
  );
  // Only one pool is ever ahead; what it has beyond MAX_PENDING is dropped oldest first (dropping by
  // position, not by outcome, keeps the pairing fair).
  for (const role of ['target', 'baseline'] as const) {
    const extra = next.pending[role].length - MAX_PENDING;
    if (extra > 0) next.pending[role].splice(0, extra);
  }
  next.seed = rng.seed();
  return next;
}

/** The levels the tests run at: harm-type tests share the false-abort budget, health tests do not. */
export interface Levels {
  harm: number;
  health: number;
}

export interface Tolerances {
  error: number;
  latency: number;
}

export interface Bounds {
  low: number;
  high: number;
}

export interface AbsoluteJudgement {
  requests: number;
  bad: number;
  rate: number;
  /** The share of failed or slow requests: between low and high. */
  bounds: Bounds;
  limit: number;
  broken: boolean;
  held: boolean;
}

export interface ComparedJudgement {
  metric: 'error-rate' | 'latency';
  pairs: number;
  /** error-rate: target and baseline error rates over the paired requests; latency: median ratio. */
  observed: number;
  target?: number;
  baseline?: number;
  /** error-rate: of the difference of the error rates; latency: of the median ratio. */
  bounds: Bounds;
  /** error-rate: the tolerated difference; latency: the tolerated ratio (1 + tolerance). */
  limit: number;
  harm: boolean;
  health: boolean;
}

export interface RequestJudgement {
  check: string;
  target: AbsoluteJudgement;
  baseline?: AbsoluteJudgement;
  errors?: ComparedJudgement;
  latency?: ComparedJudgement;
}

function absolute(pool: PoolRequests, limit: number, levels: Levels): AbsoluteJudgement {
  const bad = pool.failed + pool.slow;
  const tally = bernoulli(bad, pool.requests);
  const rate = pool.requests ? bad / pool.requests : NaN;
  return {
    requests: pool.requests,
    bad,
    rate,
    bounds: { low: lowerBound(tally, UNIT, levels.harm), high: upperBound(tally, UNIT, levels.health) },
    limit,
    // A limit of 0 allows no failure at all: one is enough, and no data can show "at most 0%".
    broken: limit <= 0 ? bad > 0 : rejects(tally, limit, 'above', UNIT, levels.harm),
    held: limit <= 0 ? false : pool.requests > 0 && rejects(tally, limit, 'below', UNIT, levels.health),
  };
}

function errorComparison(evidence: RequestEvidence, tolerance: number, levels: Levels): ComparedJudgement {
  const { plus, zero, minus } = evidence.pairs;
  const pairs = plus + zero + minus;
  const tally: Tally = [
    [1, plus],
    [0, zero],
    [-1, minus],
  ];
  return {
    metric: 'error-rate',
    pairs,
    observed: pairs ? (plus - minus) / pairs : NaN,
    target: evidence.target.requests ? evidence.target.failed / evidence.target.requests : NaN,
    baseline: evidence.baseline.requests ? evidence.baseline.failed / evidence.baseline.requests : NaN,
    bounds: { low: lowerBound(tally, DIFFERENCE, levels.harm), high: upperBound(tally, DIFFERENCE, levels.health) },
    limit: tolerance,
    harm: pairs > 0 && rejects(tally, tolerance, 'above', DIFFERENCE, levels.harm),
    health: pairs > 0 && rejects(tally, tolerance, 'below', DIFFERENCE, levels.health),
  };
}

/**
 * Out of n pairs, the fewest "slower than k" ones that show P(ratio > k) > 1/2 (harm) and the most
 * that still show P(ratio > k) < 1/2 (health). Both tests are monotone in the count, so bisections
 * find them; n + 1 and -1 when no count does.
 */
function thresholds(n: number, levels: Levels): { harmFrom: number; healthUpTo: number } {
  const harm = (count: number) => rejects(bernoulli(count, n), 0.5, 'above', UNIT, levels.harm);
  const health = (count: number) => rejects(bernoulli(count, n), 0.5, 'below', UNIT, levels.health);
  let harmFrom = n + 1;
  if (n > 0 && harm(n)) {
    let low = 0;
    let high = n;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (harm(middle)) high = middle;
      else low = middle + 1;
    }
    harmFrom = low;
  }
  let healthUpTo = -1;
  if (n > 0 && health(0)) {
    let low = 0;
    let high = n;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (health(middle)) low = middle;
      else high = middle - 1;
    }
    healthUpTo = low;
  }
  return { harmFrom, healthUpTo };
}

function latencyComparison(sorted: readonly number[], tolerance: number, levels: Levels): ComparedJudgement {
  const n = sorted.length;
  const limit = 1 + tolerance;
  const slower = countAbove(sorted, limit);
  const { harmFrom, healthUpTo } = thresholds(n, levels);
  // P(ratio > k) > 1/2 is shown for every k below the harmFrom-th largest ratio; < 1/2 for every k
  // at or above the (healthUpTo + 1)-th largest.
  const low = harmFrom <= n && harmFrom > 0 ? sorted[n - harmFrom]! : 0;
  const high = healthUpTo >= 0 && healthUpTo < n ? sorted[n - healthUpTo - 1]! : Infinity;
  const median = n ? (sorted[Math.floor((n - 1) / 2)]! + sorted[Math.ceil((n - 1) / 2)]!) / 2 : NaN;
  return {
    metric: 'latency',
    pairs: n,
    observed: median,
    bounds: { low, high },
    limit,
    harm: n > 0 && slower >= harmFrom,
    health: n > 0 && healthUpTo >= 0 && slower <= healthUpTo,
  };
}

/** Every test of a request check on the evidence so far. */
export function judgeRequests(
  evidence: RequestEvidence,
  options: { limits: RequestLimits; tolerances: Tolerances; levels: Levels; compared: boolean },
): RequestJudgement {
  const judgement: RequestJudgement = { check: evidence.check, target: absolute(evidence.target, options.limits.maxErrorRate, options.levels) };
  if (!options.compared) return judgement;
  judgement.baseline = absolute(evidence.baseline, options.limits.maxErrorRate, options.levels);
  judgement.errors = errorComparison(evidence, options.tolerances.error, options.levels);
  if (evidence.ratios.length || evidence.target.latencies.length)
    judgement.latency = latencyComparison(evidence.ratios, options.tolerances.latency, options.levels);
  return judgement;
}
