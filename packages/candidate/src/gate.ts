/** require-gate: only a commit whose newest gate check run succeeded becomes a candidate. */
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

/** Newest first: by start time, then by id (ids grow with time; a re-run gets a new one). */
function newestFirst(a: CheckRunSummary, b: CheckRunSummary): number {
  const time = Date.parse(b.started_at ?? '') - Date.parse(a.started_at ?? '');
  return Number.isNaN(time) || time === 0 ? b.id - a.id : time;
}

export function decideGate(runs: readonly CheckRunSummary[], gateName: string, commit: string): GateDecision {
  const short = commit.slice(0, 7);
  const newest = runs.filter((run) => run.name === gateName).sort(newestFirst)[0];
  if (!newest) {
    return {
      ok: false,
      reason: `require-gate: commit ${short} has no "${gateName}" check run; run the gate on this commit first (or name another with gate-name, or set require-gate: false)`,
    };
  }
  const where = newest.html_url ?? `check run ${newest.id}`;
  if (newest.status !== 'completed') {
    return { ok: false, reason: `require-gate: the newest "${gateName}" check run of ${short} is ${newest.status}, not finished: ${where}` };
  }
  if (newest.conclusion !== 'success') {
    return {
      ok: false,
      reason: `require-gate: the newest "${gateName}" check run of ${short} concluded ${newest.conclusion}, not success: ${where}; only a green commit becomes a candidate`,
    };
  }
  return { ok: true, gate: { name: gateName, checkRunId: newest.id, url: newest.html_url ?? '', conclusion: 'success' } };
}
