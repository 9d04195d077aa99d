/** Commit statuses: a named verdict (context) on a commit, such as `cutover/line`. */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './checks.js';
import { shortDescription } from './deployments.js';

export interface CommitStatusInput {
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  /** Cut to GitHub's 140 characters. */
  description?: string;
  targetUrl?: string;
}

export async function setCommitStatus(client: GitHubClient, repo: RepoRef, sha: string, status: CommitStatusInput): Promise<void> {
  await client.rest.repos.createCommitStatus({
    ...repo,
    sha,
    context: status.context,
    state: status.state,
    ...(status.description === undefined ? {} : { description: shortDescription(status.description) }),
    ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl }),
  });
}
