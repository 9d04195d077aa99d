/**
 * require-gate: only a commit whose newest gate check run succeeded becomes a candidate. A gate that
 * is not there yet, queued or in progress is waited for (gate-timeout): one push starts the gate and
 * the delivery at once, and the delivery must not race the gate. Pure: the decision and the pace of
 * the polling; gate-wait.ts does the waiting.
 */
import { formatDuration } from '@cutover/config';
import type { GateRecord } from './manifest.js';

/** The fields of a GitHub check run the decision reads. */
export interface CheckRunSummary {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  started_at?: string | null;
}

export type GateDecision = { ok: true; gate: GateRecord } | { ok: false; reason: string };

/** What to do with the gate as it is now: build, refuse at once, or wait for it (saying for what). */
export type GateState =
  | { action: 'pass'; gate: GateRecord }
  | { action: 'refuse'; reason: string }
  /** `status` and `url` of the newest run when there is one (queued, in_progress...). */
  | { action: 'wait'; waitingFor: string; status?: string; url?: string };

/** Newest first: by start time, then by id (ids grow with time; a re-run gets a new one). */
function newestFirst(a: CheckRunSummary, b: CheckRunSummary): number {
  const time = Date.parse(b.started_at ?? '') - Date.parse(a.started_at ?? '');
  return Number.isNaN(time) || time === 0 ? b.id - a.id : time;
}

/** The gate as its check runs on `commit` show it now. */
export function gateState(runs: readonly CheckRunSummary[], gateName: string, commit: string): GateState {
  const short = commit.slice(0, 7);
  const newest = runs.filter((run) => run.name === gateName).sort(newestFirst)[0];
  if (!newest) return { action: 'wait', waitingFor: `the "${gateName}" check run of ${short} (none yet)` };
  const where = newest.html_url ?? `check run ${newest.id}`;
  if (newest.status !== 'completed')
    return { action: 'wait', waitingFor: `the "${gateName}" check run of ${short} (${newest.status}: ${where})`, status: newest.status, url: where };
  if (newest.conclusion !== 'success') {
    return {
      action: 'refuse',
      reason: `require-gate: the newest "${gateName}" check run of ${short} concluded ${newest.conclusion}, not success: ${where}; only a green commit becomes a candidate`,
    };
  }
  return { action: 'pass', gate: { name: gateName, checkRunId: newest.id, url: newest.html_url ?? '', conclusion: 'success' } };
}

/** The refusal once gate-timeout has passed on a gate still missing or unfinished. */
export function gateTimedOut(state: GateState & { action: 'wait' }, gateName: string, commit: string, timeoutMs: number): string {
  const short = commit.slice(0, 7);
  const waited = timeoutMs > 0 ? ` after ${formatDuration(timeoutMs)} (gate-timeout)` : '';
  return state.status === undefined
    ? `require-gate: commit ${short} has no "${gateName}" check run${waited}; run the gate on this commit first (or name another with gate-name, or set require-gate: false)`
    : `require-gate: the newest "${gateName}" check run of ${short} is ${state.status}, not finished${waited}: ${state.url}${timeoutMs > 0 ? '; raise gate-timeout if the gate takes longer' : ''}`;
}

/** The decision without waiting: a gate not finished is refused (gate-timeout 0). */
export function decideGate(runs: readonly CheckRunSummary[], gateName: string, commit: string): GateDecision {
  const state = gateState(runs, gateName, commit);
  if (state.action === 'pass') return { ok: true, gate: state.gate };
  if (state.action === 'refuse') return { ok: false, reason: state.reason };
  return { ok: false, reason: gateTimedOut(state, gateName, commit, 0) };
}

/**
 * Seconds between looks at the gate: 2 s at first, half as long again each time, at most 15 s. A
 * gate that finishes a few seconds late is seen within a few seconds; a 10-minute wait costs about 45
 * requests, far from the 1,000 an hour a workflow's token may make.
 */
export function gatePollDelayMs(poll: number): number {
  return Math.min(15_000, Math.round(2_000 * 1.5 ** poll));
}

/** Log lines while waiting: on a change of what is waited for, else at most every 30 s. */
export const GATE_LOG_EVERY_MS = 30_000;

export function shouldLogWait(previous: { waitingFor: string; at: number } | undefined, waitingFor: string, now: number): boolean {
  return !previous || previous.waitingFor !== waitingFor || now - previous.at >= GATE_LOG_EVERY_MS;
}
