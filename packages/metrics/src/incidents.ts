/**
 * Incident issues as rollback opens them (label `incident`): the hidden marker names the bad
 * deployment and its environment; the timeline table has when the failure was first seen and
 * detected. Pure.
 */

/** An issue as GitHub lists it: only what is read here. */
export interface IncidentIssue {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  created_at: string;
  closed_at?: string | null;
  pull_request?: unknown;
}

export interface IncidentFacts {
  number: number;
  url: string;
  title: string;
  openedAt: number;
  closedAt?: number;
  /** From the marker `<!-- cutover-incident deployment=<id> environment=<name> -->`. */
  deploymentId?: number;
  environment?: string;
  /** From the timeline: "First bad sample" and "Detected" rows (UTC, whole seconds). */
  firstBadSampleAt?: number;
  detectedAt?: number;
}

// The marker written by incidentMarker() of @cutover/incident (the run= form has no deployment).
const MARKER = /<!-- cutover-incident (?:deployment=(\d+)|run=\d+) environment=([^\s>]+) -->/;

function timelineTime(body: string, event: string): number | undefined {
  // renderTimeline() writes "| Detected | 2026-11-22 03:35:40 | +1m00s | ... |".
  const row = new RegExp(`^\\|\\s*${event}\\s*\\|\\s*(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)?\\s*\\|`, 'm').exec(body);
  if (!row) return undefined;
  const at = Date.parse(`${row[1]}T${row[2]}Z`);
  return Number.isNaN(at) ? undefined : at;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function incidentFacts(issue: IncidentIssue): IncidentFacts {
  const body = issue.body ?? '';
  const marker = MARKER.exec(body);
  const firstBadSampleAt = timelineTime(body, 'First bad sample');
  const detectedAt = timelineTime(body, 'Detected');
  return {
    number: issue.number,
    url: issue.html_url,
    title: issue.title,
    openedAt: Date.parse(issue.created_at),
    ...(issue.closed_at ? { closedAt: Date.parse(issue.closed_at) } : {}),
    ...(marker?.[1] ? { deploymentId: Number(marker[1]) } : {}),
    ...(marker?.[2] ? { environment: decode(marker[2]) } : {}),
    ...(firstBadSampleAt === undefined ? {} : { firstBadSampleAt }),
    ...(detectedAt === undefined ? {} : { detectedAt }),
  };
}

/** Issues that are issues: GitHub lists pull requests among them. */
export function onlyIssues<T extends { pull_request?: unknown }>(issues: readonly T[]): T[] {
  return issues.filter((issue) => !issue.pull_request);
}
