/** The gate's decisions, from what the tests said and what the line and the labels say. Pure. */
import type { BugRuleResult } from './bug-rule.js';
import type { LineState } from './line.js';
import type { Totals } from './types.js';

export type Conclusion = 'success' | 'failure';

export interface TestOutcome {
  /** Exit code of the user's command; undefined when there was none. */
  exitCode?: number;
  /** The globs of the `results` input, for messages. */
  patterns: readonly string[];
  /** Reports read. */
  reports: number;
  /** Reports that could not be read, one message each. */
  problems: readonly string[];
  totals: Totals;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Why the tests are not green; empty when they are. */
export function testFailures(outcome: TestOutcome): string[] {
  const reasons = [...outcome.problems];
  const failedCommand = outcome.exitCode !== undefined && outcome.exitCode !== 0;
  if (outcome.reports === 0) {
    reasons.push(
      failedCommand
        ? `the command failed with exit code ${outcome.exitCode} and wrote no results matching ${outcome.patterns.join(', ')}`
        : `no results matched ${outcome.patterns.join(', ')}: no tests ran`,
    );
    return reasons;
  }
  if (outcome.totals.total === 0) reasons.push(`the results count no tests: no tests ran`);
  else if (outcome.totals.failed > 0) reasons.push(`${plural(outcome.totals.failed, 'test')} failed`);
  else if (failedCommand) reasons.push(`the command failed with exit code ${outcome.exitCode}, though its results count no failed test`);
  return reasons;
}

export type GateEvent = 'push' | 'pull_request' | 'merge_group' | 'other';

export function gateEvent(eventName: string): GateEvent {
  if (eventName === 'push') return 'push';
  if (eventName === 'pull_request' || eventName === 'pull_request_target') return 'pull_request';
  if (eventName === 'merge_group') return 'merge_group';
  return 'other';
}

export interface GateContext {
  event: GateEvent;
  defaultBranch: string;
  stopTheLine: boolean;
  /** The default branch's state, read on pull_request and merge_group. */
  line?: LineState;
  labels: readonly string[];
  fixLabel: string;
  bug?: BugRuleResult;
}

export interface GateVerdict {
  conclusion: Conclusion;
  /** Why it failed. */
  reasons: string[];
  /** What a reviewer should know even when it passed. */
  notes: string[];
  /** The fix label let this pull request through a red line. */
  letThrough: boolean;
}

/** Whether a change under review is held back by a red default branch. */
export function lineBlocks(context: GateContext): { blocked: boolean; letThrough: boolean } {
  const reviewed = context.event === 'pull_request' || context.event === 'merge_group';
  if (!context.stopTheLine || !reviewed || context.line?.state !== 'red') return { blocked: false, letThrough: false };
  const fixing = context.fixLabel !== '' && context.labels.includes(context.fixLabel);
  return { blocked: !fixing, letThrough: fixing };
}

export function gateVerdict(testReasons: readonly string[], context: GateContext): GateVerdict {
  const reasons = [...testReasons];
  const notes: string[] = [];
  const { blocked, letThrough } = lineBlocks(context);
  const branch = context.defaultBranch;
  if (blocked) {
    reasons.push(`${branch} is broken since ${context.line!.since!.slice(0, 7)}: fix ${branch} first, or label the fix ${context.fixLabel}`);
  }
  if (letThrough)
    notes.push(`${branch} is broken since ${context.line!.since!.slice(0, 7)}; this pull request carries ${context.fixLabel}, so the line lets it through`);
  if (context.stopTheLine && context.event !== 'push' && context.event !== 'other' && context.line?.state === 'unknown') {
    notes.push(`no gate verdict on ${branch} yet: the line is not stopped`);
  }
  if (context.bug?.applies) {
    if (context.bug.ok) notes.push(`bug fix with tests: ${context.bug.tests.join(', ')}`);
    else reasons.push(context.bug.reason!);
  }
  return { conclusion: reasons.length === 0 ? 'success' : 'failure', reasons, notes, letThrough };
}

/** What to warn about when the default branch's rules do not require the gate's checks. */
export function enforcementWarnings(unrequired: readonly string[], checkName: string, defaultBranch: string): string[] {
  return unrequired.map((context) =>
    context === checkName
      ? `the gate is not enforced: no rule of ${defaultBranch} requires the check ${context} (apply examples/rulesets/protect-default-branch.json)`
      : `no rule of ${defaultBranch} requires ${context}: a red ${defaultBranch} does not hold pull requests back`,
  );
}
