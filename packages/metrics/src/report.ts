/**
 * The report: the four figures overall and per environment, with the deployments and incidents
 * behind each, and the weekly series the charts draw. Pure; written as JSON by the action.
 */
import { BAND_RULES, DORA_SOURCE } from './bands.js';
import { changeFailureRate, findFailures, type FailureRateFigure } from './failures.js';
import { deploymentFrequency, type FrequencyFigure } from './frequency.js';
import { isChange, type DeploymentFacts } from '@cutover/github';
import type { IncidentFacts } from './incidents.js';
import { leadTime, leadTimePlan, type Compared, type LeadTimeFigure } from './lead-time.js';
import { timeToRestore, type RestoreFigure } from './restore.js';
import { median } from './stats.js';
import { inWindow, weekIndex, weekStarts, windowDays, type Window } from './window.js';

export interface Figures {
  deploymentFrequency: FrequencyFigure;
  leadTime: LeadTimeFigure;
  changeFailureRate: FailureRateFigure;
  timeToRestore: RestoreFigure;
}

export interface WeekRow {
  /** The week's first day (weeks run from the window's start). */
  start: string;
  deployments: number;
  failed: number;
  /** Median lead time of the commits shipped that week, seconds. */
  leadTimeMedian?: number;
}

export interface GitHubUse {
  calls: number;
  deploymentsRead: number;
  compares: number;
  incidentsRead: number;
}

export interface MetricsReport {
  repository: string;
  generatedAt: string;
  window: { since: string; until: string; days: number };
  /** The `environment` input; null: every environment found. */
  environment: string | null;
  environments: string[];
  levels: { source: typeof DORA_SOURCE; rules: typeof BAND_RULES };
  overall: Figures;
  byEnvironment: Record<string, Figures>;
  weeks: WeekRow[];
  incidents: { number: number; url: string; title: string; openedAt: string; deploymentId?: number; environment?: string }[];
  github: GitHubUse;
  notes: string[];
}

export interface ReportInput {
  repository: string;
  window: Window;
  environment?: string;
  /** Every deployment read: the window's and the ones before it that the compares start from. */
  deployments: readonly DeploymentFacts[];
  incidents: readonly IncidentFacts[];
  /** What GitHub's compares listed, by deployment id. */
  compared: ReadonlyMap<number, Compared>;
  github: GitHubUse;
  notes?: string[];
  now: number;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

export function figuresOf(
  deployments: readonly DeploymentFacts[],
  incidents: readonly IncidentFacts[],
  compared: ReadonlyMap<number, Compared>,
  window: Window,
): Figures {
  const failures = findFailures(deployments, incidents);
  return {
    deploymentFrequency: deploymentFrequency(deployments, window),
    leadTime: leadTime(leadTimePlan(deployments, window), compared),
    changeFailureRate: changeFailureRate(deployments, failures, window),
    timeToRestore: timeToRestore(deployments, failures, window),
  };
}

function weeks(figures: Figures, deployments: readonly DeploymentFacts[], window: Window): WeekRow[] {
  const rows = weekStarts(window).map((start) => ({ start: iso(start).slice(0, 10), deployments: 0, failed: 0, seconds: [] as number[] }));
  const failed = new Set(figures.changeFailureRate.failed.map((failure) => failure.id));
  for (const facts of deployments) {
    if (!isChange(facts) || !inWindow(window, facts.succeededAt)) continue;
    const row = rows[Math.min(rows.length - 1, weekIndex(window, facts.succeededAt))]!;
    row.deployments += 1;
    if (failed.has(facts.id)) row.failed += 1;
  }
  for (const deployment of figures.leadTime.deployments) {
    rows[Math.min(rows.length - 1, weekIndex(window, deployment.succeededAt))]!.seconds.push(...deployment.commits.map((commit) => commit.seconds));
  }
  return rows.map(({ seconds, ...row }) => {
    const middle = median(seconds);
    return middle === undefined ? row : { ...row, leadTimeMedian: middle };
  });
}

export function buildReport(input: ReportInput): MetricsReport {
  const { window, deployments, incidents, compared } = input;
  const inScope = deployments.filter((facts) => input.environment === undefined || facts.environment === input.environment);
  const environments = [...new Set(inScope.filter((facts) => inWindow(window, facts.succeededAt ?? facts.createdAt)).map((facts) => facts.environment))].sort();
  const overall = figuresOf(inScope, incidents, compared, window);
  const byEnvironment = Object.fromEntries(
    environments.map((name) => [
      name,
      figuresOf(
        inScope.filter((facts) => facts.environment === name),
        incidents.filter((incident) => incident.environment === undefined || incident.environment === name),
        compared,
        window,
      ),
    ]),
  );
  return {
    repository: input.repository,
    generatedAt: iso(input.now),
    window: { since: iso(window.since), until: iso(window.until), days: Number(windowDays(window).toFixed(3)) },
    environment: input.environment ?? null,
    environments,
    levels: { source: DORA_SOURCE, rules: BAND_RULES },
    overall,
    byEnvironment,
    weeks: weeks(overall, inScope, window),
    incidents: incidents.map((incident) => ({
      number: incident.number,
      url: incident.url,
      title: incident.title,
      openedAt: iso(incident.openedAt),
      ...(incident.deploymentId === undefined ? {} : { deploymentId: incident.deploymentId }),
      ...(incident.environment === undefined ? {} : { environment: incident.environment }),
    })),
    github: input.github,
    notes: input.notes ?? [],
  };
}
