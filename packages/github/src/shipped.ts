/**
 * What a deployment shipped: the pull requests merged between the previous successful deployment
 * of its environment and it (GitHub's compare, then each commit's pull requests). For "shipped
 * in" comments on pull requests. The choices are pure; the reading goes through a ShippedSource
 * (GitHubReader is one).
 */
import type { DeploymentRecord } from './record.js';
import { deploymentFacts, previousSuccess } from './history.js';

export interface ShippedRange {
  deployment: DeploymentRecord;
  /** The previous deployment of the environment that reached success (a rollback included). */
  previous: DeploymentRecord;
  base: string;
  head: string;
}

/**
 * The two commits between which `deploymentId` shipped changes, from the deployments of its
 * environment (any order; statuses included). Undefined when the deployment is not among them
 * or no earlier one reached success (the first deployment: nothing to compare from).
 */
export function shippedRange(deployments: readonly DeploymentRecord[], deploymentId: number): ShippedRange | undefined {
  const deployment = deployments.find((candidate) => candidate.id === deploymentId);
  if (!deployment) return undefined;
  const facts = deployments.map(deploymentFacts);
  const previous = previousSuccess(deploymentFacts(deployment), facts);
  if (!previous) return undefined;
  return { deployment, previous: deployments.find((candidate) => candidate.id === previous.id)!, base: previous.sha, head: deployment.sha };
}

/** A commit's pull request, as GitHub's "pull requests associated with a commit" lists it. */
export interface AssociatedPull {
  number: number;
  title: string;
  html_url: string;
  merged_at: string | null;
  user?: { login?: string } | null;
}

export interface ShippedPull {
  number: number;
  title: string;
  url: string;
  author?: string;
  mergedAt: string;
  /** The commits of the compare that brought it, oldest first. */
  commits: string[];
}

/**
 * The merged pull requests of the commits, once each, in the order their first commit comes in
 * the compare (oldest first). Open pull requests that merely contain a commit are left out.
 */
export function mergedPullRequests(commits: readonly { sha: string }[], pullsBySha: ReadonlyMap<string, readonly AssociatedPull[]>): ShippedPull[] {
  const pulls = new Map<number, ShippedPull>();
  for (const { sha } of commits) {
    for (const pull of pullsBySha.get(sha) ?? []) {
      if (!pull.merged_at) continue;
      const known = pulls.get(pull.number);
      if (known) {
        if (!known.commits.includes(sha)) known.commits.push(sha);
        continue;
      }
      pulls.set(pull.number, {
        number: pull.number,
        title: pull.title,
        url: pull.html_url,
        ...(pull.user?.login ? { author: pull.user.login } : {}),
        mergedAt: pull.merged_at,
        commits: [sha],
      });
    }
  }
  return [...pulls.values()];
}

export interface ShippedSource {
  compare(base: string, head: string): Promise<{ commits: { sha: string }[]; total: number }>;
  pullsOf(sha: string): Promise<readonly AssociatedPull[]>;
}

export interface Shipped {
  range?: ShippedRange;
  pulls: ShippedPull[];
  /** Commits of the compare whose pull requests were not looked up (past `maxCommits`, or not listed). */
  commitsNotExamined: number;
}

/** Commits whose pull requests are looked up, one request each: the newest ones when there are more. */
export const MAX_SHIPPED_COMMITS = 250;

/** The pull requests `deploymentId` shipped; requests one at a time. */
export async function findShippedPullRequests(
  deployments: readonly DeploymentRecord[],
  deploymentId: number,
  source: ShippedSource,
  maxCommits = MAX_SHIPPED_COMMITS,
): Promise<Shipped> {
  const range = shippedRange(deployments, deploymentId);
  if (!range) return { pulls: [], commitsNotExamined: 0 };
  return { range, ...(await pullRequestsBetween(range.base, range.head, source, maxCommits)) };
}

/**
 * The merged pull requests of the commits `head` has and `base` has not (GitHub's compare
 * base...head): what a deployment of head ships after base, or what a rollback from head to base
 * takes away. Requests one at a time; nothing is asked when the two are the same commit.
 */
export async function pullRequestsBetween(
  base: string,
  head: string,
  source: ShippedSource,
  maxCommits = MAX_SHIPPED_COMMITS,
): Promise<Omit<Shipped, 'range'>> {
  if (base === head) return { pulls: [], commitsNotExamined: 0 };
  const compared = await source.compare(base, head);
  const examined = compared.commits.slice(-maxCommits);
  const pullsBySha = new Map<string, readonly AssociatedPull[]>();
  for (const commit of examined) pullsBySha.set(commit.sha, await source.pullsOf(commit.sha));
  return { pulls: mergedPullRequests(examined, pullsBySha), commitsNotExamined: Math.max(0, compared.total - examined.length) };
}
