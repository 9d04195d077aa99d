/** Which deployment a rollback returns to. Pure: the caller fetches deployments and their statuses. */
import { endedFailed, everSucceeded, latestStatus, newestFirst, readDeploymentPayload, type CutoverPayload, type DeploymentRecord } from '@cutover/github';

export class RollbackTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RollbackTargetError';
  }
}

export interface RollbackTarget {
  /** The environment's newest deployment. */
  current: DeploymentRecord;
  /** The deployment being rolled back: the current one, or the one an earlier rollback already left. */
  bad: DeploymentRecord;
  /** True when the current deployment is a rollback of `bad` (the rollback runs again). */
  repeated: boolean;
  target: DeploymentRecord;
  payload: CutoverPayload;
  /** Newer candidates passed over, with why: for the log. */
  passedOver: { id: number; reason: string }[];
}

function restorable(payload: CutoverPayload): boolean {
  return payload.version !== undefined || payload.splitAfter !== undefined;
}

function describe(deployment: DeploymentRecord): string {
  const version = readDeploymentPayload(deployment.payload).version;
  return `deployment ${deployment.id}${version ? ` (${version})` : ''}`;
}

/** Why a deployment cannot be the default target, or undefined when it can. */
function unfit(deployment: DeploymentRecord): string | undefined {
  if (!everSucceeded(deployment)) return `never reached success (latest: ${latestStatus(deployment)?.state ?? 'no status'})`;
  if (endedFailed(deployment)) return `marked ${latestStatus(deployment)?.state} since`;
  if (!restorable(readDeploymentPayload(deployment.payload))) return 'its payload records no version and no split (not made by Cutover)';
  return undefined;
}

/**
 * The newest deployment (current) and the one being rolled back: the current one, or, when the
 * current one is itself a rollback, the deployment it rolled back. `history` is newest first.
 */
function badOf(history: readonly DeploymentRecord[]): Pick<RollbackTarget, 'current' | 'bad' | 'repeated'> | undefined {
  const current = history[0];
  if (!current) return undefined;
  const currentPayload = readDeploymentPayload(current.payload);
  const rolledBack =
    current.task === 'rollback' && currentPayload.rolledBackFrom !== undefined
      ? history.find((deployment) => deployment.id === currentPayload.rolledBackFrom)
      : undefined;
  return { current, bad: rolledBack ?? current, repeated: rolledBack !== undefined };
}

/**
 * The deployment to roll back to, from all deployments of the repository (any order, any environment).
 * Default: the newest deployment of `environment`, older than the bad one, that ever reached success
 * (its latest status may be inactive) and was not marked failed since. `to`: a deployment id or a
 * payload version. Throws RollbackTargetError, saying why, when there is none.
 */
export function selectRollbackTarget(all: readonly DeploymentRecord[], environment: string, to?: string): RollbackTarget {
  const history = newestFirst(all.filter((deployment) => deployment.environment === environment));
  const found = badOf(history);
  if (!found) throw new RollbackTargetError(`environment "${environment}" has no deployments: nothing to roll back`);
  const { current, bad, repeated } = found;
  const older = history.slice(history.indexOf(bad) + 1);
  const excluded = new Set([current.id, bad.id]);
  const base = { current, bad, repeated };

  const wanted = to?.trim() ?? '';
  if (wanted !== '') return { ...base, ...explicitTarget(all, history, excluded, environment, wanted) };

  const passedOver: { id: number; reason: string }[] = [];
  for (const deployment of older) {
    const reason = unfit(deployment);
    if (reason === undefined) return { ...base, target: deployment, payload: readDeploymentPayload(deployment.payload), passedOver };
    passedOver.push({ id: deployment.id, reason });
  }
  const checked = passedOver.map(({ id, reason }) => `${id}: ${reason}`).join('; ');
  throw new RollbackTargetError(
    `no deployment of "${environment}" to roll back to: none older than ${describe(bad)} reached success` +
      (checked ? ` (${checked})` : ' (it is the only one)'),
  );
}

function explicitTarget(
  all: readonly DeploymentRecord[],
  history: readonly DeploymentRecord[],
  excluded: ReadonlySet<number>,
  environment: string,
  to: string,
): Pick<RollbackTarget, 'target' | 'payload' | 'passedOver'> {
  const byId = /^\d+$/.test(to) ? all.find((deployment) => deployment.id === Number(to)) : undefined;
  if (byId) {
    if (byId.environment !== environment) {
      throw new RollbackTargetError(`to: deployment ${to} is in environment "${byId.environment}", not "${environment}"`);
    }
    if (excluded.has(byId.id)) throw new RollbackTargetError(`to: deployment ${to} is the one being rolled back`);
    if (!everSucceeded(byId)) throw new RollbackTargetError(`to: ${describe(byId)} never reached success`);
    const payload = readDeploymentPayload(byId.payload);
    if (!restorable(payload)) {
      throw new RollbackTargetError(`to: ${describe(byId)} records no version and no split in its payload`);
    }
    return { target: byId, payload, passedOver: [] };
  }

  const sameVersion = history.filter((deployment) => !excluded.has(deployment.id) && readDeploymentPayload(deployment.payload).version === to);
  // A version deployed again after a failure: prefer the deployment that was not marked failed since.
  const target = sameVersion.find((deployment) => unfit(deployment) === undefined) ?? sameVersion.find(everSucceeded);
  if (!target) {
    const known = history.filter((deployment) => !excluded.has(deployment.id) && everSucceeded(deployment));
    const versions = [...new Set(known.map((deployment) => readDeploymentPayload(deployment.payload).version).filter(Boolean))];
    throw new RollbackTargetError(
      sameVersion.length > 0
        ? `to: version "${to}" never reached success in "${environment}"`
        : `to: "${to}" is neither a deployment id nor a version deployed to "${environment}"` +
          (versions.length > 0 ? ` (versions that reached success: ${versions.join(', ')})` : ''),
    );
  }
  return { target, payload: readDeploymentPayload(target.payload), passedOver: [] };
}

/** A rollback to a pool named in `to`: the deployments it relates to, when the history has them. */
export interface PoolRollbackTarget {
  pool: string;
  current?: DeploymentRecord;
  bad?: DeploymentRecord;
  repeated: boolean;
  /** The newest good deployment that left all traffic on the pool; none when the history has none. */
  target?: DeploymentRecord;
  payload: CutoverPayload;
}

/**
 * `to` named a pool: traffic goes to that pool whatever the history says. The history only says
 * which deployment is rolled back and which one last put the pool at 100 (the record's target).
 */
export function selectPoolTarget(all: readonly DeploymentRecord[], environment: string, pool: string): PoolRollbackTarget {
  const history = newestFirst(all.filter((deployment) => deployment.environment === environment));
  const found = badOf(history);
  if (!found) return { pool, repeated: false, payload: {} };
  const excluded = new Set([found.current.id, found.bad.id]);
  const target = history.find(
    (deployment) => !excluded.has(deployment.id) && unfit(deployment) === undefined && readDeploymentPayload(deployment.payload).splitAfter?.[pool] === 100,
  );
  return { pool, ...found, ...(target ? { target } : {}), payload: target ? readDeploymentPayload(target.payload) : {} };
}

/**
 * Deployments of the environment that a pool name in `to` hides: a pool is read first, so a
 * deployment id or version with the same name is reached by its other name (said in the log).
 */
export function shadowedByPool(all: readonly DeploymentRecord[], environment: string, pool: string): DeploymentRecord[] {
  return newestFirst(all.filter((deployment) => deployment.environment === environment)).filter(
    (deployment) => String(deployment.id) === pool || readDeploymentPayload(deployment.payload).version === pool,
  );
}
