/** Short texts of a step's analysis: deployment statuses, the abort reason, the check run's title. Pure. */
import type { Comparison, WatchReport } from '@cutover/health';
import { round } from '@cutover/health';

const percent = (rate: number) => `${round(rate * 100)}%`;

/** The check the figures come from: the `main: true` one, else the first. */
function mainCheck(report: WatchReport) {
  return report.checks.find((check) => check.main) ?? report.checks[0];
}

function comparison(report: WatchReport, check: string, metric: Comparison['metric']): Comparison | undefined {
  return report.comparisons.find((c) => c.check === check && c.metric === metric && c.pairs > 0);
}

/**
 * The main figures of a step, canary against stable: "error rate 0.2% vs 0.3%, median 3ms vs 2ms"
 * for a compared http check, else what the main check observed.
 */
export function stepFigures(report: WatchReport): string {
  const check = mainCheck(report);
  if (!check) return 'no checks';
  const errors = comparison(report, check.name, 'error-rate');
  const latency = comparison(report, check.name, 'latency');
  if (errors) {
    const parts = [`error rate ${percent(errors.target)} vs ${percent(errors.baseline)}`];
    if (latency && latency.pairs) parts.push(`median ${round(latency.target)}ms vs ${round(latency.baseline)}ms`);
    return parts.join(', ');
  }
  return `${check.name} ${check.observed}`;
}

/** A deployment status line: "25% canary, healthy: error rate 0.2% vs 0.3%". */
export function stepDescription(weight: number, report: WatchReport): string {
  return `${weight}% canary, ${report.verdict}: ${stepFigures(report)}`;
}

/**
 * Why the canary was aborted, naming the failing checks and their figures (the watch's reason says
 * which comparison or limit failed and by how much).
 */
export function abortReason(weight: number, report: WatchReport): string {
  const checks = report.failedChecks.length ? report.failedChecks.join(', ') : 'the analysis';
  return `${checks} failed at ${weight}% canary (${report.verdict}): ${report.reason}`;
}
