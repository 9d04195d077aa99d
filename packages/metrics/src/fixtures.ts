// A deployment history in GitHub's shapes for the unit tests, with every figure computed by hand
// in figures.test.ts. Times are UTC; the window is 2026-11-01 to 2026-11-15 (14 days).
import type { DeploymentRecord } from '@cutover/github';
import type { Compared } from './lead-time.js';
import type { IncidentIssue } from './incidents.js';
import type { Window } from './window.js';

export const WINDOW: Window = { since: Date.parse('2026-11-01T00:00:00Z'), until: Date.parse('2026-11-15T00:00:00Z') };

export function deployment(
  id: number,
  environment: string,
  created: string,
  statuses: [state: string, at: string][],
  extra: { task?: string; payload?: Record<string, unknown>; sha?: string } = {},
): DeploymentRecord {
  return {
    id,
    environment,
    task: extra.task ?? 'deploy',
    ref: extra.sha ?? `sha-${id}`,
    sha: extra.sha ?? `sha-${id}`,
    created_at: `${created}Z`,
    payload: extra.payload ?? { version: `v${id}` },
    // GitHub lists statuses newest first.
    statuses: statuses.map(([state, at]) => ({ state, created_at: `${at}Z` })).reverse(),
  };
}

export function commit(sha: string, at: string): Compared['commits'][number] {
  return { sha, committedAt: Date.parse(`${at}Z`) };
}

export function incidentIssue(number: number, opened: string, body: string): IncidentIssue {
  return { number, html_url: `https://github.com/o/r/issues/${number}`, title: `Incident ${number}`, body, created_at: `${opened}Z` };
}

/**
 * production:
 *   1  2026-10-30 success (before the window: the first compare's base)
 *   2  11-02 success 10:10; commits at 11-01 10:10 (24 h) and 11-02 08:10 (2 h)
 *   3  11-04 success 12:05; commit at 11:05 (1 h); marked failure 12:30 by rollback 4
 *   4  rollback of 3 (sha of 2): created 12:29, success 12:31; incident #10 opened 12:32
 *      whose timeline says first bad sample 12:15, detected 12:20: restored in 16 min
 *   5  11-05 success 09:10; compare from 4 (sha-2) lists 3's commit again (not counted) and
 *      one at 08:10 (1 h)
 *   6  11-08 in_progress then failure: never reached production, counted nowhere
 *   7  11-10 success 10:30; commits at 11-09 10:30 (24 h), 04:30 (6 h), 10:00 (30 min);
 *      incident #11 (no timeline) opened 11:30, no rollback
 *   8  11-12 success 09:10; commit at 08:10 (1 h): restores 7 by fixing forward (45 h 40 min)
 * staging:
 *  20  11-03 success 09:05, no earlier deployment: no compare
 */
export function history(): { deployments: DeploymentRecord[]; compared: Map<number, Compared>; issues: IncidentIssue[] } {
  const deployments = [
    deployment(1, 'production', '2026-10-30T10:00:00', [
      ['in_progress', '2026-10-30T10:00:10'],
      ['success', '2026-10-30T10:05:00'],
      ['inactive', '2026-11-02T10:10:00'],
    ]),
    deployment(2, 'production', '2026-11-02T10:00:00', [
      ['in_progress', '2026-11-02T10:00:10'],
      ['success', '2026-11-02T10:10:00'],
      ['inactive', '2026-11-04T12:05:00'],
    ]),
    deployment(3, 'production', '2026-11-04T12:00:00', [
      ['in_progress', '2026-11-04T12:00:10'],
      ['success', '2026-11-04T12:05:00'],
      ['failure', '2026-11-04T12:30:00'],
    ]),
    deployment(
      4,
      'production',
      '2026-11-04T12:29:00',
      [
        ['success', '2026-11-04T12:31:00'],
        ['inactive', '2026-11-05T09:10:00'],
      ],
      {
        task: 'rollback',
        sha: 'sha-2',
        payload: { version: 'v2', rolledBackFrom: 3, rolledBackTo: 2 },
      },
    ),
    deployment(5, 'production', '2026-11-05T09:00:00', [
      ['in_progress', '2026-11-05T09:00:10'],
      ['success', '2026-11-05T09:10:00'],
      ['inactive', '2026-11-10T10:30:00'],
    ]),
    deployment(6, 'production', '2026-11-08T15:00:00', [
      ['in_progress', '2026-11-08T15:00:10'],
      ['failure', '2026-11-08T15:20:00'],
    ]),
    deployment(7, 'production', '2026-11-10T10:00:00', [
      ['in_progress', '2026-11-10T10:00:10'],
      ['success', '2026-11-10T10:30:00'],
      ['inactive', '2026-11-12T09:10:00'],
    ]),
    deployment(8, 'production', '2026-11-12T09:00:00', [
      ['in_progress', '2026-11-12T09:00:10'],
      ['success', '2026-11-12T09:10:00'],
    ]),
    deployment(20, 'staging', '2026-11-03T09:00:00', [['success', '2026-11-03T09:05:00']]),
  ];
  const compared = new Map<number, Compared>([
    [2, { commits: [commit('c2a', '2026-11-01T10:10:00'), commit('c2b', '2026-11-02T08:10:00')], total: 2 }],
    [3, { commits: [commit('c3a', '2026-11-04T11:05:00')], total: 1 }],
    [5, { commits: [commit('c3a', '2026-11-04T11:05:00'), commit('c5a', '2026-11-05T08:10:00')], total: 2 }],
    [7, { commits: [commit('c7a', '2026-11-09T10:30:00'), commit('c7b', '2026-11-10T04:30:00'), commit('c7c', '2026-11-10T10:00:00')], total: 3 }],
    [8, { commits: [commit('c8a', '2026-11-12T08:10:00')], total: 1 }],
  ]);
  const timeline = [
    '| Event | At (UTC) | Took | Detail |',
    '| :-- | :-- | :-- | :-- |',
    '| Deployed | 2026-11-04 12:05:00 |  | reached success |',
    '| First bad sample | 2026-11-04 12:15:00 | +10m00s | from the health-watch report |',
    '| Detected | 2026-11-04 12:20:00 | +5m00s | health-watch: error-rate |',
  ].join('\n');
  const issues = [
    incidentIssue(
      10,
      '2026-11-04T12:32:00',
      `<!-- cutover-incident deployment=3 environment=production -->\n**production** was rolled back.\n\n## Timeline\n\n${timeline}\n`,
    ),
    incidentIssue(11, '2026-11-10T11:30:00', '<!-- cutover-incident deployment=7 environment=production -->\nCheckout errors after 7.'),
    incidentIssue(12, '2026-11-06T08:00:00', 'Opened by hand, no marker: linked to no deployment.'),
  ];
  return { deployments, compared, issues };
}
