/** The deployment records of a rollback: the bad one marked failure, a new `rollback` deployment live. */
import * as core from '@actions/core';
import type { NamedEnvironment, Split } from '@cutover/config';
import { createDeployment, deploymentPayload, endedFailed, setDeploymentStatus, type DeploymentRecord, type GitHubClient, type RepoContext } from '@cutover/github';


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
