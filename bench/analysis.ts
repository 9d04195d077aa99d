// The comparative analysis on simulated pools: false alarms on identical pools (A/A), and detection
// of a worse target (1% -> 5% errors, or +50% latency at every quantile, so p95 too), 1,000 trials
// each, through the real engine (watch) with a simulated clock and simulated http samples.
import { makeSample, manualClock, watch, type Check, type Sample, type SampleContext } from '@cutover/health';
import { quantile } from './_shared.js';

const TRIALS = 1000;
const DURATION_MS = 5 * 60_000;
const INTERVAL_MS = 10_000;
/** Requests per pool per interval: two addresses, `requests: 10` each (and 30 each: more traffic). */
const TRAFFIC = [20, 60];
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

function simulatedHttpCheck(next: () => number, models: Record<string, PoolModel>, now: () => number, perInterval: number): Check {
  const requests = (pool: string, role: Sample['role']): Sample[] =>
    Array.from({ length: perInterval }, () => {
      const model = models[pool]!;
      const failed = next() < model.errorRate;
      const latencyMs = Math.round(MEDIAN_MS * model.slowdown * Math.exp(SIGMA * normal(next)) * 10) / 10;
      return makeSample({
        check: 'http',
        kind: 'http',
        role,
        pool,
        at: now(),
        outcome: failed ? 'fail' : 'pass',
        answered: !failed,
        latencyMs,
        value: latencyMs,
        ...(failed ? { status: 500, error: 'status 500' } : { status: 200 }),
      });
    });
  return {
    name: 'http',
    kind: 'http',
    main: true,
    threshold: 'status 200-299',
    unit: 'ms',
    needsBaseline: false,
    sample: async (context: SampleContext) => [...requests(context.pool, 'target'), ...requests(context.baselinePool!, 'baseline')],
  };
}

interface Scenario {
  name: string;
  canary: PoolModel;
  aa: boolean;
}

const scenarios: Scenario[] = [
  { name: 'A/A (identical pools)', canary: { errorRate: BASE_ERROR_RATE, slowdown: 1 }, aa: true },
  { name: 'errors 1% -> 5%', canary: { errorRate: 0.05, slowdown: 1 }, aa: false },
  { name: 'latency +50% (p95 too)', canary: { errorRate: BASE_ERROR_RATE, slowdown: 1.5 }, aa: false },
];

export async function run(): Promise<object> {
  const rows = [];
  let seed = 1000;
  for (const perInterval of TRAFFIC)
  for (const scenario of scenarios) {
    const next = random(seed++);
    let alarms = 0;
    let healthy = 0;
    const detectionSeconds: number[] = [];
    const detectionLooks: number[] = [];
    const causes = new Map<string, number>();
    for (let trial = 0; trial < TRIALS; trial++) {
      const clock = manualClock(0);
      const check = simulatedHttpCheck(next, { stable: { errorRate: BASE_ERROR_RATE, slowdown: 1 }, canary: scenario.canary }, clock.now, perInterval);
      const report = await watch({
        checks: [check],
        target: { name: 'canary', addresses: ['a:1', 'b:1'] },
        baseline: { name: 'stable', addresses: ['c:1', 'd:1'] },
        duration: DURATION_MS,
        interval: INTERVAL_MS,
        minSamples: 50,
        clock,
      });
      if (report.verdict === 'unhealthy') {
        alarms += 1;
        detectionSeconds.push(report.elapsedMs / 1000);
        detectionLooks.push(report.looks);
        for (const comparison of report.comparisons.filter((c) => c.failed)) causes.set(comparison.metric, (causes.get(comparison.metric) ?? 0) + 1);
      } else if (report.verdict === 'healthy') healthy += 1;
    }
    const rate = alarms / TRIALS;
    rows.push({
      scenario: scenario.name,
      requestsPerInterval: perInterval,
      trials: TRIALS,
      unhealthy: alarms,
      healthy,
      inconclusive: TRIALS - alarms - healthy,
      [scenario.aa ? 'falseAlarmRate' : 'detectionRate']: rate,
      // The fault is there from the start; the first look is at 0 s, the next every interval.
      medianLooksToDetection: detectionLooks.length ? quantile(detectionLooks, 0.5) : null,
      medianSecondsToDetection: detectionSeconds.length ? quantile(detectionSeconds, 0.5) : null,
      p90SecondsToDetection: detectionSeconds.length ? quantile(detectionSeconds, 0.9) : null,
      causes: Object.fromEntries(causes),
    });
  }
  const settings = {
    durationSeconds: DURATION_MS / 1000,
    intervalSeconds: INTERVAL_MS / 1000,
    requestsPerPoolPerInterval: TRAFFIC,
    minSamples: 50,
    confidence: 0.95,
    errorTolerance: 0.01,
    latencyTolerance: 0.2,
    baseline: { errorRate: BASE_ERROR_RATE, medianMs: MEDIAN_MS, lognormalSigma: SIGMA },
  };
  console.table(rows.map(({ causes, ...row }) => ({ ...row, causes: JSON.stringify(causes) })));
  const falseAlarmRate = Math.max(...rows.filter((row) => 'falseAlarmRate' in row).map((row) => row.falseAlarmRate as number));
  console.log(`worst false alarm rate on identical pools: ${(falseAlarmRate * 100).toFixed(1)}% (must stay under 1%)`);
  if (falseAlarmRate >= 0.01) throw new Error(`false alarm rate ${falseAlarmRate} is not under 1%`);
  return { settings, rows };
}

export default run;
