/** rollback's `dry-run: true`: the resolved target and split as a plan, and what the tail would record. */
import type { DryRunPlan } from '@cutover/runtime';
import type { RollbackRun } from './facts.js';
import type { Outcome } from './finish.js';

/** The plan from what a resolver found (with the dry router: nothing moved); `recorded` when a token would record. */
export function rollbackPlan(run: RollbackRun, outcome: Outcome, router: string, recorded: boolean): DryRunPlan {
  const { applied } = outcome;
  const notes = [`${outcome.restored}`, `rolled back: ${outcome.rolledBackText}; live after: ${outcome.nowLiveText}`];
  if (recorded) {
    if (outcome.bad.deployment) notes.push(`would mark deployment ${outcome.bad.deployment.id} failure`);
    if (applied) notes.push(`would record a rollback deployment of ${run.environment.name}`);
    if (run.inputs.incident) notes.push('would open an incident issue');
    if (run.inputs.commentPullRequests && applied) notes.push('would mark the "shipped in" comments of the pull requests it takes away');
  } else {
    notes.push(`no token: nothing would be recorded on GitHub${run.inputs.incident ? '; the incident would go to the job summary' : ''}`);
  }
  if (run.alerts.length) notes.push(`would alert ${run.alerts.length} receiver${run.alerts.length === 1 ? '' : 's'}`);
  return {
    action: 'rollback',
    environment: run.environment.name,
    router,
    before: applied?.before ?? {},
    transitions: applied?.changed ? [{ split: applied.after, what: `roll back ${outcome.from} to ${outcome.to}` }] : [],
    notes,
  };
}
