/**
 * Stop the line: the state of the default branch, read from the gate's own verdicts on its latest
 * commits, and the `cutover/line` commit status it puts on open pull requests. Pure.
 */
import { shortDescription } from '@cutover/github';

export const LINE_CONTEXT = 'cutover/line';

/** The gate's verdict on one default-branch commit: a check-run conclusion, or none yet. */
export interface GateRecord {
  sha: string;
  conclusion?: string | null;
  /** The check run's external id, where a push to the default branch marks the line's state. */
  mark?: string;
}

export interface LineState {
  state: 'green' | 'red' | 'unknown';
  /** The commit whose verdict decided. */
  sha?: string;
  /** Red: the first commit of the current run of failures ("broken since"). */
  since?: string;
}

const RED = new Set(['failure', 'timed_out']);
const GREEN = new Set(['success']);

/**
 * `history` is newest first. Commits still being tested (or cancelled, skipped) have no verdict
 * and are passed over, so a merge in progress does not turn the line unknown.
 */
export function lineState(history: readonly GateRecord[]): LineState {
  const decided = history.filter((record) => RED.has(record.conclusion ?? '') || GREEN.has(record.conclusion ?? ''));
  const latest = decided[0];
  if (!latest) return { state: 'unknown' };
  if (GREEN.has(latest.conclusion!)) return { state: 'green', sha: latest.sha };
  const marked = sinceOf(latest.mark);
  if (marked) return { state: 'red', sha: latest.sha, since: marked };
  let since = latest.sha;
  for (const record of decided) {
    if (!RED.has(record.conclusion!)) break;
    since = record.sha;
  }
  return { state: 'red', sha: latest.sha, since };
}

/** How the gate's external id on a default-branch check run starts. */
export const LINE_MARK = 'cutover-line:';

/** The check run's external id on a default-branch commit: red since when, for the next push. */
export function lineMark(line: LineState): string {
  return line.state === 'red' ? `${LINE_MARK}red:${line.since}` : `${LINE_MARK}${line.state}`;
}

function sinceOf(mark: string | undefined): string | undefined {
  const match = mark?.match(/^cutover-line:red:([0-9a-f]{7,40})$/i);
  return match?.[1];
}

/** The line after a push to the default branch was tested, given the line before it. */
export function nextLine(previous: LineState, sha: string, conclusion: 'success' | 'failure'): LineState {
  if (conclusion === 'success') return { state: 'green', sha };
  return { state: 'red', sha, since: previous.state === 'red' && previous.since ? previous.since : sha };
}

export interface CommitStatus {
  state: 'success' | 'failure';
  description: string;
  target_url?: string;
}

const short = (sha: string) => sha.slice(0, 7);
// GitHub refuses commit status descriptions longer than 140 characters.
const describe = (text: string) => shortDescription(text);

export function brokenStatus(branch: string, since: string, link: string): CommitStatus {
  return { state: 'failure', description: describe(`${branch} is broken since ${short(since)}: ${link}`), target_url: link };
}

export function greenStatus(branch: string, sha: string, link: string): CommitStatus {
  return { state: 'success', description: describe(`${branch} is green at ${short(sha)}`), target_url: link };
}

/**
 * The status a pull request's own head gets on `pull_request` or `merge_group`: each new head
 * needs it when the ruleset requires `cutover/line`. Unknown counts as green: a repository whose
 * default branch was never gated must not be locked.
 */
export function pullStatus(branch: string, line: LineState, fixLabel: string | undefined, link: string): CommitStatus {
  if (line.state === 'red') {
    if (fixLabel) {
      return {
        state: 'success',
        description: describe(`${branch} is broken since ${short(line.since!)}; let through by the ${fixLabel} label`),
        target_url: link,
      };
    }
    return brokenStatus(branch, line.since!, link);
  }
  if (line.state === 'green') return greenStatus(branch, line.sha!, link);
  return { state: 'success', description: describe(`no gate verdict on ${branch} yet`), target_url: link };
}
