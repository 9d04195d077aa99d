/** Gathers the incident's facts from GitHub (compare, pull requests) and opens or comments on the issue. */
import * as core from '@actions/core';
import {
  chronological,
  type DeploymentRecord,
  type GitHubClient,
  type IssueRecord,
  openOrComment,
  readDeploymentPayload,
  type RepoContext,
} from '@cutover/github';
import { errorMessage, type NamedEnvironment } from '@cutover/config';
import { reasonOf, setOutput, type RollbackRun } from '../facts.js';
import {
  INCIDENT_LABEL,
  incidentMarker,
  incidentTitle,
  renderIncidentBody,
  renderRepeatComment,
  type DeploymentRef,
  type IncidentFacts,
  type RunLink,
  type SuspectCommit,
} from './body.js';
import { commitsToExamine, suspectCommits, type CommitPull } from './commits.js';
import type { ReportFacts } from './report.js';
import { buildTimeline, UNKNOWN_WITHOUT_TOKEN } from './timeline.js';

export interface Suspects {
  commits: SuspectCommit[];
  omitted: number;
  compareUrl?: string;
  unavailable?: string;
}

/** The commits between the good and the bad sha, with their pull requests. Never throws: the incident says what failed. */
export async function readSuspects(client: GitHubClient, context: RepoContext, good: DeploymentRecord, bad: DeploymentRecord): Promise<Suspects> {
  const repo = { owner: context.owner, repo: context.repo };
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${good.sha}...${bad.sha}`, per_page: 100 });
    const examined = commitsToExamine(data.commits);
    const pulls = new Map<string, CommitPull[]>();
    await Promise.all(
      examined.map(async (commit) => {
        try {
          const { data: found } = await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: commit.sha });
          pulls.set(commit.sha, found);
        } catch (error) {
          core.info(`Pull requests of ${commit.sha.slice(0, 7)} not read: ${errorMessage(error)}`);
        }
      }),
    );
    return {
      commits: suspectCommits(examined, pulls),
      omitted: Math.max(0, data.total_commits - examined.length),
      compareUrl: data.html_url,
    };
  } catch (error) {
    return {
      commits: [],
      omitted: 0,
      unavailable: `The compare of ${good.sha.slice(0, 7)}...${bad.sha.slice(0, 7)} could not be read: ${errorMessage(error)}`,
    };
  }
}

function runOf(deployment: DeploymentRecord): string | undefined {
  const statuses = chronological(deployment.statuses);
  const status = statuses.find((candidate) => candidate.log_url || candidate.target_url);
  return status?.log_url || status?.target_url || undefined;
}

/** The runs a reader wants: the one that deployed the bad version, the good one's, this rollback. */
export function runLinks(
  context: RepoContext,
  bad: DeploymentRecord | undefined,
  good: DeploymentRecord | undefined,
  name: (d: DeploymentRecord) => string,
): RunLink[] {
  const links: RunLink[] = [];
  const badRun = bad && runOf(bad);
  if (bad && badRun) links.push({ label: `Run that deployed ${name(bad)} (deployment ${bad.id})`, url: badRun });
  const goodRun = good && runOf(good);
  if (good && goodRun) links.push({ label: `Run that deployed ${name(good)} (deployment ${good.id})`, url: goodRun });
  if (context.runId) links.push({ label: 'This rollback', url: context.runUrl });
  return links;
}

function deploymentName(deployment: DeploymentRecord): string {
  return readDeploymentPayload(deployment.payload).version ?? `deployment ${deployment.id}`;
}

function refOf(deployment: DeploymentRecord): DeploymentRef {
  const version = readDeploymentPayload(deployment.payload).version;
  return { id: deployment.id, ref: deployment.ref, sha: deployment.sha, ...(version ? { version } : {}) };
}

/** One side of the rollback: its deployment when the history has one, else its local name (pool, release). */
export interface Side {
  deployment?: DeploymentRecord;
  name: string;
}

export interface IncidentRun {
  report?: ReportFacts;
  reason?: string;
  restored: string;
  rollbackStartedAt: string;
  rolledBackAt: string;
}

/**
 * The incident's facts. Without a client (no token) or without both deployments, what only GitHub
 * knows (commits, deployment times, their runs) says so instead of being left out.
 */
export async function incidentFacts(
  client: GitHubClient | undefined,
  context: RepoContext,
  environment: NamedEnvironment,
  sides: { bad: Side; good: Side },
  run: IncidentRun,
): Promise<IncidentFacts> {
  const { bad, good } = sides;
  const missing = !bad.deployment ? bad.name : !good.deployment ? good.name : undefined;
  const why = client ? `no deployment of ${environment.name} records ${missing}` : UNKNOWN_WITHOUT_TOKEN;
  const unknownCommits = client
    ? `Suspect commits unknown: ${why}, so there are no two commits to compare.`
    : `Suspect commits ${UNKNOWN_WITHOUT_TOKEN}: they come from GitHub's compare between the good and the bad commit.`;
  const suspects: Suspects =
    client && bad.deployment && good.deployment
      ? await readSuspects(client, context, good.deployment, bad.deployment)
      : { commits: [], omitted: 0, unavailable: unknownCommits };
  return {
    environment: environment.name,
    bad: bad.deployment ? refOf(bad.deployment) : { name: bad.name },
    good: good.deployment ? refOf(good.deployment) : { name: good.name },
    ...(run.reason ? { reason: run.reason } : {}),
    restored: run.restored,
    timeline: buildTimeline({
      ...(bad.deployment ? { bad: bad.deployment } : { badUnknown: why }),
      rollbackStartedAt: run.rollbackStartedAt,
      rolledBackAt: run.rolledBackAt,
      rolledBackDetail: run.restored,
      ...(run.report?.firstBadSampleAt ? { firstBadSampleAt: run.report.firstBadSampleAt } : {}),
      ...(run.report?.detectedAt
        ? { detectedAt: run.report.detectedAt, detectedBy: `${run.report.source ?? 'health-watch'}: ${run.report.reason ?? 'unhealthy'}` }
        : {}),
    }),
    commits: suspects.commits,
    commitsOmitted: suspects.omitted,
    ...(suspects.compareUrl ? { compareUrl: suspects.compareUrl } : {}),
    ...(suspects.unavailable ? { commitsUnavailable: suspects.unavailable } : {}),
    checks: run.report?.checks ?? [],
    runs: runLinks(context, bad.deployment, good.deployment, deploymentName),
  };
}

export async function fileIncident(client: GitHubClient, context: RepoContext, facts: IncidentFacts): Promise<IssueRecord> {
  // Without a bad deployment, a repeated run of this same workflow run is what finds the issue again.
  const marker =
    'id' in facts.bad
      ? incidentMarker(facts.environment, facts.bad.id)
      : `<!-- cutover-incident run=${context.runId} environment=${encodeURIComponent(facts.environment)} -->`;
  const record = await openOrComment(
    client,
    { owner: context.owner, repo: context.repo },
    {
      title: incidentTitle(facts),
      body: renderIncidentBody(facts),
      labels: [INCIDENT_LABEL],
      marker,
      comment: renderRepeatComment(facts),
    },
  );
  core.info(record.created ? `Opened incident ${record.url}` : `Commented on the open incident ${record.url}`);
  return record;
}

/** The facts every rollback path gives the incident the same way. */
export function incidentRun(run: RollbackRun, restored: string, rolledBackAt: string): IncidentRun {
  const reason = reasonOf(run);
  return { restored, rollbackStartedAt: run.startedAt, rolledBackAt, ...(reason ? { reason } : {}), ...(run.report ? { report: run.report } : {}) };
}

/** Opens the incident (or comments on the open one) when `incident` is true; sets `incident-url`. */
export async function openIncident(
  client: GitHubClient,
  context: RepoContext,
  run: RollbackRun,
  sides: { bad: Side; good: Side },
  restored: string,
  rolledBackAt: string,
): Promise<string | undefined> {
  if (!run.inputs.incident) return undefined;
  const facts = await incidentFacts(client, context, run.environment, sides, incidentRun(run, restored, rolledBackAt));
  const url = (await fileIncident(client, context, facts)).url;
  setOutput(run, 'incident-url', url);
  return url;
}
