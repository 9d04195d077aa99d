/** The rollback: choose the target, put its traffic back, then record, open the incident and alert. */
import * as core from '@actions/core';
import type { NamedEnvironment } from '@cutover/config';
import { createGitHubClient, type DeploymentRecord, type GitHubClient, readDeploymentPayload, type RepoContext, repoContext } from '@cutover/github';
import { describeStale, poolNamed, readReportFacts, selectRollbackTarget, type RollbackTarget } from '@cutover/incident';
import { environmentFromInputs } from '@cutover/runtime';
import { alertRollback, rollbackAlerts } from './alerts.js';
import { readHistory } from './history.js';
import { openIncident } from './incident.js';
import { readInputs, type RollbackInputs } from './inputs.js';
import { markBad, recordRollback } from './records.js';
import { applyRestore, describeApplied, planRestore } from './restore.js';
import { reasonOf, restoredAfter, type RollbackRun } from './run.js';
import { describeDeployment, writeSummary } from './summary.js';
import { rollbackToPool } from './to-pool.js';
import { rollbackWithoutToken } from './without-token.js';

function name(deployment: DeploymentRecord): string {
  return readDeploymentPayload(deployment.payload).version ?? `deployment ${deployment.id}`;
}

function logChoice(chosen: RollbackTarget): void {
  for (const { id, reason } of chosen.passedOver) core.info(`Passed over deployment ${id}: ${reason}.`);
  const again = chosen.repeated ? ` (deployment ${chosen.current.id} already rolled it back; running again)` : '';
  core.info(`Rolling back deployment ${chosen.bad.id} (${name(chosen.bad)}) to deployment ${chosen.target.id} (${name(chosen.target)})${again}.`);
}

async function dispatchRedeploy(client: GitHubClient, context: RepoContext, inputs: RollbackInputs, environment: NamedEnvironment, version: string): Promise<void> {
  const ref = context.ref.replace(/^refs\/(heads|tags)\//, '') || (await client.rest.repos.get({ owner: context.owner, repo: context.repo })).data.default_branch;
  await client.rest.actions.createWorkflowDispatch({
    owner: context.owner,
    repo: context.repo,
    workflow_id: inputs.redeployWorkflow!,
    ref,
    inputs: { version, environment: environment.name },
  });
  core.warning(`Dispatched ${inputs.redeployWorkflow} on ${ref} with version ${version} for ${environment.name}: it redeploys the good version; traffic was not switched.`);
}

export async function rollback(): Promise<void> {
  // Everything that can be refused is read before anything changes.
  const inputs = readInputs();
  const environment = await environmentFromInputs();
  const run: RollbackRun = {
    inputs,
    environment,
    ...(inputs.report ? { report: readReportFacts(inputs.report.json) } : {}),
    alerts: rollbackAlerts(environment),
    startedAt: new Date(Date.now() - performance.now()).toISOString(),
  };
  const client = createGitHubClient(inputs.token);
  if (!client) return rollbackWithoutToken(run);
  const context = repoContext();
  // A pool name comes before a deployment id or version (see local-target in @cutover/incident).
  const pool = poolNamed(environment, inputs.to);
  if (pool !== undefined) return rollbackToPool(run, client, context, pool);
  return rollbackFromHistory(run, client, context);
}

/** The default and `to` as a deployment id or version: the target's recorded split, checked and restored. */
async function rollbackFromHistory(run: RollbackRun, client: GitHubClient, context: RepoContext): Promise<void> {
  const { inputs, environment, report } = run;
  const history = await readHistory(client, context, environment.name, inputs.to);
  const chosen = selectRollbackTarget(history, environment.name, inputs.to);
  logChoice(chosen);
  const version = chosen.payload.version;
  const plan = await planRestore(environment, chosen.payload, chosen.target.id);

  let restored: string;
  let split = { before: {}, after: {} } as { before: Record<string, number>; after: Record<string, number> };
  let redeployed = false;
  if (plan.stale) {
    const stale = describeStale(version, plan.split, plan.problems);
    if (!inputs.redeployWorkflow || !version) {
      throw new Error(`${stale}. Nothing was changed: set redeploy-workflow to redeploy ${version ?? 'it'}, or pass \`to\` with another deployment.`);
    }
    core.warning(`${stale}.`);
    await dispatchRedeploy(client, context, inputs, environment, version);
    restored = `traffic was NOT switched (${plan.problems.join('; ')}); ${inputs.redeployWorkflow} was dispatched to redeploy ${version}`;
    redeployed = true;
  } else {
    const applied = await applyRestore(plan, chosen.target.id);
    split = { before: applied.before, after: applied.after };
    restored = describeApplied(applied);
    core.info(`Traffic restored ${restoredAfter()} ms after the process started: ${restored}.`);
  }
  const rolledBackAt = new Date().toISOString();
  core.setOutput('rolled-back-to', version ?? String(chosen.target.id));

  const reason = reasonOf(run);
  const { bad, target, payload } = chosen;
  await markBad(client, context, bad, `Rolled back${reason ? `: ${reason}` : ''}`);
  const live = {
    sha: target.sha,
    label: version ?? `deployment ${target.id}`,
    badId: bad.id,
    targetId: target.id,
    ...(version === undefined ? {} : { version }),
    ...(payload.pools === undefined ? {} : { pools: payload.pools }),
  };
  const record = redeployed ? undefined : await recordRollback(client, context, environment, live, split, reason);
  if (record) core.setOutput('deployment-id', String(record.deploymentId));

  const incidentUrl = await openIncident(client, context, run, { bad: { deployment: bad, name: name(bad) }, good: { deployment: target, name: name(target) } }, restored, rolledBackAt);
  await alertRollback(run.alerts, environment, {
    from: name(bad),
    to: name(target),
    commit: target.sha,
    restored,
    redeployed,
    ...(reason ? { reason } : {}),
    ...(report ? { report } : {}),
    ...(incidentUrl ? { incidentUrl } : {}),
  });
  await writeSummary({
    environment,
    rolledBack: describeDeployment(bad),
    nowLive: redeployed ? `redeploy of ${describeDeployment(target)} dispatched` : describeDeployment(target),
    restored,
    rollbackStartedAt: run.startedAt,
    rolledBackAt,
    ...(record ? { deploymentId: record.deploymentId } : {}),
    ...(incidentUrl ? { incidentUrl } : {}),
  });
}
