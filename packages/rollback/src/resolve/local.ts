/**
 * Rollback without a token: the target comes from `to` and the environment file alone, traffic is
 * restored, GitHub records are skipped (said once) and the incident goes to the job summary.
 */
import * as core from '@actions/core';
import { formatSplit, livePool, type NamedEnvironment, type Split } from '@cutover/config';
import { recordsSkipped } from '@cutover/github';
import { applySplit, type Router } from '@cutover/routers';
import { localSplit, localTarget, poolRunning, type LocalTarget } from '../choose-local.js';
import { missingReleases } from '../plan.js';
import { RollbackTargetError } from '../choose.js';
import { restoredLine, type RollbackRun } from '../facts.js';
import type { Outcome } from '../finish.js';
import { describeApplied, readVersions, routerOf } from '../restore.js';

interface Resolved {
  split: Split;
  /** The `rolled-back-to` output: the version or pool `to` named. */
  output: string;
  /** What is live after, for the summary and incident: "v2", "green", "v2 (pool green)". */
  live: string;
}

/** The split to apply, after checking the code is there: releases on every host, a version on exactly one pool. */
async function resolve(target: LocalTarget, environment: NamedEnvironment, router: Router): Promise<Resolved> {
  switch (target.kind) {
    case 'release': {
      const everywhere = await router.pools();
      if (missingReleases(localSplit(target), everywhere).length > 0) {
        throw new RollbackTargetError(
          `to: release ${target.release} is not on every host of environments.${environment.name}.router (releases on every host: ${everywhere.join(', ') || 'none'}); nothing was changed` +
            (/^\d+$/.test(target.release) ? ' (a deployment id needs a token)' : ''),
        );
      }
      return { split: localSplit(target), output: target.release, live: target.release };
    }
    case 'pool':
      return { split: localSplit(target), output: target.pool, live: target.pool };
    case 'version': {
      const pools = Object.keys(environment.pools);
      const pool = poolRunning(target.version, await readVersions(environment, target.versionUrl, pools), pools);
      core.info(`Version ${target.version} runs on every server of pool ${pool}.`);
      return { split: { [pool]: 100 }, output: target.version, live: `${target.version} (pool ${pool})` };
    }
  }
}

export async function withoutToken(run: RollbackRun): Promise<Outcome> {
  const { inputs, environment, report } = run;
  // Refused before anything changes: without the history only `to` can say where traffic goes.
  const target = localTarget(environment, inputs.to);
  const router = routerOf(environment, inputs.dryRun);
  const resolved = await resolve(target, environment, router);
  if (!inputs.dryRun) recordsSkipped('the deployment history, the rollback deployment, the failure mark on the bad deployment and the incident issue were');
  if (inputs.redeployWorkflow) core.info('redeploy-workflow is not used: dispatching a workflow needs a token.');

  const applied = await applySplit(router, resolved.split, 'to');
  const restored = describeApplied(applied, run.inputs.dryRun);
  core.info(restoredLine(run, restored));
  // The bad side: the pool a health report found failing (a canary that already put traffic
  // back), else what was live before the rollback.
  const reported = report?.pool && report.pool !== resolved.output ? report.pool : undefined;
  const bad = reported ?? livePool(applied.before) ?? formatSplit(applied.before);
  return {
    restored,
    applied,
    rolledBackAt: new Date().toISOString(),
    rolledBackTo: resolved.output,
    bad: { name: bad },
    good: { name: resolved.live },
    from: bad,
    to: resolved.output,
    rolledBackText: bad,
    nowLiveText: resolved.live,
    redeployed: false,
  };
}
