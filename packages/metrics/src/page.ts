/**
 * The page: one self-contained HTML file (inline CSS, inline SVG charts, no script, no request)
 * for GitHub Pages or an artifact. A Content-Security-Policy forbids loading anything, so even a
 * change that added a request would be refused by the browser. Pure.
 */
import { BAND_RULES, type Band } from './bands.js';
import { describeFigures, type FigureKey } from './describe.js';
import { formatSeconds, isoDate, isoMinute, plural } from './format.js';
import type { Figures, MetricsReport } from './report.js';
import { escapeHtml as h, timePoints, weeklyBars } from './svg.js';
import { DAY_MS } from './window.js';

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa; --line: #d1d9e0; --ok: #1f883d; --bad: #cf222e; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d; --ok: #3fb950; --bad: #f85149; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1080px; padding: 24px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { font-size: 19px; margin: 32px 0 8px; }
.muted, .basis { color: var(--muted); }
a { color: var(--accent); }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 12px; margin-top: 20px; }
.figure { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.figure h2 { margin: 0; font-size: 14px; font-weight: 600; color: var(--muted); }
.figure .value { margin: 6px 0; font-size: 22px; font-weight: 600; }
.figure .basis { margin: 0; font-size: 13px; }
.band { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; border: 1px solid var(--line); }
.band-elite { background: #dafbe1; color: #116329; } .band-high { background: #ddf4ff; color: #0a3069; }
.band-medium { background: #fff8c5; color: #6c4400; } .band-low { background: #ffebe9; color: #82071e; }
.band-none { color: var(--muted); }
.chart { width: 100%; height: auto; max-width: 720px; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .tick, .chart .axis-label { fill: var(--muted); font-size: 11px; }
.chart .ok { fill: var(--ok); } .chart .failed { fill: var(--bad); }
.chart .point { fill: var(--accent); fill-opacity: 0.7; }
.chart .median { fill: none; stroke: var(--fg); stroke-width: 2; } .chart .median-point { fill: var(--fg); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
footer { margin-top: 40px; font-size: 13px; color: var(--muted); }
`;

function band(value: Band | undefined): string {
  return value ? `<span class="band band-${value}">DORA: ${value}</span>` : '<span class="band band-none">no data</span>';
}

function figureCards(figures: Figures): string {
  return describeFigures(figures)
    .map(
      (figure) =>
        `<article class="figure" data-figure="${figure.key}" data-band="${figure.band ?? ''}"><h2>${h(figure.name)}</h2>` +
        `<p class="value">${h(figure.value)}</p>${band(figure.band)}<p class="basis">${h(figure.basis)}</p></article>`,
    )
    .join('\n');
}

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${h(empty)}</p>`;
  return `<table><thead><tr>${headers.map((header) => `<th>${h(header)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function deploymentsChart(report: MetricsReport): string {
  const bars = report.weeks.map((week) => ({ label: week.start.slice(5), total: week.deployments, failed: week.failed }));
  return weeklyBars('deployments-per-week', 'Deployments that reached production per week (failed ones in red)', bars, 'deployments');
}

function leadTimeChart(report: MetricsReport): string {
  const since = Date.parse(report.window.since);
  const until = Date.parse(report.window.until);
  const points = report.overall.leadTime.deployments
    .filter((deployment) => deployment.median !== undefined)
    .map((deployment) => ({
      at: deployment.succeededAt,
      value: deployment.median! / 3600,
      label: `deployment ${deployment.id}${deployment.version ? ` (${deployment.version})` : ''}, ${isoMinute(deployment.succeededAt)}: median ${formatSeconds(deployment.median!)} over ${plural(deployment.commits.length, 'commit')}`,
    }));
  // Each week's median sits in the middle of its week.
  const line = report.weeks.flatMap((week, index) =>
    week.leadTimeMedian === undefined
      ? []
      : [
          {
            at: Math.min(until, since + (index + 0.5) * 7 * DAY_MS),
            value: week.leadTimeMedian / 3600,
            label: `week of ${week.start}: median ${formatSeconds(week.leadTimeMedian)}`,
          },
        ],
  );
  const labels = report.weeks.map((week, index) => ({ at: since + index * 7 * DAY_MS, label: week.start.slice(5) }));
  return timePoints(
    'lead-time',
    "Lead time for changes: each deployment's median (points) and each week's (line), in hours",
    points,
    line,
    { from: since, to: until, labels },
    'hours',
  );
}

function perEnvironment(report: MetricsReport): string {
  const environments = Object.entries(report.byEnvironment);
  if (environments.length < 2) return '';
  const keys: FigureKey[] = ['deployment-frequency', 'lead-time', 'change-failure-rate', 'time-to-restore'];
  const rows = environments.map(([name, figures]) => {
    const texts = describeFigures(figures);
    return [
      h(name),
      ...keys.map((key) => {
        const figure = texts.find((text) => text.key === key)!;
        return `${h(figure.value)} ${figure.band ? band(figure.band) : ''}`;
      }),
    ];
  });
  return `<h2>Per environment</h2>${table(['Environment', 'Deployment frequency', 'Lead time', 'Change failure rate', 'Time to restore'], rows, '')}`;
}

function failuresTable(report: MetricsReport): string {
  const rows = report.overall.changeFailureRate.failed.map((failure) => [
    String(failure.id),
    h(failure.environment),
    h(failure.version ?? ''),
    h(failure.reasons.join('; ')),
  ]);
  return table(['Deployment', 'Environment', 'Version', 'Why it counts as failed'], rows, 'No deployment of the window failed.');
}

function restorationsTable(report: MetricsReport): string {
  const incidents = new Map(report.incidents.map((incident) => [incident.number, incident]));
  const rows = report.overall.timeToRestore.restorations.map((restoration) => [
    `${restoration.deploymentId}${restoration.version ? ` (${h(restoration.version)})` : ''}`,
    h(restoration.environment),
    `${isoMinute(restoration.startedAt)} <span class="muted">(${h(restoration.startedBy)})</span>`,
    `${isoMinute(restoration.restoredAt)} <span class="muted">(${restoration.restoredBy.kind} ${restoration.restoredBy.id})</span>`,
    formatSeconds(restoration.seconds),
    restoration.incidents
      .map((number) => {
        const incident = incidents.get(number);
        return incident ? `<a href="${h(incident.url)}">#${number}</a>` : `#${number}`;
      })
      .join(', '),
  ]);
  return table(
    ['Failed deployment', 'Environment', 'Failure from', 'Restored at', 'Took', 'Incidents'],
    rows,
    'No failed deployment was restored in the window.',
  );
}

function levelsTable(): string {
  const names: [keyof typeof BAND_RULES, string][] = [
    ['deploymentFrequency', 'Deployment frequency'],
    ['leadTime', 'Lead time for changes'],
    ['changeFailureRate', 'Change failure rate'],
    ['timeToRestore', 'Time to restore'],
  ];
  const levels: Band[] = ['elite', 'high', 'medium', 'low'];
  return table(
    ['Figure', ...levels],
    names.map(([key, name]) => [h(name), ...levels.map((level) => h(BAND_RULES[key][level]))]),
    '',
  );
}

export function renderPage(report: MetricsReport): string {
  const since = Date.parse(report.window.since);
  const until = Date.parse(report.window.until);
  const scope = report.environment ?? (report.environments.length ? report.environments.join(', ') : 'every environment');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Delivery metrics: ${h(report.repository)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Delivery metrics</h1>
<p class="muted">${h(report.repository)} · ${h(scope)} · ${isoDate(since)} to ${isoDate(until)} (${Number(report.window.days.toFixed(1))} days)</p>
</header>
<section class="figures" aria-label="The four figures">
${figureCards(report.overall)}
</section>
<h2>Deployments per week</h2>
${deploymentsChart(report)}
<p class="muted">Deployments that reached success, by week from the window's start; in red, those that failed afterwards (rolled back, marked failure, or named by an incident).</p>
<h2>Lead time for changes over time</h2>
${leadTimeChart(report)}
<p class="muted">Points: each deployment's median lead time over the commits it shipped. Line: each week's median over all its commits.</p>
${perEnvironment(report)}
<h2>Failed deployments</h2>
${failuresTable(report)}
<h2>Restorations</h2>
${restorationsTable(report)}
<h2>DORA levels</h2>
<p>Each figure gets the best level whose published value it meets, from <a href="${h(report.levels.source.url)}">${h(report.levels.source.title)}</a>.</p>
${levelsTable()}
<footer>Generated ${h(isoMinute(Date.parse(report.generatedAt)))} UTC by Cutover delivery-metrics from ${plural(report.github.deploymentsRead, 'deployment')} and ${plural(report.github.incidentsRead, 'incident')} read with ${plural(report.github.calls, 'GitHub request')}.</footer>
</body>
</html>
`;
}
