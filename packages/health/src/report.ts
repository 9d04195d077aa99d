/** The watch's report: verdict, the evidence of every check, every look's figures and decision. */
import type { Check } from './check.js';
import type { Decision, Verdict } from './judge/decide.js';
import type { ProbePlan } from './judge/plan.js';
import type { AbsoluteJudgement, Bounds, Levels, RequestEvidence, RequestJudgement } from './judge/requests.js';
import { quantile } from './judge/stats.js';
import type { LookTally } from './judge/values.js';
import { round } from './limits.js';

export interface PoolRef {
  name: string;
  addresses: string[];
}

/** One check in one look, for people and charts. */
export interface IntervalCheck {
  check: string;
  state: 'good' | 'bad' | 'no-data';
  /** The look's figure for charts, in the check's unit: median latency, a value, a failed share. */
  observed?: number;
  baselineObserved?: number;
  /** Requests in this look (request checks), target and baseline. */
  requests?: number;
  failed?: number;
  baselineRequests?: number;
  baselineFailed?: number;
  reason?: string;
}

export interface IntervalRecord {
  look: number;
  /** Epoch ms when the look's samples were in. */
  at: number;
  elapsedMs: number;
  checks: IntervalCheck[];
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
  family: number;
  /** The tests' levels: harm-type tests share the false-alarm budget, health tests each have it. */
  levels: Levels;
}

/** Requests of one pool over the watch. */
export interface RequestFigures {
  requests: number;
  failed: number;
  slow: number;
  p50?: number;
  p95?: number;
}

/** A comparison with the baseline pool, for people and for the actions that act on it. */
export interface Comparison {
  check: string;
  metric: 'error-rate' | 'latency';
  pairs: number;
  /** error-rate: each pool's error rate (0..1); latency: each pool's median latency (ms). */
  target: number;
  baseline: number;
  /** error-rate: the observed difference of the error rates; latency: the median ratio. */
  effect: number;
  /** Of the difference (error-rate, in rate units) or of the median ratio (latency). */
  bounds: Bounds;
  /** error-rate: the tolerated difference; latency: the tolerated ratio. */
  limit: number;
  /** Shown worse than the tolerance: the watch calls the target unhealthy. */
  harm: boolean;
  /** Shown within the tolerance. */
  health: boolean;
  verdict: 'worse' | 'within' | 'open';
  /** For people: "5% vs 1%, difference +2.1 to +6 points (1,200 pairs)". */
  observed: string;
  threshold: string;
}

export interface CheckReport {
  name: string;
  kind: string;
  main: boolean;
  unit: string;
  threshold: string;
  /** What was seen, for people: "p50 3ms, p95 9ms, 0 of 480 failed" or "last 0.2, range 0.1 to 0.3". */
  observed: string;
  /** The latest measured figure of the target (for charts and alerts). */
  lastValue?: number;
  /** fail: the watch failed on it; no-data: it lacked evidence; pass otherwise. */
  status: 'pass' | 'fail' | 'no-data';
  looks: number;
  /** Looks with a measured value (value checks) or with requests (request checks). */
  measured: number;
  badLooks: number;
  sourceFailures: number;
  requests?: { target: RequestFigures; baseline?: RequestFigures };
  /** Request checks: the target's failed share against max-error-rate. */
  absolute?: AbsoluteJudgement;
  baselineAbsolute?: AbsoluteJudgement;
  comparisons: Comparison[];
  lastProblem?: string;
}

export interface TimedDecision extends Decision {
  look: number;
  at: string;
  elapsedMs: number;
}

export interface WatchReport {
  verdict: Verdict;
  /** The verdict is healthy, or inconclusive with `inconclusive: pass`. */
  passed: boolean;
  reason: string;
  failedChecks: string[];
  target: PoolRef;
  baseline?: PoolRef;
  settings: Omit<WatchSettings, 'target' | 'baseline'>;
  /** Probing checks: how many requests a look sent, and why. */
  plans: Record<string, ProbePlan>;
  startedAt: string;
  endedAt: string;
  elapsedMs: number;
  looks: number;
  checks: CheckReport[];
  /** Every check's comparisons at the end (comparative mode). */
  comparisons: Comparison[];
  /** The first look where the target showed a failure, and when the watch called it unhealthy. */
  firstBadSampleAt?: string;
  detectedAt?: string;
  /** detectedAt - firstBadSampleAt */
  timeToDetectionMs?: number;
  decisions: TimedDecision[];
  intervals: IntervalRecord[];
}

interface ReportInput {
  settings: WatchSettings;
  checks: Check[];
  started: number;
  ended: number;
  intervals: IntervalRecord[];
  tallies: LookTally[];
  evidence: (RequestEvidence | undefined)[];
  judgements: RequestJudgement[];
  decision: Decision;
  plans: Map<string, ProbePlan>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const percent = (rate: number) => (Number.isFinite(rate) ? `${round(rate * 100)}%` : 'n/a');
const points = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${round(value * 100)}` : value > 0 ? '+∞' : '-∞');
const times = (value: number) => (Number.isFinite(value) ? `×${round(value)}` : '×∞');

function figures(pool: RequestEvidence['target']): RequestFigures {
  const result: RequestFigures = { requests: pool.requests, failed: pool.failed, slow: pool.slow };
  if (pool.latencies.length) {
    result.p50 = round(quantile(pool.latencies, 0.5));
    result.p95 = round(quantile(pool.latencies, 0.95));
  }
  return result;
}

export function comparisonsOf(judgement: RequestJudgement, evidence: RequestEvidence): Comparison[] {
  const list: Comparison[] = [];
  const verdict = (harm: boolean, health: boolean): Comparison['verdict'] => (harm ? 'worse' : health ? 'within' : 'open');
  const errors = judgement.errors;
  if (errors) {
    list.push({
      check: judgement.check,
      metric: 'error-rate',
      pairs: errors.pairs,
      target: errors.target ?? NaN,
      baseline: errors.baseline ?? NaN,
      effect: errors.observed,
      bounds: errors.bounds,
      limit: errors.limit,
      harm: errors.harm,
      health: errors.health,
      verdict: verdict(errors.harm, errors.health),
      observed: `${percent(errors.target ?? NaN)} vs ${percent(errors.baseline ?? NaN)}: difference ${points(errors.bounds.low)} to ${points(errors.bounds.high)} points (${errors.pairs} pairs)`,
      threshold: `at most ${points(errors.limit)} points`,
    });
  }
  const latency = judgement.latency;
  if (latency) {
    list.push({
      check: judgement.check,
      metric: 'latency',
      pairs: latency.pairs,
      target: quantile(evidence.target.latencies, 0.5),
      baseline: quantile(evidence.baseline.latencies, 0.5),
      effect: latency.observed,
      bounds: latency.bounds,
      limit: latency.limit,
      harm: latency.harm,
      health: latency.health,
      verdict: verdict(latency.harm, latency.health),
      observed: `median ratio ${times(latency.observed)}: ${times(latency.bounds.low)} to ${times(latency.bounds.high)} (${latency.pairs} pairs; p50 ${round(quantile(evidence.target.latencies, 0.5))}ms vs ${round(quantile(evidence.baseline.latencies, 0.5))}ms)`,
      threshold: `median ratio at most ${times(latency.limit)}`,
    });
  }
  return list;
}

export function buildReport(input: ReportInput): WatchReport {
  const { settings, decision } = input;
  const { target, baseline, ...rest } = settings;
  const verdict = decision.action as Verdict;
  const failedChecks = verdict === 'healthy' ? [] : decision.checks;
  const last = input.intervals.at(-1);
  const checks = input.checks.map((check, index) => {
    const judgement = input.judgements.find((candidate) => candidate.check === check.name);
    return checkReport(check, input.tallies[index]!, input.evidence[index], judgement, input.intervals, verdict, failedChecks);
  });
  const firstBad = input.intervals.find((record) => record.checks.some((check) => check.state === 'bad'));
  const report: WatchReport = {
    verdict,
    passed: verdict === 'healthy' || (verdict === 'inconclusive' && settings.inconclusive === 'pass'),
    reason: decision.reason,
    failedChecks,
    target,
    ...(baseline ? { baseline } : {}),
    settings: rest,
    plans: Object.fromEntries(input.plans),
    startedAt: iso(input.started),
    endedAt: iso(input.ended),
    elapsedMs: input.ended - input.started,
    looks: input.intervals.length,
    checks,
    comparisons: checks.flatMap((check) => check.comparisons),
    decisions: input.intervals.map((record) => ({ ...record.decision, look: record.look, at: iso(record.at), elapsedMs: record.elapsedMs })),
    intervals: input.intervals,
  };
  if (firstBad) report.firstBadSampleAt = iso(firstBad.at);
  if (verdict === 'unhealthy' && last) {
    report.detectedAt = iso(last.at);
    if (firstBad) report.timeToDetectionMs = last.at - firstBad.at;
  }
  return report;
}

function checkReport(
  check: Check,
  tally: LookTally,
  evidence: RequestEvidence | undefined,
  judgement: RequestJudgement | undefined,
  intervals: readonly IntervalRecord[],
  verdict: Verdict,
  failedChecks: string[],
): CheckReport {
  const mine = intervals.flatMap((record) => record.checks.filter((entry) => entry.check === check.name));
  const lastValue = mine.findLast((entry) => entry.observed !== undefined)?.observed;
  const report: CheckReport = {
    name: check.name,
    kind: check.kind,
    main: check.main,
    unit: check.unit,
    threshold: check.threshold,
    observed: '',
    status: failedChecks.includes(check.name) ? (verdict === 'unhealthy' ? 'fail' : 'no-data') : 'pass',
    looks: tally.looks,
    measured: tally.measured,
    badLooks: tally.badLooks,
    sourceFailures: tally.sourceFailures,
    comparisons: judgement && evidence ? comparisonsOf(judgement, evidence) : [],
  };
  if (lastValue !== undefined) report.lastValue = round(lastValue);
  if (evidence && judgement) {
    report.requests = { target: figures(evidence.target), ...(judgement.baseline ? { baseline: figures(evidence.baseline) } : {}) };
    report.absolute = judgement.target;
    if (judgement.baseline) report.baselineAbsolute = judgement.baseline;
    const target = report.requests.target;
    const parts = [];
    if (target.p50 !== undefined) parts.push(`p50 ${target.p50}ms, p95 ${target.p95}ms`);
    parts.push(`${target.failed + target.slow} of ${target.requests} failed`);
    if (tally.sourceFailures) parts.push(`${tally.sourceFailures} source failure${tally.sourceFailures === 1 ? '' : 's'}`);
    report.observed = parts.join(', ');
    const problem = evidence.target.lastProblem ?? tally.lastReason;
    if (problem) report.lastProblem = problem;
  } else {
    const values = mine.filter((entry) => entry.observed !== undefined).map((entry) => entry.observed!);
    const parts: string[] = [];
    if (values.length) {
      parts.push(`last ${round(values.at(-1)!)}${check.unit}`);
      if (values.length > 1) parts.push(`range ${round(Math.min(...values))} to ${round(Math.max(...values))}`);
    }
    if (tally.badLooks) parts.push(`${tally.badLooks} of ${tally.looks} looks bad`);
    if (tally.sourceFailures) parts.push(`${tally.sourceFailures} source failure${tally.sourceFailures === 1 ? '' : 's'}`);
    const noData = tally.looks - tally.measured - tally.sourceFailures;
    if (noData > 0) parts.push(`${noData} without data`);
    report.observed = parts.join(', ') || 'no samples';
    if (tally.lastReason) report.lastProblem = tally.lastReason;
  }
  return report;
}

/**
 * One look's figures on one line, for `core.debug` (a debug re-run explains every decision):
 * each check's requests and failures or its figure, target then baseline, and the decision.
 */
export function lookFigures(record: IntervalRecord): string {
  const side = (requests?: number, failed?: number, observed?: number) =>
    [requests !== undefined ? `${failed ?? 0}/${requests} failed` : undefined, observed !== undefined ? `figure ${round(observed)}` : undefined]
      .filter(Boolean)
      .join(', ') || 'no data';
  const checks = record.checks.map((check) => {
    const baseline =
      check.baselineRequests !== undefined || check.baselineObserved !== undefined
        ? `; baseline ${side(check.baselineRequests, check.baselineFailed, check.baselineObserved)}`
        : '';
    return `${check.check} ${check.state}: target ${side(check.requests, check.failed, check.observed)}${baseline}`;
  });
  return `look ${record.look} at ${record.elapsedMs} ms: ${checks.join(' | ') || 'no checks'} -> ${record.decision.action} (${record.decision.reason})`;
}
