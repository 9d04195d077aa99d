/** One interval of one check: good, bad or without data, from the target's samples. */
import type { Sample } from '../check.js';
import { mean } from './stats.js';

export type IntervalState = 'good' | 'bad' | 'no-data';

export interface IntervalCheck {
  check: string;
  state: IntervalState;
  /** Target samples that measured something (pass or fail): what min-samples counts. */
  valid: number;
  /** Baseline samples that measured something. */
  baselineValid: number;
  sourceFailures: number;
  failures: number;
  /** Mean of the target's values this interval (latency ms, the query's value...), for charts. */
  observed?: number;
  baselineObserved?: number;
  /** The first problem, when bad (or why there was no data). */
  reason?: string;
}

const measured = (sample: Sample) => sample.outcome === 'pass' || sample.outcome === 'fail';

/**
 * Bad when any target sample failed or its source did (fail closed); good when the rest passed;
 * no-data when nothing was measured. Baseline samples never make an interval bad.
 */
export function judgeInterval(check: string, samples: readonly Sample[]): IntervalCheck {
  const target = samples.filter((sample) => sample.role === 'target');
  const baseline = samples.filter((sample) => sample.role === 'baseline');
  const bad = target.filter((sample) => sample.outcome === 'fail' || sample.outcome === 'source-failure');
  const values = (list: Sample[]) => list.filter((sample) => sample.value !== undefined && measured(sample)).map((sample) => sample.value!);
  const valid = target.filter(measured).length;
  const state: IntervalState = bad.length ? 'bad' : valid ? 'good' : 'no-data';
  const result: IntervalCheck = {
    check,
    state,
    valid,
    baselineValid: baseline.filter(measured).length,
    sourceFailures: target.filter((sample) => sample.outcome === 'source-failure').length,
    failures: target.filter((sample) => sample.outcome === 'fail').length,
  };
  const observed = mean(values(target));
  if (!Number.isNaN(observed)) result.observed = observed;
  const baselineObserved = mean(values(baseline));
  if (!Number.isNaN(baselineObserved)) result.baselineObserved = baselineObserved;
  if (bad.length) result.reason = describe(bad[0]!);
  else if (!valid) result.reason = target[0] ? describe(target[0]) : 'no sample';
  return result;
}

function describe(sample: Sample): string {
  const where = sample.address ? ` at ${sample.address}` : '';
  const kind = sample.outcome === 'source-failure' ? 'source failure: ' : '';
  return `${kind}${sample.error ?? sample.outcome}${where}`;
}

/** Running figures of one check across intervals: what the decision needs. */
export interface CheckTally {
  check: string;
  consecutiveBad: number;
  /** Longest run of bad intervals so far. */
  worstRun: number;
  intervals: number;
  badIntervals: number;
  valid: number;
  baselineValid: number;
  sourceFailures: number;
  lastReason?: string;
}

export function emptyTally(check: string): CheckTally {
  return { check, consecutiveBad: 0, worstRun: 0, intervals: 0, badIntervals: 0, valid: 0, baselineValid: 0, sourceFailures: 0 };
}

/** No-data intervals neither break a run of bad ones nor count as good: they say nothing. */
export function addInterval(tally: CheckTally, interval: IntervalCheck): CheckTally {
  const consecutiveBad = interval.state === 'bad' ? tally.consecutiveBad + 1 : interval.state === 'good' ? 0 : tally.consecutiveBad;
  const next: CheckTally = {
    check: tally.check,
    consecutiveBad,
    worstRun: Math.max(tally.worstRun, consecutiveBad),
    intervals: tally.intervals + 1,
    badIntervals: tally.badIntervals + (interval.state === 'bad' ? 1 : 0),
    valid: tally.valid + interval.valid,
    baselineValid: tally.baselineValid + interval.baselineValid,
    sourceFailures: tally.sourceFailures + interval.sourceFailures,
  };
  const reason = interval.reason ?? tally.lastReason;
  if (reason !== undefined) next.lastReason = reason;
  return next;
}
