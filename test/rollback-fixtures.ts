/** Shared by the rollback end-to-end tests and bench: a deployment history and a compare in the stand-in. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Environment, Split } from '@cutover/config';
import { fakeSha, type GitHubStandIn } from '@cutover/testkit';

export interface SeededDeployment {
  id: number;
  sha: string;
  version: string;
}

export interface DeploymentSeed {
  version: string;
  environment?: string;
  splitAfter?: Split;
  splitBefore?: Split;
  task?: string;
  /** Statuses in the order they happened; `success` makes earlier successes inactive, as on GitHub. */
  states: string[];
  /** Backdates the deployment to this time, its statuses 30 s apart after it. */
  at?: Date;
  /** More of the payload (a canary's `kind`, pools, `resumable`...), under version and splits. */
  payload?: Record<string, unknown>;
}

/** GitHub's timestamps: whole seconds, UTC. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
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

/** Records a deployment as blue-green-switch does (task deploy, payload with version and splits). */
export async function seedDeployment(gh: GitHubStandIn, seed: DeploymentSeed): Promise<SeededDeployment> {
  const sha = fakeSha(seed.version);
  const payload = {
    ...seed.payload,
    version: seed.version,
    ...(seed.splitAfter ? { splitAfter: seed.splitAfter } : {}),
    ...(seed.splitBefore ? { splitBefore: seed.splitBefore } : {}),
  };
  const deployment = await api(gh, 'POST', '/deployments', {
    ref: sha,
    environment: seed.environment ?? 'production',
    task: seed.task ?? 'deploy',
    payload,
    auto_merge: false,
    required_contexts: [],
  });
  const id = deployment.id as number;
  const statuses: Record<string, unknown>[] = [];
  for (const state of seed.states) {
    statuses.push(
      await api(gh, 'POST', `/deployments/${id}/statuses`, { state, log_url: `https://github.com/${gh.owner}/${gh.repo}/actions/runs/${900 + id}` }),
    );
  }
  if (seed.at) {
    // The stand-in keeps GitHub's objects: history is backdated in its store, as if recorded then.
    const stored = gh.store.deployments.find((deployment) => deployment.id === id)!;
    stored.created_at = stored.updated_at = stamp(seed.at.getTime());
    statuses.forEach((status, index) => {
      const kept = gh.store.deploymentStatuses.get(id)!.find((candidate) => candidate.id === status.id)!;
      kept.created_at = kept.updated_at = stamp(seed.at!.getTime() + (index + 1) * 30_000);
    });
  }
  return { id, sha, version: seed.version };
}

/** The commits between two deployments, one of them from a merged pull request. */
export function seedCompare(gh: GitHubStandIn, good: SeededDeployment, bad: SeededDeployment): { shas: string[] } {
  const first = fakeSha(`${bad.version}-1`);
  const second = fakeSha(`${bad.version}-2`);
  gh.store.setCompare(good.sha, bad.sha, [
    { sha: first, message: 'Cache product pages for an hour\n\nLonger body.', author: { name: 'Ana Lima', email: 'ana@example.com' } },
    { sha: second, message: 'Retry payments on timeout', author: { name: 'Bo Chen', email: 'bo@example.com' } },
  ]);
  gh.store.addPull({
    number: 42,
    head: { sha: fakeSha('pr-42-head'), ref: 'retry-payments' },
    base: { ref: 'main' },
    title: 'Retry payments on timeout',
    state: 'closed',
    merged: true,
    merge_commit_sha: second,
    user: 'bochen',
  });
  return { shas: [first, second] };
}

/** Writes .github/cutover.yml with one or more environments into a workspace. */
export async function writeEnvironmentFile(workspace: string, environments: Record<string, Environment>): Promise<void> {
  await mkdir(join(workspace, '.github'), { recursive: true });
  await writeFile(join(workspace, '.github', 'cutover.yml'), stringify({ environments }));
}

/** A health-watch report as @cutover/health writes it (the fields the incident reads). */
export function watchReport(pool: string, firstBadSampleAt: string, detectedAt: string): object {
  return {
    verdict: 'unhealthy',
    passed: false,
    reason: 'error-rate: 30% of requests failed in 3 intervals',
    failedChecks: ['error-rate'],
    target: { name: pool, addresses: [] },
    startedAt: firstBadSampleAt,
    endedAt: detectedAt,
    firstBadSampleAt,
    detectedAt,
    checks: [
      { name: 'healthz', status: 'pass', observed: 'p50 2ms, p95 5ms, 0 of 20 failed', threshold: 'status 200' },
      { name: 'error-rate', status: 'fail', observed: 'last 0.3, range 0.25 to 0.35', threshold: 'max 0.01', badIntervals: 3 },
    ],
  };
}
