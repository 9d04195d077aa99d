/** The watch's decision after each interval: go on, or a verdict. Pure. */
import { formatDuration } from '@cutover/config';
import type { Comparison } from './compare.js';
import type { CheckTally } from './interval.js';

export type Verdict = 'healthy' | 'unhealthy' | 'inconclusive';
export type Action = 'continue' | Verdict;

export interface DecisionInput {
  /** Since the watch started. */
  elapsedMs: number;
  durationMs: number;
  /** Since the start; at least durationMs. */
  deadlineMs: number;
  failureLimit: number;
  minSamples: number;
  tallies: readonly CheckTally[];
  /** The latest look's comparisons (comparative mode). */
  comparisons?: readonly Comparison[];
  /** Checks compared with a baseline: each needs min-samples there too. */
  comparedChecks?: readonly string[];
  /** The watch was stopped (cancelled) before a verdict. */
  aborted?: boolean;
}

export interface Decision {
  action: Action;
  reason: string;
  /** The checks that failed (unhealthy) or lacked data (inconclusive). */
  checks: string[];
}

/**
 * 1. unhealthy as soon as a check has `failureLimit` bad intervals in a row, or a comparison finds the
 *    target worse (significant and beyond tolerance); compared checks are judged by comparison only;
 * 2. after `duration`, healthy only when every check has `minSamples` measured samples (in both pools
 *    when compared), no check is failing right now, and every comparison had enough data;
 *    otherwise keep watching: too little data never counts as healthy;
 * 3. at the deadline without that: inconclusive.
 */
export function decide(input: DecisionInput): Decision {
  const compared = new Set(input.comparedChecks ?? []);
  // A compared check is judged against its baseline, not probe by probe: an error rate both pools
  // share is not the target's fault, and a dead target shows in the comparison at once.
  const judged = input.tallies.filter((tally) => !compared.has(tally.check));
  const failing = judged.filter((tally) => tally.consecutiveBad >= input.failureLimit);
  const worse = (input.comparisons ?? []).filter((comparison) => comparison.failed);
  if (failing.length || worse.length) {
    const reasons = [
      ...failing.map((tally) => `${tally.check}: ${tally.consecutiveBad} bad intervals in a row (${tally.lastReason ?? 'failed'})`),
      ...worse.map((comparison) => `${comparison.check} ${comparison.metric} worse than baseline: ${comparison.observed}`),
    ];
    return { action: 'unhealthy', reason: reasons.join('; '), checks: unique([...failing.map((t) => t.check), ...worse.map((c) => c.check)]) };
  }

  const lacking = input.tallies.filter((tally) => tally.valid < input.minSamples || (compared.has(tally.check) && tally.baselineValid < input.minSamples));
  const unsettled = judged.filter((tally) => tally.consecutiveBad > 0);
  const undecided = (input.comparisons ?? []).filter((comparison) => !comparison.enoughData);
  const waiting = [
    ...lacking.map((tally) => `${tally.check}: ${tally.valid}${compared.has(tally.check) ? `/${tally.baselineValid} (baseline)` : ''} of ${input.minSamples} samples needed`),
    ...unsettled.map((tally) => `${tally.check}: failing now (${tally.consecutiveBad} of ${input.failureLimit} bad intervals: ${tally.lastReason ?? 'failed'})`),
    ...undecided.map((comparison) => `${comparison.check} ${comparison.metric}: ${comparison.targetCount}/${comparison.baselineCount} of ${input.minSamples} samples to compare`),
  ];
  const waitingChecks = unique([...lacking, ...unsettled].map((tally) => tally.check).concat(undecided.map((c) => c.check)));

  if (input.aborted) return { action: 'inconclusive', reason: `stopped before a verdict${waiting.length ? `: ${waiting.join('; ')}` : ''}`, checks: waitingChecks };
  if (input.elapsedMs >= input.durationMs && waiting.length === 0) {
    return { action: 'healthy', reason: `every check held for ${formatDuration(input.elapsedMs)}`, checks: [] };
  }
  if (input.elapsedMs >= input.deadlineMs) {
    return { action: 'inconclusive', reason: `deadline reached without a verdict: ${waiting.join('; ')}`, checks: waitingChecks };
  }
  if (input.elapsedMs >= input.durationMs) return { action: 'continue', reason: `watching until the deadline: ${waiting.join('; ')}`, checks: waitingChecks };
  return { action: 'continue', reason: waiting.length ? waiting.join('; ') : 'healthy so far', checks: waitingChecks };
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
