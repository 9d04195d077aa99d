import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from './record.js';
import { findShippedPullRequests, mergedPullRequests, pullRequestsBetween, shippedRange, type AssociatedPull, type ShippedSource } from './shipped.js';

/** A deployment in GitHub's shape (times UTC, statuses listed newest first as GitHub does). */
function deployment(id: number, environment: string, created: string, statuses: [state: string, at: string][], extra: { sha: string }): DeploymentRecord {
  return {
    id,
    environment,
    task: 'deploy',
    ref: extra.sha,
    sha: extra.sha,
    created_at: `${created}Z`,
    payload: { version: `v${id}` },
    statuses: statuses.map(([state, at]) => ({ state, created_at: `${at}Z` })).reverse(),
  };
}

const pull = (number: number, merged: boolean): AssociatedPull => ({
  number,
  title: `Pull ${number}`,
  html_url: `https://github.com/o/r/pull/${number}`,
  merged_at: merged ? '2026-11-01T09:00:00Z' : null,
  user: { login: `dev${number}` },
});

const history = [
  deployment(1, 'production', '2026-11-01T10:00:00', [['success', '2026-11-01T10:01:00']], { sha: 'a' }),
  deployment(2, 'staging', '2026-11-01T11:00:00', [['success', '2026-11-01T11:01:00']], { sha: 'x' }),
  deployment(
    3,
    'production',
    '2026-11-02T10:00:00',
    [
      ['in_progress', '2026-11-02T10:00:01'],
      ['failure', '2026-11-02T10:03:00'],
    ],
    { sha: 'b' },
  ),
  deployment(4, 'production', '2026-11-03T10:00:00', [['in_progress', '2026-11-03T10:00:01']], { sha: 'c' }),
];

describe('shippedRange', () => {
  it('compares from the previous deployment of the same environment that reached success', () => {
    // 3 never reached success and 2 is staging: 4 shipped what lies between a and c.
    const range = shippedRange(history, 4);
    expect(range).toMatchObject({ base: 'a', head: 'c', previous: { id: 1 } });
    expect(shippedRange(history, 1)).toBeUndefined();
    expect(shippedRange(history, 99)).toBeUndefined();
  });
});

describe('mergedPullRequests', () => {
  it('lists merged pull requests once, in the order of their first commit; open ones are left out', () => {
    const pulls = mergedPullRequests(
      [{ sha: 'c1' }, { sha: 'c2' }, { sha: 'c3' }],
      new Map([
        ['c1', [pull(7, true)]],
        ['c2', [pull(8, false), pull(7, true)]],
        ['c3', [pull(5, true)]],
      ]),
    );
    expect(pulls).toEqual([
      { number: 7, title: 'Pull 7', url: 'https://github.com/o/r/pull/7', author: 'dev7', mergedAt: '2026-11-01T09:00:00Z', commits: ['c1', 'c2'] },
      { number: 5, title: 'Pull 5', url: 'https://github.com/o/r/pull/5', author: 'dev5', mergedAt: '2026-11-01T09:00:00Z', commits: ['c3'] },
    ]);
  });
});

describe('findShippedPullRequests', () => {
  // What GitHub would answer, as data: the compare a...c and each commit's pull requests.
  const answers: ShippedSource & { asked: string[] } = {
    asked: [],
    async compare(base, head) {
      this.asked.push(`compare ${base}...${head}`);
      return { commits: [{ sha: 'c1' }, { sha: 'c2' }, { sha: 'c3' }], total: 5 };
    },
    async pullsOf(sha) {
      this.asked.push(`pulls ${sha}`);
      return sha === 'c3' ? [pull(9, true)] : [pull(4, false)];
    },
  };

  it("reads the compare, then each commit's pull requests one at a time, the newest commits when capped", async () => {
    const shipped = await findShippedPullRequests(history, 4, answers, 2);
    expect(answers.asked).toEqual(['compare a...c', 'pulls c2', 'pulls c3']);
    expect(shipped.pulls.map((entry) => entry.number)).toEqual([9]);
    expect(shipped.commitsNotExamined).toBe(3);
    expect(shipped.range?.previous.id).toBe(1);
  });

  it('asks nothing for the first deployment or the same commit again', async () => {
    answers.asked = [];
    expect(await findShippedPullRequests(history, 1, answers)).toEqual({ pulls: [], commitsNotExamined: 0 });
    const again = [...history, deployment(5, 'production', '2026-11-04T10:00:00', [['success', '2026-11-04T10:01:00']], { sha: 'a' })];
    expect((await findShippedPullRequests(again, 5, answers)).pulls).toEqual([]);
    expect(answers.asked).toEqual([]);
  });
});

describe('pullRequestsBetween', () => {
  it('compares the two commits given, base first: what a rollback from head to base takes away', async () => {
    const asked: string[] = [];
    const source: ShippedSource = {
      async compare(base, head) {
        asked.push(`compare ${base}...${head}`);
        return { commits: [{ sha: 'c1' }], total: 1 };
      },
      async pullsOf() {
        return [pull(3, true)];
      },
    };
    expect((await pullRequestsBetween('good', 'bad', source)).pulls.map((entry) => entry.number)).toEqual([3]);
    expect(asked).toEqual(['compare good...bad']);
  });
});
