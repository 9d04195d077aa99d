import { describe, expect, it } from 'vitest';
import { history, WINDOW } from './fixtures.js';
import { deploymentFacts } from '@cutover/github';
import { incidentFacts } from './incidents.js';
import { renderPage } from './page.js';
import { buildReport, type MetricsReport } from './report.js';
import { summaryMarkdown } from './summary.js';

function report(environment?: string): MetricsReport {
  const { deployments, compared, issues } = history();
  return buildReport({
    repository: 'octo-org/app',
    window: WINDOW,
    ...(environment ? { environment } : {}),
    deployments: deployments.map(deploymentFacts),
    incidents: issues.map(incidentFacts),
    compared,
    github: { calls: 31, deploymentsRead: 9, compares: 5, incidentsRead: 3 },
    now: WINDOW.until,
  });
}

const empty = () =>
  buildReport({
    repository: 'octo-org/app',
    window: WINDOW,
    deployments: [],
    incidents: [],
    compared: new Map(),
    github: { calls: 2, deploymentsRead: 0, compares: 0, incidentsRead: 0 },
    now: WINDOW.until,
  });

describe('summaryMarkdown', () => {
  it('gives the four figures with their levels, per environment, and two Mermaid charts', () => {
    const text = summaryMarkdown(report());
    expect(text).toContain('## Delivery metrics: production, staging');
    expect(text).toContain('| Deployment frequency | 3 per week (0.429 per day) | high | 6 deployments reached success in 14 days |');
    expect(text).toContain('| Lead time for changes | median 1h30m, p90 1d | elite | 8 commits shipped by 5 deployments |');
    expect(text).toContain('| Change failure rate | 33.3% | low | 2 of 6 deployments failed: 3 (v3), 7 (v7) |');
    expect(text).toContain('| Time to restore | median 22h58m | high | 2 restorations |');
    expect(text).toContain('| production | 2.5 per week (0.357 per day) (high) |');
    expect(text).toContain('[DORA, Accelerate State of DevOps Report 2024: software delivery performance levels](https://dora.dev/research/2024/dora-report/)');
    expect(text.match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    expect(text).toContain('  bar [4, 2]');
    // Lead time per week in hours: 5400 s and 12600 s.
    expect(text).toContain('  line [1.5, 3.5]');
    expect(text).toContain('with 31 GitHub requests (5 compares)');
  });

  it('says "no data" with the reason when there is none, and draws no empty chart', () => {
    const text = summaryMarkdown(empty());
    expect(text).toContain('| Lead time for changes | no data |  | no deployment reached success in the window |');
    expect(text).toContain('| Time to restore | no data |  | no failed deployment was restored in the window |');
    expect(text).toContain('_No commit shipped in the window: no lead time to chart._');
    expect(text).not.toMatch(/NaN|undefined/);
  });
});

describe('renderPage', () => {
  it('is one file: no script, no external resource, a policy that forbids loading any', () => {
    const html = renderPage(report());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(|@import/i);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('data-figure="change-failure-rate" data-band="low"');
    expect(html).toContain('<a href="https://github.com/o/r/issues/10">#10</a>');
  });

  it('escapes text from GitHub', () => {
    const hostile = report();
    hostile.overall.changeFailureRate.failed[0]!.version = '<script>alert(1)</script>';
    hostile.repository = 'o/"><img src=x>';
    const html = renderPage(hostile);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders an empty history without NaN', () => {
    const html = renderPage(empty());
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    expect(html).toContain('No deployment of the window failed.');
  });
});
