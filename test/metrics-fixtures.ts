/**
 * Shared by the delivery-metrics end-to-end tests and bench: a deployment history recorded in
 * the GitHub stand-in through its API as Cutover's actions record it (deployments, statuses,
 * rollbacks, incident issues), then backdated in its store; compares seeded with commits.
 */
import { fakeSha, type GitHubStandIn } from '@cutover/testkit';

/** GitHub's timestamps: whole seconds, UTC. */
export function stamp(time: string | number): string {
  return new Date(typeof time === 'number' ? time : Date.parse(time.endsWith('Z') ? time : `${time}Z`)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function api(gh: GitHubStandIn, method: string, path: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${gh.apiUrl}/repos/${gh.owner}/${gh.repo}${path}`, {
    method,
    headers: { authorization: `token ${gh.token}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export interface HistorySeed {
  /** Names the commit (fakeSha(name)) unless sha is given. */
  name: string;
  sha?: string;
  environment?: string;
  task?: 'deploy' | 'rollback';
  payload?: Record<string, unknown>;
  created: string | number;
  /** Each status with the time it was recorded. */
  statuses: [state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive', at: string | number][];
}

export interface Seeded {
  id: number;
  sha: string;
}

/** Records a deployment and its statuses as blue-green-switch or rollback does, then backdates them. */
export async function seedDeployment(gh: GitHubStandIn, seed: HistorySeed): Promise<Seeded> {
  const sha = seed.sha ?? fakeSha(seed.name);
  const created = await api(gh, 'POST', '/deployments', {
    ref: sha,
    environment: seed.environment ?? 'production',
    task: seed.task ?? 'deploy',
    payload: seed.payload ?? { version: seed.name },
    auto_merge: false,
    required_contexts: [],
  });
  const id = created.id as number;
  const stored = gh.store.deployments.find((deployment) => deployment.id === id)!;
  stored.created_at = stored.updated_at = stamp(seed.created);
  for (const [state, at] of seed.statuses) {
    // auto_inactive off: the seed lists the inactive statuses it wants, with their times.
    const status = await api(gh, 'POST', `/deployments/${id}/statuses`, {
      state,
      auto_inactive: false,
      log_url: `https://github.com/${gh.owner}/${gh.repo}/actions/runs/${900 + id}`,
    });
    const kept = gh.store.deploymentStatuses.get(id)!.find((candidate) => candidate.id === status.id)!;
    kept.created_at = kept.updated_at = stamp(at);
  }
  return { id, sha };
}

/** Opens an issue labelled `incident` as rollback does, then backdates it. */
export async function seedIncident(gh: GitHubStandIn, seed: { title: string; body: string; opened: string | number }): Promise<number> {
  const issue = await api(gh, 'POST', '/issues', { title: seed.title, body: seed.body, labels: ['incident'] });
  const stored = gh.store.issues.find((candidate) => candidate.number === issue.number)!;
  stored.created_at = stored.updated_at = stamp(seed.opened);
  return issue.number as number;
}

/** The commits GitHub's compare base...head lists, oldest first, each with its commit time. */
export function seedCommits(gh: GitHubStandIn, base: string, head: string, commits: [name: string, at: string | number][]): string[] {
  const shas = commits.map(([name]) => fakeSha(name));
  gh.store.setCompare(
    base,
    head,
    commits.map(([name, at], index) => ({
      sha: shas[index]!,
      message: `Change ${name}`,
      author: { name: 'Ana Lima', email: 'ana@example.com', date: stamp(at) },
    })),
  );
  return shas;
}

/**
 * The history of packages/metrics/src/fixtures.ts, recorded in the stand-in (window 2026-11-01
 * to 2026-11-15): production 1 (before the window), 2, 3 (rolled back by 4, an incident with
 * its timeline), 5, 6 (never reached success), 7 (an incident), 8 (fixes 7 forward); staging 20;
 * and an incident opened by hand, with no marker.
 */
export async function seedKnownHistory(gh: GitHubStandIn): Promise<{ d: Record<string, Seeded>; incidents: number[] }> {
  const d: Record<string, Seeded> = {};
  d.d1 = await seedDeployment(gh, {
    name: 'v1',
    created: '2026-10-30T10:00:00',
    statuses: [
      ['in_progress', '2026-10-30T10:00:10'],
      ['success', '2026-10-30T10:05:00'],
      ['inactive', '2026-11-02T10:10:00'],
    ],
  });
  d.d2 = await seedDeployment(gh, {
    name: 'v2',
    created: '2026-11-02T10:00:00',
    statuses: [
      ['in_progress', '2026-11-02T10:00:10'],
      ['success', '2026-11-02T10:10:00'],
      ['inactive', '2026-11-04T12:05:00'],
    ],
  });
  d.s20 = await seedDeployment(gh, { name: 's20', environment: 'staging', created: '2026-11-03T09:00:00', statuses: [['success', '2026-11-03T09:05:00']] });
  d.d3 = await seedDeployment(gh, {
    name: 'v3',
    created: '2026-11-04T12:00:00',
    statuses: [
      ['in_progress', '2026-11-04T12:00:10'],
      ['success', '2026-11-04T12:05:00'],
      ['failure', '2026-11-04T12:30:00'],
    ],
  });
  d.r4 = await seedDeployment(gh, {
    name: 'r4',
    sha: d.d2.sha,
    task: 'rollback',
    payload: { version: 'v2', rolledBackFrom: d.d3.id, rolledBackTo: d.d2.id, splitAfter: { blue: 100, green: 0 } },
    created: '2026-11-04T12:29:00',
    statuses: [
      ['success', '2026-11-04T12:31:00'],
      ['inactive', '2026-11-05T09:10:00'],
    ],
  });
  d.d5 = await seedDeployment(gh, {
    name: 'v5',
    created: '2026-11-05T09:00:00',
    statuses: [
      ['in_progress', '2026-11-05T09:00:10'],
      ['success', '2026-11-05T09:10:00'],
      ['inactive', '2026-11-10T10:30:00'],
    ],
  });
  d.d6 = await seedDeployment(gh, {
    name: 'v6',
    created: '2026-11-08T15:00:00',
    statuses: [
      ['in_progress', '2026-11-08T15:00:10'],
      ['failure', '2026-11-08T15:20:00'],
    ],
  });
  d.d7 = await seedDeployment(gh, {
    name: 'v7',
    created: '2026-11-10T10:00:00',
    statuses: [
      ['in_progress', '2026-11-10T10:00:10'],
      ['success', '2026-11-10T10:30:00'],
      ['inactive', '2026-11-12T09:10:00'],
    ],
  });
  d.d8 = await seedDeployment(gh, {
    name: 'v8',
    created: '2026-11-12T09:00:00',
    statuses: [
      ['in_progress', '2026-11-12T09:00:10'],
      ['success', '2026-11-12T09:10:00'],
    ],
  });

  seedCommits(gh, d.d1.sha, d.d2.sha, [
    ['c2a', '2026-11-01T10:10:00'],
    ['c2b', '2026-11-02T08:10:00'],
  ]);
  seedCommits(gh, d.d2.sha, d.d3.sha, [['c3a', '2026-11-04T11:05:00']]);
  // 5 comes after the rollback to 2's commit: the compare lists 3's commit again.
  seedCommits(gh, d.d2.sha, d.d5.sha, [
    ['c3a', '2026-11-04T11:05:00'],
    ['c5a', '2026-11-05T08:10:00'],
  ]);
  seedCommits(gh, d.d5.sha, d.d7.sha, [
    ['c7a', '2026-11-09T10:30:00'],
    ['c7b', '2026-11-10T04:30:00'],
    ['c7c', '2026-11-10T10:00:00'],
  ]);
  seedCommits(gh, d.d7.sha, d.d8.sha, [['c8a', '2026-11-12T08:10:00']]);

  const timeline = [
    '| Event | At (UTC) | Took | Detail |',
    '| :-- | :-- | :-- | :-- |',
    '| Deployed | 2026-11-04 12:05:00 |  | reached success |',
    '| First bad sample | 2026-11-04 12:15:00 | +10m00s | from the health-watch report |',
    '| Detected | 2026-11-04 12:20:00 | +5m00s | health-watch: error-rate |',
  ].join('\n');
  const incidents: number[] = [];
  incidents.push(
    await seedIncident(gh, {
      title: 'Incident: production rolled back from v3 to v2',
      body: `<!-- cutover-incident deployment=${d.d3.id} environment=production -->\n**production** was rolled back.\n\n## Timeline\n\n${timeline}\n`,
      opened: '2026-11-04T12:32:00',
    }),
  );
  incidents.push(
    await seedIncident(gh, {
      title: 'Checkout errors after v7',
      body: `<!-- cutover-incident deployment=${d.d7.id} environment=production -->\nCheckout errors.`,
      opened: '2026-11-10T11:30:00',
    }),
  );
  incidents.push(await seedIncident(gh, { title: 'Opened by hand', body: 'No marker: linked to no deployment.', opened: '2026-11-06T08:00:00' }));
  return { d, incidents };
}
