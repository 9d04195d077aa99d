// The judgement on simulated traffic, at the defaults (confidence 0.95, tolerances 1 point and ×1.2,
// max-error-rate 2%), through the real engine (watch) with a simulated clock: a traffic check whose
// pools take R requests per second each, counted per look like a load balancer's counters (with
// per-request latencies, as nginx's access log gives them). 1,000 trials per row.
import { manualClock, watch, type Check, type LookContext, type PoolLook, type RequestOutcome } from '@cutover/health';
import { quantile } from './_shared.js';

const TRIALS = Number(process.env.TRIALS ?? 1000);
/** A canary step watched like health-watch's default: 5 minutes, a look every 10 s. */
const DURATION_MS = 5 * 60_000;
const INTERVAL_MS = 10_000;
const BASE_ERROR_RATE = 0.01;
const MEDIAN_MS = 100;
/** Lognormal spread: p95 = median x e^(1.645 * 0.5) = 2.3 x median, a realistic tail. */
const SIGMA = 0.5;

/** Mulberry32: a seeded generator, so every run measures the same trials. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

interface PoolModel {
  errorRate: number;
  slowdown: number;
}

/** Users' requests through a load balancer: `rate` per second per pool, each failing or not, timed. */
function simulatedTraffic(next: () => number, models: Record<string, PoolModel>, now: () => number, rate: number): Check {
  // Counters read at a look hold what came since the previous one: nothing at the first look.
  let last = now();
  let span = 0;
  const requests = (pool: string): RequestOutcome[] => {
    const model = models[pool]!;
    return Array.from({ length: Math.round((rate * span) / 1000) }, () => {
      const failed = next() < model.errorRate;
      const latencyMs = Math.round(MEDIAN_MS * model.slowdown * Math.exp(SIGMA * normal(next)) * 10) / 10;
      return { failed, latencyMs, ...(failed ? { status: 500 } : { status: 200 }) };
    });
  };
  const look = (role: PoolLook['role'], pool: string): PoolLook => ({
    check: 'users',
    kind: 'traffic',
    role,
    pool,
    at: now(),
    outcome: 'pass',
    requests: requests(pool),
  });
  return {
    name: 'users',
    kind: 'traffic',
    main: true,
    threshold: 'at most 2% failed',
    unit: 'ms',
    measures: 'requests',
    limits: { maxErrorRate: 0.02, latencyFloorMs: 1 },
    needsBaseline: false,
    look: async (context: LookContext) => {
      span = now() - last;
      last = now();
      return [look('target', context.pool), look('baseline', context.baselinePool!)];
    },
  };
}

interface Scenario {
  name: string;
  canary: PoolModel;
  /** What a right judgement is: the canary kept (healthy) or stopped (unhealthy). */
  expect: 'healthy' | 'unhealthy';
  rate: number;
  /** The canary's steps share the false-alarm budget: 3 for the default steps 5, 25, 50, 100. */
  family: number;
}

const scenarios: Scenario[] = [
  { name: 'A/A (identical pools, 1% errors)', canary: { errorRate: BASE_ERROR_RATE, slowdown: 1 }, expect: 'healthy', rate: 20, family: 3 },
  { name: 'A/A (identical pools, 1% errors)', canary: { errorRate: BASE_ERROR_RATE, slowdown: 1 }, expect: 'healthy', rate: 100, family: 3 },
  { name: 'errors 1% -> 3% (twice the tolerance)', canary: { errorRate: 0.03, slowdown: 1 }, expect: 'unhealthy', rate: 20, family: 3 },
  { name: 'latency +40% (twice the tolerance)', canary: { errorRate: BASE_ERROR_RATE, slowdown: 1.4 }, expect: 'unhealthy', rate: 20, family: 3 },
  { name: 'errors 1% -> 5%', canary: { errorRate: 0.05, slowdown: 1 }, expect: 'unhealthy', rate: 20, family: 3 },
  { name: 'errors 1% -> 25%', canary: { errorRate: 0.25, slowdown: 1 }, expect: 'unhealthy', rate: 20, family: 3 },
];

/** Rates of traffic per pool, and baseline error rates, for the "time to decide" table. */
const DECIDE_RATES = [5, 20, 100];
const DECIDE_BASE_ERRORS = [0, 0.01];
const DECIDE_TRIALS = Math.max(50, Math.round(TRIALS / 5));
const DECIDE_INTERVAL_MS = 5000;

/**
 * How long an identical canary (A/A) takes to be called healthy at a given traffic per pool, when
 * the step's duration does not hold it back: the evidence alone, at the defaults.
 */
async function decisionTimes(): Promise<object[]> {
  const rows = [];
  let seed = 3000;
  for (const errorRate of DECIDE_BASE_ERRORS)
    for (const rate of DECIDE_RATES) {
      const next = random(seed++);
      const seconds: number[] = [];
      let undecided = 0;
      for (let trial = 0; trial < DECIDE_TRIALS; trial++) {
        const clock = manualClock(0);
        const model = { errorRate, slowdown: 1 };
        const check = simulatedTraffic(next, { stable: model, canary: model }, clock.now, rate);
        const report = await watch({
          checks: [check],
          target: { name: 'canary', addresses: ['a:1'] },
          baseline: { name: 'stable', addresses: ['b:1'] },
          duration: DECIDE_INTERVAL_MS,
          interval: DECIDE_INTERVAL_MS,
          deadline: 30 * 60_000,
          family: 3,
          clock,
        });
        if (report.verdict === 'healthy') seconds.push(report.elapsedMs / 1000);
        else undecided += 1;
      }
      rows.push({
        baselineErrorRate: errorRate,
        requestsPerSecondPerPool: rate,
        trials: DECIDE_TRIALS,
        healthy: seconds.length,
        undecidedIn30Minutes: undecided,
        medianSeconds: seconds.length ? quantile(seconds, 0.5) : null,
        p90Seconds: seconds.length ? quantile(seconds, 0.9) : null,
      });
    }
  return rows;
}

export async function run(): Promise<object> {
  const rows = [];
  let seed = 2000;
  for (const scenario of scenarios) {
    const next = random(seed++);
    const verdicts = { healthy: 0, unhealthy: 0, inconclusive: 0 };
    const seconds: number[] = [];
    const causes = new Map<string, number>();
    for (let trial = 0; trial < TRIALS; trial++) {
      const clock = manualClock(0);
      const check = simulatedTraffic(next, { stable: { errorRate: BASE_ERROR_RATE, slowdown: 1 }, canary: scenario.canary }, clock.now, scenario.rate);
      const report = await watch({
        checks: [check],
        target: { name: 'canary', addresses: ['a:1'] },
        baseline: { name: 'stable', addresses: ['b:1'] },
        duration: DURATION_MS,
        interval: INTERVAL_MS,
        family: scenario.family,
        clock,
      });
      verdicts[report.verdict] += 1;
      if (report.verdict === scenario.expect) seconds.push(report.elapsedMs / 1000);
      if (report.verdict === 'unhealthy') {
        const cause = report.reason.includes('latency worse') ? 'latency' : report.reason.includes('error rate worse') ? 'error-rate' : 'limit';
        causes.set(cause, (causes.get(cause) ?? 0) + 1);
      }
    }
    const wrong = scenario.expect === 'healthy' ? verdicts.unhealthy + verdicts.inconclusive : verdicts.healthy;
    rows.push({
      scenario: scenario.name,
      requestsPerSecondPerPool: scenario.rate,
      trials: TRIALS,
      ...verdicts,
      // A/A: every abort (unhealthy, or inconclusive at the deadline) is a false one; a worse canary: a promotion is a bad one.
      [scenario.expect === 'healthy' ? 'falseAbortRate' : 'badPromotionRate']: wrong / TRIALS,
      ...(scenario.expect === 'unhealthy' ? { detectedWithin60s: seconds.filter((s) => s <= 60).length / TRIALS } : {}),
      medianSeconds: seconds.length ? quantile(seconds, 0.5) : null,
      p90Seconds: seconds.length ? quantile(seconds, 0.9) : null,
      causes: Object.fromEntries(causes),
    });
  }
  const settings = {
    durationSeconds: DURATION_MS / 1000,
    intervalSeconds: INTERVAL_MS / 1000,
    deadlineSeconds: 2 * (DURATION_MS / 1000),
    confidence: 0.95,
    errorTolerance: 0.01,
    latencyTolerance: 0.2,
    maxErrorRate: 0.02,
    family: 3,
    baseline: { errorRate: BASE_ERROR_RATE, medianMs: MEDIAN_MS, lognormalSigma: SIGMA },
  };
  console.table(rows.map(({ causes, ...row }) => ({ ...row, causes: JSON.stringify(causes) })));
  const decide = await decisionTimes();
  console.table(decide);
  return { settings, rows, decisionTimes: { intervalSeconds: DECIDE_INTERVAL_MS / 1000, family: 3, rows: decide } };
}

export default run;
