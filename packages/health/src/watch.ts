/**
 * The watch engine: samples every check each interval, judges each interval, decides after each
 * one (analysis/decide.ts), and reports everything. health-watch, canary-step and rollback use it.
 */
import type { Check, Sample } from './check.js';
import { makeSample } from './check.js';
import { systemClock, type Clock } from './clock.js';
import { compareLook, type Comparison } from './analysis/compare.js';
import { decide, type Decision, type Verdict } from './analysis/decide.js';
import { addInterval, emptyTally, judgeInterval, type CheckTally, type IntervalCheck } from './analysis/interval.js';
import { buildReport, type WatchReport } from './report.js';
import { errorMessage } from '@cutover/config';

export interface PoolRef {
  name: string;
  addresses: string[];
}

export interface WatchOptions {
  checks: Check[];
  target: PoolRef;
  /** Comparative mode: http checks are compared with this pool, relative prometheus limits use it. */
  baseline?: PoolRef;
  /** How long to watch (ms). */
  duration: number;
  /** Time between looks (ms). */
  interval: number;
  /** Latest verdict time (ms since the start), when data is short; at least `duration`. Default 2 × duration. */
  deadline?: number;
  /** Measured samples each check needs (per pool when compared). Default min(5, looks in the duration). */
  minSamples?: number;
  /** Bad intervals in a row that make the watch unhealthy. Default 3. */
  failureLimit?: number;
  /** Of the comparisons; default 0.95: at most 5% chance of any false alarm over the whole watch. */
  confidence?: number;
  /** Comparisons: error-rate increase tolerated (absolute; default 0.01). */
  errorTolerance?: number;
  /** Comparisons: median latency increase tolerated (ratio; default 0.2). */
  latencyTolerance?: number;
  /** Whether an inconclusive verdict passes (report.passed). Default fail. */
  inconclusive?: 'fail' | 'pass';
  signal?: AbortSignal;
  onInterval?: (record: IntervalRecord) => void | Promise<void>;
  clock?: Clock;
}

export interface IntervalRecord {
  look: number;
  /** Epoch ms when the look's samples were in. */
  at: number;
  elapsedMs: number;
  checks: IntervalCheck[];
  comparisons: Comparison[];
  decision: Decision;
}

export interface WatchSettings {
  target: PoolRef;
  baseline?: PoolRef;
  duration: number;
  interval: number;
  deadline: number;
  minSamples: number;
  failureLimit: number;
  confidence: number;
  errorTolerance: number;
  latencyTolerance: number;
  inconclusive: 'fail' | 'pass';
  /** Looks the comparisons' alpha is spread over: every look up to the deadline. */
  plannedLooks: number;
}

export const WATCH_DEFAULTS = { failureLimit: 3, confidence: 0.95, errorTolerance: 0.01, latencyTolerance: 0.2, minSamples: 5 };

export function watchSettings(options: WatchOptions): WatchSettings {
  const positive = (value: number, name: string) => {
    if (!(Number.isFinite(value) && value > 0)) throw new Error(`watch: ${name} must be a positive number, got ${value}`);
    return value;
  };
  const duration = positive(options.duration, 'duration');
  const interval = positive(options.interval, 'interval');
  const deadline = Math.max(duration, options.deadline ?? 2 * duration);
  const durationLooks = Math.floor(duration / interval) + 1;
  // Alpha is spread over every look the watch may make, up to the deadline (the look that reaches
  // it is the last): a plan of the duration's looks alone would leave later looks nothing to spend.
  const plannedLooks = Math.ceil(deadline / interval) + 1;
  const confidence = options.confidence ?? WATCH_DEFAULTS.confidence;
  if (!(confidence > 0.5 && confidence < 1)) throw new Error(`watch: confidence must be between 0.5 and 1, got ${confidence}`);
  if (options.checks.length === 0) throw new Error('watch: no checks to watch');
  const lonely = options.checks.filter((check) => check.needsBaseline);
  if (lonely.length && !options.baseline) {
    throw new Error(`watch: ${lonely.map((check) => check.name).join(', ')} only compare with a baseline pool; set a baseline or leave them out`);
  }
  return {
    target: options.target,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    duration,
    interval,
    deadline,
    minSamples: positive(options.minSamples ?? Math.min(WATCH_DEFAULTS.minSamples, durationLooks), 'minSamples'),
    failureLimit: positive(options.failureLimit ?? WATCH_DEFAULTS.failureLimit, 'failureLimit'),
    confidence,
    errorTolerance: options.errorTolerance ?? WATCH_DEFAULTS.errorTolerance,
    latencyTolerance: options.latencyTolerance ?? WATCH_DEFAULTS.latencyTolerance,
    inconclusive: options.inconclusive ?? 'fail',
    plannedLooks,
  };
}

/** Samples a check, turning a thrown error into a source failure: nothing is skipped silently. */
async function sampleCheck(check: Check, settings: WatchSettings, signal?: AbortSignal): Promise<Sample[]> {
  try {
    return await check.sample({
      pool: settings.target.name,
      addresses: settings.target.addresses,
      ...(settings.baseline ? { baselinePool: settings.baseline.name, baselineAddresses: settings.baseline.addresses } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    return [
      makeSample({
        check: check.name,
        kind: check.kind,
        role: 'target',
        pool: settings.target.name,
        outcome: 'source-failure',
        error: errorMessage(error),
      }),
    ];
  }
}

export async function watch(options: WatchOptions): Promise<WatchReport> {
  const settings = watchSettings(options);
  const clock = options.clock ?? systemClock;
  const { checks, signal } = options;
  const compared = settings.baseline ? checks.filter((check) => check.kind === 'http').map((check) => check.name) : [];
  const started = clock.now();
  const samples: Sample[] = [];
  const intervals: IntervalRecord[] = [];
  let tallies: CheckTally[] = checks.map((check) => emptyTally(check.name));
  let spent: Record<string, number> = {};
  let comparisons: Comparison[] = [];
  let decision: Decision | undefined;

  for (let look = 1; !decision; look++) {
    const stopped = (): Decision => {
      const at = clock.now();
      const final = decide({ ...decisionBase(settings, at - started, tallies, compared), comparisons, aborted: true });
      intervals.push({ look, at, elapsedMs: at - started, checks: [], comparisons, decision: final });
      return final;
    };
    await clock.sleep(started + (look - 1) * settings.interval - clock.now(), signal);
    if (signal?.aborted) {
      decision = stopped();
      break;
    }
    const sampled = await Promise.all(checks.map((check) => sampleCheck(check, settings, signal)));
    // Samples cut short by the stop are the stop's doing, not the pool's: they are not judged.
    if (signal?.aborted) {
      decision = stopped();
      break;
    }
    samples.push(...sampled.flat());
    const judged = checks.map((check, index) => judgeInterval(check.name, sampled[index]!));
    tallies = tallies.map((tally, index) => addInterval(tally, judged[index]!));
    if (compared.length) {
      const look_ = compareLook({
        look,
        plannedLooks: settings.plannedLooks,
        confidence: settings.confidence,
        errorTolerance: settings.errorTolerance,
        latencyTolerance: settings.latencyTolerance,
        minSamples: settings.minSamples,
        checks: compared.map((name) => ({
          name,
          target: samples.filter((sample) => sample.check === name && sample.role === 'target'),
          baseline: samples.filter((sample) => sample.check === name && sample.role === 'baseline'),
        })),
        spent,
      });
      comparisons = look_.comparisons;
      spent = look_.spent;
    }
    const at = clock.now();
    const current = decide({ ...decisionBase(settings, at - started, tallies, compared), comparisons, aborted: signal?.aborted ?? false });
    const record: IntervalRecord = { look, at, elapsedMs: at - started, checks: judged, comparisons, decision: current };
    intervals.push(record);
    await options.onInterval?.(record);
    if (current.action !== 'continue') decision = current;
  }

  return buildReport({ settings, checks, started, ended: clock.now(), samples, intervals, tallies, comparisons, decision });
}

function decisionBase(settings: WatchSettings, elapsedMs: number, tallies: CheckTally[], compared: string[]) {
  return {
    elapsedMs,
    durationMs: settings.duration,
    deadlineMs: settings.deadline,
    failureLimit: settings.failureLimit,
    minSamples: settings.minSamples,
    tallies,
    comparedChecks: compared,
  };
}

export type { Verdict };
