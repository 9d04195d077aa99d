/** The environment's alerts on rollback: who was rolled back to what, why, and where the incident is. */
import * as core from '@actions/core';
import type { NamedEnvironment } from '@cutover/config';
import { createAlerts, runContext, sendAlerts, type Alert, type AlertEvent } from '@cutover/alerts';
import { readPayload, type ReportFacts, type RollbackTarget } from '@cutover/incident';

/** Built before anything changes, so that a missing secret variable is refused first. */
export function rollbackAlerts(environment: NamedEnvironment): Alert[] {
  return createAlerts(environment);
}

export async function alertRollback(
  alerts: Alert[],
  environment: NamedEnvironment,
  chosen: RollbackTarget,
  run: { restored: string; reason?: string; report?: ReportFacts; incidentUrl?: string; redeployed: boolean },
): Promise<void> {
  if (alerts.length === 0) return;
  const from = readPayload(chosen.bad.payload).version ?? `deployment ${chosen.bad.id}`;
  const to = chosen.payload.version ?? `deployment ${chosen.target.id}`;
  const failing = run.report?.checks ?? [];
  const event: AlertEvent = {
    action: 'trigger',
    source: 'rollback',
    environment: environment.name,
    title: `${environment.name}: rolled back from ${from} to ${to}`,
    reason: [run.reason, run.restored, run.incidentUrl ? `Incident: ${run.incidentUrl}` : undefined].filter(Boolean).join('. '),
    verdict: run.redeployed ? 'redeploy-dispatched' : 'rolled-back',
    version: to,
    failingChecks: failing.map((check) => ({ name: check.name, observed: check.observed ?? check.figure, threshold: check.threshold ?? '' })),
    checks: failing.map((check) => check.name),
    severity: 'critical',
    ...runContext(),
    commit: chosen.target.sha,
    ...(run.report?.pool ? { pool: run.report.pool } : {}),
  };
  const deliveries = await sendAlerts(alerts, event);
  const delivered = deliveries.filter((delivery) => delivery.delivered).length;
  core.info(`Alerts: ${delivered} of ${deliveries.length} delivered.`);
}
