/**
 * The default target, or `to` as a deployment id or version: the deployment history says where
 * traffic goes (the newest earlier deployment that reached success), so it is read first — every
 * GitHub call is bounded by the client's timeout. The target's split is checked (the code still
 * there) and restored; when it is not, a redeploy is dispatched instead, or nothing changes.
 */
import * as core from '@actions/core';
import type { NamedEnvironment } from '@cutover/config';
import { readDeploymentPayload, type DeploymentRecord, type GitHubClient, type RepoContext } from '@cutover/github';
import { outside } from '@cutover/runtime';
import { selectRollbackTarget, type RollbackTarget } from '../choose.js';
import { restoredLine, type RollbackRun } from '../facts.js';
import type { RollbackInputs } from '../inputs.js';
import type { Outcome } from '../finish.js';
import { describeStale } from '../plan.js';
import { readHistory } from '../records.js';
import { applyRestore, describeApplied, planRestore } from '../restore.js';
import { describeDeployment } from '../summary.js';

export function deploymentName(deployment: DeploymentRecord): string {
  return readDeploymentPayload(deployment.payload).version ?? `deployment ${deployment.id}`;
}

/** Versions and reasons come from deployment payloads, text anyone with write access set: logged as outside text. */
function logChoice(chosen: RollbackTarget): void {
  for (const { id, reason } of chosen.passedOver) core.info(outside(`Passed over deployment ${id}: ${reason}.`));
  const again = chosen.repeated ? ` (deployment ${chosen.current.id} already rolled it back; running again)` : '';
  core.info(
    outside(
      `Rolling back deployment ${chosen.bad.id} (${deploymentName(chosen.bad)}) to deployment ${chosen.target.id} (${deploymentName(chosen.target)})${again}.`,
    ),
  );
}

async function dispatchRedeploy(
  client: GitHubClient,
  context: RepoContext,
  inputs: RollbackInputs,
  environment: NamedEnvironment,
  version: string,
): Promise<void> {
  const ref =
    context.ref.replace(/^refs\/(heads|tags)\//, '') || (await client.rest.repos.get({ owner: context.owner, repo: context.repo })).data.default_branch;
  await client.rest.actions.createWorkflowDispatch({
    owner: context.owner,
    repo: context.repo,
    workflow_id: inputs.redeployWorkflow!,
    ref,
    inputs: { version, environment: environment.name },
  });
  core.warning(
    `Dispatched ${inputs.redeployWorkflow} on ${ref} with version ${version} for ${environment.name}: it redeploys the good version; traffic was not switched.`,
  );
}

export async function fromHistory(run: RollbackRun, client: GitHubClient, context: RepoContext): Promise<Outcome> {
  const { inputs, environment } = run;
  const history = await readHistory(client, context, environment.name, inputs.to);
  const chosen = selectRollbackTarget(history, environment.name, inputs.to);
  logChoice(chosen);
  const { bad, target, payload } = chosen;
  const version = payload.version;
  const plan = await planRestore(environment, payload, target.id, inputs.dryRun);
  const sides = { bad: { deployment: bad, name: deploymentName(bad) }, good: { deployment: target, name: deploymentName(target) } };
  const common = {
    ...sides,
    rolledBackTo: version ?? String(target.id),
    from: deploymentName(bad),
    to: deploymentName(target),
    rolledBackText: describeDeployment(bad),
    commit: target.sha,
  };

  if (plan.stale) {
    const stale = describeStale(version, plan.split, plan.problems);
    if (!inputs.redeployWorkflow || !version) {
      throw new Error(`${stale}. Nothing was changed: set redeploy-workflow to redeploy ${version ?? 'it'}, or pass \`to\` with another deployment.`);
    }
    core.warning(`${stale}.`);
    if (inputs.dryRun) core.info(`Dry run: ${inputs.redeployWorkflow} would be dispatched with version ${version} for ${environment.name}.`);
    else await dispatchRedeploy(client, context, inputs, environment, version);
    return {
      ...common,
      restored: `traffic ${inputs.dryRun ? 'would NOT be' : 'was NOT'} switched (${plan.problems.join('; ')}); ${inputs.redeployWorkflow} ${inputs.dryRun ? 'would be' : 'was'} dispatched to redeploy ${version}`,
      rolledBackAt: new Date().toISOString(),
      nowLiveText: `redeploy of ${describeDeployment(target)} dispatched`,
      redeployed: true,
    };
  }
  run.moving?.();
  const applied = await applyRestore(plan, target.id);
  const restored = describeApplied(applied, run.inputs.dryRun);
  core.info(restoredLine(run, restored));
  return {
    ...common,
    restored,
    applied,
    rolledBackAt: new Date().toISOString(),
    nowLiveText: describeDeployment(target),
    live: {
      sha: target.sha,
      label: version ?? `deployment ${target.id}`,
      badId: bad.id,
      targetId: target.id,
      ...(version === undefined ? {} : { version }),
      ...(payload.pools === undefined ? {} : { pools: payload.pools }),
    },
    redeployed: false,
  };
}
