/**
 * blue-green-switch: smoke-check the idle pool, move all traffic to it, verify, then record the
 * deployment. Before anything: the environment's freeze windows (refused inside one unless
 * ignore-freeze) and its lock, taken in turn (one hand on the traffic; the post step lets go).
 * Then traffic first: the deployment is recorded after the switch, with the split really live.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  errorMessage,
  formatSplit,
  freezeVerdict,
  InputError,
  parseBoolean,
  parseDuration,
  parseDurationInput,
  poolAddressesOf,
  type FreezeVerdict,
  type NamedEnvironment,
} from '@cutover/config';
import {
  commentShippedPullRequests,
  createDeployment,
  createGitHubClient,
  DEFAULT_LOCK_TIMEOUT,
  deploymentPayload,
  postReleaseLock,
  recordsSkipped,
  repoContext,
  setDeploymentStatus,
  takeEnvironmentLock,
  type DeploymentState,
  type GitHubClient,
  type RepoContext,
} from '@cutover/github';
import { smokeCheck } from '@cutover/health';
import { applySplit, createRouter, targetSplit, type AppliedSplit, type Router } from '@cutover/routers';
import { environmentFromInputs } from '@cutover/environment';
import { input, reportPlan, type DryRunPlan } from '@cutover/runtime';
import { summaryMarkdown, type SwitchReport } from './summary.js';
import { chooseTarget, previousPool } from './target.js';

const workspace = () => process.env.GITHUB_WORKSPACE || process.cwd();

/** Verifies the candidate archive named by candidate.json before anything changes; returns its version. */
async function verifyCandidateInput(path: string): Promise<string> {
  const manifestPath = isAbsolute(path) ? path : resolve(workspace(), path);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new Error(`candidate: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  // Loaded only with a `candidate` input: the archive reader (tar, gunzip, glob) was 100 KiB of the
  // switch's start, about 20 ms (farm-bench, Node 24, 2 cores), in every switch.
  const { parseManifest, verifyCandidate } = await import('@cutover/candidate/verify');
  const manifest = parseManifest(text, path);
  await verifyCandidate(resolve(dirname(manifestPath), manifest.archive.file), manifestPath).catch((error: Error) => {
    throw new Error(`candidate: ${error.message}`, { cause: error });
  });
  core.info(`Candidate ${manifest.name} ${manifest.version} verified against ${path} (${manifest.archive.digest}).`);
  return manifest.version;
}

/** Smoke-checks `pool` with the environment's checks; returns the summary line, throws when unhealthy. */
async function smoke(environment: NamedEnvironment, pool: string, enabled: boolean): Promise<string> {
  if (!enabled) return 'skipped (smoke: false)';
  if (!environment.health?.checks?.length) return `skipped: environments.${environment.name}.health.checks is empty`;
  if (!poolAddressesOf(environment.pools, pool)) return `skipped: ${pool} is a release, not a pool with addresses; each host's probe is checked as it moves`;
  const result = await smokeCheck(environment, pool);
  for (const check of result.checks)
    core.info(`smoke ${check.name}: ${check.skipped ? `skipped (${check.skipped})` : check.passed ? 'passed' : check.problems.join('; ')}`);
  if (!result.passed) throw new Error(`smoke check of pool ${pool} failed, nothing changed: ${result.summary}`);
  if (result.skipped) core.warning(result.summary);
  return result.summary;
}

/**
 * `converge: true`: router instances that disagree all go to `to` first, all or nothing; the split
 * to converge to is named, never guessed. Instances that agree are left to the switch.
 */
async function converge(router: Router, to: string | undefined): Promise<void> {
  if (!to) throw new InputError('converge: name the pool (or release) to converge to in `to`');
  if (!router.converge) throw new InputError(`converge: ${router.describe()} has no instances to converge`);
  const result = await router.converge({ [to]: 100 });
  const each = result.before.map((read) => `${read.name} ${formatSplit(read.split)}`).join(', ');
  if (result.converged) core.warning(`converge: the instances disagreed (${each}); every instance now sends all traffic to ${to}`);
  else core.info(`converge: the instances agree (${each}); nothing to converge`);
}

export interface SwitchInputs {
  smoke: boolean;
  ignoreFreeze: boolean;
  lockTimeoutMs: number;
  /** Router instances that disagree are put on the target first, deliberately (the drift a switch refuses). */
  converge: boolean;
  to?: string;
  candidate?: string;
  version?: string;
  token: string;
  /** "Shipped in" comments on the pull requests the deployment shipped. */
  commentPullRequests: boolean;
  /** Plan only: read the router, verify, smoke-check, print what a switch would do; change and record nothing. */
  dryRun: boolean;
}

/** Every input read and checked before the environment file is read, let alone anything changed. */
export function readSwitchInputs(): SwitchInputs {
  const to = input('to').trim();
  const candidate = input('candidate').trim();
  const version = input('version').trim();
  const converging = parseBoolean(input('converge'), 'converge', false);
  // Before anything is read: the split to converge to is named, never guessed.
  if (converging && !to) throw new InputError('converge: name the pool (or release) to converge to in `to`');
  if (converging && parseBoolean(input('dry-run'), 'dry-run', false)) {
    throw new InputError("converge: not with dry-run (converging moves traffic); a dry run without converge names each instance's split");
  }
  return {
    smoke: parseBoolean(input('smoke'), 'smoke', true),
    ignoreFreeze: parseBoolean(input('ignore-freeze'), 'ignore-freeze', false),
    lockTimeoutMs: parseDurationInput(input('lock-timeout'), 'lock-timeout', parseDuration(DEFAULT_LOCK_TIMEOUT, 'lock-timeout'))!,
    converge: converging,
    ...(to ? { to } : {}),
    ...(candidate ? { candidate } : {}),
    ...(version ? { version } : {}),
    token: input('token'),
    commentPullRequests: parseBoolean(input('comment-pull-requests'), 'comment-pull-requests', false),
    dryRun: parseBoolean(input('dry-run'), 'dry-run', false),
  };
}

/** Refused inside a freeze window (naming its reason and end) unless ignore-freeze; then said and recorded. */
function checkFreeze(environment: NamedEnvironment, ignoreFreeze: boolean): FreezeVerdict {
  const verdict = freezeVerdict(environment, new Date(), ignoreFreeze);
  if (verdict.action === 'refuse') throw new InputError(verdict.message);
  if (verdict.action === 'ignored')
    core.warning(`${environment.name} is frozen (${verdict.record}); switching anyway: ignore-freeze is true, and the deployment records it.`);
  return verdict;
}

export async function run(inputs: SwitchInputs): Promise<void> {
  const environment = await environmentFromInputs();
  let freeze = checkFreeze(environment, inputs.ignoreFreeze);
  let version = inputs.version;
  if (inputs.candidate) version ??= await verifyCandidateInput(inputs.candidate);
  const to = inputs.to;

  // A dry run asks GitHub nothing, the lock included: what it would record is said in the plan.
  const client = inputs.dryRun ? undefined : createGitHubClient(inputs.token);
  if (!client && !inputs.dryRun) recordsSkipped('the GitHub deployment record and the environment lock');
  // One hand on the traffic: the lock before the router is even read (its calls get 5 s each: see
  // LOCK_CALL_TIMEOUT_MS).
  const lock = inputs.dryRun
    ? { note: 'not taken (dry run)', waitedMs: 0 }
    : await takeEnvironmentLock(inputs.token, environment.name, 'blue-green-switch', inputs.lockTimeoutMs);
  // A freeze may have begun while this run waited its turn.
  if (lock.waitedMs > 0) freeze = checkFreeze(environment, inputs.ignoreFreeze);

  // A dry run reads the router for real and plans through the same applySplit (routers' dry-run.ts).
  const router = createRouter(environment, { log: (line) => core.info(line), dryRun: inputs.dryRun });
  // Converging moves traffic: the pool it converges to is smoke-checked first, as a switch's target is.
  const smokedBeforeConverge = inputs.converge && to ? await smoke(environment, to, inputs.smoke) : undefined;
  if (inputs.converge) await converge(router, to);
  const pools = await router.pools();
  const before = await router.read();
  // Symlink pools are releases: the version names the release to switch to.
  const target = chooseTarget(before, pools, to ?? (environment.router.kind === 'symlink' ? version : undefined), environment.router.kind);
  const previous = previousPool(before);
  const next = targetSplit(before, { [target]: 100 });
  core.info(`${router.describe()}: ${formatSplit(before)} -> ${formatSplit(next)}`);

  const report: SwitchReport = {
    environment: environment.name,
    router: router.describe(),
    target,
    previous,
    version,
    before,
    changed: false,
    smoke: 'not run',
    deployment: 'not recorded',
    lock: lock.note,
    ...(freeze.action === 'ignored' ? { freezeIgnored: freeze.record } : {}),
  };
  let switched = false;
  let planned = false;

  try {
    report.smoke = smokedBeforeConverge !== undefined && target === to ? smokedBeforeConverge : await smoke(environment, target, inputs.smoke);
    switched = true;
    const applied = await applySplit(router, { [target]: 100 }, 'to');
    if (inputs.dryRun) {
      await reportPlan(switchPlan(inputs, report, applied));
      planned = true;
      return;
    }
    report.after = applied.after;
    report.changed = applied.changed;
    core.info(applied.changed ? `Switched and read back: ${formatSplit(applied.after)}` : `${target} already takes all traffic: nothing changed.`);
    core.setOutput('live', target);
    core.setOutput('previous', previous ?? '');

    const freezeIgnored = report.freezeIgnored;
    const deploymentId = client
      ? await record(client, repoContext(), environment, {
          version,
          before,
          next,
          freezeIgnored,
          state: 'success',
          description: `${target} live${version ? ` with ${version}` : ''}; ${previous ?? 'previous pool'} kept for a switch back`,
        })
      : undefined;
    report.deployment = deploymentId !== undefined ? `#${deploymentId} success` : client ? 'not recorded' : 'skipped (no token)';
    core.setOutput('deployment-id', deploymentId === undefined ? '' : String(deploymentId));
    // After the switch and its record: a comment that fails is a warning, never a failed switch.
    if (inputs.commentPullRequests && client && deploymentId !== undefined) {
      const { owner, repo, runUrl } = repoContext();
      await commentShippedPullRequests(client, { owner, repo }, { environment: environment.name, deploymentId, at: new Date().toISOString(), url: runUrl });
    }
  } catch (error) {
    report.error = errorMessage(error);
    // A switch that failed left traffic as it was (applySplit restores); it is recorded as failed.
    if (client && switched && !inputs.dryRun) {
      const deploymentId = await record(client, repoContext(), environment, {
        version,
        before,
        next,
        freezeIgnored: report.freezeIgnored,
        state: 'failure',
        description: report.error,
      });
      if (deploymentId !== undefined) report.deployment = `#${deploymentId} failure`;
    }
    throw error;
  } finally {
    if (!planned) await core.summary.addRaw(summaryMarkdown(report)).write();
  }
}

/** What a switch would do: one transition (none when the target already takes all traffic), then its records. */
function switchPlan(inputs: SwitchInputs, report: SwitchReport, applied: AppliedSplit): DryRunPlan {
  const notes = [`smoke check of ${report.target}: ${report.smoke}`];
  if (report.version) notes.push(`version ${report.version}${inputs.candidate ? ` (candidate ${inputs.candidate} verified)` : ''}`);
  if (!inputs.token) notes.push('no token: the deployment would not be recorded on GitHub');
  else {
    notes.push(`would record a deployment of ${report.environment} (success), or (failure) if the switch failed and was restored`);
    if (inputs.commentPullRequests) notes.push('would comment "shipped in" on the pull requests it ships');
  }
  notes.push(`on a failed switch or read-back: ${formatSplit(applied.before)} restored as it was`);
  const what = `all traffic to ${report.target}${report.previous ? `; ${report.previous} kept for a switch back` : ''}`;
  return {
    action: 'blue-green-switch',
    environment: report.environment,
    router: report.router,
    before: applied.before,
    transitions: applied.changed ? [{ split: applied.after, what }] : [],
    notes: applied.changed ? notes : [`${report.target} already takes all traffic: nothing would change`, ...notes.slice(1)],
  };
}

/** Records the deployment once traffic moved (or failed to); a GitHub failure is a warning: traffic already is where it is. */
async function record(
  client: GitHubClient,
  context: RepoContext,
  environment: NamedEnvironment,
  record: {
    version?: string | undefined;
    before: Record<string, number>;
    next: Record<string, number>;
    freezeIgnored?: string | undefined;
    state: DeploymentState;
    description: string;
  },
): Promise<number | undefined> {
  const repo = { owner: context.owner, repo: context.repo };
  try {
    const deployment = await createDeployment(client, repo, {
      ref: context.sha || context.ref,
      environment: environment.name,
      task: 'deploy',
      description: `blue-green switch to ${Object.keys(record.next).find((pool) => record.next[pool] === 100)}${record.version ? ` (${record.version})` : ''}`,
      payload: deploymentPayload({
        kind: 'blue-green',
        ...(record.version ? { version: record.version } : {}),
        pools: environment.pools,
        splitBefore: record.before,
        splitAfter: record.next,
        router: environment.router.kind,
        ...(record.freezeIgnored ? { freezeIgnored: record.freezeIgnored } : {}),
      }),
    });
    await setDeploymentStatus(client, repo, deployment.id, {
      state: record.state,
      description: record.description,
      logUrl: context.runUrl,
      ...(environment.url && record.state === 'success' ? { environmentUrl: environment.url } : {}),
    });
    core.info(`Deployment ${deployment.id} recorded (${record.state}).`);
    return deployment.id;
  } catch (error) {
    core.warning(`GitHub deployment not recorded: ${errorMessage(error)}. Traffic is where the summary says.`);
    return undefined;
  }
}

/** The post step (post-if: always()): lets go of the environment's lock, also after a cancel. */
export async function post(): Promise<void> {
  await postReleaseLock();
}
