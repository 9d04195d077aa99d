/** What health-watch tells the alerts: trigger when it fails, resolve when healthy again. */
import type { AlertEvent } from '@cutover/alerts';
import { runContext } from '@cutover/alerts';
import type { WatchReport } from '@cutover/health';

/** undefined: nothing to say (an inconclusive verdict the user allowed). */
export function alertEvent(environment: string, version: string, report: WatchReport): AlertEvent | undefined {
  if (report.verdict === 'inconclusive' && report.passed) return undefined;
  const failing = report.checks.filter((check) => report.failedChecks.includes(check.name));
  const base = {
    source: 'health-watch',
    environment,
    verdict: report.verdict,
    pool: report.target.name,
    ...(version ? { version } : {}),
    ...runContext(),
    checks: report.checks.map((check) => check.name),
    reason: report.reason,
  };
  if (report.verdict === 'healthy') return { ...base, action: 'resolve', title: `${environment}: pool ${report.target.name} is healthy`, failingChecks: [] };
  return {
    ...base,
    action: 'trigger',
    title: `${environment}: pool ${report.target.name} is ${report.verdict}`,
    severity: report.verdict === 'unhealthy' ? 'critical' : 'warning',
    failingChecks: failing.map((check) => {
      const worse = check.comparisons.filter((c) => c.harm);
      return worse.length
        ? { name: check.name, observed: worse.map((c) => `${c.metric} ${c.observed}`).join('; '), threshold: worse.map((c) => c.threshold).join('; ') }
        : { name: check.name, observed: `${check.observed}${check.lastProblem ? ` (last: ${check.lastProblem})` : ''}`, threshold: check.threshold };
    }),
  };
}
