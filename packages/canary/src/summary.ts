/** The job summary and the check run's text of a canary: every step's analysis, and a chart. Pure. */
import { formatDuration, formatSplit, type Split } from '@cutover/config';
import type { WatchReport } from '@cutover/health';
import { markdownTable, mermaidXyChart } from '@cutover/runtime';
import { stepFigures } from './describe.js';

export type CanaryResult = 'promoted' | 'aborted' | 'paused';

export interface StepRecord {
  weight: number;
  requested: number[];
  canaryHosts?: number;
  hosts?: number;
  /** The split read back after the step's change. */
  split: Split;
  /** The analysis (absent for the promotion step, which is not watched). */
  report?: WatchReport;
}

export interface CanaryRun {
  environment: string;
  router: string;
  stable: string;
  canary: string;
  version?: string;
  result?: CanaryResult;
  reason?: string;
  /** The canary's weight when the action ended. */
  weight: number;
  /** Someone else moved traffic (a rollback): the canary stopped where it found it, without restoring. */
  moved?: boolean;
  /** Why putting the stable pool back failed, when it did: then nothing says it takes all traffic. */
  restoreFailed?: string;
  before: Split;
  after: Split;
  steps: StepRecord[];
  /** Steps an earlier run already took. */
  skipped: number[];
  notes: string[];
  stepDuration: number;
  interval: number;
  /** What happened to the GitHub records, one line each. */
  records: string[];
}

const ICON: Record<CanaryResult, string> = { promoted: '✅', aborted: '❌', paused: '⏸️' };
const VERDICT = { healthy: '✅ healthy', unhealthy: '❌ unhealthy', inconclusive: '⚠️ inconclusive' } as const;

export function title(run: CanaryRun): string {
  switch (run.result) {
    case 'promoted':
      return `${run.canary} promoted: it takes all traffic in ${run.environment}`;
    case 'aborted':
      if (run.moved) return `${run.canary} stopped at ${lastWeight(run)}%: someone else moved traffic, left as found (${formatSplit(run.after)})`;
      return run.restoreFailed
        ? `${run.canary} aborted at ${lastWeight(run)}%: restoring ${run.stable} FAILED, traffic may still be split`
        : `${run.canary} aborted at ${lastWeight(run)}%: ${run.stable} takes all traffic again`;
    case 'paused':
      return `${run.canary} paused at ${run.weight}% in ${run.environment}: a later run continues`;
    default:
      return `${run.canary} stopped at ${run.weight}% in ${run.environment}`;
  }
}

function lastWeight(run: CanaryRun): number {
  return run.steps.at(-1)?.weight ?? run.weight;
}

/** One row per step: the split, the verdict, canary against stable. */
export function stepsTable(run: CanaryRun): string {
  const rows = run.steps.map((step) => {
    const hosts = step.canaryHosts !== undefined ? ` (${step.canaryHosts} of ${step.hosts} hosts)` : '';
    const report = step.report;
    return [
      `${step.weight}%${hosts}`,
      formatSplit(step.split),
      report ? VERDICT[report.verdict] : '🚀 promoted',
      report ? stepFigures(report) : '',
      report ? `${formatDuration(report.elapsedMs)}, ${report.looks} looks` : '',
      report ? report.reason : 'not watched: the health-watch action watches after promotion',
    ];
  });
  return markdownTable(['canary weight', 'split', 'verdict', `${run.canary} vs ${run.stable}`, 'watched', 'analysis'], rows);
}

/** The main check on the canary against the stable pool, look after look across the steps. */
export function canaryChart(run: CanaryRun): string {
  const watched = run.steps.filter((step) => step.report);
  const main = watched[0]?.report?.checks.find((check) => check.main) ?? watched[0]?.report?.checks[0];
  if (!main) return '';
  const x: string[] = [];
  const canary: (number | undefined)[] = [];
  const stable: (number | undefined)[] = [];
  for (const step of watched) {
    for (const record of step.report!.intervals.filter((r) => r.checks.length)) {
      const check = record.checks.find((c) => c.check === main.name);
      x.push(`${step.weight}% ${Math.round(record.elapsedMs / 100) / 10}s`);
      canary.push(check?.observed);
      stable.push(check?.baselineObserved);
    }
  }
  const unit = main.unit ? ` (${main.unit})` : '';
  return mermaidXyChart({
    title: `${main.name}${main.kind === 'http' ? ' latency' : ''}${unit}: ${run.canary} against ${run.stable}`,
    x,
    xLabel: 'step and time in the step',
    yLabel: main.unit || main.name,
    series: [
      { name: `${main.name} on ${run.canary} (canary)${unit}`, values: canary },
      { name: `${main.name} on ${run.stable} (stable)${unit}`, values: stable },
    ],
  });
}

export function summaryMarkdown(run: CanaryRun): string {
  const icon = run.result ? ICON[run.result] : '⚠️';
  const parts = [
    `## ${icon} canary-step: ${title(run)}`,
    '',
    ...(run.reason ? [`**${run.result === 'paused' ? 'Paused' : 'Reason'}**: ${run.reason}`, ''] : []),
    `Canary **${run.canary}** against stable **${run.stable}**${run.version ? ` (version \`${run.version}\`)` : ''}; each step watched ${formatDuration(run.stepDuration)}, a look every ${formatDuration(run.interval)}.`,
    '',
  ];
  if (run.skipped.length)
    parts.push(`Resumed from ${formatSplit(run.before)}: steps ${run.skipped.map((w) => `${w}%`).join(', ')} were taken by an earlier run.`, '');
  if (run.steps.length) parts.push(stepsTable(run));
  for (const note of run.notes) parts.push(`- Rounded: ${note}`);
  if (run.notes.length) parts.push('');
  const chart = canaryChart(run);
  if (chart) parts.push('### The canary against the stable pool', '', chart);
  parts.push(`- Router: ${run.router}`, `- Split: ${formatSplit(run.before)} → ${formatSplit(run.after)}`, ...run.records.map((line) => `- ${line}`), '');
  return parts.join('\n');
}
