/** The job summary: verdict, a table per check (observed vs threshold), comparisons, a chart. */
import { formatDuration } from '@cutover/config';
import type { WatchReport } from '@cutover/health';
import { markdownTable, mermaidXyChart } from '@cutover/runtime';

const ICON = { healthy: '✅', unhealthy: '❌', inconclusive: '⚠️' } as const;
const STATUS = { pass: '✅ pass', fail: '❌ fail', 'no-data': '⚠️ no verdict' } as const;

export function summaryMarkdown(environment: string, report: WatchReport, reportPath: string): string {
  const pools = report.baseline ? `pool **${report.target.name}** against baseline **${report.baseline.name}**` : `pool **${report.target.name}**`;
  const settings = report.settings;
  const parts = [
    `## ${ICON[report.verdict]} health-watch: ${environment} is ${report.verdict}`,
    '',
    `Watched ${pools} for ${formatDuration(report.elapsedMs)} (${report.looks} looks every ${formatDuration(settings.interval)}; duration ${formatDuration(settings.duration)}, deadline ${formatDuration(settings.deadline)}).`,
    '',
    `**${report.verdict}**: ${report.reason}${report.verdict === 'inconclusive' ? (report.passed ? ' (allowed: `inconclusive: pass`)' : ' (fails the step; set `inconclusive: pass` to allow)') : ''}`,
    '',
    markdownTable(
      ['check', 'kind', 'status', 'observed', 'threshold', 'samples', 'bad intervals (worst run)', 'source failures'],
      report.checks.map((check) => [
        check.name,
        check.kind,
        STATUS[check.status],
        check.observed,
        check.threshold,
        check.samples,
        `${check.badIntervals} (${check.worstRun})`,
        check.sourceFailures,
      ]),
      ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right'],
    ),
  ];
  if (report.comparisons.length) {
    parts.push(
      `### Compared with ${report.baseline?.name}`,
      '',
      `One-sided tests at confidence ${settings.confidence}, corrected for ${settings.plannedLooks} looks and ${report.comparisons.length} tests; a metric fails only when significantly worse **and** beyond its tolerance.`,
      '',
      markdownTable(
        ['check', 'metric', 'target vs baseline', 'threshold', 'verdict'],
        report.comparisons.map((c) => [c.check, c.metric, c.observed, c.threshold, c.failed ? '❌ worse' : c.enoughData ? '✅ not worse' : '⚠️ too little data']),
      ),
    );
  }
  const chart = mainChart(report);
  if (chart) parts.push('### Main metric over time', '', chart);
  if (report.timeToDetectionMs !== undefined) parts.push(`First bad sample at ${report.firstBadSampleAt}; called unhealthy at ${report.detectedAt} (${formatDuration(report.timeToDetectionMs)} later).`, '');
  parts.push(`Every sample and decision: \`${reportPath}\`.`, '');
  return parts.join('\n');
}

function mainChart(report: WatchReport): string {
  const main = report.checks.find((check) => check.main) ?? report.checks[0];
  if (!main) return '';
  const records = report.intervals.filter((record) => record.checks.length);
  const values = (pick: 'observed' | 'baselineObserved') => records.map((record) => record.checks.find((c) => c.check === main.name)?.[pick]);
  const unit = main.unit ? ` (${main.unit})` : '';
  const series = [{ name: `${main.name} on ${report.target.name}${unit}`, values: values('observed') }];
  if (report.baseline) series.push({ name: `${main.name} on ${report.baseline.name}${unit}`, values: values('baselineObserved') });
  return mermaidXyChart({
    title: `${main.name}${main.kind === 'http' ? ' latency' : ''}${unit}`,
    x: records.map((record) => `${Math.round(record.elapsedMs / 100) / 10}s`),
    xLabel: 'time since start',
    yLabel: main.unit || main.name,
    series,
  });
}
