/**
 * "Shipped in" comments, the GitHub part: once a deployment reached success (or a rollback moved
 * traffic back), find the pull requests it shipped (or took away) and write each one's comment.
 * The text is shipped-comment.ts's; the pull requests are shipped.ts's.
 *
 * Traffic first: callers run this after traffic moved and the deployment status is written, and
 * nothing here throws: a comment that cannot be written is a warning, never a failed deployment.
 *
 * Every GitHub call is one at a time, each with the client's timeouts, and bounded:
 *   - the deployment history: 1 page of 30 deployments (up to 3 to find the deployment), then the
 *     statuses of older ones until one reached success (at most 10);
 *   - the compare: at most 4 pages of 100 (the first, for the total, and those holding the newest
 *     250 commits, MAX_SHIPPED_COMMITS);
 *   - one "pull requests of a commit" per examined commit (at most 250);
 *   - per pull request, its comments (1 page of 100 in the usual case, at most 10) and at most one
 *     write, none when the comment already says it all.
 * A release of 120 squash-merged pull requests: 1 + 1 + 2 + 120 + 120 + 120 = 364 calls.
 * Three failed calls in a row, a refusal (401/403: no `pull-requests: write`) or 10 minutes stop it.
 */
import * as core from '@actions/core';
import { errorMessage } from '@cutover/config';
import { outside } from '@cutover/runtime';
import type { RepoRef } from './checks.js';
import type { GitHubClient } from './client.js';
import { createIssueComment, findIssueComment, updateIssueComment } from './comments.js';
import { readDeploymentPayload, type DeploymentRecord } from './record.js';
import { mergeShippedComment, parseShippedComment, type ShippedEvent } from './shipped-comment.js';
import { findShippedPullRequests, MAX_SHIPPED_COMMITS, pullRequestsBetween, type ShippedPull, type ShippedSource } from './shipped.js';

/** Deployments per page of the history, and pages read to find the deployment itself. */
export const HISTORY_PER_PAGE = 30;
export const HISTORY_PAGES = 3;
/** Older deployments whose statuses are read looking for the previous success. */
export const HISTORY_STATUS_READS = 10;
export const COMPARE_PER_PAGE = 100;
/** The whole commenting's deadline: it runs after the deployment, but a job should still end. */
export const COMMENTS_DEADLINE_MS = 10 * 60_000;
/** Failed calls in a row that stop the rest: an API that does not answer is not asked 500 times. */
export const FAILURES_IN_A_ROW = 3;

export interface CommentTally {
  /** Pull requests found. */
  pulls: number;
  created: number;
  updated: number;
  /** Already said it: nothing written (a re-run). */
  unchanged: number;
  /** Not commented: no comment to mark on a rollback, more comments than read, a comment of a newer Cutover, or stopped. */
  skipped: number;
  failed: number;
  /** GitHub requests made (each page is one). */
  calls: number;
  /** Commits of the compare whose pull requests were not looked up (past MAX_SHIPPED_COMMITS). */
  commitsNotExamined: number;
  /** Why it stopped early, when it did. */
  stopped?: string;
}

export interface CommentOptions {
  deadlineMs?: number;
  log?: (line: string) => void;
  /**
   * Deployments the caller read with their statuses (canary-step, looking for a paused canary):
   * one whose statuses show a success is not read again, since a success stays in the list.
   */
  known?: readonly DeploymentRecord[];
}

class Stopped extends Error {}

/** Counts the calls, keeps the deadline and stops after FAILURES_IN_A_ROW failures or a refusal. */
class Budget {
  calls = 0;
  stopped: string | undefined;
  private failures = 0;
  private readonly deadline: number;

  constructor(private readonly deadlineMs: number) {
    this.deadline = Date.now() + deadlineMs;
  }

  /** Before each request. */
  count(what: string): void {
    if (this.stopped) throw new Stopped(this.stopped);
    if (Date.now() > this.deadline) {
      this.stopped = `not done within ${Math.round(this.deadlineMs / 1000)} s (before ${what})`;
      throw new Stopped(this.stopped);
    }
    this.calls += 1;
  }

  /** Around one request (or a few, counted by `count`): its failure is counted and named. */
  async guard<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.failures = 0;
      return result;
    } catch (error) {
      if (error instanceof Stopped) throw error;
      const status = (error as { status?: number }).status;
      const message = `GitHub ${what}: ${errorMessage(error)}`;
      this.failures += 1;
      if (status === 401 || status === 403) this.stopped = `${message} (the job needs \`pull-requests: write\` to comment)`;
      else if (this.failures >= FAILURES_IN_A_ROW) this.stopped = `${FAILURES_IN_A_ROW} GitHub calls failed in a row, the last: ${message}`;
      throw Object.assign(new Error(message, { cause: error }), { status });
    }
  }

  run<T>(what: string, call: () => Promise<T>): Promise<T> {
    this.count(what);
    return this.guard(what, call);
  }
}

function emptyTally(): CommentTally {
  return { pulls: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, calls: 0, commitsNotExamined: 0 };
}

/** Compares and commits' pull requests through the budget. */
function shippedSource(client: GitHubClient, repo: RepoRef, budget: Budget, onMissed: (why: string) => void): ShippedSource {
  const comparePage = (basehead: string, page: number) =>
    budget.run(
      `compare ${basehead.replace(/([0-9a-f]{7})[0-9a-f]{33}/g, '$1')}, page ${page}`,
      async () => (await client.rest.repos.compareCommitsWithBasehead({ ...repo, basehead, per_page: COMPARE_PER_PAGE, page })).data,
    );
  return {
    async compare(base, head) {
      const basehead = `${base}...${head}`;
      const first = await comparePage(basehead, 1);
      const total = first.total_commits;
      // GitHub lists a compare's commits oldest first: the newest MAX_SHIPPED_COMMITS are on the last pages.
      const lastPage = Math.max(1, Math.ceil(total / COMPARE_PER_PAGE));
      const firstNeeded = Math.floor(Math.max(0, total - MAX_SHIPPED_COMMITS) / COMPARE_PER_PAGE) + 1;
      const commits = firstNeeded === 1 ? first.commits.map((commit) => ({ sha: commit.sha })) : [];
      for (let page = Math.max(2, firstNeeded); page <= lastPage; page++) {
        const data = await comparePage(basehead, page);
        commits.push(...data.commits.map((commit) => ({ sha: commit.sha })));
        if (data.commits.length < COMPARE_PER_PAGE) break;
      }
      return { commits, total };
    },
    async pullsOf(sha) {
      try {
        return await budget.run(
          `pull requests of ${sha.slice(0, 7)}`,
          async () => (await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 })).data,
        );
      } catch (error) {
        // One commit that cannot be read leaves its pull requests out, not the others'.
        if (error instanceof Stopped) throw error;
        onMissed(`Its pull requests left out: ${errorMessage(error)}`);
        return [];
      }
    },
  };
}

/**
 * The deployment and, before it, the deployments of its environment down to the newest that
 * reached success: what shippedRange needs. Newest first, as GitHub lists them.
 */
async function readHistory(
  client: GitHubClient,
  repo: RepoRef,
  environment: string,
  deploymentId: number,
  budget: Budget,
  known: readonly DeploymentRecord[] = [],
): Promise<DeploymentRecord[]> {
  const read: DeploymentRecord[] = [];
  let looked = 0;
  for (let page = 1; page <= HISTORY_PAGES; page++) {
    const listed = await budget.run(
      `deployments of ${environment}, page ${page}`,
      async () => (await client.rest.repos.listDeployments({ ...repo, environment, per_page: HISTORY_PER_PAGE, page })).data,
    );
    for (const deployment of listed) {
      if (read.length === 0) {
        // Deployments newer than this one (another run since) are not what it shipped after.
        // Its own statuses are not needed: it is the head of the compare.
        if (deployment.id === deploymentId) read.push({ ...deployment, statuses: [] });
        continue;
      }
      if (looked >= HISTORY_STATUS_READS) return read;
      looked += 1;
      // Read already and successful: the same answer. bench/budget.ts, deliver.yml's good release
      // after a canary (production's last deployment canary-step's, whose statuses canary-step read
      // looking for a paused canary): canary-step 19 calls before, 18 after; the run 41, then 40.
      const succeeded = known.find((record) => record.id === deployment.id && record.statuses.some((status) => status.state === 'success'));
      const statuses =
        succeeded?.statuses ??
        (await budget.run(
          `statuses of deployment ${deployment.id}`,
          async () => (await client.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deployment.id, per_page: 100 })).data,
        ));
      read.push({ ...deployment, statuses });
      if (statuses.some((status) => status.state === 'success')) return read;
    }
    if (listed.length < HISTORY_PER_PAGE) return read;
  }
  return read;
}

/** Writes `event` into each pull request's comment, one pull request after the other. */
async function commentEach(
  client: GitHubClient,
  repo: RepoRef,
  pulls: readonly ShippedPull[],
  event: ShippedEvent,
  budget: Budget,
  tally: CommentTally,
  log: (line: string) => void,
): Promise<void> {
  const failures: string[] = [];
  for (const [index, pull] of pulls.entries()) {
    if (budget.stopped) {
      tally.skipped += pulls.length - index;
      break;
    }
    // One line per pull request in the log, whatever the title holds (the log line goes through outside()).
    const name = `#${pull.number} (${pull.title.replace(/\s+/g, ' ').trim()})`;
    try {
      const found = await budget.guard(`comments of #${pull.number}`, () =>
        findIssueComment(client, repo, pull.number, (body) => parseShippedComment(body) !== undefined, { beforeCall: (what) => budget.count(what) }),
      );
      if (!found.comment && !found.complete) {
        tally.skipped += 1;
        log(`${name}: more comments than were read, none of them Cutover's: not commented, so as not to write a second one.`);
        continue;
      }
      const merged = mergeShippedComment(found.comment?.body, event);
      if (!merged) {
        tally.skipped += 1;
        log(found.comment ? `${name}: its comment was written by a newer Cutover: left as it is.` : `${name}: no "shipped in" comment to mark.`);
        continue;
      }
      if (!merged.changed) {
        tally.unchanged += 1;
        log(`${name}: its comment already says so.`);
        continue;
      }
      if (found.comment) {
        const id = found.comment.id;
        await budget.run(`edit of comment ${id} on #${pull.number}`, () => updateIssueComment(client, repo, id, merged.body));
        tally.updated += 1;
        log(`${name}: comment edited.`);
      } else {
        await budget.run(`comment on #${pull.number}`, () => createIssueComment(client, repo, pull.number, merged.body));
        tally.created += 1;
        log(`${name}: commented.`);
      }
    } catch (error) {
      if (error instanceof Stopped) {
        tally.skipped += pulls.length - index;
        break;
      }
      tally.failed += 1;
      failures.push(`${name}: ${errorMessage(error)}`);
    }
  }
  if (failures.length > 0) log(`Not commented: ${failures.join('; ')}`);
}

function finish(tally: CommentTally, budget: Budget, what: string, log: (line: string) => void): CommentTally {
  tally.calls = budget.calls;
  if (budget.stopped) tally.stopped = budget.stopped;
  const parts = [`${tally.created} commented`, `${tally.updated} edited`, `${tally.unchanged} unchanged`, `${tally.skipped} skipped`, `${tally.failed} failed`];
  const unexamined = tally.commitsNotExamined > 0 ? `; ${tally.commitsNotExamined} older commits of the compare not examined` : '';
  log(`"Shipped in" comments ${what}: ${tally.pulls} pull request(s), ${parts.join(', ')}, in ${tally.calls} GitHub call(s)${unexamined}.`);
  if (tally.stopped || tally.failed > 0) {
    core.warning(
      `"Shipped in" comments ${what}: ${tally.failed + tally.skipped} of ${tally.pulls} pull request(s) not commented${tally.stopped ? `; stopped: ${tally.stopped}` : ''}. ` +
        'The deployment itself is done and recorded.',
    );
  }
  return tally;
}

export interface ShippedDeployment {
  environment: string;
  /** The deployment that just reached success. */
  deploymentId: number;
  /** ISO time it reached success. */
  at: string;
  /** The run's page. */
  url?: string;
}

/**
 * Comments "shipped in <version>: <environment> <time>" on every pull request the deployment
 * shipped: merged between the previous successful deployment of its environment and it. The
 * version is the deployment payload's (else the short sha). Never throws.
 */
export async function commentShippedPullRequests(
  client: GitHubClient,
  repo: RepoRef,
  shipped: ShippedDeployment,
  options: CommentOptions = {},
): Promise<CommentTally> {
  const log = options.log ?? ((line: string) => core.info(outside(line)));
  const budget = new Budget(options.deadlineMs ?? COMMENTS_DEADLINE_MS);
  const tally = emptyTally();
  const what = `for deployment ${shipped.deploymentId} (${shipped.environment})`;
  try {
    const history = await readHistory(client, repo, shipped.environment, shipped.deploymentId, budget, options.known);
    const deployment = history[0];
    if (!deployment) {
      log(`Deployment ${shipped.deploymentId} is not among the newest deployments of ${shipped.environment}: no pull request commented.`);
      return finish(tally, budget, what, log);
    }
    const found = await findShippedPullRequests(history, shipped.deploymentId, shippedSource(client, repo, budget, log));
    if (!found.range) {
      log(`No earlier deployment of ${shipped.environment} reached success: nothing to compare with, no pull request commented.`);
      return finish(tally, budget, what, log);
    }
    tally.pulls = found.pulls.length;
    tally.commitsNotExamined = found.commitsNotExamined;
    const version = readDeploymentPayload(deployment.payload).version ?? deployment.sha.slice(0, 7);
    log(
      `Deployment ${shipped.deploymentId} shipped ${found.pulls.length} pull request(s) since deployment ${found.range.previous.id} (${found.range.base.slice(0, 7)}...${found.range.head.slice(0, 7)}).`,
    );
    const event: ShippedEvent = {
      kind: 'shipped',
      environment: shipped.environment,
      version,
      deployment: shipped.deploymentId,
      at: shipped.at,
      ...(shipped.url ? { url: shipped.url } : {}),
    };
    await commentEach(client, repo, found.pulls, event, budget, tally, log);
  } catch (error) {
    if (!budget.stopped) budget.stopped = errorMessage(error);
  }
  return finish(tally, budget, what, log);
}

export interface RolledBackRelease {
  environment: string;
  /** The commit that was rolled back, and the one live again. */
  bad: { sha: string };
  good: { sha: string; /** A version, or a short sha. */ name: string };
  /** ISO time traffic was back. */
  at: string;
  /** The rollback's run. */
  url?: string;
}

/**
 * Marks "rolled back" in the environment on the comment of every pull request the rollback took
 * away (GitHub's compare good...bad). Pull requests without a comment get none. Never throws.
 */
export async function commentRolledBackPullRequests(
  client: GitHubClient,
  repo: RepoRef,
  rollback: RolledBackRelease,
  options: CommentOptions = {},
): Promise<CommentTally> {
  const log = options.log ?? ((line: string) => core.info(outside(line)));
  const budget = new Budget(options.deadlineMs ?? COMMENTS_DEADLINE_MS);
  const tally = emptyTally();
  const what = `for the rollback of ${rollback.environment}`;
  try {
    const found = await pullRequestsBetween(rollback.good.sha, rollback.bad.sha, shippedSource(client, repo, budget, log));
    tally.pulls = found.pulls.length;
    tally.commitsNotExamined = found.commitsNotExamined;
    log(
      `The rollback took ${found.pulls.length} pull request(s) away from ${rollback.environment} (${rollback.good.sha.slice(0, 7)}...${rollback.bad.sha.slice(0, 7)}).`,
    );
    const event: ShippedEvent = {
      kind: 'rolled-back',
      environment: rollback.environment,
      at: rollback.at,
      to: rollback.good.name,
      ...(rollback.url ? { url: rollback.url } : {}),
    };
    await commentEach(client, repo, found.pulls, event, budget, tally, log);
  } catch (error) {
    if (!budget.stopped) budget.stopped = errorMessage(error);
  }
  return finish(tally, budget, what, log);
}
