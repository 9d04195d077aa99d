/**
 * `dry-run: true` on the traffic actions (blue-green-switch, canary-step, rollback): what a real run
 * would do, transition by transition, printed in the log and the job summary and set as the `plan`
 * output. The splits come from the router itself (routers' dryRunRouter: real reads, no changes), so
 * a plan is what the real run applies; the rest (records, alerts, comments) is said as notes.
 */
import * as core from '@actions/core';
import { formatSplit, type Split } from '@cutover/config';
import { outside } from './outside.js';
import { markdownTable } from './summary.js';

export interface PlannedTransition {
  /** The complete split the router would serve after this transition. */
  split: Split;
  /** What the transition is and what follows it ("step 2 of 4: 25% canary, watched 1m, then advance"). */
  what: string;
}

export interface DryRunPlan {
  action: string;
  environment: string;
  /** The router's one-line description. */
  router: string;
  /** The split the router serves now. */
  before: Split;
  /** Every change a real run would make, in order; empty when it would change nothing. */
  transitions: PlannedTransition[];
  /** What the real run would also do or not do: records, alerts, comments, the way back on failure. */
  notes: string[];
}

/** The plan as log lines. Notes and descriptions may carry text from outside (versions, records). */
export function planLines(plan: DryRunPlan): string[] {
  return [
    `dry-run: ${plan.action} on ${plan.environment} changes nothing and records nothing. The plan:`,
    `  now: ${formatSplit(plan.before)} (${plan.router})`,
    ...(plan.transitions.length === 0
      ? ['  no change of traffic']
      : plan.transitions.map((transition, index) => `  ${index + 1}. ${formatSplit(transition.split)}: ${transition.what}`)),
    ...plan.notes.map((note) => `  - ${note}`),
  ].map(outside);
}

/** The plan for the job summary. */
export function planMarkdown(plan: DryRunPlan): string {
  const rows: unknown[][] = [
    ['now', formatSplit(plan.before), plan.router],
    ...plan.transitions.map((transition, index) => [index + 1, formatSplit(transition.split), transition.what]),
  ];
  return [
    `## Dry run: ${plan.action} on ${plan.environment}`,
    '',
    'Nothing was changed and nothing was recorded. A real run would do this:',
    '',
    markdownTable(['#', 'split', 'what'], rows),
    ...(plan.notes.length ? ['', ...plan.notes.map((note) => `- ${note.replace(/\r?\n/g, ' ')}`)] : []),
    '',
  ].join('\n');
}

/** Logs the plan, sets the `plan` output (JSON; through `setOutput`, the step's unless the caller gathers outputs) and writes it to the job summary. */
export async function reportPlan(plan: DryRunPlan, setOutput: (name: string, value: string) => void = core.setOutput): Promise<void> {
  for (const line of planLines(plan)) core.info(line);
  setOutput('plan', JSON.stringify({ dryRun: true, ...plan }));
  await core.summary.addRaw(planMarkdown(plan)).write();
}
