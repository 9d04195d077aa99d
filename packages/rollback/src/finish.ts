/**
 * The one tail of every rollback, once traffic is back (or a redeploy was dispatched): the outputs,
 * the GitHub records (the bad deployment marked failure, a `rollback` deployment), the incident,
 * the alerts and the summary. The three target resolvers (resolve/) end here.
 */
import type { AppliedSplit } from '@cutover/routers';
import { commentRolledBackPullRequests, readDeploymentPayload, repoContext, type GitHubClient, type RepoContext } from '@cutover/github';
import { alertRollback } from './alerts.js';
import { reasonOf, setOutput, type RollbackRun } from './facts.js';
import { renderUnopenedIncident } from './incident/body.js';
import { incidentFacts, incidentRun, openIncident, type Side } from './incident/open.js';
import { markBad, recordRollback, type LiveState } from './records.js';
import { writeSummary } from './summary.js';

/** What a resolver did, and how people should read it. */
export interface Outcome {
  /** "traffic moved from ... to ...", or why it was not (a redeploy dispatched instead). */
  restored: string;
  /** The traffic change; absent when traffic did not move (a redeploy was dispatched). */
  applied?: AppliedSplit;
  /** ISO time traffic was back (or the redeploy dispatched). */
  rolledBackAt: string;
  /** The `rolled-back-to` output: a version, a deployment id, a pool or a release. */
  rolledBackTo: string;
  /** The two sides, for the incident: their deployments when the history has them. */
  bad: Side;
  good: Side;
  /** For the alert and the summary: what was rolled back, what is live now. */
  from: string;
  to: string;
  rolledBackText: string;
  nowLiveText: string;
  /** The commit now live, when a deployment records it. */
  commit?: string;
  /** What the rollback deployment records (with a token; absent when nothing moved). */
  live?: LiveState;
  redeployed: boolean;
}

export async function finish(run: RollbackRun, outcome: Outcome, github?: { client: GitHubClient; context: RepoContext }): Promise<void> {
  const { environment, report } = run;
  const reason = reasonOf(run);
  setOutput(run, 'rolled-back-to', outcome.rolledBackTo);

  let deploymentId: number | undefined;
  let incidentUrl: string | undefined;
  let incidentText: string | undefined;
  if (github) {
    const { client, context } = github;
    if (outcome.bad.deployment) await markBad(client, context, outcome.bad.deployment, `Rolled back${reason ? `: ${reason}` : ''}`);
    if (outcome.live && outcome.applied) {
      deploymentId = (await recordRollback(client, context, environment, outcome.live, outcome.applied, reason)).deploymentId;
      setOutput(run, 'deployment-id', String(deploymentId));
    }
    incidentUrl = await openIncident(client, context, run, { bad: outcome.bad, good: outcome.good }, outcome.restored, outcome.rolledBackAt);
  } else {
    setOutput(run, 'deployment-id', '');
    setOutput(run, 'incident-url', '');
    if (run.inputs.incident) {
      const facts = await incidentFacts(
        undefined,
        repoContext(),
        environment,
        { bad: outcome.bad, good: outcome.good },
        incidentRun(run, outcome.restored, outcome.rolledBackAt),
      );
      incidentText = renderUnopenedIncident(facts);
    }
  }

  await alertRollback(run.alerts, environment, {
    from: outcome.from,
    to: outcome.to,
    restored: outcome.restored,
    redeployed: outcome.redeployed,
    ...(outcome.commit ? { commit: outcome.commit } : {}),
    ...(reason ? { reason } : {}),
    ...(report ? { report } : {}),
    ...(incidentUrl ? { incidentUrl } : {}),
  });
  // Last, after traffic, the records and the alerts: the "shipped in" comments of what was taken away.
  const { bad, good } = { bad: outcome.bad.deployment, good: outcome.good.deployment };
  if (github && run.inputs.commentPullRequests && outcome.applied && bad && good) {
    const back = { sha: good.sha, name: readDeploymentPayload(good.payload).version ?? good.sha.slice(0, 7) };
    const { owner, repo, runUrl } = github.context;
    await commentRolledBackPullRequests(
      github.client,
      { owner, repo },
      { environment: environment.name, bad: { sha: bad.sha }, good: back, at: outcome.rolledBackAt, url: runUrl },
    );
  }
  await writeSummary({
    environment,
    ...(run.lock ? { lock: await run.lock } : {}),
    rolledBack: outcome.rolledBackText,
    nowLive: outcome.nowLiveText,
    restored: outcome.restored,
    rollbackStartedAt: run.startedAt,
    rolledBackAt: outcome.rolledBackAt,
    ...(deploymentId !== undefined ? { deploymentId } : {}),
    ...(incidentUrl ? { incidentUrl } : {}),
    ...(github ? {} : { notRecorded: 'none: no token' }),
    ...(incidentText ? { incidentText } : {}),
  });
}
