/**
 * The watch engine: every check looks at the pools each interval, the evidence adds up, and the
 * decision (judge/decide.ts) comes after each look. health-watch, canary-step and rollback use it.
 *
 * The guarantee, with confidence c (default 0.95) and a = 1 - c, for pools whose requests fail and
 * take time independently of each other at steady rates within a watch (one canary step):
 * - false alarm: a target that keeps every limit and tolerance is called unhealthy by any test of
 *   any check, at any look, with probability at most a. The tests that can call harm (a limit shown
 *   broken; errors or latency shown worse than the tolerance) share a among them, and a canary's
 *   steps share it too (`family`): the bound holds over a whole rollout.
 * - false promise: a target that breaks a limit or a tolerance is called healthy with probability
 *   at most a. Healthy needs every test of every check to show its side, so each runs at level a.
 * Both hold however often the watch looks and however long it runs (judge/betting.ts). Value checks
 * (prometheus queries, commands) are judged look by look, by failure-limit, outside this bound.
 */
import type { Check, LookContext, PoolLook } from './check.js';
import { systemClock, type Clock } from './clock.js';
import { decide, type Decision, type Verdict } from './judge/decide.js';
import { cleanNeed, detectable, looksWithin, planProbes, type ProbePlan } from './judge/plan.js';
import { addRequestLook, emptyRequestEvidence, judgeRequests, type RequestEvidence, type RequestJudgement } from './judge/requests.js';
import { mean, median } from './judge/stats.js';
import { addValueLook, emptyLookTally, type LookTally } from './judge/values.js';
import { buildReport, type IntervalCheck, type IntervalRecord, type PoolRef, type WatchReport, type WatchSettings } from './report.js';
import { errorMessage } from '@cutover/config';

export interface WatchOptions {
  checks: Check[];
  target: PoolRef;
  /** Comparative mode: request checks are compared with this pool, relative prometheus limits use it. */
  baseline?: PoolRef;
  /** How long to watch at least (ms). */
  duration: number;
  /** Time between looks (ms). */
  interval: number;
  /** Latest verdict time (ms since the start) when evidence is short. Default: defaultDeadline(duration). */
  deadline?: number;
  /** Value checks: looks with a measured value before healthy. Default min(5, looks in the duration). */
  minSamples?: number;
  /** Bad looks of a check, over the whole watch, that make it unhealthy. Default 3. */
  failureLimit?: number;
  /** See the guarantee above; default 0.95. */
  confidence?: number;
  /** Comparisons: error-rate increase tolerated (absolute; default 0.01: one point). */
  errorTolerance?: number;
  /** Comparisons: latency ratio above 1 tolerated (default 0.2: the median ratio up to 1.2). */
  latencyTolerance?: number;
  /** Whether an inconclusive verdict passes (report.passed). Default fail. */
  inconclusive?: 'fail' | 'pass';
  /** Watches sharing one budget of false alarms: the watched steps of one canary rollout. Default 1. */
  family?: number;
  signal?: AbortSignal;
  /** Before the first look: what the watch plans and can show, one line per request check. */
  onStart?: (lines: string[]) => void;
  onInterval?: (record: IntervalRecord) => void | Promise<void>;
  clock?: Clock;
}

export const WATCH_DEFAULTS = { failureLimit: 3, confidence: 0.95, errorTolerance: 0.01, latencyTolerance: 0.2, minSamples: 5 };

/**
 * A watch short of evidence at its duration goes on as long again, and at least 30 s more: a short
 * canary step (seconds, as in tests and demos) needs that time to collect the few hundred requests
 * that show a clean canary within a point of its baseline at max-rate.
 */
export function defaultDeadline(duration: number): number {
  return duration + Math.max(duration, 30_000);
}

/** Tests per check that can call harm: a broken limit, and compared, worse errors and latency. */
function harmTests(checks: readonly Check[], compared: boolean): number {
  return checks.filter((check) => check.measures === 'requests').reduce((sum) => sum + (compared ? 3 : 1), 0);
}

export function watchSettings(options: WatchOptions): WatchSettings {
  const positive = (value: number, name: string) => {
    if (!(Number.isFinite(value) && value > 0)) throw new Error(`watch: ${name} must be a positive number, got ${value}`);
    return value;
  };
  const duration = positive(options.duration, 'duration');
  const interval = positive(options.interval, 'interval');
  const deadline = Math.max(duration, options.deadline ?? defaultDeadline(duration));
  const durationLooks = Math.floor(duration / interval) + 1;
  const confidence = options.confidence ?? WATCH_DEFAULTS.confidence;
  if (!(confidence > 0.5 && confidence < 1)) throw new Error(`watch: confidence must be between 0.5 and 1, got ${confidence}`);
  if (options.checks.length === 0) throw new Error('watch: no checks to watch');
  const lonely = options.checks.filter((check) => check.needsBaseline);
  if (lonely.length && !options.baseline) {
    throw new Error(`watch: ${lonely.map((check) => check.name).join(', ')} only compare with a baseline pool; set a baseline or leave them out`);
  }
  const family = Math.max(1, Math.round(options.family ?? 1));
  const alpha = 1 - confidence;
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
    family,
    levels: { health: alpha, harm: alpha / (family * Math.max(1, harmTests(options.checks, options.baseline !== undefined))) },
  };
}

/** The probe plan of each probing check, by name. */
export function probePlans(checks: readonly Check[], settings: WatchSettings): Map<string, ProbePlan> {
  const plans = new Map<string, ProbePlan>();
  const counts = [settings.target.addresses.length, ...(settings.baseline ? [settings.baseline.addresses.length] : [])];
  for (const check of checks) {
    if (!check.probes || !check.limits) continue;
    plans.set(
      check.name,
      planProbes({
        levels: settings.levels,
        tolerances: { error: settings.errorTolerance, latency: settings.latencyTolerance },
        maxErrorRate: check.limits.maxErrorRate,
        compared: settings.baseline !== undefined,
        durationMs: settings.duration,
        intervalMs: settings.interval,
        addresses: { most: Math.max(...counts), fewest: Math.min(...counts) },
        maxRate: check.probes.maxRate,
        ...(check.probes.fixed !== undefined ? { fixed: check.probes.fixed } : {}),
      }),
    );
  }
  return plans;
}

const share = (rate: number) => (Number.isFinite(rate) ? `${Number((rate * 100).toPrecision(3))}%` : 'none');
const points = (rate: number) => (Number.isFinite(rate) ? `${Number((rate * 100).toPrecision(3))}` : 'no');
const seconds = (ms: number) => `${Number((ms / 1000).toPrecision(3))}s`;

/**
 * What the watch can show with the evidence it plans, for the log at its start: per request check,
 * the requests a clean pool needs for a healthy verdict, what the probes (or so much traffic) give
 * by the end of the duration, the smallest regression that data can show, and a warning when the
 * duration cannot give enough at max-rate.
 */
export function describePlans(checks: readonly Check[], settings: WatchSettings, plans: Map<string, ProbePlan> = probePlans(checks, settings)): string[] {
  const compared = settings.baseline !== undefined;
  const lines: string[] = [];
  for (const check of checks.filter((candidate) => candidate.measures === 'requests' && candidate.limits)) {
    const need = {
      levels: settings.levels,
      tolerances: { error: settings.errorTolerance, latency: settings.latencyTolerance },
      maxErrorRate: check.limits!.maxErrorRate,
      compared,
    };
    const plan = plans.get(check.name);
    const needed = plan?.need ?? cleanNeed(need);
    const neededText = Number.isFinite(needed) ? `${needed} requests per pool` : 'more requests than any watch can take';
    if (!plan) {
      const rate = Number.isFinite(needed) ? Math.ceil(needed / (settings.duration / 1000)) : Infinity;
      lines.push(
        `${check.name}: users' traffic; a healthy verdict needs ${neededText} without failures (${Number.isFinite(rate) ? `${rate} requests per second per pool` : 'no rate'} over ${seconds(settings.duration)}), more when some fail`,
      );
      continue;
    }
    const { errorDifference, failedShare } = detectable(plan.byDuration, need);
    const perAddress = (plan.perLook / Math.min(settings.target.addresses.length, settings.baseline?.addresses.length ?? Infinity) / settings.interval) * 1000;
    const shows = [`a failed share of ${share(failedShare)} (limit ${share(check.limits!.maxErrorRate)})`];
    if (compared)
      shows.push(`an error rate ${points(errorDifference)} points above ${settings.baseline!.name}'s (tolerance ${points(settings.errorTolerance)})`);
    lines.push(
      `${check.name}: ${plan.perLook} requests per pool per look (about ${Math.round(perAddress)} per second per address), ${plan.byDuration} by ${seconds(settings.duration)}; a healthy verdict needs ${neededText} without failures; that data shows ${shows.join(' or ')}`,
    );
    if (plan.byDuration < needed) {
      const fastest = plan.most * looksWithin(settings.deadline, settings.interval);
      lines.push(
        `warning: ${check.name} cannot show health within ${seconds(settings.duration)} at max-rate ${check.probes!.maxRate}/s per address: it probes on to the deadline (${seconds(settings.deadline)}), ${fastest >= needed ? 'which is enough without failures' : 'and even that is too short: expect inconclusive; lengthen the step or raise max-rate'}`,
      );
    }
  }
  return lines;
}

function lookContext(settings: WatchSettings, signal: AbortSignal | undefined, plan: ProbePlan | undefined, elapsedMs: number): LookContext {
  const context: LookContext = {
    pool: settings.target.name,
    addresses: settings.target.addresses,
    ...(settings.baseline ? { baselinePool: settings.baseline.name, baselineAddresses: settings.baseline.addresses } : {}),
    ...(signal ? { signal } : {}),
  };
  if (plan) {
    // Past the duration the evidence is still short: probe as fast as max-rate allows.
    context.requests = elapsedMs >= settings.duration ? plan.most : plan.perLook;
    context.spreadMs = plan.spreadMs;
  }
  return context;
}

/**
 * Figures that are not finite numbers (a NaN latency, an infinite value) would make ranks and sums
 * depend on the order they came in: they are dropped, and the look counts a source failure.
 */
export function finiteLook(look: PoolLook): PoolLook {
  let dropped = look.dropped ?? 0;
  let next = look;
  if (look.value !== undefined && !Number.isFinite(look.value)) {
    const { value, ...rest } = look;
    next = { ...rest, outcome: 'source-failure', error: `${look.error ? `${look.error}; ` : ''}the source gave ${value}, not a finite number` };
    dropped += 1;
  }
  if (look.requests?.some((request) => request.latencyMs !== undefined && !Number.isFinite(request.latencyMs))) {
    next = {
      ...next,
      requests: look.requests.map((request) => {
        if (request.latencyMs === undefined || Number.isFinite(request.latencyMs)) return request;
        dropped += 1;
        const { latencyMs: _dropped, ...rest } = request;
        return rest;
      }),
    };
  }
  return dropped ? { ...next, dropped } : next;
}

/** Looks at a check, turning a thrown error into a source failure: nothing is skipped silently. */
async function lookAt(check: Check, context: LookContext): Promise<PoolLook[]> {
  try {
    return (await check.look(context)).map(finiteLook);
  } catch (error) {
    return [{ check: check.name, kind: check.kind, role: 'target', pool: context.pool, at: Date.now(), outcome: 'source-failure', error: errorMessage(error) }];
  }
}

/** A look's own figures of one check, for the interval record. */
function intervalCheck(check: Check, looks: readonly PoolLook[]): IntervalCheck {
  const target = looks.filter((look) => look.role === 'target');
  const baseline = looks.filter((look) => look.role === 'baseline');
  const bad = target.find((look) => look.outcome === 'fail' || look.outcome === 'source-failure');
  const requests = (list: readonly PoolLook[]) => list.flatMap((look) => look.requests ?? []);
  const counted = (list: readonly PoolLook[]) => {
    const listed = requests(list);
    const total = listed.length + list.reduce((sum, look) => sum + (look.counts?.total ?? 0), 0);
    const failed = listed.filter((request) => request.failed).length + list.reduce((sum, look) => sum + (look.counts?.failed ?? 0), 0);
    return { total, failed };
  };
  const figure = (list: readonly PoolLook[]): number | undefined => {
    if (check.measures === 'value' || list.some((look) => look.value !== undefined && !look.requests)) {
      const values = list.filter((look) => look.value !== undefined).map((look) => look.value!);
      return values.length ? mean(values) : undefined;
    }
    const latencies = requests(list)
      .filter((request) => !request.failed && request.latencyMs !== undefined)
      .map((request) => request.latencyMs!);
    if (latencies.length) return median(latencies);
    const { total, failed } = counted(list);
    return total ? (100 * failed) / total : undefined;
  };
  const record: IntervalCheck = { check: check.name, state: 'no-data' };
  const measured = target.some((look) => look.outcome === 'pass' || look.outcome === 'fail');
  if (check.measures === 'requests') {
    const { total, failed } = counted(target);
    const slow = requests(target).filter((request) => request.slow).length;
    record.requests = total;
    record.failed = failed;
    if (baseline.length) {
      const other = counted(baseline);
      record.baselineRequests = other.total;
      record.baselineFailed = other.failed;
    }
    record.state = bad || failed + slow > 0 ? 'bad' : total > 0 ? 'good' : 'no-data';
    const problem = requests(target).find((request) => request.failed || request.slow);
    if (bad) record.reason = bad.error ?? bad.outcome;
    else if (problem) record.reason = `${problem.problem ?? 'failed'}${problem.address ? ` at ${problem.address}` : ''}`;
  } else {
    record.state = bad ? 'bad' : measured ? 'good' : 'no-data';
    const why = bad ?? (!measured ? target[0] : undefined);
    if (why) record.reason = `${why.outcome === 'source-failure' ? 'source failure: ' : ''}${why.error ?? why.outcome}`;
  }
  const observed = figure(target);
  if (observed !== undefined) record.observed = observed;
  const other = figure(baseline);
  if (other !== undefined) record.baselineObserved = other;
  return record;
}

export async function watch(options: WatchOptions): Promise<WatchReport> {
  const settings = watchSettings(options);
  const clock = options.clock ?? systemClock;
  const { checks, signal } = options;
  const plans = probePlans(checks, settings);
  const compared = settings.baseline !== undefined;
  const started = clock.now();
  const intervals: IntervalRecord[] = [];
  const looksByCheck = new Map<string, PoolLook[]>(checks.map((check) => [check.name, []]));
  let tallies: LookTally[] = checks.map((check) => emptyLookTally(check.name));
  let evidence: (RequestEvidence | undefined)[] = checks.map((check) => (check.measures === 'requests' ? emptyRequestEvidence(check.name) : undefined));
  let judgements: RequestJudgement[] = [];
  let decision: Decision | undefined;

  const judge = (): RequestJudgement[] =>
    checks.flatMap((check, index) =>
      check.measures === 'requests' && check.limits
        ? [
            judgeRequests(evidence[index]!, {
              limits: check.limits,
              tolerances: { error: settings.errorTolerance, latency: settings.latencyTolerance },
              levels: settings.levels,
              compared,
            }),
          ]
        : [],
    );
  const decisionInput = (elapsedMs: number, aborted: boolean) => ({
    elapsedMs,
    durationMs: settings.duration,
    deadlineMs: settings.deadline,
    failureLimit: settings.failureLimit,
    minSamples: settings.minSamples,
    tallies,
    requests: judgements,
    valueChecks: checks.filter((check) => check.measures === 'value').map((check) => check.name),
    target: settings.target.name,
    ...(settings.baseline ? { baseline: settings.baseline.name } : {}),
    aborted,
  });

  options.onStart?.(describePlans(checks, settings, plans));
  const startContext = lookContext(settings, signal, undefined, 0);
  await Promise.all(checks.map((check) => check.start?.(startContext).catch(() => undefined)));

  for (let look = 1; !decision; look++) {
    const stopped = (): Decision => {
      const at = clock.now();
      const final = decide(decisionInput(at - started, true));
      intervals.push({ look, at, elapsedMs: at - started, checks: [], decision: final });
      return final;
    };
    await clock.sleep(started + (look - 1) * settings.interval - clock.now(), signal);
    if (signal?.aborted) {
      decision = stopped();
      break;
    }
    const elapsedBefore = clock.now() - started;
    const looked = await Promise.all(checks.map((check) => lookAt(check, lookContext(settings, signal, plans.get(check.name), elapsedBefore))));
    // Looks cut short by the stop are the stop's doing, not the pool's: they are not judged.
    if (signal?.aborted) {
      decision = stopped();
      break;
    }
    checks.forEach((check, index) => {
      const looks = looked[index]!;
      looksByCheck.get(check.name)!.push(...looks);
      tallies[index] = addValueLook(tallies[index]!, looks);
      if (evidence[index] && check.limits) evidence[index] = addRequestLook(evidence[index]!, looks, check.limits);
    });
    tallies = [...tallies];
    evidence = [...evidence];
    judgements = judge();
    const at = clock.now();
    const current = decide(decisionInput(at - started, false));
    const record: IntervalRecord = {
      look,
      at,
      elapsedMs: at - started,
      checks: checks.map((check, index) => intervalCheck(check, looked[index]!)),
      decision: current,
    };
    intervals.push(record);
    await options.onInterval?.(record);
    if (current.action !== 'continue') decision = current;
  }

  return buildReport({ settings, checks, started, ended: clock.now(), intervals, tallies, evidence, judgements, decision, plans });
}

export type { Verdict };
