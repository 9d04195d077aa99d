/** The deployment records rollback reads: a structural subset of GitHub's REST objects. */
import type { Split } from '@cutover/config';

export interface DeploymentStatusRecord {
  state: string;
  created_at: string;
  description?: string | null;
  log_url?: string | null;
  target_url?: string | null;
  environment_url?: string | null;
}

export interface DeploymentRecord {
  id: number;
  environment: string;
  task: string;
  ref: string;
  sha: string;
  created_at: string;
  payload: unknown;
  description?: string | null;
  /** The whole status history, in any order. */
  statuses: DeploymentStatusRecord[];
}

/** What Cutover writes in a deployment's payload (blue-green-switch, canary-step, rollback). */
export interface CutoverPayload {
  version?: string;
  /** The split live once the deployment finished: what a rollback restores. */
  splitAfter?: Split;
  splitBefore?: Split;
  pools?: unknown;
  router?: string;
  /** On rollback deployments: the bad deployment that was rolled back. */
  rolledBackFrom?: number;
  /** On rollback deployments: the deployment whose state was restored. */
  rolledBackTo?: number;
  reason?: string;
}

function isSplit(value: unknown): value is Split {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((weight) => typeof weight === 'number' && Number.isFinite(weight))
  );
}

/** GitHub returns the payload as it was sent: an object, or a JSON string. Unknown fields are dropped. */
export function readPayload(payload: unknown): CutoverPayload {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const read: CutoverPayload = {};
  if (typeof raw.version === 'string' && raw.version !== '') read.version = raw.version;
  if (typeof raw.version === 'number') read.version = String(raw.version);
  if (isSplit(raw.splitAfter)) read.splitAfter = raw.splitAfter;
  if (isSplit(raw.splitBefore)) read.splitBefore = raw.splitBefore;
  if (raw.pools !== undefined) read.pools = raw.pools;
  if (typeof raw.router === 'string') read.router = raw.router;
  if (typeof raw.rolledBackFrom === 'number') read.rolledBackFrom = raw.rolledBackFrom;
  if (typeof raw.rolledBackTo === 'number') read.rolledBackTo = raw.rolledBackTo;
  if (typeof raw.reason === 'string') read.reason = raw.reason;
  return read;
}

const FAILED = new Set(['failure', 'error']);

function byTime(a: DeploymentStatusRecord, b: DeploymentStatusRecord): number {
  return Date.parse(a.created_at) - Date.parse(b.created_at);
}

/** Statuses oldest first; equal times keep GitHub's order reversed (GitHub lists newest first). */
export function chronological(statuses: readonly DeploymentStatusRecord[]): DeploymentStatusRecord[] {
  return statuses
    .map((status, index) => ({ status, index }))
    .sort((a, b) => byTime(a.status, b.status) || b.index - a.index)
    .map(({ status }) => status);
}

export function latestStatus(deployment: DeploymentRecord): DeploymentStatusRecord | undefined {
  return chronological(deployment.statuses).at(-1);
}

/** The first time the deployment reached success, if it ever did. */
export function firstSuccess(deployment: DeploymentRecord): DeploymentStatusRecord | undefined {
  return chronological(deployment.statuses).find((status) => status.state === 'success');
}

export function everSucceeded(deployment: DeploymentRecord): boolean {
  return firstSuccess(deployment) !== undefined;
}

/** Marked failure or error since (a bad deployment that was rolled back is one). */
export function endedFailed(deployment: DeploymentRecord): boolean {
  const latest = latestStatus(deployment);
  return latest !== undefined && FAILED.has(latest.state);
}

/** Newest first, by creation time then id (ids grow with time on GitHub). */
export function newestFirst(deployments: readonly DeploymentRecord[]): DeploymentRecord[] {
  return [...deployments].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
}
