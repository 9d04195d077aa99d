/** The deployment records of a rollback: the bad one marked failure, a new `rollback` deployment live. */
import * as core from '@actions/core';
import type { NamedEnvironment, Split } from '@cutover/config';
import { createDeployment, setDeploymentStatus, type GitHubClient, type RepoContext } from '@cutover/github';
import { endedFailed, type DeploymentRecord, type RollbackTarget } from '@cutover/incident';

export interface RollbackRecord {
  deploymentId: number;
}

function repoOf(context: RepoContext) {
  return { owner: context.owner, repo: context.repo };
}

/** Marks the bad deployment failure (once: a repeated rollback leaves the mark as it is). */
export async function markBad(client: GitHubClient, context: RepoContext, bad: DeploymentRecord, description: string): Promise<void> {
  if (endedFailed(bad)) return;
  await setDeploymentStatus(client, repoOf(context), bad.id, { state: 'failure', description, logUrl: context.runUrl });
}

/**
 * Records what is live now: a deployment of the target's commit (by sha, so that a branch that
 * moved since does not change what is recorded) with the restored split, in success.
 */
export async function recordRollback(
  client: GitHubClient,
  context: RepoContext,
  environment: NamedEnvironment,
  chosen: RollbackTarget,
  split: { before: Split; after: Split },
  reason: string | undefined,
): Promise<RollbackRecord> {
  const { target, bad, payload } = chosen;
  const version = payload.version;
  const deployment = await createDeployment(client, repoOf(context), {
    ref: target.sha,
    environment: environment.name,
    task: 'rollback',
    description: `Rollback from deployment ${bad.id} to ${version ?? `deployment ${target.id}`}${reason ? `: ${reason}` : ''}`,
    payload: {
      ...(version === undefined ? {} : { version }),
      ...(payload.pools === undefined ? {} : { pools: payload.pools }),
      splitBefore: split.before,
      splitAfter: split.after,
      router: environment.router.kind,
      rolledBackFrom: bad.id,
      rolledBackTo: target.id,
      ...(reason === undefined ? {} : { reason }),
    },
  });
  await setDeploymentStatus(client, repoOf(context), deployment.id, {
    state: 'success',
    description: `Rolled back to ${version ?? `deployment ${target.id}`}`,
    logUrl: context.runUrl,
    ...(environment.url ? { environmentUrl: environment.url } : {}),
  });
  core.info(`Recorded deployment ${deployment.id} (task rollback) in success; deployment ${bad.id} marked failure.`);
  return { deploymentId: deployment.id };
}
