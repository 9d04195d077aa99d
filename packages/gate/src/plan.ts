/** Which records a run writes, from the event and the verdict. Pure. */
import type { CheckRunInput } from '@cutover/github';
import type { EventFacts } from './event.js';
import { brokenStatus, greenStatus, lineMark, nextLine, pullStatus, type CommitStatus, type LineState } from './line.js';
import type { GateVerdict } from './verdict.js';

export interface GateRecords {
  checkRun: CheckRunInput;
  /** On a push to the default branch: the status every open pull request into it gets. */
  openPulls?: { branch: string; status: CommitStatus };
  /** On a pull request or merge group: the status its own head gets. */
  head?: { sha: string; status: CommitStatus };
}

export interface PlanInput {
  facts: EventFacts;
  defaultBranch: string;
  stopTheLine: boolean;
  verdict: GateVerdict;
  /** As read: the line now (pull request, merge group) or before this push. */
  line?: LineState;
  fixLabel: string;
  /** The run's page, linked from every status. */
  runUrl: string;
  checkRun: CheckRunInput;
}

export function planRecords(input: PlanInput): GateRecords {
  const { facts, defaultBranch, verdict, runUrl } = input;
  const records: GateRecords = { checkRun: { ...input.checkRun } };
  if (!input.stopTheLine || facts.branch !== defaultBranch) return records;
  const line = input.line ?? { state: 'unknown' };
  if (facts.event === 'push') {
    const after = nextLine(line, facts.headSha, verdict.conclusion);
    records.checkRun.externalId = lineMark(after);
    const status = after.state === 'red' ? brokenStatus(defaultBranch, after.since!, runUrl) : greenStatus(defaultBranch, facts.headSha, runUrl);
    records.openPulls = { branch: defaultBranch, status };
  }
  if (facts.event === 'pull_request' || facts.event === 'merge_group') {
    records.head = { sha: facts.headSha, status: pullStatus(defaultBranch, line, verdict.letThrough ? input.fixLabel : undefined, runUrl) };
  }
  return records;
}
