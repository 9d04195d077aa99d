/**
 * The gate's GitHub edge: reading the default branch's line, the pull request under review and
 * the branch's rules; writing the check run and the `cutover/line` statuses.
 *
 * The line is read from the gate's own check runs (named after the `name` input) on the default
 * branch's head: the latest completed one decides, and its external id carries "red since" from
 * push to push. While the head's run is still going there is no verdict yet (unknown): nothing is
 * held back by a merge being tested.
 */
import {
  branchRules,
  checkRunsForRef,
  createCheckRun,
  getPullRequest,
  openPullRequests,
  pullRequestFiles,
  setCommitStatus,
  unrequiredChecks,
  type GitHubClient,
  type RepoRef,
} from '@cutover/github';
import type { ChangedFile } from './bug-rule.js';
import type { EventFacts } from './event.js';
import type { GateRecords } from './plan.js';
import { LINE_CONTEXT, LINE_MARK, lineState, type CommitStatus, type LineState } from './line.js';
import { errorMessage } from '@cutover/config';

/** The line as the gate's check runs on `ref` (the default branch, or a commit) tell it. */
export async function readLine(client: GitHubClient, repo: RepoRef, ref: string, name: string): Promise<LineState> {
  const runs = await checkRunsForRef(client, repo, ref, name);
  // A job named like the gate has a check run of that name too; the gate's own runs carry a mark.
  const marked = runs.filter((run) => run.externalId.startsWith(LINE_MARK));
  return lineState(
    (marked.length > 0 ? marked : runs).map((run) => ({
      sha: run.headSha,
      conclusion: run.status === 'completed' ? run.conclusion : null,
      mark: run.externalId,
    })),
  );
}

export interface ReviewedPull {
  number: number;
  labels: string[];
  /** Read only when the bug rule needs them. */
  files?: ChangedFile[];
}

/** The pull request read now, so that a label added before a re-run counts. */
export async function readPull(client: GitHubClient, repo: RepoRef, number: number, withFiles: (labels: string[]) => boolean): Promise<ReviewedPull> {
  const pull = await getPullRequest(client, repo, number);
  const reviewed: ReviewedPull = { number, labels: pull.labels };
  if (withFiles(pull.labels)) reviewed.files = await pullRequestFiles(client, repo, number);
  return reviewed;
}

/** Puts `status` as `cutover/line` on the head of every open pull request into `branch`. */
export async function markOpenPulls(client: GitHubClient, repo: RepoRef, branch: string, status: CommitStatus): Promise<number[]> {
  const pulls = await openPullRequests(client, repo, branch);
  const heads = new Set<string>();
  for (const pull of pulls) {
    // Stacked pull requests may share a head; one status per commit is enough.
    if (heads.has(pull.headSha)) continue;
    heads.add(pull.headSha);
    await markLine(client, repo, pull.headSha, status);
  }
  return pulls.map((pull) => pull.number);
}

export async function markLine(client: GitHubClient, repo: RepoRef, sha: string, status: CommitStatus): Promise<void> {
  await setCommitStatus(client, repo, sha, { context: LINE_CONTEXT, state: status.state, description: status.description, targetUrl: status.target_url });
}

export interface GateReadOptions {
  name: string;
  stopTheLine: boolean;
  bugLabel: string;
}

export interface GateReads {
  defaultBranch: string;
  /**
   * On a pull request or merge group into the default branch: the line now. On a push to it:
   * the line before this push (read on the previous head), for "broken since".
   */
  line?: LineState;
  /** The pull request's labels, read now. */
  labels?: string[];
  /** Changed files, read when the pull request carries the bug label. */
  files?: ChangedFile[];
  /** Checks of the gate that no rule of the default branch requires. */
  unrequired: string[];
  /** Reads that failed: the gate goes on without them, and says so. */
  problems: string[];
}

async function attempt<T>(what: string, problems: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    problems.push(`could not read ${what}: ${errorMessage(error)}`);
    return undefined;
  }
}

export async function readGateContext(client: GitHubClient, repo: RepoRef, facts: EventFacts, options: GateReadOptions): Promise<GateReads> {
  const problems: string[] = [];
  const defaultBranch =
    facts.defaultBranch ?? (await attempt('the repository', problems, async () => (await client.rest.repos.get({ ...repo })).data.default_branch)) ?? 'main';
  const reads: GateReads = { defaultBranch, unrequired: [], problems };
  const intoDefault = facts.branch === defaultBranch;
  if (options.stopTheLine && intoDefault && (facts.event === 'pull_request' || facts.event === 'merge_group')) {
    reads.line = await attempt(`the state of ${defaultBranch}`, problems, () => readLine(client, repo, defaultBranch, options.name));
  }
  if (options.stopTheLine && intoDefault && facts.event === 'push') {
    const before = facts.before;
    reads.line = before
      ? await attempt(`the gate's verdict on ${before.slice(0, 7)}`, problems, () => readLine(client, repo, before, options.name))
      : { state: 'unknown' };
  }
  if (facts.pullNumber !== undefined) {
    const wantsFiles = (labels: string[]) => facts.event === 'pull_request' && options.bugLabel !== '' && labels.includes(options.bugLabel);
    const pull = await attempt(`pull request #${facts.pullNumber}`, problems, () => readPull(client, repo, facts.pullNumber!, wantsFiles));
    if (pull) {
      reads.labels = pull.labels;
      if (pull.files) reads.files = pull.files;
    }
  }
  const wanted = [options.name, ...(options.stopTheLine ? [LINE_CONTEXT] : [])];
  const rules = await attempt(`the rules of ${defaultBranch}`, problems, () => branchRules(client, repo, defaultBranch));
  if (rules) reads.unrequired = unrequiredChecks(rules, wanted);
  return reads;
}

export interface WrittenRecords {
  checkRunId?: number;
  checkRunUrl?: string;
  /** Pull requests that got a `cutover/line` status. */
  marked: number[];
  problems: string[];
}

/** Writes what it can; a refused write is reported, and the gate's verdict stands. */
export async function writeGateRecords(client: GitHubClient, repo: RepoRef, records: GateRecords): Promise<WrittenRecords> {
  const written: WrittenRecords = { marked: [], problems: [] };
  const write = async (what: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      written.problems.push(`could not write ${what}: ${errorMessage(error)}`);
    }
  };
  await write(`the check run ${records.checkRun.name}`, async () => {
    const run = await createCheckRun(client, repo, records.checkRun);
    written.checkRunId = run.id;
    written.checkRunUrl = run.htmlUrl;
  });
  const { openPulls, head } = records;
  if (openPulls) {
    await write(`${LINE_CONTEXT} on open pull requests`, async () => {
      written.marked = await markOpenPulls(client, repo, openPulls.branch, openPulls.status);
    });
  }
  if (head) await write(`${LINE_CONTEXT} on ${head.sha.slice(0, 7)}`, () => markLine(client, repo, head.sha, head.status));
  return written;
}
