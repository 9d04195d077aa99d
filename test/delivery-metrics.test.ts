// delivery-metrics as the runner runs it (dist/delivery-metrics/index.js) against the GitHub
// stand-in seeded with a known history: the four figures computed by hand below, the report,
// the summary; an empty history, one deployment, a window with only a rollback; paging.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '@cutover/github';
import { findShippedPullRequests, GitHubReader, type MetricsReport } from '@cutover/metrics';
import { fakeSha, runAction, startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { seedCommits, seedDeployment, seedKnownHistory, type Seeded } from './metrics-fixtures.js';

const HOUR = 3600;
const WINDOW = { since: '2026-11-01', until: '2026-11-15' };

function run(gh: GitHubStandIn, inputs: Record<string, string> = {}) {
  return runAction('delivery-metrics', {
    inputs: { ...WINDOW, directory: 'metrics', ...inputs },
    apiUrl: gh.apiUrl,
    token: gh.token,
    repository: `${gh.owner}/${gh.repo}`,
  });
}

async function readReport(path: string): Promise<MetricsReport> {
  return JSON.parse(await readFile(path, 'utf8')) as MetricsReport;
}

describe('delivery-metrics on a known history', () => {
  let gh: GitHubStandIn;
  let d: Record<string, Seeded>;
  let incidents: number[];

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    ({ d, incidents } = await seedKnownHistory(gh));
  });
  afterAll(async () => gh?.stop());

  it('computes the four figures of production as computed by hand', async () => {
    gh.requests.length = 0;
    const result = await run(gh, { environment: 'production' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Frequency: 2, 3, 5, 7 and 8 reached production in 14 days (1 is before, 4 is a rollback, 6 never succeeded).
    expect(result.outputs['deployment-frequency']).toBe(String(Number((5 / 14).toFixed(4))));
    // Lead times: 24 h, 2 h (2); 1 h (3); 1 h (5: 3's commit again is not counted); 24 h, 6 h, 30 min (7); 1 h (8).
    // Sorted 1800, 3600, 3600, 3600, 7200, 21600, 86400, 86400: median (3600 + 7200) / 2.
    expect(result.outputs['lead-time']).toBe('5400');
    // 3 (rolled back, marked failure, incident) and 7 (incident) of 5.
    expect(result.outputs['change-failure-rate']).toBe('0.4');
    // 3: first bad sample 12:15 to the rollback's success 12:31 = 960 s; 7: incident 11-10 11:30
    // to 8's success 11-12 09:10 = 164400 s. Median (960 + 164400) / 2.
    expect(result.outputs['time-to-restore']).toBe('82680');
    expect(result.outputs.report).toBe(join(result.workspace, 'metrics', 'report.json'));
    expect(result.outputs.page).toBe(join(result.workspace, 'metrics', 'index.html'));

    const report = await readReport(result.outputs.report!);
    expect(report.environment).toBe('production');
    expect(report.overall.deploymentFrequency).toMatchObject({ count: 5, band: 'high', deployments: [d.d2!.id, d.d3!.id, d.d5!.id, d.d7!.id, d.d8!.id] });
    expect(report.overall.leadTime).toMatchObject({ median: 5400, p90: 24 * HOUR, band: 'elite', commits: 8 });
    expect(report.overall.leadTime.deployments.find((entry) => entry.id === d.d5!.id)).toMatchObject({
      base: { id: d.r4!.id, sha: d.d2!.sha },
      commits: [{ sha: fakeSha('c5a'), seconds: HOUR }],
    });
    expect(report.overall.changeFailureRate).toMatchObject({ rate: 0.4, band: 'low', total: 5 });
    expect(report.overall.changeFailureRate.failed).toEqual([
      {
        id: d.d3!.id,
        environment: 'production',
        version: 'v3',
        reasons: [`rolled back by deployment ${d.r4!.id}`, 'marked failure after its success', `incident #${incidents[0]}`],
      },
      { id: d.d7!.id, environment: 'production', version: 'v7', reasons: [`incident #${incidents[1]}`] },
    ]);
    expect(report.overall.timeToRestore.restorations.map((entry) => [entry.deploymentId, entry.startedBy, entry.restoredBy, entry.seconds])).toEqual([
      [d.d3!.id, 'first bad sample', { id: d.r4!.id, kind: 'rollback' }, 960],
      [d.d7!.id, 'incident opened', { id: d.d8!.id, kind: 'fix forward' }, 164_400],
    ]);
    expect(report.overall.timeToRestore.band).toBe('high');
    expect(report.incidents.map((incident) => incident.number)).toEqual(expect.arrayContaining(incidents));
    expect(report.levels.source.url).toBe('https://dora.dev/research/2024/dora-report/');

    expect(result.summary).toContain('| Change failure rate | 40% | low | 2 of 5 deployments failed: ');
    expect(result.summary.match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    const page = await readFile(result.outputs.page!, 'utf8');
    expect(page).toContain('data-figure="time-to-restore" data-band="high"');

    // Every list asked 100 a page; one compare per change, from the previous success (5 from the rollback's commit).
    const lists = gh.requests.filter((request) =>
      ['repos/list-deployments', 'repos/list-deployment-statuses', 'repos/compare-commits', 'issues/list-for-repo'].includes(request.operationId ?? ''),
    );
    expect(lists.every((request) => request.query.per_page === '100')).toBe(true);
    expect(gh.calls('repos/compare-commits').map((request) => request.params.head)).toEqual([d.d2!.sha, d.d3!.sha, d.d5!.sha, d.d7!.sha, d.d8!.sha]);
    expect(gh.calls('issues/list-for-repo')[0]!.query).toMatchObject({ labels: 'incident', state: 'all', since: '2026-11-01T00:00:00.000Z' });
    expect(gh.requests.every((request) => request.method === 'GET')).toBe(true);
    gh.assertNoViolations();
  });

  it("without an environment, counts every environment together (but GitHub Pages' own) and gives each its own", async () => {
    await seedDeployment(gh, { name: 'pages', environment: 'github-pages', created: '2026-11-07T10:00:00', statuses: [['success', '2026-11-07T10:01:00']] });
    const result = await run(gh);
    expect(result.errors).toEqual([]);
    expect(result.outputs['deployment-frequency']).toBe(String(Number((6 / 14).toFixed(4))));
    expect(result.outputs['change-failure-rate']).toBe(String(Number((2 / 6).toFixed(4))));
    expect(result.outputs['lead-time']).toBe('5400');
    const report = await readReport(result.outputs.report!);
    expect(report.environments).toEqual(['production', 'staging']);
    expect(report.byEnvironment.staging).toMatchObject({ deploymentFrequency: { count: 1 }, changeFailureRate: { rate: 0 }, leadTime: { commits: 0 } });
    expect(result.summary).toContain('### Per environment');
    gh.assertNoViolations();
  });

  it('finds the pull requests a deployment shipped, for "shipped in" comments', async () => {
    const [first, second] = seedCommits(gh, d.d7!.sha, d.d8!.sha, [
      ['c8a', '2026-11-12T08:10:00'],
      ['c8b', '2026-11-12T08:20:00'],
    ]);
    gh.store.addPull({
      number: 90,
      head: { sha: first!, ref: 'fix-checkout' },
      base: { ref: 'main' },
      merged: true,
      merge_commit_sha: second!,
      title: 'Fix checkout',
    });
    gh.store.addPull({ number: 91, head: { sha: second!, ref: 'wip' }, base: { ref: 'main' }, title: 'Still open' });
    const client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl })!;
    const reader = new GitHubReader(client, { owner: gh.owner, repo: gh.repo });
    const history = await reader.deployments('production', { since: Date.parse('2026-11-01T00:00:00Z'), until: Date.parse('2026-11-15T00:00:00Z') });
    const shipped = await findShippedPullRequests(history, d.d8!.id, reader);
    expect(shipped.range).toMatchObject({ base: d.d7!.sha, head: d.d8!.sha });
    expect(shipped.pulls).toEqual([
      {
        number: 90,
        title: 'Fix checkout',
        url: `https://github.com/${gh.owner}/${gh.repo}/pull/90`,
        author: 'octocat',
        mergedAt: expect.any(String),
        commits: [first, second],
      },
    ]);
    gh.assertNoViolations();
  });
});

describe('delivery-metrics on thin histories', () => {
  let gh: GitHubStandIn;
  beforeAll(async () => {
    gh = await startGitHubStandIn();
  });
  afterAll(async () => gh?.stop());

  it('an empty history: 0 per day and no data for the rest, as empty outputs', async () => {
    const result = await run(gh, { environment: 'production' });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'deployment-frequency': '0', 'lead-time': '', 'change-failure-rate': '', 'time-to-restore': '' });
    expect(result.summary).toContain('| Lead time for changes | no data |  | no deployment reached success in the window |');
    expect(result.summary).not.toMatch(/NaN|Infinity/);
    expect(result.summary).toContain('> No deployment of the environment "production" was found in the window or before it.');
    expect(await readFile(result.outputs.page!, 'utf8')).not.toMatch(/NaN|Infinity/);
  });

  it('one deployment: counted, no compare, no failure', async () => {
    await seedDeployment(gh, {
      name: 'only',
      created: '2026-11-03T10:00:00',
      statuses: [
        ['in_progress', '2026-11-03T10:00:05'],
        ['success', '2026-11-03T10:05:00'],
      ],
    });
    const result = await run(gh, { environment: 'production' });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      'deployment-frequency': String(Number((1 / 14).toFixed(4))),
      'lead-time': '',
      'change-failure-rate': '0',
      'time-to-restore': '',
    });
    expect(gh.calls('repos/compare-commits')).toEqual([]);
  });

  it('a window with only a rollback: no change counted; the restoration is measured', async () => {
    const other = await startGitHubStandIn();
    try {
      await seedDeployment(other, {
        name: 'good',
        created: '2026-10-20T10:00:00',
        statuses: [
          ['success', '2026-10-20T10:05:00'],
          ['inactive', '2026-10-31T10:05:00'],
        ],
      });
      const bad = await seedDeployment(other, {
        name: 'bad',
        created: '2026-10-31T10:00:00',
        statuses: [
          ['success', '2026-10-31T10:05:00'],
          ['failure', '2026-11-02T08:00:30'],
        ],
      });
      // A later deployment before the window is the base the search stops at: the rolled-back one is then read by its id.
      await seedDeployment(other, {
        name: 'retry',
        created: '2026-10-31T12:00:00',
        statuses: [
          ['in_progress', '2026-10-31T12:00:05'],
          ['failure', '2026-10-31T12:05:00'],
        ],
      });
      await seedDeployment(other, { name: 'later', created: '2026-10-31T13:00:00', statuses: [['success', '2026-10-31T13:05:00']] });
      await seedDeployment(other, {
        name: 'rollback',
        sha: fakeSha('good'),
        task: 'rollback',
        payload: { version: 'good', rolledBackFrom: bad.id },
        created: '2026-11-02T08:00:00',
        statuses: [['success', '2026-11-02T08:01:00']],
      });
      const result = await run(other, { environment: 'production' });
      expect(result.errors).toEqual([]);
      // From the rollback's request (08:00:00) to its success (08:01:00).
      expect(result.outputs).toMatchObject({ 'deployment-frequency': '0', 'lead-time': '', 'change-failure-rate': '', 'time-to-restore': '60' });
      expect(other.calls('repos/get-deployment').map((request) => request.params.deployment_id)).toEqual([String(bad.id)]);
      const report = await readReport(result.outputs.report!);
      expect(report.overall.timeToRestore.restorations).toMatchObject([{ deploymentId: bad.id, startedBy: 'rollback requested', seconds: 60 }]);
      other.assertNoViolations();
    } finally {
      await other.stop();
    }
  });

  it('refuses a bad input by name before reading anything', async () => {
    gh.requests.length = 0;
    const result = await run(gh, { since: 'a month' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['since: expected a duration such as 30d, 12h or 2w, or a date such as 2026-11-01, got "a month"']);
    expect(gh.requests).toEqual([]);
  });
});

describe('delivery-metrics pages through the deployments and stops at the window', () => {
  it('reads the pages down to the window start and the statuses of the window and of the base only', async () => {
    const gh = await startGitHubStandIn();
    try {
      // 150 deployments before the window (one a day back from 10-31), then 30 in it.
      const before = Date.parse('2026-10-31T10:00:00Z');
      for (let index = 149; index >= 0; index--) {
        const at = before - index * 86_400_000;
        await seedDeployment(gh, { name: `old${index}`, created: at, statuses: [['success', at + 60_000]] });
      }
      const start = Date.parse('2026-11-01T10:00:00Z');
      for (let index = 0; index < 30; index++) {
        const at = start + index * 8 * HOUR * 1000;
        await seedDeployment(gh, {
          name: `new${index}`,
          created: at,
          statuses: [
            ['in_progress', at + 1000],
            ['success', at + 120_000],
          ],
        });
      }
      gh.requests.length = 0;
      const result = await run(gh, { environment: 'production' });
      expect(result.errors).toEqual([]);
      expect(result.outputs['deployment-frequency']).toBe(String(Number((30 / 14).toFixed(4))));
      // Page 1 holds the 30 and 70 older ones: no page 2. Statuses: the 30 and one base.
      expect(gh.calls('repos/list-deployments').map((request) => request.query.page)).toEqual(['1']);
      expect(gh.calls('repos/list-deployment-statuses')).toHaveLength(31);
      const report = await readReport(result.outputs.report!);
      expect(report.overall.leadTime.deployments[0]!.base?.sha).toBe(fakeSha('old0'));
      gh.assertNoViolations();
    } finally {
      await gh.stop();
    }
  });
});

describe('delivery-metrics when GitHub is in trouble', () => {
  it('a rate limit that would take an hour stops the run with what to do, and no files', async () => {
    const gh = await startGitHubStandIn();
    try {
      const reset = String(Math.floor(Date.now() / 1000) + 3600);
      gh.failNext('GET', '/repos/{owner}/{repo}/deployments', 403, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
      const result = await run(gh, { environment: 'production' });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        "GitHub deployments, page 1: Injected failure 403 - https://docs.github.com/rest (after 1 request: a token with a higher rate limit, such as a GitHub App's, or a shorter since helps)",
      ]);
      expect(result.outputs.report).toBeUndefined();
    } finally {
      await gh.stop();
    }
  });

  it('a GitHub that does not answer: each attempt has a deadline and the reading fails saying so', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = createGitHubClient('token', { baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}`, retryBaseMs: 10 })!;
      const reader = new GitHubReader(client, { owner: 'o', repo: 'r' }, { timeoutMs: 200 });
      await expect(reader.deployments('production', { since: 0, until: Date.now() })).rejects.toThrow('GitHub deployments, page 1: no answer in time');
      expect(reader.calls).toBe(1);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
