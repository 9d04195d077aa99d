/** The job summary: the four figures with their DORA levels, per environment, and two Mermaid charts. Pure. */
import { markdownTable, mermaidXyChart } from '@cutover/runtime';
import { describeFigures } from './describe.js';
import { isoDate, plural } from './format.js';
import type { MetricsReport } from './report.js';

function scope(report: MetricsReport): string {
  if (report.environment) return report.environment;
  if (report.environments.length === 0) return 'every environment';
  return report.environments.join(', ');
}

export function summaryMarkdown(report: MetricsReport): string {
  const since = Date.parse(report.window.since);
  const until = Date.parse(report.window.until);
  const rows = describeFigures(report.overall).map((figure) => [figure.name, figure.value, figure.band ?? '', figure.basis]);
  const lines = [
    `## Delivery metrics: ${scope(report)}`,
    '',
    `${isoDate(since)} to ${isoDate(until)} (${Number(report.window.days.toFixed(1))} days) in ${report.repository}. ` +
      `Levels: [${report.levels.source.title}](${report.levels.source.url}).`,
    '',
    markdownTable(['Figure', 'Value', 'DORA level', 'Based on'], rows).trimEnd(),
  ];
  const environments = Object.entries(report.byEnvironment);
  if (environments.length > 1) {
    lines.push(
      '',
      '### Per environment',
      '',
      markdownTable(
        ['Environment', 'Deployment frequency', 'Lead time', 'Change failure rate', 'Time to restore'],
        environments.map(([name, figures]) => [
          name,
          ...describeFigures(figures).map((figure) => (figure.band ? `${figure.value} (${figure.band})` : figure.value)),
        ]),
      ).trimEnd(),
    );
  }
  const labels = report.weeks.map((week) => week.start.slice(5));
  const deployments = mermaidXyChart({
    title: 'Deployments per week',
    x: labels,
    yLabel: 'deployments',
    series: [{ name: 'Deployments that reached success, per week from the window start', values: report.weeks.map((week) => week.deployments), kind: 'bar' }],
  });
  const lead = mermaidXyChart({
    title: 'Lead time for changes per week (median, hours)',
    x: labels,
    yLabel: 'hours',
    series: [
      {
        name: 'Median lead time of the commits shipped that week, in hours (a week without any repeats the previous value)',
        values: report.weeks.map((week) => (week.leadTimeMedian === undefined ? undefined : week.leadTimeMedian / 3600)),
      },
    ],
  });
  lines.push('', '### Deployments per week', '', deployments || '_No week to chart._');
  lines.push('', '### Lead time over time', '', lead || '_No commit shipped in the window: no lead time to chart._');
  lines.push(
    '',
    `_Read ${plural(report.github.deploymentsRead, 'deployment')} and ${plural(report.github.incidentsRead, 'incident')} ` +
      `with ${plural(report.github.calls, 'GitHub request')} (${plural(report.github.compares, 'compare')})._`,
  );
  for (const note of report.notes) lines.push('', `> ${note.replace(/\r?\n/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}
