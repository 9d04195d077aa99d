/**
 * Rollback to a pool named in `to`, with a token: traffic goes to that pool whatever the history
 * says; the history names the bad deployment and the target the record points to, when it has one.
 */
import * as core from '@actions/core';
import { formatSplit, livePool } from '@cutover/config';
import { readDeploymentPayload, type DeploymentRecord, type GitHubClient, type RepoContext } from '@cutover/github';
import { selectPoolTarget, shadowedByPool, versionMismatches } from '@cutover/incident';
import { applySplit } from '@cutover/routers';
import { alertRollback } from './alerts.js';
import { readHistory } from './history.js';
import { openIncident } from './incident.js';
import { markBad, recordRollback } from './records.js';
import { describeApplied, readVersions, routerOf } from './restore.js';
import { reasonOf, restoredAfter, type RollbackRun } from './run.js';
import { describeDeployment, writeSummary } from './summary.js';

function versionOf(deployment: DeploymentRecord): string | undefined {
  return readDeploymentPayload(deployment.payload).version;
}

/** A pool hides deployments with its name: say so, and how to reach them. */
function warnShadowed(history: DeploymentRecord[], environment: string, pool: string): void {
  for (const hidden of shadowedByPool(history, environment, pool)) {
    const version = versionOf(hidden);
    const other = String(hidden.id) === pool ? (version ? `its version ${version}` : undefined) : `its id ${hidden.id}`;
    core.warning(
      `to: "${pool}" is a pool of ${environment} and is read as the pool (pools come first); deployment ${hidden.id}${version ? ` (version ${version})` : ''} has the same name` +
        (other ? `: to roll back to it, set \`to\` to ${other}` : ''),
    );
  }
}

export async function rollbackToPool(run: RollbackRun, client: GitHubClient, context: RepoContext, pool: string): Promise<void> {
  const { environment, report } = run;
  const history = await readHistory(client, context, environment.name, undefined);
  warnShadowed(history, environment.name, pool);
  const chosen = selectPoolTarget(history, environment.name, pool);
  let target = chosen.target;
  const template = environment.health?.['version-url'];
  if (target && chosen.payload.version && template) {
    // The pool is what was asked for; the record only names the deployment if the pool still runs it.
    const problems = versionMismatches(chosen.payload.version, await readVersions(environment, template, [pool]));
    if (problems.length > 0) {
      core.warning(`Pool ${pool} no longer runs ${chosen.payload.version} of deployment ${target.id} (${problems.join('; ')}): traffic goes to the pool as asked; the rollback is recorded without a target deployment.`);
      target = undefined;
    }
  }
  const { bad } = chosen;
  core.info(
    `Rolling back ${bad ? `deployment ${bad.id} (${versionOf(bad) ?? bad.sha.slice(0, 7)})` : environment.name} to pool ${pool}` +
      (target ? `, which deployment ${target.id} (${versionOf(target) ?? target.sha.slice(0, 7)}) last put at 100.` : `; no good deployment of ${environment.name} put it at 100.`),
  );

  const applied = await applySplit(routerOf(environment), { [pool]: 100 }, 'to');
  const restored = describeApplied(applied);
  core.info(`Traffic restored ${restoredAfter()} ms after the process started: ${restored}.`);
  const rolledBackAt = new Date().toISOString();
  core.setOutput('rolled-back-to', pool);

  const reason = reasonOf(run);
  if (bad) await markBad(client, context, bad, `Rolled back${reason ? `: ${reason}` : ''}`);
  const payload = target ? readDeploymentPayload(target.payload) : {};
  const record = await recordRollback(
    client,
    context,
    environment,
    {
      // Without a target deployment the commit on the pool is unknown: the run's commit is recorded.
      sha: target?.sha ?? context.sha,
      label: `pool ${pool}`,
      ...(payload.version ? { version: payload.version } : {}),
      ...(payload.pools === undefined ? {} : { pools: payload.pools }),
      ...(bad ? { badId: bad.id } : {}),
      ...(target ? { targetId: target.id } : {}),
    },
    applied,
    reason,
  );
  core.setOutput('deployment-id', String(record.deploymentId));

  const badName = bad ? (versionOf(bad) ?? `deployment ${bad.id}`) : (livePool(applied.before) ?? formatSplit(applied.before));
  const live = payload.version ? `${payload.version} (pool ${pool})` : `pool ${pool}`;
  const incidentUrl = await openIncident(client, context, run, { bad: { name: badName, ...(bad ? { deployment: bad } : {}) }, good: { name: live, ...(target ? { deployment: target } : {}) } }, restored, rolledBackAt);
  await alertRollback(run.alerts, environment, {
    from: badName,
    to: pool,
    restored,
    redeployed: false,
    ...(target ? { commit: target.sha } : {}),
    ...(reason ? { reason } : {}),
    ...(report ? { report } : {}),
    ...(incidentUrl ? { incidentUrl } : {}),
  });
  await writeSummary({
    environment,
    rolledBack: bad ? describeDeployment(bad) : badName,
    nowLive: target ? `pool ${pool}: ${describeDeployment(target)}` : `pool ${pool}`,
    restored,
    rollbackStartedAt: run.startedAt,
    rolledBackAt,
    deploymentId: record.deploymentId,
    ...(incidentUrl ? { incidentUrl } : {}),
  });
}
