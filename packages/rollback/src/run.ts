/**
 * rollback: put traffic back on the last good deployment (or where `to` says), then record, open
 * the incident and alert. Everything that can be refused is read before anything changes; then one
 * of three resolvers moves traffic and says what it did, and one tail (finish.ts) records it.
 */
import { createGitHubClient, repoContext } from '@cutover/github';
import { reportPlan } from '@cutover/runtime';
import { environmentFromInputs } from '@cutover/environment';
import { rollbackAlerts } from './alerts.js';
import { poolNamed } from './choose-local.js';
import type { RollbackRun } from './facts.js';
import { rollbackPlan } from './dry-run.js';
import { finish, type Outcome } from './finish.js';
import { readReportFacts } from './incident/report.js';
import type { RollbackInputs } from './inputs.js';
import { fromHistory } from './resolve/history.js';
import { withoutToken } from './resolve/local.js';
import { toPool } from './resolve/pool.js';

export async function run(inputs: RollbackInputs): Promise<void> {
  const environment = await environmentFromInputs();
  const rollback: RollbackRun = {
    inputs,
    environment,
    ...(inputs.report ? { report: readReportFacts(inputs.report.json) } : {}),
    alerts: rollbackAlerts(environment),
    startedAt: new Date(Date.now() - performance.now()).toISOString(),
  };
  const client = createGitHubClient(inputs.token);
  // A dry run resolves as a real one (reading GitHub and the router), its router only planning.
  const done = (outcome: Outcome, github?: Parameters<typeof finish>[2]) =>
    inputs.dryRun ? reportPlan(rollbackPlan(rollback, outcome, `${environment.router.kind} router (dry run)`, github !== undefined)) : finish(rollback, outcome, github);
  if (!client) return done(await withoutToken(rollback));
  const context = repoContext();
  // A pool name comes before a deployment id or version (see choose-local.ts).
  const pool = poolNamed(environment, inputs.to);
  const outcome = pool !== undefined ? await toPool(rollback, client, context, pool) : await fromHistory(rollback, client, context);
  return done(outcome, { client, context });
}
