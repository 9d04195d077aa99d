/** The environment's alerts on rollback: who was rolled back to what, why, and where the incident is. */
import * as core from '@actions/core';
import type { NamedEnvironment } from '@cutover/config';
import { createAlerts, runContext, sendAlerts, type Alert, type AlertEvent } from '@cutover/alerts';
import type { ReportFacts } from './incident/report.js';

/** Built before anything changes, so that a missing secret variable is refused first. */
export function rollbackAlerts(environment: NamedEnvironment): Alert[] {
  return createAlerts(environment);
}

export interface AlertedRollback {
  /** What was rolled back and what is live now: versions, `deployment 12`, pools or releases. */
  from: string;
  to: string;
  /** The commit now live, when a deployment records it. */
  commit?: string;
  restored: string;
  reason?: string;
  report?: ReportFacts;
  incidentUrl?: string;
  redeployed: boolean;
}

export async function alertRollback(alerts: Alert[], environment: NamedEnvironment, run: AlertedRollback): Promise<void> {
  if (alerts.length === 0) return;
  const failing = run.report?.checks ?? [];
  // The run's own commit is not what is live after a rollback: only a recorded commit is sent.
  const context = runContext();
  delete context.commit;
  const event: AlertEvent = {
    action: 'trigger',
    source: 'rollback',
    environment: environment.name,
    title: `${environment.name}: rolled back from ${run.from} to ${run.to}`,
    reason: [run.reason, run.restored, run.incidentUrl ? `Incident: ${run.incidentUrl}` : undefined].filter(Boolean).join('. '),
    verdict: run.redeployed ? 'redeploy-dispatched' : 'rolled-back',
    version: run.to,
    failingChecks: failing.map((check) => ({ name: check.name, observed: check.observed ?? check.figure, threshold: check.threshold ?? '' })),
    checks: failing.map((check) => check.name),
    severity: 'critical',
    ...context,
    ...(run.commit ? { commit: run.commit } : {}),
    ...(run.report?.pool ? { pool: run.report.pool } : {}),
  };
  const deliveries = await sendAlerts(alerts, event);
  const delivered = deliveries.filter((delivery) => delivery.delivered).length;
  core.info(`Alerts: ${delivered} of ${deliveries.length} delivered.`);
}
