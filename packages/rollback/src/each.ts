/**
 * rollback of several environments (`environment: production-us, production-eu`), in the order
 * given: the waves of a delivery, newest first. Each is a whole rollback of its own, exactly as one
 * alone: its lock, traffic first, its deployment records, its incident and its alerts.
 *
 * Every environment is loaded and checked before any traffic moves (an unknown name, a bad field,
 * an alert's missing secret refuse the step with nothing changed). Once they run, a failure in one
 * does not stop the others: each is production traffic of its own, and a region whose router
 * refused the change (its traffic left as it was) or whose history could not be read is no reason
 * to leave the next region on the bad release. The step fails at the end, naming every environment
 * that failed and why.
 *
 * Outputs: `rolled-back-to`, `deployment-id` and `incident-url` (and `plan` in a dry run) are each
 * a JSON object keyed by environment, in the order rolled back, with what each environment set
 * (read one with `fromJSON(steps.<id>.outputs.rolled-back-to)['production-eu']`).
 */
import * as core from '@actions/core';
import { errorMessage } from '@cutover/config';
import { markdownTable, outside } from '@cutover/runtime';
import type { RollbackRun } from './facts.js';
import type { RollbackInputs } from './inputs.js';

/** Where one environment's outputs go (RollbackRun.output). */
export type Output = (name: string, value: string) => void;

export interface EnvironmentResult {
  environment: string;
  /** The outputs it set, as it would have set them alone. */
  outputs: Record<string, string>;
  /** Why it failed; absent when it was rolled back. */
  error?: string;
}

/** The outputs keyed by environment, each a JSON object; `plan` only when a dry run planned. */
const KEYED = ['rolled-back-to', 'deployment-id', 'incident-url'] as const;

/**
 * Rolls back each environment in the order given, going on after a failure; returns what each did.
 * `rollBackOne` throws when that environment's rollback fails.
 */
export async function inTurn(
  environments: readonly string[],
  rollBackOne: (environment: string, output: Output) => Promise<void>,
  log: (line: string) => void = (line) => core.info(line),
): Promise<EnvironmentResult[]> {
  const results: EnvironmentResult[] = [];
  for (const [index, environment] of environments.entries()) {
    log(`Rollback ${index + 1} of ${environments.length}: ${environment}.`);
    const outputs: Record<string, string> = {};
    try {
      await rollBackOne(environment, (name, value) => {
        outputs[name] = value;
      });
      results.push({ environment, outputs });
    } catch (error) {
      const message = errorMessage(error);
      const next = environments.slice(index + 1);
      log(outside(`The rollback of ${environment} failed: ${message}${next.length ? `; going on with ${next.join(', ')}` : ''}.`));
      results.push({ environment, outputs, error: message });
    }
  }
  return results;
}

/** The step's outputs: each a JSON object of environment to value, for the environments that set it. */
export function listOutputs(results: readonly EnvironmentResult[]): Record<string, string> {
  const keyed = (name: string, read: (value: string) => unknown = (value) => value) =>
    JSON.stringify(Object.fromEntries(results.filter((result) => name in result.outputs).map((result) => [result.environment, read(result.outputs[name]!)])));
  const outputs: Record<string, string> = Object.fromEntries(KEYED.map((name) => [name, keyed(name)]));
  if (results.some((result) => 'plan' in result.outputs)) outputs.plan = keyed('plan', (value) => JSON.parse(value) as unknown);
  return outputs;
}

/** The step's failure, naming every environment that failed and the ones rolled back; undefined when none failed. */
export function listFailure(results: readonly EnvironmentResult[]): string | undefined {
  const failed = results.filter((result) => result.error !== undefined);
  if (failed.length === 0) return undefined;
  const done = results.filter((result) => result.error === undefined).map((result) => result.environment);
  const which = failed.length === 1 ? `the rollback of ${failed[0]!.environment} failed` : `the rollbacks of ${failed.length} environments failed`;
  const why = failed.map((result) => `${result.environment}: ${result.error}`).join('; ');
  const rest = done.length ? `rolled back: ${done.join(', ')}` : 'no other environment was rolled back';
  return `${which} (${why}); ${rest}`;
}

/** The summary's last table: every environment in the order rolled back, and how each ended. */
export function listSummary(results: readonly EnvironmentResult[], dryRun: boolean): string {
  const rows = results.map((result, index) => [
    index + 1,
    result.environment,
    result.error !== undefined
      ? `❌ failed: ${result.error}`
      : dryRun
        ? 'planned (dry run)'
        : `rolled back to ${result.outputs['rolled-back-to'] ?? '—'}${result.outputs['incident-url'] ? `, incident ${result.outputs['incident-url']}` : ''}`,
  ]);
  return `## Rollback of ${results.length} environments, in this order\n\n${markdownTable(['#', 'Environment', 'Result'], rows)}`;
}

/** The step over several environments: all loaded first, then each in turn; outputs, summary, failure. */
export async function rollBackEach(
  inputs: RollbackInputs,
  prepare: (inputs: RollbackInputs, environment: string) => Promise<RollbackRun>,
  rollBack: (run: RollbackRun) => Promise<void>,
): Promise<void> {
  const runs = new Map<string, RollbackRun>();
  for (const environment of inputs.environments) runs.set(environment, await prepare(inputs, environment));
  const results = await inTurn(inputs.environments, (environment, output) => rollBack({ ...runs.get(environment)!, output }));
  for (const [name, value] of Object.entries(listOutputs(results))) core.setOutput(name, value);
  await core.summary.addRaw(listSummary(results, inputs.dryRun), true).write();
  const failure = listFailure(results);
  if (failure !== undefined) throw new Error(failure);
}
