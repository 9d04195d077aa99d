/** Gathers the incident's facts from GitHub (compare, pull requests) and opens or comments on the issue. */
import * as core from '@actions/core';
import { openOrComment, type GitHubClient, type IssueRecord, type RepoContext } from '@cutover/github';
import {
  chronological,
  commitsToExamine,
  INCIDENT_LABEL,
  incidentMarker,
  incidentTitle,
  renderIncidentBody,
  renderRepeatComment,
  suspectCommits,
  type CommitPull,
  type DeploymentRecord,
  type IncidentFacts,
  type RunLink,
  type SuspectCommit,
} from '@cutover/incident';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
          core.info(`Pull requests of ${commit.sha.slice(0, 7)} not read: ${message(error)}`);
        }
      }),
    );
    return {
      commits: suspectCommits(examined, pulls),
      omitted: Math.max(0, data.total_commits - examined.length),
      compareUrl: data.html_url,
    };
  } catch (error) {
    return { commits: [], omitted: 0, unavailable: `The compare of ${good.sha.slice(0, 7)}...${bad.sha.slice(0, 7)} could not be read: ${message(error)}` };
  }
}

function runOf(deployment: DeploymentRecord): string | undefined {
  const statuses = chronological(deployment.statuses);
  const status = statuses.find((candidate) => candidate.log_url || candidate.target_url);
  return status?.log_url || status?.target_url || undefined;
}

/** The runs a reader wants: the one that deployed the bad version, the good one's, this rollback. */
export function runLinks(context: RepoContext, bad: DeploymentRecord, good: DeploymentRecord, name: (d: DeploymentRecord) => string): RunLink[] {
  const links: RunLink[] = [];
  const badRun = runOf(bad);
  if (badRun) links.push({ label: `Run that deployed ${name(bad)} (deployment ${bad.id})`, url: badRun });
  const goodRun = runOf(good);
  if (goodRun) links.push({ label: `Run that deployed ${name(good)} (deployment ${good.id})`, url: goodRun });
  if (context.runId) links.push({ label: 'This rollback', url: context.runUrl });
  return links;
}

export async function fileIncident(client: GitHubClient, context: RepoContext, facts: IncidentFacts): Promise<IssueRecord> {
  const record = await openOrComment(client, { owner: context.owner, repo: context.repo }, {
    title: incidentTitle(facts),
    body: renderIncidentBody(facts),
    labels: [INCIDENT_LABEL],
    marker: incidentMarker(facts.environment, facts.bad.id),
    comment: renderRepeatComment(facts),
  });
  core.info(record.created ? `Opened incident ${record.url}` : `Commented on the open incident ${record.url}`);
  return record;
}
