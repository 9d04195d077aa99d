/**
 * The main step: moves traffic to the canary step by step, watches it against the stable pool at
 * each step, and promotes, pauses (steps stopping below 100) or aborts back to the stable pool.
 * Before anything, the environment's freeze windows and its lock (taken in turn; the post step lets
 * go). Before every step and before any restore, the split is read again: one the canary did not
 * set (a rollback preempted it) stops it, naming who moved traffic, and it never restores over it.
 */
import * as core from '@actions/core';
import { createAlerts, runContext, sendAlerts } from '@cutover/alerts';
import {
  formatDuration,
  formatSplit,
  freezeVerdict,
  InputError,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseDurationInput,
  type FreezeVerdict,
  type NamedEnvironment,
  type Split,
} from '@cutover/config';
import {
  commentShippedPullRequests,
  createGitHubClient,
  DEFAULT_LOCK_TIMEOUT,
  describeParty,
  recordsSkipped,
  repoContext,
  takeEnvironmentLock,
  whoMovedTraffic,
  type EnvironmentLock,
  type GitHubClient,
} from '@cutover/github';
import { createChecks, lookFigures, watch, watchTuning, writeWatchReport, type Check, type PoolRef, type WatchTuning } from '@cutover/health';
import { applySplit, createRouter, symlinkHostAddresses, type Router } from '@cutover/routers';
import { configInput, environmentFromInputs } from '@cutover/environment';
import { input, outside, reportPlan, saveState, type DryRunPlan, type PlannedTransition } from '@cutover/runtime';
import { abortAlert } from './alert.js';
import { abortReason, stepDescription } from './describe.js';
import { movedReason, movedUnder, TrafficMovedError } from './moved.js';
import { poolRef } from './pools.js';
import { deploymentStatus, finishCheckRun, findPausedCanary, startCheckRun, startDeployment } from './records.js';
import { chooseRoles } from './roles.js';
import { encodeRollout, STATE, type OnCancel } from './state.js';
import { nextAction, planSteps, stepSettings, stepSplit, type PlannedStep } from './steps.js';
import { summaryMarkdown, title, type CanaryRun, type StepRecord } from './summary.js';

export const DEFAULT_INTERVAL = '10s';

const workspace = () => process.env.GITHUB_WORKSPACE || process.cwd();

interface Settings {
  environment: NamedEnvironment;
  onCancel: OnCancel;
  ignoreFreeze: boolean;
  lockTimeoutMs: number;
  weights: number[];
  stepDuration: number;
  interval: number;
  /** The watch's tuning from the environment's health settings, read (and refused) before any step. */
  tuning: WatchTuning;
  checks: Check[];
  router: Router;
  version?: string;
  commentPullRequests: boolean;
  /** Plan only (dry-run: true): read, resolve the roles and steps, print them; change and record nothing. */
  dryRun: boolean;
}

/** Every input and the environment, checked before the router is asked anything. */
async function readSettings(): Promise<Settings> {
  const onCancel = parseChoice(input('on-cancel'), 'on-cancel', ['restore', 'hold'] as const, 'restore');
  const ignoreFreeze = parseBoolean(input('ignore-freeze'), 'ignore-freeze', false);
  const lockTimeoutMs = parseDurationInput(input('lock-timeout'), 'lock-timeout', parseDuration(DEFAULT_LOCK_TIMEOUT, 'lock-timeout'))!;
  const commentPullRequests = parseBoolean(input('comment-pull-requests'), 'comment-pull-requests', false);
  const dryRun = parseBoolean(input('dry-run'), 'dry-run', false);
  const environment = await environmentFromInputs();
  const steps = stepSettings(environment, { steps: input('steps'), stepDuration: input('step-duration') });
  const health = environment.health ?? {};
  const intervalPath = `environments.${environment.name}.health.interval`;
  const interval = parseDuration(health.interval ?? DEFAULT_INTERVAL, intervalPath);
  if (interval > steps.stepDuration) {
    throw new InputError(
      `step-duration: ${formatDuration(steps.stepDuration)} is shorter than ${intervalPath} (${formatDuration(interval)}); a step would not be looked at twice`,
    );
  }
  const tuning = watchTuning(environment);
  const version = input('version').trim() || undefined;
  const router = createRouter(environment, { log: (line) => core.info(line), dryRun });
  const checks = createChecks(environment, undefined, 'checks', router.traffic ? { traffic: () => router.traffic!() } : {});
  return {
    environment,
    onCancel,
    ignoreFreeze,
    lockTimeoutMs,
    weights: steps.weights,
    stepDuration: steps.stepDuration,
    interval,
    tuning,
    checks,
    router,
    commentPullRequests,
    dryRun,
    ...(version ? { version } : {}),
  };
}

/**
 * Cancellation (the runner sends SIGINT, then SIGTERM): stop watching at once, then restore or hold.
 * The handlers stay until that is done, so that the runner's next signal cannot kill a restore.
 */
function cancellation(onCancel: OnCancel) {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    core.info(`${signal} received: stopping the canary and ${onCancel === 'hold' ? 'holding the split (on-cancel: hold)' : 'restoring the stable pool'}`);
    received ??= signal;
    controller.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

/** Refused inside a freeze window (naming its reason and end) unless ignore-freeze; then said and recorded. */
function checkFreeze(environment: NamedEnvironment, ignoreFreeze: boolean): FreezeVerdict {
  const verdict = freezeVerdict(environment, new Date(), ignoreFreeze);
  if (verdict.action === 'refuse') throw new InputError(verdict.message);
  if (verdict.action === 'ignored')
    core.warning(`${environment.name} is frozen (${verdict.record}); rolling out anyway: ignore-freeze is true, and the deployment records it.`);
  return verdict;
}

export async function rollout(): Promise<void> {
  const settings = await readSettings();
  const { environment } = settings;
  let freeze = checkFreeze(environment, settings.ignoreFreeze);
  const alerts = createAlerts(environment);
  const client = createGitHubClient(input('token'));
  // One hand on the traffic: the lock before the router is even read (the roles depend on the split),
  // its calls 5 s each (LOCK_CALL_TIMEOUT_MS). A dry run moves nothing and writes nothing on GitHub.
  const taken = settings.dryRun
    ? { note: 'not taken (dry run)', waitedMs: 0 }
    : await takeEnvironmentLock(input('token'), environment.name, 'canary-step', settings.lockTimeoutMs);
  // A freeze may have begun while this run waited its turn.
  if (taken.waitedMs > 0) freeze = checkFreeze(environment, settings.ignoreFreeze);
  const freezeIgnored = freeze.action === 'ignored' ? freeze.record : undefined;
  const router = settings.router;
  const symlink = environment.router.kind === 'symlink';
  const hostAddresses = symlink ? symlinkHostAddresses(environment) : undefined;

  const pools = await router.pools();
  const before = await router.read();
  const looked = client ? await findPausedCanary(client, environment.name) : undefined;
  const paused = looked?.paused;
  const roles = chooseRoles({
    split: before,
    pools,
    canary: input('canary'),
    ...(symlink ? { symlink, ...(settings.version ? { version: settings.version } : {}) } : {}),
    ...(paused ? { recorded: paused } : {}),
  });
  const { stable, canary } = roles;
  const plan = planSteps(settings.weights, roles.weight, symlink ? Object.keys(hostAddresses!).length : undefined);
  if (!symlink) {
    // Both pools must be watchable before anything changes.
    poolRef(stable, environment);
    poolRef(canary, environment);
  }

  const run: CanaryRun = {
    environment: environment.name,
    router: router.describe(),
    stable,
    canary,
    ...(settings.version ? { version: settings.version } : {}),
    weight: roles.weight,
    before,
    after: before,
    steps: [],
    skipped: plan.skipped,
    notes: plan.notes,
    stepDuration: settings.stepDuration,
    interval: settings.interval,
    records: [`Lock: ${taken.note}`, ...(freezeIgnored ? [`Freeze: ${freezeIgnored}: ignored (ignore-freeze: true), recorded on the deployment`] : [])],
  };
  core.setOutput('canary', canary);
  core.setOutput('stable', stable);
  core.info(
    `${router.describe()}: ${formatSplit(before)}; canary ${canary} against stable ${stable}; steps ${plan.steps.map((s) => `${s.weight}%`).join(', ') || 'none left'}`,
  );
  for (const note of plan.notes) core.info(`Rounded: ${note}`);

  if (settings.dryRun) {
    // Reads only (the router, and GitHub for a paused canary to resume): the plan, and nothing else.
    await reportPlan(await rolloutPlan(run, plan.steps, settings, client !== undefined));
    return;
  }

  if (roles.weight >= 100 || plan.steps.length === 0) {
    run.result = roles.weight >= 100 ? 'promoted' : 'paused';
    run.reason = roles.weight >= 100 ? `${canary} already takes all traffic` : `already at ${roles.weight}%: no step above it in ${settings.weights.join(',')}`;
    core.info(run.reason);
    finish(run);
    await core.summary.addRaw(summaryMarkdown(run)).write();
    return;
  }

  // From here on traffic moves: the post step must know what to restore if this step never ends.
  saveState(
    STATE.rollout,
    encodeRollout({ environment: environment.name, config: configInput(), workspace: workspace(), stable, canary, onCancel: settings.onCancel }),
  );
  const cancel = cancellation(settings.onCancel);
  const records = await startRecords(client, run, settings, roles.resuming ? paused?.deploymentId : undefined, freezeIgnored);

  let failure: unknown;
  try {
    await takeSteps(run, plan.steps, { router, settings, hostAddresses, cancel, client, records });
  } catch (error) {
    failure = error;
  }

  const signal = cancel.received();
  // Before any restore: traffic must still be where this canary put it; if not, someone else moved it.
  let moved = failure instanceof TrafficMovedError ? failure : undefined;
  if (!moved && (failure !== undefined || run.result === 'aborted')) moved = await movedSince(router, run.after);
  // on-cancel: hold covers an ordinary cancel too (takeSteps throws when it stops for a signal): the
  // split stays for a later run to continue. A canary that finished or aborted on its own is not held.
  const held = !moved && failure !== undefined && signal !== undefined && settings.onCancel === 'hold';
  if (moved) {
    run.moved = true;
    const by = taken.lock ? await movedBy(taken.lock) : undefined;
    run.result = 'aborted';
    run.reason = movedReason(moved, by);
    run.after = moved.found;
    run.weight = moved.found[canary] ?? 0;
    core.setOutput('preempted', 'true');
    core.warning(`canary-step: ${run.reason}`);
    saveState(STATE.finished, 'true');
  } else if (held) {
    run.result = 'paused';
    run.reason = `cancelled (${signal}) at ${run.weight}% canary; on-cancel is hold: the split stays ${formatSplit(run.after)}; run canary-step again to continue, or rollback`;
    core.warning(`canary-step: cancelled (${signal}) and on-cancel is hold: the split stays ${formatSplit(run.after)}`);
    saveState(STATE.finished, 'true');
  } else if (failure !== undefined || run.result === 'aborted') {
    // Whatever went wrong, traffic is never left split: the stable pool takes it all, at once.
    const restored = await restoreStable(router, stable);
    run.after = restored.split ?? run.after;
    run.weight = restored.split ? 0 : run.weight;
    // A failed restore is never reported as done: the title, the reason and the alert say it failed.
    if (restored.error) run.restoreFailed = restored.error;
    if (failure !== undefined) {
      run.result = 'aborted';
      run.reason = `${failure instanceof Error ? failure.message : String(failure)}${restored.error ? `; restoring ${stable} ALSO FAILED: ${restored.error}` : `; ${stable} takes all traffic again`}`;
    } else if (restored.error) {
      run.reason = `${run.reason ?? 'aborted'}; restoring ${stable} ALSO FAILED: ${restored.error}`;
    }
    // A cancellation is the user's choice, not the canary's fault: no page for it.
    if (alerts.length && !cancel.received()) {
      const last = run.steps.at(-1);
      const deliveries = await sendAlerts(
        alerts,
        abortAlert({
          environment: environment.name,
          canary,
          stable,
          weight: last?.weight ?? 0,
          reason: run.reason!,
          ...(run.restoreFailed ? { restoreFailed: run.restoreFailed } : {}),
          context: runContext(),
          ...(settings.version ? { version: settings.version } : {}),
          ...(last?.report ? { report: last.report } : {}),
        }),
      );
      core.info(`alerts: ${deliveries.map((d) => `${d.label} ${d.delivered ? 'delivered' : 'NOT delivered'}`).join(', ')}`);
    }
    if (!restored.error && !cancel.received()) saveState(STATE.finished, 'true');
  } else {
    saveState(STATE.finished, 'true');
  }
  cancel.dispose();

  await finishRecords(client, run, records, environment, signal !== undefined || run.moved === true);
  // Promoted and recorded: "shipped in" comments come last, and their failure is a warning.
  if (settings.commentPullRequests && client && run.result === 'promoted' && records.deploymentId !== undefined) {
    const { owner, repo, runUrl } = repoContext();
    await commentShippedPullRequests(
      client,
      { owner, repo },
      { environment: environment.name, deploymentId: records.deploymentId, at: new Date().toISOString(), url: runUrl },
      { known: looked?.read ?? [] },
    );
  }
  // The failing step's analysis, for rollback's `report` input (first bad sample, figures).
  const lastReport = run.steps.at(-1)?.report;
  if (lastReport && run.result === 'aborted') core.setOutput('report', writeWatchReport(environment.name, lastReport, 'canary-step'));
  finish(run);
  await core.summary.addRaw(summaryMarkdown(run)).write();
  if (run.result === 'aborted' || held) core.setFailed(`canary-step: ${run.reason}`);
}

/**
 * The steps a real run would take, each split planned by the router through applySplit (the dry
 * router changes nothing and answers what it would read back), then what follows each step.
 */
async function rolloutPlan(run: CanaryRun, steps: PlannedStep[], settings: Settings, recorded: boolean): Promise<DryRunPlan> {
  const transitions: PlannedTransition[] = [];
  for (const [index, step] of steps.entries()) {
    const applied = await applySplit(settings.router, stepSplit(run.stable, run.canary, step.weight), 'steps');
    const hosts = step.canaryHosts !== undefined ? ` (${step.canaryHosts} of ${step.hosts} hosts)` : '';
    const then =
      step.weight >= 100
        ? 'promoted'
        : `watched for ${formatDuration(settings.stepDuration)}, a look every ${formatDuration(settings.interval)}, then ${steps[index + 1] ? (steps[index + 1]!.weight >= 100 ? 'promote' : 'advance') : 'pause (the steps end below 100)'} if healthy`;
    transitions.push({ split: applied.after, what: `step ${index + 1} of ${steps.length}: ${step.weight}% canary${hosts}, ${then}` });
  }
  const notes = [...run.notes];
  if (steps.length === 0)
    notes.push(run.weight >= 100 ? `${run.canary} already takes all traffic` : `already at ${run.weight}%: no step above it in ${settings.weights.join(',')}`);
  else {
    notes.push(
      `on an unhealthy or inconclusive step, a failure or a cancel (on-cancel: ${settings.onCancel}): ${settings.onCancel === 'hold' ? 'a cancel holds the split; anything else puts ' : ''}all traffic back on ${run.stable}`,
    );
    notes.push(
      recorded
        ? `would record a deployment of ${run.environment} with a status per step and a check run "canary (${run.environment})"`
        : 'no token: nothing would be recorded on GitHub',
    );
    if (settings.commentPullRequests && recorded) notes.push('would comment "shipped in" on the pull requests it ships, once promoted');
  }
  return { action: 'canary-step', environment: run.environment, router: run.router, before: run.before, transitions, notes };
}

function finish(run: CanaryRun): void {
  core.setOutput('result', run.result ?? 'aborted');
  core.setOutput('weight', String(run.weight));
  core.setOutput('reason', run.reason ?? '');
  core.info(`canary-step: ${title(run)}`);
}

interface StepContext {
  router: Router;
  settings: Settings;
  hostAddresses: Record<string, string[]> | undefined;
  cancel: ReturnType<typeof cancellation>;
  client: GitHubClient | undefined;
  records: Records;
}

/** Each step: apply, watch, decide. Sets run.result; throws on a router failure or cancellation. */
async function takeSteps(run: CanaryRun, steps: PlannedStep[], context: StepContext): Promise<void> {
  const { router, settings, cancel } = context;
  for (const [index, step] of steps.entries()) {
    if (cancel.received()) break;
    // Before every step: the split must still be the one this canary set (or found, at the start).
    const before = movedUnder(await router.read(), run.after);
    if (before) throw before;
    const applied = await applySplit(router, stepSplit(run.stable, run.canary, step.weight), 'steps');
    // For the post step: the last split this canary set, never to be restored over when it changed.
    saveState(STATE.split, JSON.stringify(applied.after));
    run.after = applied.after;
    run.weight = applied.after[run.canary] ?? 0;
    const record: StepRecord = {
      weight: step.weight,
      requested: step.requested,
      split: applied.after,
      ...(step.canaryHosts !== undefined ? { canaryHosts: step.canaryHosts, hosts: step.hosts! } : {}),
    };
    run.steps.push(record);
    core.info(`Step ${index + 1} of ${steps.length}: ${formatSplit(applied.after)}`);
    if (step.weight >= 100) {
      run.result = 'promoted';
      run.reason = `${run.canary} passed every step and takes all traffic`;
      return;
    }
    if (cancel.received()) break;

    const pools = await watchedPools(run, context);
    core.info(
      `Watching ${run.canary} (${step.weight}%) against ${run.stable} for ${formatDuration(settings.stepDuration)}, a look every ${formatDuration(settings.interval)}`,
    );
    const report = await watch({
      checks: settings.checks,
      ...pools,
      duration: settings.stepDuration,
      interval: settings.interval,
      ...settings.tuning,
      // The watched steps of this run share one budget of false aborts: the bound holds for the rollout.
      family: steps.filter((planned) => planned.weight < 100).length,
      signal: cancel.signal,
      onStart: (lines) => lines.forEach((line) => (line.startsWith('warning: ') ? core.warning(line.slice(9)) : core.info(`  ${line}`))),
      onInterval: (look) => {
        core.info(`  look ${look.look} at ${formatDuration(look.elapsedMs)}: ${look.decision.action} (${look.decision.reason})`);
        core.debug(outside(lookFigures(look)));
      },
    });
    record.report = report;
    if (cancel.received()) break;
    // The watch judged the split this canary set: if someone moved traffic meanwhile, the verdict is moot.
    const during = movedUnder(await router.read(), run.after);
    if (during) throw during;

    const action = nextAction(report.verdict, steps[index + 1]?.weight);
    core.info(`${stepDescription(step.weight, report)} -> ${action}`);
    if (action === 'abort') {
      run.result = 'aborted';
      run.reason = abortReason(step.weight, report);
      return;
    }
    await stepRecorded(context, run, stepDescription(step.weight, report));
    if (action === 'pause') {
      run.result = 'paused';
      run.reason = `stopped at ${step.weight}% as the steps say (${settings.weights.join(',')}); run canary-step again to continue from here`;
      return;
    }
  }
  const signal = cancel.received();
  if (signal) throw new Error(`cancelled (${signal}) at ${run.weight}% canary`);
}

/** The pools the analysis probes: symlink releases are the hosts that run them right now. */
async function watchedPools(run: CanaryRun, context: StepContext): Promise<{ target: PoolRef; baseline: PoolRef }> {
  const environment = context.settings.environment;
  if (!context.hostAddresses || !context.router.hostReleases) return { target: poolRef(run.canary, environment), baseline: poolRef(run.stable, environment) };
  const hosts = { releases: await context.router.hostReleases(), addresses: context.hostAddresses };
  return { target: poolRef(run.canary, environment, hosts), baseline: poolRef(run.stable, environment, hosts) };
}

/** Reads the router before a restore: a split this canary did not set is someone else's to keep. */
async function movedSince(router: Router, expected: Split): Promise<TrafficMovedError | undefined> {
  try {
    return movedUnder(await router.read(), expected);
  } catch (error) {
    // An unreadable router is the restore's to report (it reads before it changes anything).
    core.warning(`reading the split before restoring failed: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Who moved traffic, as the lock tells it. A rollback moves traffic first and takes the lock beside
 * it: when the lock does not name anyone yet, one more look a few seconds later.
 */
async function movedBy(lock: EnvironmentLock): Promise<string | undefined> {
  let by = await whoMovedTraffic(lock);
  if (!by) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    by = await whoMovedTraffic(lock);
  }
  return by ? describeParty(by) : undefined;
}

async function restoreStable(router: Router, stable: string): Promise<{ split?: Record<string, number>; error?: string }> {
  try {
    const applied = await applySplit(router, { [stable]: 100 }, 'restore');
    core.info(`Restored: ${formatSplit(applied.after)}`);
    return { split: applied.after };
  } catch (error) {
    core.error(`Restoring ${stable} failed: ${(error as Error).message}`);
    return { error: (error as Error).message };
  }
}

interface Records {
  deploymentId?: number;
  checkRunId?: number;
  checkRunName: string;
}

async function startRecords(
  client: GitHubClient | undefined,
  run: CanaryRun,
  settings: Settings,
  resumeId: number | undefined,
  freezeIgnored: string | undefined,
): Promise<Records> {
  const checkRunName = `canary (${run.environment})`;
  if (!client) {
    recordsSkipped('the deployment and check run records');
    run.records.push('GitHub records: skipped (no token)');
    return { checkRunName };
  }
  const deploymentId =
    resumeId ??
    (await startDeployment(client, {
      environment: settings.environment,
      canary: run.canary,
      stable: run.stable,
      weights: settings.weights,
      before: run.before,
      ...(settings.version ? { version: settings.version } : {}),
      ...(freezeIgnored ? { freezeIgnored } : {}),
    }));
  if (deploymentId !== undefined) {
    saveState(STATE.deployment, String(deploymentId));
    core.setOutput('deployment-id', String(deploymentId));
    await deploymentStatus(client, deploymentId, 'in_progress', resumeId ? `resuming the canary at ${run.weight}%` : `starting the canary of ${run.canary}`);
  }
  const checkRunId = await startCheckRun(client, checkRunName, `Canary ${run.canary} against ${run.stable}`);
  return { checkRunName, ...(deploymentId !== undefined ? { deploymentId } : {}), ...(checkRunId !== undefined ? { checkRunId } : {}) };
}

async function stepRecorded(context: StepContext, run: CanaryRun, description: string): Promise<void> {
  const { client, records } = context;
  if (client && records.deploymentId !== undefined) await deploymentStatus(client, records.deploymentId, 'in_progress', description);
  if (client && records.checkRunId !== undefined) {
    await finishCheckRun(client, records.checkRunId, { title: description, summary: description, text: summaryMarkdown(run) });
  }
}

async function finishRecords(
  client: GitHubClient | undefined,
  run: CanaryRun,
  records: Records,
  environment: NamedEnvironment,
  cancelled: boolean,
): Promise<void> {
  if (!client) return;
  const line = `${title(run)}${run.reason ? `: ${run.reason}` : ''}`;
  if (records.deploymentId !== undefined) {
    if (run.result === 'promoted') await deploymentStatus(client, records.deploymentId, 'success', `${run.canary} promoted: 100% canary`, environment.url);
    else if (run.result === 'paused') await deploymentStatus(client, records.deploymentId, 'in_progress', `paused at ${run.weight}%; a later run continues`);
    else await deploymentStatus(client, records.deploymentId, 'failure', `aborted: ${run.reason ?? ''}`);
    run.records.push(
      `Deployment: #${records.deploymentId} ${run.result === 'promoted' ? 'success' : run.result === 'paused' ? 'in_progress (paused)' : 'failure'}`,
    );
  }
  if (records.checkRunId !== undefined) {
    const conclusion = run.moved ? 'cancelled' : run.result === 'aborted' ? 'failure' : cancelled ? 'cancelled' : 'success';
    await finishCheckRun(client, records.checkRunId, { conclusion, title: title(run), summary: line, text: summaryMarkdown(run) });
    run.records.push(`Check run: ${records.checkRunName} (${conclusion})`);
  }
}
