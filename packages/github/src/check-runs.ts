/** Reading check runs back: the verdicts a stage left on a commit. */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './checks.js';

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  externalId: string;
  completedAt: string | null;
  htmlUrl: string;
}

/** Check runs named `name` on a ref (branch, tag or sha), newest first. */
export async function checkRunsForRef(client: GitHubClient, repo: RepoRef, ref: string, name: string): Promise<CheckRunRecord[]> {
  const runs = await client.paginate(client.rest.checks.listForRef, { ...repo, ref, check_name: name, filter: 'all', per_page: 100 });
  return runs
    .map((run) => ({
      id: run.id,
      name: run.name,
      headSha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion ?? null,
      externalId: run.external_id ?? '',
      completedAt: run.completed_at ?? null,
      htmlUrl: run.html_url ?? '',
    }))
    .sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? '') || b.id - a.id);
}
