/**
 * Time to restore: from the failure to the rollback's success. Pure.
 *
 * The failure starts at the earliest sign of it on record: its incident's first bad sample or
 * detection (the timeline rollback writes), the incident's opening, or the first failure status
 * after the deployment's success; never before the deployment went live. Cutover opens the
 * incident after traffic is back, so the incident's opening alone would come after the
 * rollback: the detection time in its timeline is what says when the failure was seen. Without
 * any of those, the rollback's creation (someone asked for it) is the start.
 *
 * Service is restored by the first rollback of the failed deployment that reached success; a
 * failure no rollback restored is restored by the next deployment of its environment that
 * reached success (a fix forward), else it is still open.
 */
import { restoreBand, type Band } from './bands.js';
import type { Failure } from './failures.js';
import { oldestFirst, type DeploymentFacts } from '@cutover/github';
import { median } from './stats.js';
import { inWindow, type Window } from './window.js';

export type StartSource = 'first bad sample' | 'detected' | 'incident opened' | 'failure status' | 'rollback requested';

export interface Restoration {
  deploymentId: number;
  environment: string;
  version?: string;
  startedAt: number;
  startedBy: StartSource;
  restoredAt: number;
  /** The rollback deployment, or the next deployment (fix forward). */
  restoredBy: { id: number; kind: 'rollback' | 'fix forward' };
  incidents: number[];
  seconds: number;
}

export interface RestoreFigure {
  median?: number;
  band?: Band;
  /** Restorations whose service came back in the window, oldest first. */
  restorations: Restoration[];
  /** Failed changes of the window not restored yet. */
  open: { deploymentId: number; environment: string; since: number }[];
  noData?: string;
}

function startOf(failure: Failure, rollback: DeploymentFacts | undefined, end: number | undefined): { at: number; by: StartSource } | undefined {
  const live = failure.deployment.succeededAt!;
  const candidates: { at: number; by: StartSource }[] = [];
  for (const incident of failure.incidents) {
    if (incident.firstBadSampleAt !== undefined) candidates.push({ at: incident.firstBadSampleAt, by: 'first bad sample' });
    if (incident.detectedAt !== undefined) candidates.push({ at: incident.detectedAt, by: 'detected' });
    candidates.push({ at: incident.openedAt, by: 'incident opened' });
  }
  if (failure.deployment.failedAfterSuccessAt !== undefined) candidates.push({ at: failure.deployment.failedAfterSuccessAt, by: 'failure status' });
  if (rollback) candidates.push({ at: rollback.createdAt, by: 'rollback requested' });
  // A sign recorded after service came back (an incident opened later) does not say when it broke.
  const usable = candidates.filter((candidate) => end === undefined || candidate.at <= end).sort((a, b) => a.at - b.at);
  const first = usable[0];
  return first ? { at: Math.max(live, first.at), by: first.by } : undefined;
}

export function timeToRestore(all: readonly DeploymentFacts[], failures: ReadonlyMap<number, Failure>, window: Window): RestoreFigure {
  const restorations: Restoration[] = [];
  const open: RestoreFigure['open'] = [];
  for (const failure of failures.values()) {
    const { deployment } = failure;
    const rollback = failure.rollbacks.find((candidate) => candidate.succeededAt !== undefined);
    let restoredBy: Restoration['restoredBy'] | undefined;
    let restoredAt: number | undefined;
    if (rollback) {
      restoredBy = { id: rollback.id, kind: 'rollback' };
      restoredAt = rollback.succeededAt!;
    }
    const start = startOf(failure, rollback, restoredAt);
    if (!rollback && start) {
      const next = oldestFirst(
        all.filter(
          (facts) =>
            facts.environment === deployment.environment && facts.id !== deployment.id && facts.succeededAt !== undefined && facts.succeededAt > start.at,
        ),
      )[0];
      if (next) {
        restoredBy = { id: next.id, kind: 'fix forward' };
        restoredAt = next.succeededAt!;
      }
    }
    if (restoredAt === undefined || restoredBy === undefined || !start) {
      if (inWindow(window, deployment.succeededAt))
        open.push({ deploymentId: deployment.id, environment: deployment.environment, since: start?.at ?? deployment.succeededAt! });
      continue;
    }
    if (!inWindow(window, restoredAt)) continue;
    restorations.push({
      deploymentId: deployment.id,
      environment: deployment.environment,
      ...(deployment.version ? { version: deployment.version } : {}),
      startedAt: start.at,
      startedBy: start.by,
      restoredAt,
      restoredBy,
      incidents: failure.incidents.map((incident) => incident.number),
      seconds: Math.max(0, Math.round((restoredAt - start.at) / 1000)),
    });
  }
  restorations.sort((a, b) => a.restoredAt - b.restoredAt);
  const middle = median(restorations.map((restoration) => restoration.seconds));
  if (middle === undefined) return { restorations, open, noData: 'no failed deployment was restored in the window' };
  return { median: middle, band: restoreBand(middle), restorations, open };
}
