/** Pull requests as the gates read them: open ones on a branch, labels, changed files. */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './checks.js';

export interface PullSummary {
  number: number;
  headSha: string;
  baseRef: string;
  labels: string[];
}

type Pull = { number: number; head: { sha: string }; base: { ref: string }; labels: { name?: string }[] };

function summary(pull: Pull): PullSummary {
  return { number: pull.number, headSha: pull.head.sha, baseRef: pull.base.ref, labels: pull.labels.map((label) => label.name ?? '').filter(Boolean) };
}

/** Every open pull request whose base is `base`, all pages. */
export async function openPullRequests(client: GitHubClient, repo: RepoRef, base: string): Promise<PullSummary[]> {
  const pulls = await client.paginate(client.rest.pulls.list, { ...repo, state: 'open', base, per_page: 100 });
  return pulls.map(summary);
}

/** One pull request, read now: labels added since the event are included. */
export async function getPullRequest(client: GitHubClient, repo: RepoRef, number: number): Promise<PullSummary> {
  const { data } = await client.rest.pulls.get({ ...repo, pull_number: number });
  return summary(data);
}

/** The files a pull request changes (GitHub lists at most 3000). */
export async function pullRequestFiles(client: GitHubClient, repo: RepoRef, number: number): Promise<{ filename: string; status: string }[]> {
  const files = await client.paginate(client.rest.pulls.listFiles, { ...repo, pull_number: number, per_page: 100 });
  return files.map((file) => ({ filename: file.filename, status: file.status }));
}
