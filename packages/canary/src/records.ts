/**
 * canary-step's GitHub records: a deployment with a status per step, and a check run with the
 * analysis. A GitHub failure is a warning: records never decide where traffic goes.
 */
import * as core from '@actions/core';
import type { NamedEnvironment, Split } from '@cutover/config';
import {
  createCheckRun,
  createDeployment,
  deploymentPayload,
  listDeploymentsWithStatuses,
  readDeploymentPayload,
  repoContext,
  setDeploymentStatus,
  updateCheckRun,
  type CheckConclusion,
  type DeploymentRecord,
  type DeploymentState,
  type GitHubClient,
} from '@cutover/github';

export interface PausedRecord {
  deploymentId: number;
  canary: string;
  stable: string;
}

function repo() {
  const context = repoContext();
  return { owner: context.owner, repo: context.repo };
}

async function warnOnFailure<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    core.warning(`${what}: ${(error as Error).message}`);
    return undefined;
  }
}

/** What a run left to continue: a canary's payload that says so (its pools, `resumable`). */
function resumableCanary(payload: unknown): { canary: string; stable: string } | undefined {
  const { canary, stable, resumable } = readDeploymentPayload(payload);
  return canary === undefined || stable === undefined || resumable !== true ? undefined : { canary, stable };
}

/** What the look for a paused canary found. */
export interface PausedLook {
  paused?: PausedRecord;
  /** What was read with its statuses, for the "shipped in" comments not to read it again. */
  read: DeploymentRecord[];
}

/** The environment's newest deployment when it is a canary a paused run left in progress. */
export async function findPausedCanary(client: GitHubClient, environment: string): Promise<PausedLook> {
  // Its statuses only when its payload could be resumed: one call fewer for any other deployment
  // (bench/budget.ts, deliver.yml's good release, production's last deployment blue-green-switch's:
  // canary-step 19 calls before, 18 after; with the lock's cut, the run 45 before, 40 after).
  const read =
    (await warnOnFailure('reading the last deployment', () =>
      listDeploymentsWithStatuses(client, repo(), { environment, limit: 1, only: (deployment) => resumableCanary(deployment.payload) !== undefined }),
    )) ?? [];
  const [newest] = read;
  const pools = newest && resumableCanary(newest.payload);
  if (!newest || !pools || newest.statuses[0]?.state !== 'in_progress') return { read };
  return { paused: { deploymentId: newest.id, ...pools }, read };
}

export interface CanaryDeployment {
  environment: NamedEnvironment;
  canary: string;
  stable: string;
  version?: string;
  weights: number[];
  before: Split;
  /** The freeze window this canary goes through with ignore-freeze. */
  freezeIgnored?: string;
}

export async function startDeployment(client: GitHubClient, record: CanaryDeployment): Promise<number | undefined> {
  const context = repoContext();
  const deployment = await warnOnFailure('GitHub deployment not recorded (rolling out anyway)', () =>
    createDeployment(client, repo(), {
      ref: context.sha || context.ref,
      environment: record.environment.name,
      task: 'deploy',
      description: `canary ${record.canary}${record.version ? ` (${record.version})` : ''} against ${record.stable}`,
      payload: deploymentPayload({
        kind: 'canary',
        ...(record.version ? { version: record.version } : {}),
        canary: record.canary,
        stable: record.stable,
        steps: record.weights,
        pools: record.environment.pools,
        splitBefore: record.before,
        // What a later rollback restores once this deployment succeeded: the canary alone.
        splitAfter: { [record.stable]: 0, [record.canary]: 100 },
        router: record.environment.router.kind,
        // A run that stops below 100 is continued by the next one (see findPausedCanary).
        resumable: true,
        ...(record.freezeIgnored ? { freezeIgnored: record.freezeIgnored } : {}),
      }),
    }),
  );
  if (deployment) core.info(`Deployment ${deployment.id} recorded.`);
  return deployment?.id;
}

export async function deploymentStatus(client: GitHubClient, id: number, state: DeploymentState, description: string, environmentUrl?: string): Promise<void> {
  await warnOnFailure(`deployment ${id} status not recorded`, () =>
    setDeploymentStatus(client, repo(), id, {
      state,
      description,
      logUrl: repoContext().runUrl,
      ...(environmentUrl && state === 'success' ? { environmentUrl } : {}),
    }),
  );
}

export async function startCheckRun(client: GitHubClient, name: string, title: string): Promise<number | undefined> {
  const context = repoContext();
  const run = await warnOnFailure('check run not created', () =>
    createCheckRun(client, repo(), { name, headSha: context.sha, status: 'in_progress', title, summary: title, detailsUrl: context.runUrl }),
  );
  return run?.id;
}

export async function finishCheckRun(
  client: GitHubClient,
  id: number,
  update: { conclusion?: CheckConclusion; title: string; summary: string; text: string },
): Promise<void> {
  await warnOnFailure(`check run ${id} not updated`, () => updateCheckRun(client, repo(), id, update));
}
