/**
 * rollback: put traffic back on the last good deployment (or where `to` says), then record, open
 * the incident and alert. Everything that can be refused is read before anything changes; then one
 * of three resolvers moves traffic and says what it did, and one tail (finish.ts) records it.
 * Rollback always wins the environment's lock: it preempts whoever holds it, beside the traffic move
 * and never before it, and is never frozen. Several environments: each in turn (each.ts).
 */
import { reportPlan } from '@cutover/runtime';
import { environmentFromInputs } from '@cutover/environment';
import { createGitHubClient, postReleaseLock, repoContext, startPreemption, type Preempting } from '@cutover/github';
import { rollbackAlerts } from './alerts.js';
import { poolNamed } from './choose-local.js';
import { setOutput, type RollbackRun } from './facts.js';
import { rollbackPlan } from './dry-run.js';
import { rollBackEach } from './each.js';
import { finish, type Outcome } from './finish.js';
import { readReportFacts } from './incident/report.js';
import type { RollbackInputs } from './inputs.js';
import { fromHistory } from './resolve/history.js';
import { withoutToken } from './resolve/local.js';
import { toPool } from './resolve/pool.js';

export async function run(inputs: RollbackInputs): Promise<void> {
  if (inputs.environments.length > 1) return rollBackEach(inputs, prepare, rollBack);
  return rollBack(await prepare(inputs, inputs.environments[0]));
}

/** One environment loaded and checked (its alerts' secrets too), before anything changes. */
async function prepare(inputs: RollbackInputs, name: string | undefined): Promise<RollbackRun> {
  const environment = await environmentFromInputs(name);
  return {
    inputs,
    environment,
    ...(inputs.report ? { report: readReportFacts(inputs.report.json) } : {}),
    alerts: rollbackAlerts(environment),
    startedAt: new Date(Date.now() - performance.now()).toISOString(),
  };
}

/** One environment's whole rollback: its lock, its traffic, its records, incident and alerts. */
async function rollBack(rollback: RollbackRun): Promise<void> {
  const { inputs, environment } = rollback;
  const client = createGitHubClient(inputs.token);
  // A dry run resolves as a real one (reading GitHub and the router), its router only planning.
  // The plan output goes where the other outputs go: the step's, or the list's (each.ts).
  const done = (outcome: Outcome, github?: Parameters<typeof finish>[2], lock?: Promise<string>) =>
    inputs.dryRun
      ? reportPlan(rollbackPlan(rollback, outcome, `${environment.router.kind} router (dry run)`, github !== undefined), (name, value) =>
          setOutput(rollback, name, value),
        )
      : finish({ ...rollback, ...(lock ? { lock } : {}) }, outcome, github);
  if (!client) return done(await withoutToken(rollback));
  const context = repoContext();
  // A pool name comes before a deployment id or version (see choose-local.ts).
  const pool = poolNamed(environment, inputs.to);
  // The lock, taken from whoever holds it as traffic moves: started by the resolver right before
  // its router change (a refusal before it touches nothing, the lock included), awaited only after.
  // A dry run moves nothing and writes nothing on GitHub: no lock.
  let preempting: Preempting | undefined;
  const moving = inputs.dryRun
    ? undefined
    : () => {
        preempting ??= startPreemption(client, environment.name);
      };
  const resolving: RollbackRun = { ...rollback, ...(moving ? { moving } : {}) };
  let outcome: Outcome;
  try {
    outcome = pool !== undefined ? await toPool(resolving, client, context, pool) : await fromHistory(resolving, client, context);
  } catch (error) {
    // A router change that failed and left traffic as it was: the preempted run holds it again.
    await preempting?.giveBack();
    throw error;
  }
  return done(outcome, { client, context }, preempting?.note);
}

/** The post step (post-if: always()): lets go of the environment's lock, also after a cancel. */
export async function post(): Promise<void> {
  await postReleaseLock();
}
