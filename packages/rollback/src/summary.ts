/** The job summary: what was rolled back, to what, how fast, and where the incident is. */
import * as core from '@actions/core';
import { formatDuration, type NamedEnvironment } from '@cutover/config';
import { readDeploymentPayload, type DeploymentRecord } from '@cutover/github';
import { markdownTable } from '@cutover/runtime';

export interface SummaryInput {
  environment: NamedEnvironment;
  /** What was rolled back and what is live now, as the table shows them (see describeDeployment). */
  rolledBack: string;
  nowLive: string;
  restored: string;
  rollbackStartedAt: string;
  rolledBackAt: string;
  deploymentId?: number;
  incidentUrl?: string;
  /** Why there is no rollback deployment or incident, when there is none (no token). */
  notRecorded?: string;
  /** The environment's lock: whom this rollback preempted, or why it could not be taken. */
  lock?: string;
  /** Markdown added under the table: the incident to paste when it could not be opened. */
  incidentText?: string;
}

/** "v2 (deployment 12, `abc1234`)". */
export function describeDeployment(deployment: DeploymentRecord): string {
  const version = readDeploymentPayload(deployment.payload).version;
  return `${version ? `${version} ` : ''}(deployment ${deployment.id}, \`${deployment.sha.slice(0, 7)}\`)`;
}

export async function writeSummary(input: SummaryInput): Promise<void> {
  const took = Date.parse(input.rolledBackAt) - Date.parse(input.rollbackStartedAt);
  const missing = input.notRecorded ?? '—';
  const rows = [
    ['Environment', input.environment.name],
    ['Rolled back', input.rolledBack],
    ['Now live', input.nowLive],
    ['Traffic', input.restored],
    ['Took', `${formatDuration(took)} from the step's start`],
    ['Rollback deployment', input.deploymentId ? String(input.deploymentId) : missing],
    ['Incident', input.incidentUrl ? `[${input.incidentUrl}](${input.incidentUrl})` : missing],
    ...(input.lock ? [['Lock', input.lock]] : []),
  ];
  const summary = core.summary.addHeading(`Rollback of ${input.environment.name}`, 2).addRaw(markdownTable(['What', 'Detail'], rows), true);
  if (input.incidentText) summary.addRaw(input.incidentText, true);
  await summary.write();
}
