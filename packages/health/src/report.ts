/** The watch's report: verdict, every sample and decision, and per check what was seen vs allowed. */
import type { Check, CheckKind, Sample } from './check.js';
import type { Comparison } from './analysis/compare.js';
import type { Decision, Verdict } from './analysis/decide.js';
import type { CheckTally } from './analysis/interval.js';
import { quantile } from './analysis/stats.js';
import { round } from './limits.js';
import type { IntervalRecord, PoolRef, WatchSettings } from './watch.js';

export interface CheckReport {
  name: string;
  kind: CheckKind;
  main: boolean;
  unit: string;
  threshold: string;
  /** What was seen, for people: "p50 3ms, p95 9ms, 0 of 40 failed" or "last 0.2 (0.1 to 0.3)". */
  observed: string;
  /** The latest measured value of the target (for charts and alerts). */
  lastValue?: number;
  /** fail: the watch failed on it; no-data: it lacked data; pass otherwise. */
  status: 'pass' | 'fail' | 'no-data';
  samples: number;
  valid: number;
  failures: number;
  sourceFailures: number;
  badIntervals: number;
  worstRun: number;
  lastProblem?: string;
  comparisons: Comparison[];
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
  startedAt: string;
  endedAt: string;
  elapsedMs: number;
  looks: number;
  checks: CheckReport[];
  /** The last look's comparisons (comparative mode). */
  comparisons: Comparison[];
  /** The first target sample that was not a pass or no-data, and when the watch called it unhealthy. */
  firstBadSampleAt?: string;
  detectedAt?: string;
  /** detectedAt - firstBadSampleAt */
  timeToDetectionMs?: number;
  decisions: TimedDecision[];
  intervals: IntervalRecord[];
  samples: Sample[];
}

interface ReportInput {
  settings: WatchSettings;
  checks: Check[];
  started: number;
  ended: number;
  samples: Sample[];
  intervals: IntervalRecord[];
  tallies: CheckTally[];
  comparisons: Comparison[];
  decision: Decision;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function buildReport(input: ReportInput): WatchReport {
  const { settings, decision } = input;
  const { target, baseline, ...rest } = settings;
  const verdict = decision.action as Verdict;
  const failedChecks = verdict === 'healthy' ? [] : decision.checks;
  const firstBad = input.samples.find((sample) => sample.role === 'target' && (sample.outcome === 'fail' || sample.outcome === 'source-failure'));
  const last = input.intervals.at(-1);
  const report: WatchReport = {
    verdict,
    passed: verdict === 'healthy' || (verdict === 'inconclusive' && settings.inconclusive === 'pass'),
    reason: decision.reason,
    failedChecks,
    target,
    ...(baseline ? { baseline } : {}),
    settings: rest,
    startedAt: iso(input.started),
    endedAt: iso(input.ended),
    elapsedMs: input.ended - input.started,
    looks: input.intervals.length,
    checks: input.checks.map((check, index) =>
      checkReport(check, input.tallies[index]!, input.samples.filter((sample) => sample.check === check.name), input.comparisons, verdict, failedChecks),
    ),
    comparisons: input.comparisons,
    decisions: input.intervals.map((record) => ({ ...record.decision, look: record.look, at: iso(record.at), elapsedMs: record.elapsedMs })),
    intervals: input.intervals,
    samples: input.samples,
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
  tally: CheckTally,
  samples: Sample[],
  comparisons: Comparison[],
  verdict: Verdict,
  failedChecks: string[],
): CheckReport {
  const target = samples.filter((sample) => sample.role === 'target');
  const measured = target.filter((sample) => sample.value !== undefined && (sample.outcome === 'pass' || sample.outcome === 'fail'));
  const lastValue = measured.at(-1)?.value;
  const status = failedChecks.includes(check.name) ? (verdict === 'unhealthy' ? 'fail' : 'no-data') : 'pass';
  const report: CheckReport = {
    name: check.name,
    kind: check.kind,
    main: check.main,
    unit: check.unit,
    threshold: check.threshold,
    observed: observedText(check, target),
    status,
    samples: target.length,
    valid: tally.valid,
    failures: target.filter((sample) => sample.outcome === 'fail').length,
    sourceFailures: tally.sourceFailures,
    badIntervals: tally.badIntervals,
    worstRun: tally.worstRun,
    comparisons: comparisons.filter((comparison) => comparison.check === check.name),
  };
  if (lastValue !== undefined) report.lastValue = lastValue;
  const problem = target.findLast((sample) => !sample.ok);
  if (problem) report.lastProblem = `${problem.error ?? problem.outcome}${problem.address ? ` at ${problem.address}` : ''}`;
  return report;
}

/** A short text of what the target showed, in the check's terms. */
export function observedText(check: Pick<Check, 'kind' | 'unit'>, target: Sample[]): string {
  const values = target.filter((sample) => sample.value !== undefined && (sample.outcome === 'pass' || sample.outcome === 'fail')).map((s) => s.value!);
  const sourceFailures = target.filter((sample) => sample.outcome === 'source-failure').length;
  const noData = target.filter((sample) => sample.outcome === 'no-data').length;
  const unit = check.unit;
  const parts: string[] = [];
  if (check.kind === 'http') {
    const failed = target.filter((sample) => !sample.ok).length;
    if (values.length) parts.push(`p50 ${round(quantile(values, 0.5))}${unit}, p95 ${round(quantile(values, 0.95))}${unit}`);
    parts.push(`${failed} of ${target.length} failed`);
  } else if (values.length) {
    parts.push(`last ${round(values.at(-1)!)}${unit}`);
    if (values.length > 1) parts.push(`range ${round(Math.min(...values))} to ${round(Math.max(...values))}`);
    const failed = target.filter((sample) => sample.outcome === 'fail').length;
    if (failed) parts.push(`${failed} of ${target.length} outside`);
  }
  if (sourceFailures) parts.push(`${sourceFailures} source failure${sourceFailures === 1 ? '' : 's'}`);
  if (noData) parts.push(`${noData} without data`);
  return parts.join(', ') || 'no samples';
}
