/**
 * Failed changes and the change failure rate. A change (a deployment that reached success, not a
 * rollback) failed when it was rolled back, marked failure or error after its success (what
 * rollback does to it), or named by an incident. Pure.
 */
import { failureRateBand, type Band } from './bands.js';
import { isChange, oldestFirst, rolledBackDeployment, type DeploymentFacts } from '@cutover/github';
import type { IncidentFacts } from './incidents.js';
import { inWindow, type Window } from './window.js';

export interface Failure {
  deployment: DeploymentFacts;
  /** The rollbacks that restored from it, oldest first. */
  rollbacks: DeploymentFacts[];
  incidents: IncidentFacts[];
  /** In words, for the report: "rolled back by deployment 12", "marked failure", "incident #7". */
  reasons: string[];
}

/** Every failed change among the deployments read, by deployment id. */
export function findFailures(all: readonly DeploymentFacts[], incidents: readonly IncidentFacts[]): Map<number, Failure> {
  const byId = new Map(all.map((facts) => [facts.id, facts]));
  const failures = new Map<number, Failure>();
  const failureOf = (id: number): Failure | undefined => {
    const deployment = byId.get(id);
    if (!deployment || !isChange(deployment)) return undefined;
    let failure = failures.get(id);
    if (!failure) {
      failure = { deployment, rollbacks: [], incidents: [], reasons: [] };
      failures.set(id, failure);
    }
    return failure;
  };
  for (const rollback of oldestFirst(all.filter((facts) => facts.rollback))) {
    const bad = rolledBackDeployment(rollback, all);
    const failure = bad === undefined ? undefined : failureOf(bad);
    if (!failure) continue;
    failure.rollbacks.push(rollback);
    failure.reasons.push(`rolled back by deployment ${rollback.id}`);
  }
  for (const facts of all) {
    if (facts.failedAfterSuccessAt === undefined) continue;
    failureOf(facts.id)?.reasons.push('marked failure after its success');
  }
  for (const incident of incidents) {
    if (incident.deploymentId === undefined) continue;
    const failure = failureOf(incident.deploymentId);
    if (!failure) continue;
    failure.incidents.push(incident);
    failure.reasons.push(`incident #${incident.number}`);
  }
  return failures;
}

export interface FailureRateFigure {
  /** 0..1; undefined when no change reached production in the window. */
  rate?: number;
  band?: Band;
  /** Changes that reached production in the window. */
  total: number;
  deployments: number[];
  failed: { id: number; environment: string; version?: string; reasons: string[] }[];
  noData?: string;
}

export function changeFailureRate(all: readonly DeploymentFacts[], failures: ReadonlyMap<number, Failure>, window: Window): FailureRateFigure {
  const changes = oldestFirst(all.filter((facts) => isChange(facts) && inWindow(window, facts.succeededAt)));
  const failed = changes
    .filter((facts) => failures.has(facts.id))
    .map((facts) => ({
      id: facts.id,
      environment: facts.environment,
      ...(facts.version ? { version: facts.version } : {}),
      reasons: failures.get(facts.id)!.reasons,
    }));
  const deployments = changes.map((facts) => facts.id);
  if (changes.length === 0) return { total: 0, deployments, failed, noData: 'no deployment reached success in the window' };
  const rate = failed.length / changes.length;
  return { rate, band: failureRateBand(rate), total: changes.length, deployments, failed };
}
