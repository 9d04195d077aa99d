/** What canary-step tells the environment's alerts when it aborts. Pure. */
import type { AlertEvent, FailingCheck, RunContext } from '@cutover/alerts';
import type { WatchReport } from '@cutover/health';

export interface AbortFacts {
  environment: string;
  canary: string;
  stable: string;
  weight: number;
  version?: string;
  reason: string;
  /** Why putting the stable pool back failed, when it did. */
  restoreFailed?: string;
  report?: WatchReport;
  context: RunContext;
}

/** Each failing check with what was seen against what is allowed: the comparison when one failed. */
export function failingChecks(report: WatchReport): FailingCheck[] {
  return report.checks
    .filter((check) => report.failedChecks.includes(check.name))
    .map((check) => {
      const worse = check.comparisons.filter((comparison) => comparison.harm);
      return worse.length
        ? { name: check.name, observed: worse.map((c) => `${c.metric} ${c.observed}`).join('; '), threshold: worse.map((c) => c.threshold).join('; ') }
        : { name: check.name, observed: `${check.observed}${check.lastProblem ? ` (last: ${check.lastProblem})` : ''}`, threshold: check.threshold };
    });
}

export function abortAlert(facts: AbortFacts): AlertEvent {
  return {
    action: 'trigger',
    source: 'canary-step',
    environment: facts.environment,
    title: facts.restoreFailed
      ? `${facts.environment}: canary ${facts.canary} aborted at ${facts.weight}%, restoring ${facts.stable} FAILED`
      : `${facts.environment}: canary ${facts.canary} aborted at ${facts.weight}%, ${facts.stable} takes all traffic again`,
    reason: facts.reason,
    verdict: 'aborted',
    pool: facts.canary,
    ...(facts.version ? { version: facts.version } : {}),
    ...facts.context,
    failingChecks: facts.report ? failingChecks(facts.report) : [],
    checks: facts.report ? facts.report.checks.map((check) => check.name) : [],
    severity: 'critical',
  };
}
