/**
 * The judgement of a value check (a PromQL result, a command's number) and of a source's looks:
 * look by look. A look is bad when the value breaks the limits or the source failed (fail closed);
 * `failure-limit` bad looks over the whole watch make the check unhealthy, as Argo Rollouts'
 * failureLimit and Flagger's threshold count them (not in a row: an intermittent fault is still a
 * fault). Pure.
 */
import type { PoolLook } from '../check.js';

export interface LookTally {
  check: string;
  looks: number;
  /** Looks with a measured value (pass or fail). */
  measured: number;
  badLooks: number;
  sourceFailures: number;
  /** The latest look with data was bad: a check failing right now is not called healthy. */
  failingNow: boolean;
  lastReason?: string;
  /** The baseline pool's bad looks, to tell a broken environment from a broken canary. */
  baselineBadLooks: number;
  baselineMeasured: number;
  firstBadAt?: number;
}

export function emptyLookTally(check: string): LookTally {
  return { check, looks: 0, measured: 0, badLooks: 0, sourceFailures: 0, failingNow: false, baselineBadLooks: 0, baselineMeasured: 0 };
}

function describe(look: PoolLook): string {
  if (look.outcome !== 'source-failure' && look.dropped)
    return `source failure: ${look.dropped} figure${look.dropped === 1 ? '' : 's'} not a finite number, dropped`;
  const kind = look.outcome === 'source-failure' ? 'source failure: ' : '';
  return `${kind}${look.error ?? look.outcome}`;
}

/**
 * One look's target and baseline looks of one check. Several target looks in one look (one per
 * address) make one bad look when any is bad.
 */
export function addValueLook(tally: LookTally, looks: readonly PoolLook[]): LookTally {
  const target = looks.filter((look) => look.role === 'target');
  const baseline = looks.filter((look) => look.role === 'baseline');
  const bad = target.filter((look) => look.outcome === 'fail' || look.outcome === 'source-failure' || (look.dropped ?? 0) > 0);
  const measured = target.some((look) => look.outcome === 'pass' || look.outcome === 'fail');
  const baselineBad = baseline.some((look) => look.outcome === 'fail' || look.outcome === 'source-failure');
  const next: LookTally = {
    ...tally,
    looks: tally.looks + 1,
    measured: tally.measured + (measured ? 1 : 0),
    badLooks: tally.badLooks + (bad.length ? 1 : 0),
    sourceFailures: tally.sourceFailures + target.filter((look) => look.outcome === 'source-failure' || (look.dropped ?? 0) > 0).length,
    failingNow: bad.length > 0 ? true : measured ? false : tally.failingNow,
    baselineBadLooks: tally.baselineBadLooks + (baselineBad ? 1 : 0),
    baselineMeasured: tally.baselineMeasured + (baseline.some((look) => look.outcome === 'pass' || look.outcome === 'fail') ? 1 : 0),
  };
  if (bad.length) next.lastReason = describe(bad[0]!);
  else if (!measured && target[0]) next.lastReason = next.lastReason ?? describe(target[0]);
  if (bad.length && next.firstBadAt === undefined) next.firstBadAt = bad[0]!.at;
  return next;
}
