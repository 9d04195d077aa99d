/** The job summary: verdict, a table per check (observed vs threshold), comparisons, a chart. */
import { formatDuration } from '@cutover/config';
import type { WatchReport } from '@cutover/health';
import { markdownTable, mermaidXyChart } from '@cutover/runtime';

const ICON = { healthy: '✅', unhealthy: '❌', inconclusive: '⚠️' } as const;
const percent = (rate: number) => `${Number((rate * 100).toPrecision(3))}%`;
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
      ['check', 'kind', 'status', 'observed', 'threshold', 'looks (bad)', 'source failures'],
      report.checks.map((check) => [
        check.name,
        check.kind,
        STATUS[check.status],
        check.observed,
        check.threshold,
        `${check.looks} (${check.badLooks})`,
        check.sourceFailures,
      ]),
      ['left', 'left', 'left', 'left', 'left', 'right', 'right'],
    ),
  ];
  const limits = report.checks.filter((check) => check.absolute);
  if (limits.length) {
    parts.push(
      '### Failed requests against each limit',
      '',
      markdownTable(
        ['check', 'pool', 'failed or slow', 'share, with confidence', 'limit', 'verdict'],
        limits.flatMap((check) =>
          [
            [report.target.name, check.absolute!],
            ...(check.baselineAbsolute ? [[report.baseline?.name ?? 'baseline', check.baselineAbsolute] as const] : []),
          ].map(([pool, judgement]) => {
            const absolute = judgement as NonNullable<typeof check.absolute>;
            return [
              check.name,
              pool as string,
              `${absolute.bad} of ${absolute.requests}`,
              `${percent(absolute.bounds.low)} to ${percent(absolute.bounds.high)}`,
              percent(absolute.limit),
              absolute.broken ? '❌ broken' : absolute.held ? '✅ held' : '⚠️ not shown yet',
            ];
          }),
        ),
      ),
      '',
    );
  }
  if (report.comparisons.length) {
    parts.push(
      `### Compared with ${report.baseline?.name}`,
      '',
      `Anytime-valid tests at confidence ${settings.confidence} over the whole watch, however often it looks: a metric is worse only when shown beyond its tolerance, and within it only when shown so.`,
      '',
      markdownTable(
        ['check', 'metric', 'target vs baseline', 'tolerance', 'verdict'],
        report.comparisons.map((c) => [
          c.check,
          c.metric,
          c.observed,
          c.threshold,
          c.verdict === 'worse' ? '❌ worse' : c.verdict === 'within' ? '✅ within' : '⚠️ not shown yet',
        ]),
      ),
    );
  }
  const chart = mainChart(report);
  if (chart) parts.push('### Main metric over time', '', chart);
  if (report.timeToDetectionMs !== undefined)
    parts.push(
      `First bad sample at ${report.firstBadSampleAt}; called unhealthy at ${report.detectedAt} (${formatDuration(report.timeToDetectionMs)} later).`,
      '',
    );
  parts.push(`Every look and decision: \`${reportPath}\`.`, '');
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
    title: `${main.name}${main.unit === 'ms' ? ' latency (median of each look)' : ''}${unit}`,
    x: records.map((record) => `${Math.round(record.elapsedMs / 100) / 10}s`),
    xLabel: 'time since start',
    yLabel: main.unit || main.name,
    series,
  });
}
