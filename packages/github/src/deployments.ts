/** Deployments and their statuses: the record of what runs where, which rollback reads back. */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './checks.js';
import type { WrittenPayload } from './record.js';

type Rest = GitHubClient['rest']['repos'];
export type Deployment = Awaited<ReturnType<Rest['getDeployment']>>['data'];
export type DeploymentStatus = Awaited<ReturnType<Rest['createDeploymentStatus']>>['data'];
export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentInput {
  /** Branch, tag or sha to record as deployed. */
  ref: string;
  environment: string;
  description?: string;
  /** What rollback and delivery-metrics read later: written by deploymentPayload() alone (record.ts). */
  payload?: WrittenPayload;
  task?: string;
  transient?: boolean;
  production?: boolean;
  /**
   * Status contexts GitHub must see green on the ref first. Default []: the run doing the
   * deployment is itself a pending check, so GitHub's default (all contexts) would refuse it.
   */
  requiredContexts?: string[];
}

export interface DeploymentStatusInput {
  state: DeploymentState;
  description?: string;
  environmentUrl?: string;
  /** The run's page, shown as the status's details. */
  logUrl?: string;
  /** Default true: earlier successful deployments of the environment become inactive. */
  autoInactive?: boolean;
}

/** GitHub's limit on a deployment status description. */
export const DESCRIPTION_LIMIT = 140;

export function shortDescription(text: string, limit = DESCRIPTION_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export async function createDeployment(client: GitHubClient, repo: RepoRef, input: DeploymentInput): Promise<Deployment> {
  const response = await client.rest.repos.createDeployment({
    ...repo,
    ref: input.ref,
    environment: input.environment,
    task: input.task ?? 'deploy',
    // Merging the default branch into the ref would deploy something nobody tested.
    auto_merge: false,
    required_contexts: input.requiredContexts ?? [],
    payload: { ...(input.payload ?? {}) } as Record<string, unknown>,
    ...(input.description === undefined ? {} : { description: shortDescription(input.description) }),
    ...(input.transient === undefined ? {} : { transient_environment: input.transient }),
    ...(input.production === undefined ? {} : { production_environment: input.production }),
  });
  if (response.status !== 201 || !('id' in response.data)) {
    throw new Error(`GitHub did not create the deployment of ${input.ref} to ${input.environment}: ${JSON.stringify(response.data)}`);
  }
  return response.data;
}

export async function setDeploymentStatus(client: GitHubClient, repo: RepoRef, deploymentId: number, input: DeploymentStatusInput): Promise<DeploymentStatus> {
  const { data } = await client.rest.repos.createDeploymentStatus({
    ...repo,
    deployment_id: deploymentId,
    state: input.state,
    ...(input.description === undefined ? {} : { description: shortDescription(input.description) }),
    ...(input.environmentUrl === undefined ? {} : { environment_url: input.environmentUrl }),
    ...(input.logUrl === undefined ? {} : { log_url: input.logUrl }),
    ...(input.autoInactive === undefined ? {} : { auto_inactive: input.autoInactive }),
  });
  return data;
}

export interface DeploymentWithStatuses extends Deployment {
  /** Newest first, as GitHub lists them. */
  statuses: DeploymentStatus[];
}

/**
 * The deployments of an environment, newest first, each with its statuses (newest first):
 * the history rollback chooses from. `limit` bounds the deployments read (default 30); `only`,
 * when given, keeps the deployments it accepts and reads no statuses of the others (one call each).
 */
export async function listDeploymentsWithStatuses(
  client: GitHubClient,
  repo: RepoRef,
  filter: { environment: string; task?: string; limit?: number; only?: (deployment: Deployment) => boolean },
): Promise<DeploymentWithStatuses[]> {
  const limit = filter.limit ?? 30;
  const deployments: Deployment[] = [];
  for await (const page of client.paginate.iterator(client.rest.repos.listDeployments, {
    ...repo,
    environment: filter.environment,
    ...(filter.task ? { task: filter.task } : {}),
    per_page: Math.min(100, limit),
  })) {
    deployments.push(...page.data);
    if (deployments.length >= limit) break;
  }
  // All at once: one round trip instead of one per deployment, so a rollback stays seconds long.
  const only = filter.only ?? (() => true);
  return Promise.all(
    deployments
      .slice(0, limit)
      .filter(only)
      .map(async (deployment) => {
        const { data: statuses } = await client.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deployment.id, per_page: 100 });
        return { ...deployment, statuses };
      }),
  );
}
