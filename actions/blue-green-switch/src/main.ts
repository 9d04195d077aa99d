/** blue-green-switch: smoke-check the idle pool, move all traffic to it, verify, record the deployment. */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as core from '@actions/core';
import { parseManifest, verifyCandidate } from '@cutover/candidate';
import { errorMessage, formatSplit, parseBoolean, type NamedEnvironment } from '@cutover/config';
import { createDeployment, createGitHubClient, deploymentPayload, recordsSkipped, repoContext, setDeploymentStatus, type GitHubClient } from '@cutover/github';
import { smokeCheck } from '@cutover/health';
import { applySplit, createRouter, targetSplit } from '@cutover/routers';
import { environmentFromInputs, input, runMain } from '@cutover/runtime';
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
  if (!environment.pools[pool]) return `skipped: ${pool} is a release, not a pool with addresses; each host's probe is checked as it moves`;
  const result = await smokeCheck(environment, pool);
  for (const check of result.checks) core.info(`smoke ${check.name}: ${check.skipped ? `skipped (${check.skipped})` : check.passed ? 'passed' : check.problems.join('; ')}`);
  if (!result.passed) throw new Error(`smoke check of pool ${pool} failed, nothing changed: ${result.summary}`);
  if (result.skipped) core.warning(result.summary);
  return result.summary;
}

async function main(): Promise<void> {
  // Every input is read and checked before anything changes.
  const smokeEnabled = parseBoolean(input('smoke'), 'smoke', true);
  const to = input('to').trim() || undefined;
  const candidate = input('candidate').trim();
  let version = input('version').trim() || undefined;
  const environment = await environmentFromInputs();
  if (candidate) version ??= await verifyCandidateInput(candidate);

  const router = createRouter(environment, { log: (line) => core.info(line) });
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
  };
  const context = repoContext();
  const client = createGitHubClient(input('token'));
  const repo = { owner: context.owner, repo: context.repo };
  let deploymentId: number | undefined;

  try {
    report.smoke = await smoke(environment, target, smokeEnabled);
    if (client) deploymentId = await startRecord(client, repo, environment, { version, before, next, ref: context.sha || context.ref, logUrl: context.runUrl });
    else recordsSkipped('the GitHub deployment record');

    const applied = await applySplit(router, { [target]: 100 }, 'to');
    report.after = applied.after;
    report.changed = applied.changed;
    core.info(applied.changed ? `Switched and read back: ${formatSplit(applied.after)}` : `${target} already takes all traffic: nothing changed.`);

    if (client && deploymentId !== undefined) {
      await setDeploymentStatus(client, repo, deploymentId, {
        state: 'success',
        description: `${target} live${version ? ` with ${version}` : ''}; ${previous ?? 'previous pool'} kept for a switch back`,
        logUrl: context.runUrl,
        ...(environment.url ? { environmentUrl: environment.url } : {}),
      });
    }
    report.deployment = deploymentId !== undefined ? `#${deploymentId} success` : client ? 'not recorded' : 'skipped (no token)';
    core.setOutput('live', target);
    core.setOutput('previous', previous ?? '');
    core.setOutput('deployment-id', deploymentId === undefined ? '' : String(deploymentId));
  } catch (error) {
    report.error = errorMessage(error);
    if (client && deploymentId !== undefined) {
      await setDeploymentStatus(client, repo, deploymentId, { state: 'failure', description: report.error, logUrl: context.runUrl }).catch((statusError: Error) =>
        core.warning(`Could not mark deployment ${deploymentId} failure: ${statusError.message}`),
      );
      report.deployment = `#${deploymentId} failure`;
    }
    throw error;
  } finally {
    await core.summary.addRaw(summaryMarkdown(report)).write();
  }
}

/** Creates the deployment and marks it in_progress; a GitHub failure is a warning, never a reason not to switch. */
async function startRecord(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  environment: NamedEnvironment,
  record: { version?: string; before: Record<string, number>; next: Record<string, number>; ref: string; logUrl: string },
): Promise<number | undefined> {
  try {
    const deployment = await createDeployment(client, repo, {
      ref: record.ref,
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
      }),
    });
    await setDeploymentStatus(client, repo, deployment.id, { state: 'in_progress', logUrl: record.logUrl, description: 'switching traffic' });
    core.info(`Deployment ${deployment.id} recorded (in_progress).`);
    return deployment.id;
  } catch (error) {
    core.warning(`GitHub deployment not recorded: ${(error as Error).message}. Switching anyway.`);
    return undefined;
  }
}

await runMain(main);
