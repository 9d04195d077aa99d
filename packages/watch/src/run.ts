/**
 * health-watch: watches a pool's health and business metrics for a while (against a baseline pool
 * when given), decides healthy / unhealthy / inconclusive, reports every sample, and alerts.
 */
import * as core from '@actions/core';
import { createAlerts, sendAlerts } from '@cutover/alerts';
import { formatDuration } from '@cutover/config';
import { createCheckRun, createGitHubClient, recordsSkipped, repoContext, updateCheckRun, type GitHubClient } from '@cutover/github';
import { lookFigures, watch, watchTuning, writeWatchReport } from '@cutover/health';
import { environmentFromInputs } from '@cutover/environment';
import { input, outside } from '@cutover/runtime';
import { alertEvent } from './alerts.js';
import { readInputs, type RawInputs } from './inputs.js';
import { summaryMarkdown } from './summary.js';

/** A check run on the commit while watching; GitHub records never decide the verdict. */
async function startCheckRun(client: GitHubClient | undefined, name: string, title: string): Promise<number | undefined> {
  if (!client) {
    recordsSkipped('the check run');
    return undefined;
  }
  const context = repoContext();
  try {
    const run = await createCheckRun(
      client,
      { owner: context.owner, repo: context.repo },
      { name, headSha: context.sha, status: 'in_progress', title, summary: title, detailsUrl: context.runUrl },
    );
    return run.id;
  } catch (error) {
    core.warning(`check run not created: ${(error as Error).message}`);
    return undefined;
  }
}

/** Watches the target (against the baseline), reports, alerts; the step fails unless the verdict passes. */
export async function run(raw: RawInputs): Promise<void> {
  const environment = await environmentFromInputs();
  const inputs = await readInputs(environment, raw);
  const alerts = createAlerts(environment);
  const client = createGitHubClient(input('token'));

  const pools = inputs.baseline ? `${inputs.target.name} against ${inputs.baseline.name}` : inputs.target.name;
  core.info(
    `Watching ${environment.name} pool ${pools} for ${formatDuration(inputs.duration)} every ${formatDuration(inputs.interval)} (deadline ${formatDuration(inputs.deadline)}): ${inputs.checks.map((check) => check.name).join(', ')}`,
  );
  const checkRunName = `health-watch (${environment.name})`;
  const checkRunId = await startCheckRun(client, checkRunName, `Watching ${pools}`);

  // Cancelling the job ends the watch with what it has: an inconclusive verdict, reported.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const report = await watch({
    checks: inputs.checks,
    target: inputs.target,
    ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
    duration: inputs.duration,
    interval: inputs.interval,
    deadline: inputs.deadline,
    ...watchTuning(environment),
    inconclusive: inputs.inconclusive,
    signal: controller.signal,
    onStart: (lines) => lines.forEach((line) => (line.startsWith('warning: ') ? core.warning(line.slice(9)) : core.info(line))),
    onInterval: (record) => {
      const states = record.checks
        .map((check) => `${check.check} ${check.state}${check.reason && check.state !== 'good' ? ` (${check.reason})` : ''}`)
        .join(', ');
      core.info(`look ${record.look} at ${formatDuration(record.elapsedMs)}: ${states || 'no samples'} -> ${record.decision.action}`);
      core.debug(outside(lookFigures(record)));
    },
  });
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);

  const reportPath = writeWatchReport(environment.name, report);
  core.setOutput('verdict', report.verdict);
  core.setOutput('report', reportPath);
  core.setOutput('failed-checks', report.failedChecks.join(','));
  const summary = summaryMarkdown(environment.name, report, reportPath);
  await core.summary.addRaw(summary).write();

  const event = alertEvent(environment.name, inputs.version, report);
  if (event && alerts.length) {
    const deliveries = await sendAlerts(alerts, event);
    core.info(`alerts (${event.action}): ${deliveries.map((d) => `${d.label} ${d.delivered ? 'delivered' : 'NOT delivered'}`).join(', ')}`);
  }

  if (client && checkRunId !== undefined) {
    const context = repoContext();
    try {
      await updateCheckRun(client, { owner: context.owner, repo: context.repo }, checkRunId, {
        conclusion: report.verdict === 'healthy' ? 'success' : report.passed ? 'neutral' : 'failure',
        title: `${pools}: ${report.verdict}`,
        summary: `${report.verdict}: ${report.reason}`,
        text: summary,
      });
    } catch (error) {
      core.warning(`check run not updated: ${(error as Error).message}`);
    }
  }

  if (!report.passed) core.setFailed(`health-watch: ${environment.name} pool ${inputs.target.name} is ${report.verdict}: ${report.reason}`);
  else core.info(`health-watch: ${environment.name} pool ${inputs.target.name} is ${report.verdict}: ${report.reason}`);
}
