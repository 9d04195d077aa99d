/** Rollback's GitHub records: the history it reads, the bad deployment marked failure, a new `rollback` deployment live. */
import * as core from '@actions/core';
import type { NamedEnvironment, Split } from '@cutover/config';
import {
  createDeployment,
  deploymentPayload,
  endedFailed,
  listDeploymentsWithStatuses,
  setDeploymentStatus,
  type DeploymentRecord,
  type GitHubClient,
  type RepoContext,
} from '@cutover/github';

export interface RollbackRecord {
  deploymentId: number;
}

/** What is live after the rollback, as recorded. */
export interface LiveState {
  /** The commit recorded: the target deployment's (by sha, so a branch that moved since changes nothing). */
  sha: string;
  /** What the descriptions call it: a version, `deployment 12`, `pool green`. */
  label: string;
  version?: string;
  pools?: Record<string, string[]>;
  /** The deployment that was rolled back, and the one whose state was restored, when known. */
  badId?: number;
  targetId?: number;
}

function repoOf(context: RepoContext) {
  return { owner: context.owner, repo: context.repo };
}

/** Marks the bad deployment failure (once: a repeated rollback leaves the mark as it is). */
export async function markBad(client: GitHubClient, context: RepoContext, bad: DeploymentRecord, description: string): Promise<void> {
  if (endedFailed(bad)) return;
  await setDeploymentStatus(client, repoOf(context), bad.id, { state: 'failure', description, logUrl: context.runUrl });
}

/** Records what is live now: a deployment (task `rollback`) with the restored split, in success. */
export async function recordRollback(
  client: GitHubClient,
  context: RepoContext,
  environment: NamedEnvironment,
  live: LiveState,
  split: { before: Split; after: Split },
  reason: string | undefined,
): Promise<RollbackRecord> {
  const from = live.badId === undefined ? '' : ` from deployment ${live.badId}`;
  const deployment = await createDeployment(client, repoOf(context), {
    ref: live.sha,
    environment: environment.name,
    task: 'rollback',
    description: `Rollback${from} to ${live.label}${reason ? `: ${reason}` : ''}`,
    payload: deploymentPayload({
      kind: 'rollback',
      ...(live.version === undefined ? {} : { version: live.version }),
      ...(live.pools === undefined ? {} : { pools: live.pools }),
      splitBefore: split.before,
      splitAfter: split.after,
      router: environment.router.kind,
      ...(live.badId === undefined ? {} : { rolledBackFrom: live.badId }),
      ...(live.targetId === undefined ? {} : { rolledBackTo: live.targetId }),
      ...(reason === undefined ? {} : { reason }),
    }),
  });
  await setDeploymentStatus(client, repoOf(context), deployment.id, {
    state: 'success',
    description: `Rolled back to ${live.label}`,
    logUrl: context.runUrl,
    ...(environment.url ? { environmentUrl: environment.url } : {}),
  });
  core.info(`Recorded deployment ${deployment.id} (task rollback) in success${live.badId === undefined ? '' : `; deployment ${live.badId} marked failure`}.`);
  return { deploymentId: deployment.id };
}

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
  core.info(
    `Read ${history.length} deployment(s) of ${environment} with their statuses in ${Math.round(performance.now() - readingFrom)} ms (${Math.round(readingFrom)} ms after the process started).`,
  );
  return history;
}
