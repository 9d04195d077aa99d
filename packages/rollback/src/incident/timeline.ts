/** The incident's timeline: what happened when, and how long each step took. Pure. */
import { formatDuration } from '@cutover/config';
import { chronological, firstSuccess, type DeploymentRecord } from '@cutover/github';

export interface TimelineRow {
  event: string;
  /** ISO time; undefined when not known (then the row says so and durations skip it). */
  at?: string;
  /** Milliseconds since the previous known event. */
  sincePrevious?: number;
  detail?: string;
}

export interface TimelineInput {
  /** The bad deployment's record; without it (no token, no history) its times are unknown. */
  bad?: DeploymentRecord;
  /** Why the deployment rows are unknown when `bad` is not given; default: no token. */
  badUnknown?: string;
  /** From a health-watch report, when one is given. */
  firstBadSampleAt?: string;
  detectedAt?: string;
  detectedBy?: string;
  rollbackStartedAt: string;
  rolledBackAt: string;
  /** What the last row says happened; default: traffic on the restored deployment. */
  rolledBackDetail?: string;
}

const FAILED = new Set(['failure', 'error']);

/** What the incident says where only GitHub's records would know. */
export const UNKNOWN_WITHOUT_TOKEN = 'unknown without a token';

function deploymentRows(bad: DeploymentRecord): TimelineRow[] {
  const success = firstSuccess(bad);
  const deployedAt = success?.created_at ?? bad.created_at;
  const deployTook = ms(deployedAt) - ms(bad.created_at);
  return [
    {
      event: 'Deployment created',
      at: bad.created_at,
      detail: `deployment ${bad.id} of ${bad.ref === bad.sha ? bad.sha.slice(0, 7) : `${bad.ref} (${bad.sha.slice(0, 7)})`}`,
    },
    {
      event: 'Deployed',
      at: deployedAt,
      detail: success ? `reached success; the deployment took ${formatDuration(deployTook)}` : 'never reached success',
    },
  ];
}

function unknownDeploymentRows(why: string): TimelineRow[] {
  return [
    { event: 'Deployment created', detail: why },
    { event: 'Deployed', detail: why },
  ];
}

function ms(iso: string): number {
  return Date.parse(iso);
}

/**
 * Deployed (with the time the deployment itself took), first bad sample, detected, rollback
 * started, rolled back. Without a report, detection is the first failure status another step
 * recorded on the bad deployment, else the rollback's start (a person or pipeline noticed).
 */
export function buildTimeline(input: TimelineInput): TimelineRow[] {
  const { bad } = input;
  const rows: TimelineRow[] = bad ? deploymentRows(bad) : unknownDeploymentRows(input.badUnknown ?? UNKNOWN_WITHOUT_TOKEN);
  rows.push(
    input.firstBadSampleAt
      ? { event: 'First bad sample', at: input.firstBadSampleAt, detail: 'from the health-watch report' }
      : { event: 'First bad sample', detail: 'unknown (no health-watch report given)' },
  );
  const failedStatus = chronological(bad?.statuses ?? []).find((status) => FAILED.has(status.state));
  if (input.detectedAt) {
    rows.push({ event: 'Detected', at: input.detectedAt, detail: input.detectedBy ?? 'health-watch verdict' });
  } else if (failedStatus && ms(failedStatus.created_at) <= ms(input.rollbackStartedAt)) {
    rows.push({ event: 'Detected', at: failedStatus.created_at, detail: failedStatus.description || `deployment marked ${failedStatus.state}` });
  } else {
    rows.push({ event: 'Detected', at: input.rollbackStartedAt, detail: 'rollback requested' });
  }
  rows.push({ event: 'Rollback started', at: input.rollbackStartedAt });
  rows.push({ event: 'Rolled back', at: input.rolledBackAt, detail: input.rolledBackDetail ?? 'traffic on the restored deployment' });

  let previous: string | undefined;
  for (const row of rows) {
    if (row.at === undefined) continue;
    if (previous !== undefined) row.sincePrevious = Math.max(0, ms(row.at) - ms(previous));
    previous = row.at;
  }
  return rows;
}

/** Time from the first bad sample (or deployment) to traffic restored: how long users were hurt. */
export function impactWindow(rows: readonly TimelineRow[]): number | undefined {
  const start = rows.find((row) => row.event === 'First bad sample' && row.at) ?? rows.find((row) => row.event === 'Deployed');
  const end = rows.find((row) => row.event === 'Rolled back');
  if (!start?.at || !end?.at) return undefined;
  return Math.max(0, ms(end.at) - ms(start.at));
}
