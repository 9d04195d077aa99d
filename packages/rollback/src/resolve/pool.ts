/**
 * Rollback to a pool named in `to`, with a token. Traffic first: the pool is where traffic goes,
 * whatever the history says, so it moves before GitHub is asked anything; the history, read after,
 * names the bad deployment and the target for the records, when it has them.
 */
import * as core from '@actions/core';
import { formatSplit, livePool } from '@cutover/config';
import { readDeploymentPayload, type DeploymentRecord, type GitHubClient, type RepoContext } from '@cutover/github';
import { applySplit } from '@cutover/routers';
import { outside } from '@cutover/runtime';
import { selectPoolTarget, shadowedByPool } from '../choose.js';
import { restoredLine, type RollbackRun } from '../facts.js';
import type { Outcome } from '../finish.js';
import { versionMismatches } from '../plan.js';
import { readHistory } from '../records.js';
import { describeApplied, readVersions, routerOf } from '../restore.js';
import { describeDeployment } from '../summary.js';

function versionOf(deployment: DeploymentRecord): string | undefined {
  return readDeploymentPayload(deployment.payload).version;
}

/** A pool hides deployments with its name: say so, and how to reach them. */
function warnShadowed(history: DeploymentRecord[], environment: string, pool: string): void {
  for (const hidden of shadowedByPool(history, environment, pool)) {
    const version = versionOf(hidden);
    const other = String(hidden.id) === pool ? (version ? `its version ${version}` : undefined) : `its id ${hidden.id}`;
    core.warning(
      outside(
        `to: "${pool}" is a pool of ${environment} and is read as the pool (pools come first); deployment ${hidden.id}${version ? ` (version ${version})` : ''} has the same name` +
          (other ? `: to roll back to it, set \`to\` to ${other}` : ''),
      ),
    );
  }
}

export async function toPool(run: RollbackRun, client: GitHubClient, context: RepoContext, pool: string): Promise<Outcome> {
  const { environment } = run;
  core.info(`Rolling back ${environment.name} to pool ${pool}: traffic first, the deployment history after.`);
  run.moving?.();
  const applied = await applySplit(routerOf(environment, run.inputs.dryRun), { [pool]: 100 }, 'to');
  const restored = describeApplied(applied, run.inputs.dryRun);
  core.info(restoredLine(run, restored));
  const rolledBackAt = new Date().toISOString();

  const history = await readHistory(client, context, environment.name, undefined);
  warnShadowed(history, environment.name, pool);
  const chosen = selectPoolTarget(history, environment.name, pool);
  let target = chosen.target;
  const template = environment.health?.['version-url'];
  if (target && chosen.payload.version && template) {
    // The pool is what was asked for; the record only names the deployment if the pool still runs it.
    const problems = versionMismatches(chosen.payload.version, await readVersions(environment, template, [pool]));
    if (problems.length > 0) {
      core.warning(
        `Pool ${pool} no longer runs ${chosen.payload.version} of deployment ${target.id} (${problems.join('; ')}): the rollback is recorded without a target deployment.`,
      );
      target = undefined;
    }
  }
  const { bad } = chosen;
  core.info(
    outside(
      `Rolled back ${bad ? `deployment ${bad.id} (${versionOf(bad) ?? bad.sha.slice(0, 7)})` : environment.name} to pool ${pool}` +
        (target
          ? `, which deployment ${target.id} (${versionOf(target) ?? target.sha.slice(0, 7)}) last put at 100.`
          : `; no good deployment of ${environment.name} put it at 100.`),
    ),
  );

  const payload = target ? readDeploymentPayload(target.payload) : {};
  const badName = bad ? (versionOf(bad) ?? `deployment ${bad.id}`) : (livePool(applied.before) ?? formatSplit(applied.before));
  return {
    restored,
    applied,
    rolledBackAt,
    rolledBackTo: pool,
    bad: { name: badName, ...(bad ? { deployment: bad } : {}) },
    good: { name: payload.version ? `${payload.version} (pool ${pool})` : `pool ${pool}`, ...(target ? { deployment: target } : {}) },
    from: badName,
    to: pool,
    rolledBackText: bad ? describeDeployment(bad) : badName,
    nowLiveText: target ? `pool ${pool}: ${describeDeployment(target)}` : `pool ${pool}`,
    ...(target ? { commit: target.sha } : {}),
    live: {
      // Without a target deployment the commit on the pool is unknown: the run's commit is recorded.
      sha: target?.sha ?? context.sha,
      label: `pool ${pool}`,
      ...(payload.version ? { version: payload.version } : {}),
      ...(payload.pools === undefined ? {} : { pools: payload.pools }),
      ...(bad ? { badId: bad.id } : {}),
      ...(target ? { targetId: target.id } : {}),
    },
    redeployed: false,
  };
}
