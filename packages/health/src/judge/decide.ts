/**
 * The decision after each look: go on, or a verdict, from every check's judgement. Pure.
 *
 * 1. unhealthy at once when harm is shown: a limit broken (a request check's failed share shown
 *    above max-error-rate, or failure-limit bad looks of any check), or the target shown worse than
 *    the baseline by more than a tolerance. When both pools break a limit, the reason says the
 *    environment is unhealthy, not the canary alone.
 * 2. healthy once the duration has passed and the evidence is in: every request check shown within
 *    its limit and, compared, within its tolerances; every value check measured min-samples times
 *    and not failing now. "No harm found" on thin data is not healthy: the watch goes on.
 * 3. inconclusive at the deadline without that, saying what was seen and what was missing.
 */
import { formatDuration } from '@cutover/config';
import type { ComparedJudgement, RequestJudgement } from './requests.js';
import type { LookTally } from './values.js';

export type Verdict = 'healthy' | 'unhealthy' | 'inconclusive';
export type Action = 'continue' | Verdict;

export interface Decision {
  action: Action;
  reason: string;
  /** The checks that failed (unhealthy) or lacked evidence (inconclusive, continue). */
  checks: string[];
}

export interface DecisionInput {
  elapsedMs: number;
  durationMs: number;
  /** Since the start; at least durationMs. */
  deadlineMs: number;
  failureLimit: number;
  minSamples: number;
  /** Every check's looks (sources failing, values out of limits). */
  tallies: readonly LookTally[];
  /** Request checks: their judgements. */
  requests: readonly RequestJudgement[];
  /** Value checks among the tallies (request checks are judged by their evidence instead). */
  valueChecks: readonly string[];
  target: string;
  baseline?: string;
  /** The watch was stopped (cancelled) before a verdict. */
  aborted?: boolean;
}

const percent = (rate: number, digits = 3) => (Number.isFinite(rate) ? `${Number((rate * 100).toPrecision(digits))}%` : 'n/a');
const points = (difference: number) =>
  Number.isFinite(difference) ? `${difference >= 0 ? '+' : ''}${Number((difference * 100).toPrecision(3))} points` : 'n/a';
const ratio = (value: number) => (Number.isFinite(value) ? `×${Number(value.toPrecision(3))}` : value === Infinity ? 'unbounded' : 'n/a');

function harmReasons(input: DecisionInput): { reasons: string[]; checks: string[] } {
  const reasons: string[] = [];
  const checks: string[] = [];
  const baseline = input.baseline ?? 'the baseline';
  for (const tally of input.tallies) {
    if (tally.badLooks < input.failureLimit) continue;
    const both = input.baseline !== undefined && tally.baselineBadLooks >= input.failureLimit;
    reasons.push(
      both
        ? `${tally.check}: ${tally.badLooks} bad looks on ${input.target} and ${tally.baselineBadLooks} on ${baseline} (${tally.lastReason ?? 'failed'}): the environment is unhealthy, not the canary alone`
        : `${tally.check}: ${tally.badLooks} bad looks of ${tally.looks} (${tally.lastReason ?? 'failed'}; failure-limit ${input.failureLimit})`,
    );
    checks.push(tally.check);
  }
  for (const judgement of input.requests) {
    const { target } = judgement;
    const before = reasons.length;
    if (target.broken) {
      const other = judgement.baseline;
      reasons.push(
        other?.broken
          ? `${judgement.check}: both pools break the limit: ${percent(target.rate)} of ${target.requests} requests failed on ${input.target} and ${percent(other.rate)} of ${other.requests} on ${baseline} (limit ${percent(target.limit)}): the environment is unhealthy, not the canary alone`
          : `${judgement.check}: ${percent(target.rate)} of ${target.requests} requests failed on ${input.target}, at least ${percent(target.bounds.low)} (limit ${percent(target.limit)})`,
      );
    }
    if (judgement.errors?.harm) reasons.push(`${judgement.check} error rate worse than ${baseline}: ${compared(judgement.errors, input, 'harm')}`);
    if (judgement.latency?.harm) reasons.push(`${judgement.check} latency worse than ${baseline}: ${compared(judgement.latency, input, 'harm')}`);
    if (reasons.length > before) checks.push(judgement.check);
  }
  return { reasons, checks: [...new Set(checks)] };
}

/** One comparison for people, from the side that matters: what was shown (harm) or is still open. */
function compared(judgement: ComparedJudgement, input: DecisionInput, side: 'harm' | 'health' | 'open'): string {
  if (judgement.metric === 'error-rate') {
    const rates = `${percent(judgement.target ?? NaN)} vs ${percent(judgement.baseline ?? NaN)}`;
    if (side === 'harm') return `${rates}, at least ${points(judgement.bounds.low)} (tolerance ${points(judgement.limit)}, ${judgement.pairs} pairs)`;
    if (side === 'health') return `${rates}, at most ${points(judgement.bounds.high)} (tolerance ${points(judgement.limit)})`;
    return `difference at most ${points(judgement.bounds.high)} so far, tolerance ${points(judgement.limit)} (${judgement.pairs} pairs)`;
  }
  if (side === 'harm')
    return `slower than ${input.baseline ?? 'the baseline'} ${ratio(judgement.limit)} in most of ${judgement.pairs} pairs (median ratio ${ratio(judgement.observed)}, at least ${ratio(judgement.bounds.low)})`;
  if (side === 'health') return `median ratio ${ratio(judgement.observed)}, at most ${ratio(judgement.bounds.high)} (tolerance ${ratio(judgement.limit)})`;
  return `median ratio at most ${ratio(judgement.bounds.high)} so far, tolerance ${ratio(judgement.limit)} (${judgement.pairs} pairs)`;
}

function waitingReasons(input: DecisionInput): { reasons: string[]; checks: string[] } {
  const reasons: string[] = [];
  const checks: string[] = [];
  const values = new Set(input.valueChecks);
  for (const tally of input.tallies) {
    if (values.has(tally.check) && tally.measured < input.minSamples) {
      reasons.push(`${tally.check}: ${tally.measured} of ${input.minSamples} looks measured`);
      checks.push(tally.check);
    }
    if (tally.failingNow) {
      reasons.push(`${tally.check}: failing now (${tally.badLooks} of ${input.failureLimit} bad looks: ${tally.lastReason ?? 'failed'})`);
      checks.push(tally.check);
    }
  }
  for (const judgement of input.requests) {
    const { target } = judgement;
    if (!target.held) {
      reasons.push(
        target.limit <= 0
          ? `${judgement.check}: max-error-rate 0 allows no failure, and no number of requests shows 0%`
          : `${judgement.check}: failed share at most ${percent(target.bounds.high)} so far, limit ${percent(target.limit)} (${target.requests} requests)`,
      );
      checks.push(judgement.check);
    }
    for (const comparison of [judgement.errors, judgement.latency]) {
      if (comparison && !comparison.health) {
        reasons.push(`${judgement.check} ${comparison.metric}: ${compared(comparison, input, 'open')}`);
        checks.push(judgement.check);
      }
    }
  }
  return { reasons, checks: [...new Set(checks)] };
}

function healthyReason(input: DecisionInput): string {
  const parts = input.requests.map((judgement) => {
    const { target } = judgement;
    const figures = [`${target.bad} of ${target.requests} failed, at most ${percent(target.bounds.high)} (limit ${percent(target.limit)})`];
    if (judgement.errors) figures.push(`error rate ${compared(judgement.errors, input, 'health')}`);
    if (judgement.latency) figures.push(`latency ${compared(judgement.latency, input, 'health')}`);
    return `${judgement.check}: ${figures.join('; ')}`;
  });
  for (const tally of input.tallies.filter((candidate) => input.valueChecks.includes(candidate.check))) {
    parts.push(`${tally.check}: ${tally.measured} looks, ${tally.badLooks} bad (failure-limit ${input.failureLimit})`);
  }
  return `every check held for ${formatDuration(input.elapsedMs)}${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

export function decide(input: DecisionInput): Decision {
  const harm = harmReasons(input);
  if (harm.reasons.length) return { action: 'unhealthy', reason: harm.reasons.join('; '), checks: harm.checks };
  const waiting = waitingReasons(input);
  if (input.aborted)
    return {
      action: 'inconclusive',
      reason: `stopped before a verdict${waiting.reasons.length ? `: ${waiting.reasons.join('; ')}` : ''}`,
      checks: waiting.checks,
    };
  if (input.elapsedMs >= input.durationMs && waiting.reasons.length === 0) return { action: 'healthy', reason: healthyReason(input), checks: [] };
  if (input.elapsedMs >= input.deadlineMs) {
    return { action: 'inconclusive', reason: `deadline reached without evidence: ${waiting.reasons.join('; ')}`, checks: waiting.checks };
  }
  if (input.elapsedMs >= input.durationMs)
    return { action: 'continue', reason: `watching until the deadline: ${waiting.reasons.join('; ')}`, checks: waiting.checks };
  return { action: 'continue', reason: waiting.reasons.length ? waiting.reasons.join('; ') : 'healthy so far', checks: waiting.checks };
}
