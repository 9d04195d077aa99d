/** The job summary: what was rolled back, to what, how fast, and where the incident is. */
import * as core from '@actions/core';
import type { NamedEnvironment } from '@cutover/config';
import { formatMs, readPayload, type DeploymentRecord, type RollbackTarget } from '@cutover/incident';
import { markdownTable } from '@cutover/runtime';

export interface SummaryInput {
  environment: NamedEnvironment;
  chosen: RollbackTarget;
  restored: string;
  rollbackStartedAt: string;
  rolledBackAt: string;
  deploymentId?: number;
  incidentUrl?: string;
  redeployed: boolean;
}

function label(deployment: DeploymentRecord): string {
  const version = readPayload(deployment.payload).version;
  return `${version ? `${version} ` : ''}(deployment ${deployment.id}, \`${deployment.sha.slice(0, 7)}\`)`;
}

export async function writeSummary(input: SummaryInput): Promise<void> {
  const took = Date.parse(input.rolledBackAt) - Date.parse(input.rollbackStartedAt);
  const rows = [
    ['Environment', input.environment.name],
    ['Rolled back', label(input.chosen.bad)],
    ['Now live', input.redeployed ? `redeploy of ${label(input.chosen.target)} dispatched` : label(input.chosen.target)],
    ['Traffic', input.restored],
    ['Took', `${formatMs(took)} from the step's start`],
    ['Rollback deployment', input.deploymentId ? String(input.deploymentId) : '—'],
    ['Incident', input.incidentUrl ? `[${input.incidentUrl}](${input.incidentUrl})` : '—'],
  ];
  await core.summary
    .addHeading(`Rollback of ${input.environment.name}`, 2)
    .addRaw(markdownTable(['What', 'Detail'], rows), true)
    .write();
}
