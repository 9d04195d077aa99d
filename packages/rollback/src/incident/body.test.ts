import { describe, expect, it } from 'vitest';
import {
  hasIncidentMarker,
  incidentMarker,
  incidentTitle,
  renderIncidentBody,
  renderRepeatComment,
  renderUnopenedIncident,
  type IncidentFacts,
} from './body.js';
import { suspectCommits, commitsToExamine, MAX_SUSPECTS } from './commits.js';
import type { DeploymentRecord } from '@cutover/github';
import { formatDuration } from '@cutover/config';
import { buildTimeline, impactWindow, UNKNOWN_WITHOUT_TOKEN } from './timeline.js';

const bad: DeploymentRecord = {
  id: 57,
  environment: 'production',
  task: 'deploy',
  ref: 'v2.0.0',
  sha: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  created_at: '2025-03-01T10:00:00Z',
  payload: { version: 'v2.0.0' },
  statuses: [
    { state: 'success', created_at: '2025-03-01T10:00:42Z' },
    { state: 'in_progress', created_at: '2025-03-01T10:00:01Z', log_url: 'https://github.com/o/r/actions/runs/1' },
  ],
};

describe('buildTimeline', () => {
  it('takes the report times and measures each step from the previous one', () => {
    const rows = buildTimeline({
      bad,
      firstBadSampleAt: '2025-03-01T10:01:12Z',
      detectedAt: '2025-03-01T10:02:12Z',
      rollbackStartedAt: '2025-03-01T10:02:20Z',
      rolledBackAt: '2025-03-01T10:02:21.500Z',
    });
    expect(rows.map((row) => [row.event, row.sincePrevious])).toEqual([
      ['Deployment created', undefined],
      ['Deployed', 42_000],
      ['First bad sample', 30_000],
      ['Detected', 60_000],
      ['Rollback started', 8_000],
      ['Rolled back', 1_500],
    ]);
    expect(rows[1]!.detail).toBe('reached success; the deployment took 42s');
    expect(impactWindow(rows)).toBe(69_500);
  });

  it('without a report, detection is a failure status recorded before the rollback, else its start', () => {
    const marked: DeploymentRecord = {
      ...bad,
      statuses: [{ state: 'failure', created_at: '2025-03-01T10:05:00Z', description: 'health-watch: unhealthy' }, ...bad.statuses],
    };
    const rows = buildTimeline({ bad: marked, rollbackStartedAt: '2025-03-01T10:06:00Z', rolledBackAt: '2025-03-01T10:06:01Z' });
    expect(rows.find((row) => row.event === 'Detected')).toMatchObject({ at: '2025-03-01T10:05:00Z', detail: 'health-watch: unhealthy' });
    expect(rows.find((row) => row.event === 'First bad sample')).toEqual({ event: 'First bad sample', detail: expect.stringContaining('unknown') });
    // The unknown sample is skipped: detection is measured from the deployment.
    expect(rows.find((row) => row.event === 'Detected')!.sincePrevious).toBe(258_000);

    const plain = buildTimeline({ bad, rollbackStartedAt: '2025-03-01T10:06:00Z', rolledBackAt: '2025-03-01T10:06:01Z' });
    expect(plain.find((row) => row.event === 'Detected')).toMatchObject({ at: '2025-03-01T10:06:00Z', detail: 'rollback requested' });
    expect(impactWindow(plain)).toBe(319_000);
  });

  it('without the bad deployment (no token), its rows say so and the rest is measured', () => {
    const rows = buildTimeline({ firstBadSampleAt: '2025-03-01T10:01:00Z', rollbackStartedAt: '2025-03-01T10:06:00Z', rolledBackAt: '2025-03-01T10:06:01Z' });
    expect(rows.slice(0, 2)).toEqual([
      { event: 'Deployment created', detail: 'unknown without a token' },
      { event: 'Deployed', detail: 'unknown without a token' },
    ]);
    expect(rows.map((row) => row.sincePrevious)).toEqual([undefined, undefined, undefined, 300_000, 0, 1_000]);
    expect(impactWindow(rows)).toBe(301_000);
    const noHistory = buildTimeline({ badUnknown: 'no deployment recorded', rollbackStartedAt: '2025-03-01T10:06:00Z', rolledBackAt: '2025-03-01T10:06:01Z' });
    expect(noHistory[0]).toEqual({ event: 'Deployment created', detail: 'no deployment recorded' });
    expect(impactWindow(noHistory)).toBeUndefined();
  });

  it('formats durations', () => {
    expect([formatDuration(850), formatDuration(12_400), formatDuration(185_000), formatDuration(7_440_000)]).toEqual(['850ms', '12.4s', '3m5s', '2h4m']);
  });
});

describe('suspectCommits', () => {
  it('lists newest first with authors and pull requests', () => {
    const commits = suspectCommits(
      [
        {
          sha: 'a'.repeat(40),
          html_url: 'https://github.com/o/r/commit/a',
          commit: { message: 'Older change\n\nbody', author: { name: 'Ana' } },
          author: null,
        },
        { sha: 'c'.repeat(40), commit: { message: 'Newer change', author: { name: 'Carl C' } }, author: { login: 'carl' } },
      ],
      new Map([['c'.repeat(40), [{ number: 12, title: 'Cache everything', html_url: 'https://github.com/o/r/pull/12', user: { login: 'dora' } }]]]),
    );
    expect(commits).toEqual([
      {
        sha: 'c'.repeat(40),
        title: 'Newer change',
        author: '@carl',
        pulls: [{ number: 12, title: 'Cache everything', url: 'https://github.com/o/r/pull/12', author: 'dora' }],
      },
      { sha: 'a'.repeat(40), title: 'Older change', author: 'Ana', url: 'https://github.com/o/r/commit/a', pulls: [] },
    ]);
  });

  it('examines the newest commits only', () => {
    const many = Array.from({ length: MAX_SUSPECTS + 5 }, (_, index) => index);
    expect(commitsToExamine(many)).toEqual(many.slice(5));
  });
});

describe('the incident issue', () => {
  const facts: IncidentFacts = {
    environment: 'production',
    bad: { id: 57, version: 'v2.0.0', ref: 'v2.0.0', sha: bad.sha },
    good: { id: 55, version: 'v1.9.0', ref: 'v1.9.0', sha: 'a'.repeat(40) },
    reason: 'error rate | up',
    restored: '{blue: 100, green: 0}',
    timeline: buildTimeline({ bad, rollbackStartedAt: '2025-03-01T10:06:00Z', rolledBackAt: '2025-03-01T10:06:01Z' }),
    commits: [
      {
        sha: 'c'.repeat(40),
        title: 'Newer change',
        author: '@carl',
        pulls: [{ number: 12, title: 'Cache everything', url: 'https://github.com/o/r/pull/12' }],
      },
    ],
    commitsOmitted: 3,
    compareUrl: 'https://github.com/o/r/compare/aaa...bbb',
    checks: [{ name: 'error-rate', pool: 'green', figure: '0.12 > max 0.01' }],
    runs: [{ label: 'Rollback run', url: 'https://github.com/o/r/actions/runs/9' }],
  };

  it('has a title naming the environment and both versions', () => {
    expect(incidentTitle(facts)).toBe('Incident: production rolled back from v2.0.0 to v1.9.0');
  });

  it('holds the marker, timeline, commits, checks, runs, five whys and the regression-test line', () => {
    const body = renderIncidentBody(facts);
    expect(hasIncidentMarker(body, 'production', 57)).toBe(true);
    expect(hasIncidentMarker(body, 'production', 5)).toBe(false);
    expect(hasIncidentMarker(body, 'staging', 57)).toBe(false);
    expect(body).toContain('> Reason: error rate | up');
    expect(body).toMatch(/\| Deployed \| 2025-03-01 10:00:42 \| \+42s \| reached success/);
    expect(body).toMatch(/\| Rolled back \| 2025-03-01 10:06:01 \| \+1s \|/);
    expect(body).toContain('- `ccccccc` Newer change — @carl ([#12](https://github.com/o/r/pull/12) Cache everything)');
    expect(body).toContain('… and 3 older commits');
    expect(body).toContain('[compare](https://github.com/o/r/compare/aaa...bbb)');
    expect(body).toContain('| error-rate | green | 0.12 > max 0.01 |');
    expect(body).toContain('- [Rollback run](https://github.com/o/r/actions/runs/9)');
    expect(body).toContain('## Five whys');
    expect(body).toMatch(/- \[ \] Add the regression test that would have caught this/);
  });

  it('says what is missing instead of leaving sections empty', () => {
    const body = renderIncidentBody({ ...facts, reason: undefined, commits: [], commitsOmitted: 0, checks: [], runs: [] });
    expect(body).not.toContain('Reason:');
    expect(body).toContain('No commits between the two refs');
    expect(body).toContain('No health-watch report was given');
    expect(body).toContain('No run links were recorded');
    expect(renderIncidentBody({ ...facts, commitsUnavailable: 'compare failed: 404' })).toContain('_compare failed: 404_');
  });

  it('comments on a repeated rollback with the new timeline, without a second marker', () => {
    const comment = renderRepeatComment(facts);
    expect(comment).toMatch(/^Rolled back again: \*\*production\*\* from \*\*v2\.0\.0\*\* to \*\*v1\.9\.0\*\*/);
    expect(comment).toContain('| Rolled back |');
    expect(comment).not.toContain(incidentMarker('production', 57));
  });

  it('without a token: local names, no marker, and the sections that need GitHub say so', () => {
    const local: IncidentFacts = {
      environment: 'production',
      bad: { name: 'blue' },
      good: { name: 'green' },
      restored: 'traffic moved from {blue: 100, green: 0} to {blue: 0, green: 100}',
      timeline: buildTimeline({ rollbackStartedAt: '2025-03-01T10:06:00Z', rolledBackAt: '2025-03-01T10:06:01Z' }),
      commits: [],
      commitsUnavailable: `Suspect commits ${UNKNOWN_WITHOUT_TOKEN}: they come from GitHub's compare.`,
      checks: facts.checks,
      runs: [],
    };
    expect(incidentTitle(local)).toBe('Incident: production rolled back from blue to green');
    const body = renderIncidentBody(local);
    expect(body).not.toContain('cutover-incident');
    expect(body).toMatch(/^\*\*production\*\* was rolled back from \*\*blue\*\* to \*\*green\*\*: traffic moved/);
    expect(body).toContain('| Deployed | — |  | unknown without a token |');
    expect(body).toContain("_Suspect commits unknown without a token: they come from GitHub's compare._");
    expect(body).toContain('| error-rate | green | 0.12 > max 0.01 |');
    expect(body).toContain('## Five whys');
  });

  it('is shown for pasting when it could not be opened: heading, title, and the body in a block', () => {
    const shown = renderUnopenedIncident({ ...facts, bad: { name: 'blue' }, good: { name: 'green' } });
    const lines = shown.split('\n');
    expect(lines[0]).toBe('## Incident not opened: no GitHub token');
    expect(shown).toContain('**Incident: production rolled back from blue to green**');
    const start = lines.indexOf('```markdown');
    expect(start).toBeGreaterThan(0);
    const end = lines.indexOf('```', start + 1);
    expect(lines.slice(start + 1, end).join('\n')).toBe(renderIncidentBody({ ...facts, bad: { name: 'blue' }, good: { name: 'green' } }).trimEnd());
    // A body holding a fence of its own gets a longer one.
    expect(renderUnopenedIncident({ ...facts, reason: 'see ```log```' })).toContain('````markdown');
  });
});
