/** The environment's deployment history, as rollback reads it from GitHub. */
import * as core from '@actions/core';
import { listDeploymentsWithStatuses, type GitHubClient, type RepoContext } from '@cutover/github';
import type { DeploymentRecord } from '@cutover/github';

/** Deployments read from the history: enough for any real rollback, few enough to stay fast. */
const HISTORY_LIMIT = 30;

/** The history of the environment; a `to` id from elsewhere is added so the error can say where it is. */
export async function readHistory(client: GitHubClient, context: RepoContext, environment: string, to: string | undefined): Promise<DeploymentRecord[]> {
  const repo = { owner: context.owner, repo: context.repo };
  const readingFrom = performance.now();
  const history: DeploymentRecord[] = await listDeploymentsWithStatuses(client, repo, { environment, limit: HISTORY_LIMIT });
  if (to && /^\d+$/.test(to) && !history.some((deployment) => deployment.id === Number(to))) {
    try {
      const { data } = await client.rest.repos.getDeployment({ ...repo, deployment_id: Number(to) });
      history.push({ ...data, statuses: [] });
    } catch {
      // Not a deployment id of this repository: `to` is then read as a version.
    }
  }
  core.info(`Read ${history.length} deployment(s) of ${environment} with their statuses in ${Math.round(performance.now() - readingFrom)} ms (${Math.round(readingFrom)} ms after the process started).`);
  return history;
}
