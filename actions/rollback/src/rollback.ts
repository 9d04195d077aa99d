/** The rollback: choose the target, put its traffic back, then record, open the incident and alert. */
import * as core from '@actions/core';
import { formatSplit, type NamedEnvironment } from '@cutover/config';
import { createGitHubClient, listDeploymentsWithStatuses, repoContext, type GitHubClient, type RepoContext } from '@cutover/github';
import {
  buildTimeline,
  describeStale,
  readPayload,
  readReportFacts,
  selectRollbackTarget,
  type DeploymentRecord,
  type IncidentFacts,
  type ReportFacts,
  type RollbackTarget,
} from '@cutover/incident';
import { environmentFromInputs } from '@cutover/runtime';
import { alertRollback, rollbackAlerts } from './alerts.js';
import { fileIncident, readSuspects, runLinks } from './incident.js';
import { readInputs, type RollbackInputs } from './inputs.js';
import { markBad, recordRollback } from './records.js';
import { applyRestore, planRestore } from './restore.js';
import { writeSummary } from './summary.js';

/** Deployments read from the history: enough for any real rollback, few enough to stay fast. */
const HISTORY_LIMIT = 30;

function name(deployment: DeploymentRecord): string {
  return readPayload(deployment.payload).version ?? `deployment ${deployment.id}`;
}

/** The history of the environment; a `to` id from elsewhere is added so the error can say where it is. */
async function readHistory(client: GitHubClient, context: RepoContext, environment: string, to: string | undefined): Promise<DeploymentRecord[]> {
  const repo = { owner: context.owner, repo: context.repo };
  const history: DeploymentRecord[] = await listDeploymentsWithStatuses(client, repo, { environment, limit: HISTORY_LIMIT });
  if (to && /^\d+$/.test(to) && !history.some((deployment) => deployment.id === Number(to))) {
    try {
      const { data } = await client.rest.repos.getDeployment({ ...repo, deployment_id: Number(to) });
      history.push({ ...data, statuses: [] });
    } catch {
      // Not a deployment id of this repository: `to` is then read as a version.
    }
  }
  return history;
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
  const report: ReportFacts | undefined = inputs.report ? readReportFacts(inputs.report.json) : undefined;
  const alerts = rollbackAlerts(environment);
  const client = createGitHubClient(inputs.token)!;
  const context = repoContext();
  const rollbackStartedAt = new Date(Date.now() - performance.now()).toISOString();

  const readingFrom = performance.now();
  const history = await readHistory(client, context, environment.name, inputs.to);
  core.info(`Read ${history.length} deployment(s) of ${environment.name} with their statuses in ${Math.round(performance.now() - readingFrom)} ms (${Math.round(readingFrom)} ms after the process started).`);
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
    restored = applied.changed ? `traffic moved from ${formatSplit(applied.before)} to ${formatSplit(applied.after)}` : `traffic was already ${formatSplit(applied.after)}`;
    core.info(`Traffic restored ${Math.round(performance.now())} ms after the process started: ${restored}.`);
  }
  const rolledBackAt = new Date().toISOString();
  core.setOutput('rolled-back-to', version ?? String(chosen.target.id));

  const reason = inputs.reason ?? report?.reason;
  await markBad(client, context, chosen.bad, `Rolled back${reason ? `: ${reason}` : ''}`);
  const record = redeployed ? undefined : await recordRollback(client, context, environment, chosen, split, reason);
  if (record) core.setOutput('deployment-id', String(record.deploymentId));

  let incidentUrl: string | undefined;
  if (inputs.incident) {
    const facts = await incidentFacts(client, context, environment, chosen, { report, reason, restored, rollbackStartedAt, rolledBackAt });
    incidentUrl = (await fileIncident(client, context, facts)).url;
    core.setOutput('incident-url', incidentUrl);
  }
  await alertRollback(alerts, environment, chosen, { restored, redeployed, ...(reason ? { reason } : {}), ...(report ? { report } : {}), ...(incidentUrl ? { incidentUrl } : {}) });
  await writeSummary({ environment, chosen, restored, rollbackStartedAt, rolledBackAt, deploymentId: record?.deploymentId, incidentUrl, redeployed });
}

async function incidentFacts(
  client: GitHubClient,
  context: RepoContext,
  environment: NamedEnvironment,
  chosen: RollbackTarget,
  run: { report?: ReportFacts; reason?: string; restored: string; rollbackStartedAt: string; rolledBackAt: string },
): Promise<IncidentFacts> {
  const { bad, target } = chosen;
  const suspects = await readSuspects(client, context, target, bad);
  const ref = (deployment: DeploymentRecord) => ({
    id: deployment.id,
    ref: deployment.ref,
    sha: deployment.sha,
    ...(readPayload(deployment.payload).version ? { version: readPayload(deployment.payload).version } : {}),
  });
  return {
    environment: environment.name,
    bad: ref(bad),
    good: ref(target),
    ...(run.reason ? { reason: run.reason } : {}),
    restored: run.restored,
    timeline: buildTimeline({
      bad,
      rollbackStartedAt: run.rollbackStartedAt,
      rolledBackAt: run.rolledBackAt,
      rolledBackDetail: run.restored,
      ...(run.report?.firstBadSampleAt ? { firstBadSampleAt: run.report.firstBadSampleAt } : {}),
      ...(run.report?.detectedAt ? { detectedAt: run.report.detectedAt, detectedBy: `health-watch: ${run.report.reason ?? 'unhealthy'}` } : {}),
    }),
    commits: suspects.commits,
    commitsOmitted: suspects.omitted,
    ...(suspects.compareUrl ? { compareUrl: suspects.compareUrl } : {}),
    ...(suspects.unavailable ? { commitsUnavailable: suspects.unavailable } : {}),
    checks: run.report?.checks ?? [],
    runs: runLinks(context, bad, target, name),
  };
}
