/**
 * The one owner of what Cutover records on a GitHub deployment: the payload every traffic action
 * writes (blue-green-switch, canary-step, rollback), versioned, and the reading of deployments and
 * their status histories that rollback, canary-step and delivery-metrics share.
 *
 * The payload is written by `deploymentPayload` only, typed by kind, with `cutover: <version>`;
 * `readDeploymentPayload` reads every version written so far, and payloads written before versions
 * (no `cutover` field): their kind is inferred from their fields. A new field is added to the types
 * here; a change of meaning raises PAYLOAD_VERSION and teaches the reader the old one.
 */
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

/** The payload's version: 1 since payloads carry one. */
export const PAYLOAD_VERSION = 1;

interface PayloadCommon {
  /** The release, when the run was given one. */
  version?: string;
  /** The environment's pools when recorded: pool name -> addresses. */
  pools: Record<string, string[]>;
  /** The router kind that moved traffic. */
  router: string;
  splitBefore: Split;
  /** The split live once the deployment finished: what a rollback restores. */
  splitAfter: Split;
  /** A freeze window this deployment went through with ignore-freeze, and why it was frozen. */
  freezeIgnored?: string;
}

export interface BlueGreenPayload extends PayloadCommon {
  kind: 'blue-green';
}

export interface CanaryPayload extends PayloadCommon {
  kind: 'canary';
  canary: string;
  stable: string;
  steps: number[];
  /** A run that stops below 100 is continued by the next one. */
  resumable: boolean;
}

export interface RollbackPayload extends Omit<PayloadCommon, 'pools'> {
  kind: 'rollback';
  pools?: Record<string, string[]>;
  /** The bad deployment that was rolled back. */
  rolledBackFrom?: number;
  /** The deployment whose state was restored. */
  rolledBackTo?: number;
  reason?: string;
}

/** What a traffic action writes: one of three kinds. */
export type CutoverPayloadInput = BlueGreenPayload | CanaryPayload | RollbackPayload;

/** The payload as written, with its version. */
export type WrittenPayload = CutoverPayloadInput & { cutover: typeof PAYLOAD_VERSION };

/** Builds the payload to send with createDeployment: the one writer. */
export function deploymentPayload(payload: CutoverPayloadInput): WrittenPayload {
  const clean = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined)) as CutoverPayloadInput;
  return { cutover: PAYLOAD_VERSION, ...clean };
}

/**
 * What a reader gets from any payload, of any version or from another tool: every field optional,
 * checked for its type, unknown ones dropped.
 */
export interface CutoverPayload {
  /** The version of the payload's shape: 0 for payloads written before versions. */
  cutover?: number;
  kind?: CutoverPayloadInput['kind'];
  version?: string;
  splitAfter?: Split;
  splitBefore?: Split;
  pools?: Record<string, string[]>;
  router?: string;
  canary?: string;
  stable?: string;
  steps?: number[];
  resumable?: boolean;
  rolledBackFrom?: number;
  rolledBackTo?: number;
  reason?: string;
  freezeIgnored?: string;
}

function isSplit(value: unknown): value is Split {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((weight) => typeof weight === 'number' && Number.isFinite(weight))
  );
}

function isPools(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((addresses) => Array.isArray(addresses) && addresses.every((address) => typeof address === 'string'))
  );
}

/**
 * GitHub returns the payload as it was sent: an object, or a JSON string. Unknown fields are
 * dropped; a payload without a version (written before versions) gets its kind from its fields.
 */
export function readDeploymentPayload(payload: unknown): CutoverPayload {
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
  if (isPools(raw.pools)) read.pools = raw.pools;
  if (typeof raw.router === 'string') read.router = raw.router;
  if (typeof raw.canary === 'string') read.canary = raw.canary;
  if (typeof raw.stable === 'string') read.stable = raw.stable;
  if (Array.isArray(raw.steps) && raw.steps.every((step) => typeof step === 'number')) read.steps = raw.steps as number[];
  if (typeof raw.resumable === 'boolean') read.resumable = raw.resumable;
  if (typeof raw.rolledBackFrom === 'number') read.rolledBackFrom = raw.rolledBackFrom;
  if (typeof raw.rolledBackTo === 'number') read.rolledBackTo = raw.rolledBackTo;
  if (typeof raw.reason === 'string') read.reason = raw.reason;
  if (typeof raw.freezeIgnored === 'string') read.freezeIgnored = raw.freezeIgnored;
  read.cutover = typeof raw.cutover === 'number' ? raw.cutover : 0;
  if (raw.kind === 'blue-green' || raw.kind === 'canary' || raw.kind === 'rollback') read.kind = raw.kind;
  else if (read.cutover === 0) {
    // Before versions: a rollback named the deployment it rolled back, a canary its two pools.
    if (read.rolledBackFrom !== undefined || read.rolledBackTo !== undefined) read.kind = 'rollback';
    else if (read.canary !== undefined && read.stable !== undefined) read.kind = 'canary';
    else if (read.splitAfter !== undefined) read.kind = 'blue-green';
  }
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
