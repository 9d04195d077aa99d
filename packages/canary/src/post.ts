/**
 * The post step (post-if: always()): when the main step did not finish (cancelled, killed, crashed)
 * after moving traffic, the stable pool takes all traffic again, unless `on-cancel: hold` or
 * someone else moved traffic since (never restored over). Then, whatever happened, it lets go of
 * the environment's lock.
 */
import * as core from '@actions/core';
import { formatSplit, sameSplit, type Split } from '@cutover/config';
import { alertVariables, loadEnvironment } from '@cutover/environment';
import { createGitHubClient, postReleaseLock, recordsSkipped } from '@cutover/github';
import { applySplit, createRouter } from '@cutover/routers';
import { input, withholdFromChildren } from '@cutover/runtime';
import { deploymentStatus } from './records.js';
import { postAction, STATE } from './state.js';

export async function post(): Promise<void> {
  try {
    await restoreIfUnfinished();
  } finally {
    await postReleaseLock();
  }
}

/** The split the main step last set, if it saved one. */
function lastSetSplit(): Split | undefined {
  try {
    const text = core.getState(STATE.split);
    return text ? (JSON.parse(text) as Split) : undefined;
  } catch {
    return undefined;
  }
}

async function restoreIfUnfinished(): Promise<void> {
  const decision = postAction({ rollout: core.getState(STATE.rollout), finished: core.getState(STATE.finished) });
  if (decision.action === 'nothing') {
    core.info(`canary-step post: nothing to do, ${decision.why}.`);
    return;
  }
  const { rollout } = decision;
  const environment = await loadEnvironment(rollout.environment, rollout.config, rollout.workspace);
  withholdFromChildren(alertVariables(environment));
  const router = createRouter(environment, { log: (line) => core.info(line) });
  const split = await router.read();
  const lines = [
    `## canary-step post: the main step did not finish`,
    '',
    `Canary **${rollout.canary}** against stable **${rollout.stable}** in ${rollout.environment}; found ${formatSplit(split)}.`,
    '',
  ];

  if (decision.action === 'hold') {
    core.warning(`canary-step: the main step did not finish and on-cancel is hold: the split stays ${formatSplit(split)}`);
    lines.push(`on-cancel: hold: the split stays as found. Run canary-step again to continue, or rollback.`);
  } else if ((split[rollout.stable] ?? 0) === 100) {
    core.info(`canary-step post: ${rollout.stable} already takes all traffic (${formatSplit(split)}).`);
    lines.push(`${rollout.stable} already takes all traffic: nothing to restore.`);
  } else if (lastSetSplit() && !sameSplit(split, lastSetSplit()!)) {
    const message = `canary-step: the main step did not finish, and traffic was moved by someone else since (found ${formatSplit(split)}, the canary had set ${formatSplit(lastSetSplit()!)}): not restoring over it`;
    core.warning(message);
    lines.push(
      `Traffic was moved by someone else since the canary's last step (it had set ${formatSplit(lastSetSplit()!)}): left as found, not restored over.`,
    );
    await core.summary.addRaw(lines.join('\n') + '\n').write();
    return;
  } else {
    const applied = await applySplit(router, { [rollout.stable]: 100 }, 'on-cancel');
    core.notice(`canary-step: the main step did not finish; restored ${formatSplit(applied.after)}`);
    lines.push(`Restored ${formatSplit(split)} → ${formatSplit(applied.after)}.`);
  }

  const deploymentId = Number(core.getState(STATE.deployment));
  if (decision.action === 'restore' && deploymentId > 0) {
    const client = createGitHubClient(input('token'));
    if (client) await deploymentStatus(client, deploymentId, 'failure', `run ended mid-step; ${rollout.stable} takes all traffic again`);
    else recordsSkipped('the deployment status');
  }
  await core.summary.addRaw(lines.join('\n') + '\n').write();
}
