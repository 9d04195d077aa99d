/** The incident issue's title, body and follow-up comment, as Markdown. Pure. */
import { formatDuration } from '@cutover/config';
import { markdownTable } from '@cutover/runtime';
import { impactWindow, type TimelineRow } from './timeline.js';

export interface DeploymentRef {
  id: number;
  version?: string;
  ref: string;
  sha: string;
}

/** A side of the rollback known only from the router, with no deployment record: a pool, a release, a split. */
export interface LocalRef {
  name: string;
}

export type IncidentSide = DeploymentRef | LocalRef;

function isDeployment(side: IncidentSide): side is DeploymentRef {
  return 'id' in side;
}

export interface SuspectPull {
  number: number;
  title: string;
  url: string;
  author?: string;
}

export interface SuspectCommit {
  sha: string;
  /** The first line of the message. */
  title: string;
  /** `@login` when GitHub knows the author, else the git author name. */
  author?: string;
  url?: string;
  pulls: SuspectPull[];
}

export interface FailingCheck {
  name: string;
  pool?: string;
  /** The figure that failed, e.g. "error rate 0.12 > max 0.01 (7 of 10 samples)". */
  figure: string;
  /** The report's own words, for alerts: what was seen and what is allowed. */
  observed?: string;
  threshold?: string;
}

export interface RunLink {
  label: string;
  url: string;
}

export interface IncidentFacts {
  environment: string;
  bad: IncidentSide;
  good: IncidentSide;
  reason?: string;
  /** What was restored, e.g. "{blue: 100, green: 0}" or "release v4 on 3 hosts". */
  restored: string;
  timeline: TimelineRow[];
  commits: SuspectCommit[];
  /** Set when the compare could not be read, to say why instead of an empty list. */
  commitsUnavailable?: string;
  /** Older commits left out of the list. */
  commitsOmitted?: number;
  compareUrl?: string;
  checks: FailingCheck[];
  runs: RunLink[];
}

export const INCIDENT_LABEL = 'incident';

/** Hidden in the body; finds the open incident of a deployment when a rollback runs again. */
export function incidentMarker(environment: string, deploymentId: number): string {
  return `<!-- cutover-incident deployment=${deploymentId} environment=${encodeURIComponent(environment)} -->`;
}

export function hasIncidentMarker(body: string | null | undefined, environment: string, deploymentId: number): boolean {
  return (body ?? '').includes(incidentMarker(environment, deploymentId));
}

function name(side: IncidentSide): string {
  return isDeployment(side) ? (side.version ?? side.sha.slice(0, 7)) : side.name;
}

/** "**v2** (deployment 57)", or "**green**" when no deployment record is known. */
function strong(side: IncidentSide): string {
  return isDeployment(side) ? `**${name(side)}** (deployment ${side.id})` : `**${name(side)}**`;
}

export function incidentTitle(facts: IncidentFacts): string {
  return `Incident: ${facts.environment} rolled back from ${name(facts.bad)} to ${name(facts.good)}`;
}

export function renderTimeline(rows: readonly TimelineRow[]): string {
  const table = markdownTable(
    ['Event', 'At (UTC)', 'Took', 'Detail'],
    rows.map((row) => [
      row.event,
      row.at ? row.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '—',
      row.sincePrevious !== undefined ? `+${formatDuration(row.sincePrevious)}` : '',
      row.detail ?? '',
    ]),
  );
  const lines = [table.trimEnd()];
  const impact = impactWindow(rows);
  if (impact !== undefined) lines.push('', `Users were exposed for **${formatDuration(impact)}** (first bad sample, or deployment, to rollback).`);
  return lines.join('\n');
}

export function renderCommits(facts: Pick<IncidentFacts, 'commits' | 'commitsUnavailable' | 'commitsOmitted' | 'compareUrl' | 'good' | 'bad'>): string {
  const heading = facts.compareUrl
    ? `Changes between ${name(facts.good)} and ${name(facts.bad)} ([compare](${facts.compareUrl})):`
    : `Changes between ${name(facts.good)} and ${name(facts.bad)}:`;
  if (facts.commitsUnavailable) return `${heading}\n\n_${facts.commitsUnavailable}_`;
  if (facts.commits.length === 0) return `${heading}\n\n_No commits between the two refs: look at configuration, data and infrastructure._`;
  const lines = facts.commits.map((commit) => {
    const sha = commit.url ? `[\`${commit.sha.slice(0, 7)}\`](${commit.url})` : `\`${commit.sha.slice(0, 7)}\``;
    const author = commit.author ? ` — ${commit.author}` : '';
    const pulls = commit.pulls.map((pull) => `[#${pull.number}](${pull.url}) ${pull.title}${pull.author ? ` by @${pull.author}` : ''}`);
    return `- ${sha} ${commit.title}${author}${pulls.length ? ` (${pulls.join('; ')})` : ''}`;
  });
  if (facts.commitsOmitted) lines.push(`- … and ${facts.commitsOmitted} older commits (see the compare)`);
  return [heading, '', ...lines].join('\n');
}

function renderChecks(checks: readonly FailingCheck[]): string {
  if (checks.length === 0) return '_No health-watch report was given: add the failing figures here._';
  return markdownTable(
    ['Check', 'Pool', 'Figure'],
    checks.map((check) => [check.name, check.pool ?? '', check.figure]),
  ).trimEnd();
}

function renderRuns(runs: readonly RunLink[]): string {
  if (runs.length === 0) return '_No run links were recorded._';
  return runs.map((run) => `- [${run.label}](${run.url})`).join('\n');
}

const FIVE_WHYS = [
  '## Five whys',
  '',
  '_Ask why until the answer is a process or a test that was missing, not a person._',
  '',
  '1. Why did users see the failure?',
  '2. Why?',
  '3. Why?',
  '4. Why?',
  '5. Why?',
  '',
  '**Root cause:** ',
  '',
  '## Follow-up',
  '',
  '- [ ] Add the regression test that would have caught this before it shipped (link its pull request here)',
  '- [ ] Fix the root cause, then deploy the fix through the pipeline',
  '- [ ] Close this issue once the five whys are answered',
].join('\n');

export function renderIncidentBody(facts: IncidentFacts): string {
  return [
    // Without a bad deployment there is nothing a later rollback could find the issue by.
    ...(isDeployment(facts.bad) ? [incidentMarker(facts.environment, facts.bad.id)] : []),
    `**${facts.environment}** was rolled back from ${strong(facts.bad)} to ${strong(facts.good)}: ${facts.restored}.`,
    facts.reason ? `\n> Reason: ${facts.reason.replace(/\r?\n/g, '\n> ')}` : '',
    '',
    '## Timeline',
    '',
    renderTimeline(facts.timeline),
    '',
    '## Suspect commits',
    '',
    renderCommits(facts),
    '',
    '## Failing checks',
    '',
    renderChecks(facts.checks),
    '',
    '## Runs',
    '',
    renderRuns(facts.runs),
    '',
    FIVE_WHYS,
    '',
  ].join('\n');
}

/** Posted on the open incident when the same deployment is rolled back again. */
export function renderRepeatComment(facts: IncidentFacts): string {
  return [
    `Rolled back again: **${facts.environment}** from **${name(facts.bad)}** to ${strong(facts.good)}: ${facts.restored}.`,
    facts.reason ? `\n> Reason: ${facts.reason.replace(/\r?\n/g, '\n> ')}` : '',
    '',
    renderTimeline(facts.timeline),
    '',
    renderRuns(facts.runs),
    '',
  ].join('\n');
}

/** A fence longer than any run of backticks in `text`, so the text is shown exactly. */
function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The incident as the job summary shows it when no issue could be opened (no token): the title and
 * the body in a Markdown block a maintainer copies into a new issue labelled `incident`.
 */
export function renderUnopenedIncident(facts: IncidentFacts): string {
  const body = renderIncidentBody(facts).trimEnd();
  const marks = fence(body);
  return [
    '## Incident not opened: no GitHub token',
    '',
    `There was no token, so no issue was opened. Open one labelled \`${INCIDENT_LABEL}\` with this title and body:`,
    '',
    `**${incidentTitle(facts)}**`,
    '',
    `${marks}markdown`,
    body,
    marks,
    '',
  ].join('\n');
}
