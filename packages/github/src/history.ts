/**
 * What Cutover recorded, read as facts: when each deployment went live, whether it was marked
 * failed afterwards, which rollback restored which deployment. Pure.
 *
 * The records (see blue-green-switch, canary-step and rollback): a deployment per release (task
 * `deploy`) whose statuses go in_progress -> success, or -> failure when the switch or canary
 * failed; a rollback marks the bad deployment `failure` after its success and records its own
 * deployment (task `rollback`, payload `rolledBackFrom`: the bad deployment's id) in success.
 * GitHub marks earlier successes `inactive` when a newer one succeeds: that is not a failure.
 */
import { chronological, readDeploymentPayload, type DeploymentRecord } from './record.js';

export const ROLLBACK_TASK = 'rollback';
const FAILED = new Set(['failure', 'error']);

export interface DeploymentFacts {
  id: number;
  environment: string;
  task: string;
  sha: string;
  version?: string;
  createdAt: number;
  /** The first success: when the deployment reached production. */
  succeededAt?: number;
  /** The first failure or error status after that success (a rollback's mark, or another step's). */
  failedAfterSuccessAt?: number;
  rollback: boolean;
  /** On rollbacks: the bad deployment, as the rollback recorded it. */
  rolledBackFrom?: number;
}

function time(iso: string): number {
  return Date.parse(iso);
}

export function deploymentFacts(deployment: DeploymentRecord): DeploymentFacts {
  const statuses = chronological(deployment.statuses);
  const success = statuses.findIndex((status) => status.state === 'success');
  const failedAfter = success < 0 ? undefined : statuses.slice(success + 1).find((status) => FAILED.has(status.state));
  const payload = readDeploymentPayload(deployment.payload);
  const rollback = deployment.task === ROLLBACK_TASK;
  return {
    id: deployment.id,
    environment: deployment.environment,
    task: deployment.task,
    sha: deployment.sha,
    ...(payload.version ? { version: payload.version } : {}),
    createdAt: time(deployment.created_at),
    ...(success < 0 ? {} : { succeededAt: time(statuses[success]!.created_at) }),
    ...(failedAfter ? { failedAfterSuccessAt: time(failedAfter.created_at) } : {}),
    rollback,
    ...(rollback && payload.rolledBackFrom !== undefined ? { rolledBackFrom: payload.rolledBackFrom } : {}),
  };
}

/** Oldest first by creation, then id (ids grow with time on GitHub). */
export function oldestFirst<T extends { createdAt: number; id: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

/** A deployment that reached production and shipped a change: what the four figures count. */
export function isChange(facts: DeploymentFacts): boolean {
  return !facts.rollback && facts.succeededAt !== undefined;
}

/**
 * The deployment a rollback restored from: the one it recorded (`rolledBackFrom`), else the
 * change that was live when it started (the newest of its environment that reached success
 * before the rollback was created), for rollbacks to a pool with no bad deployment on record.
 */
export function rolledBackDeployment(rollback: DeploymentFacts, all: readonly DeploymentFacts[]): number | undefined {
  if (rollback.rolledBackFrom !== undefined) return rollback.rolledBackFrom;
  const live = oldestFirst(
    all.filter(
      (facts) => facts.environment === rollback.environment && isChange(facts) && facts.succeededAt! <= rollback.createdAt && facts.id !== rollback.id,
    ),
  );
  return live.at(-1)?.id;
}

/**
 * The previous deployment of the same environment that reached success (a rollback included:
 * it is what was live), created before `deployment`: the base of what `deployment` shipped.
 */
export function previousSuccess(
  deployment: { id: number; environment: string; createdAt: number },
  all: readonly DeploymentFacts[],
): DeploymentFacts | undefined {
  return oldestFirst(
    all.filter(
      (facts) =>
        facts.environment === deployment.environment &&
        facts.id !== deployment.id &&
        facts.succeededAt !== undefined &&
        (facts.createdAt < deployment.createdAt || (facts.createdAt === deployment.createdAt && facts.id < deployment.id)),
    ),
  ).at(-1);
}
