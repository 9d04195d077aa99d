/**
 * What the incident takes from a health-watch report (@cutover/health's WatchReport, as JSON):
 * when the first bad sample came and when the watch decided, and the checks that failed with
 * their figures. Read structurally: the file comes from another job, perhaps another version.
 */
import type { FailingCheck } from './body.js';

export interface ReportFacts {
  /** The action that wrote the report (health-watch, canary-step). */
  source?: string;
  verdict?: string;
  reason?: string;
  pool?: string;
  firstBadSampleAt?: string;
  detectedAt?: string;
  checks: FailingCheck[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isoTime(value: unknown): string | undefined {
  const time = text(value);
  return time !== undefined && !Number.isNaN(Date.parse(time)) ? time : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** "p50 3ms, p95 9ms, 7 of 40 failed; allowed: status 200, latency <= 500ms; last: status 500 at ..." */
function figure(check: Record<string, unknown>): string {
  const parts: string[] = [];
  const observed = text(check.observed);
  if (observed) parts.push(`seen ${observed}`);
  const threshold = text(check.threshold);
  if (threshold) parts.push(`allowed ${threshold}`);
  if (typeof check.badIntervals === 'number' && check.badIntervals > 0) parts.push(`${check.badIntervals} bad interval${check.badIntervals === 1 ? '' : 's'}`);
  for (const comparison of Array.isArray(check.comparisons) ? check.comparisons.map(record) : []) {
    const { metric, target, baseline, pValue } = comparison;
    if (typeof target === 'number' && typeof baseline === 'number') {
      parts.push(`${String(metric ?? 'value')} ${target} vs baseline ${baseline}${typeof pValue === 'number' ? ` (p=${pValue})` : ''}`);
    }
  }
  const problem = text(check.lastProblem);
  if (problem) parts.push(`last problem: ${problem}`);
  return parts.join('; ') || 'failed';
}

export function readReportFacts(json: unknown): ReportFacts {
  const report = record(json);
  const pool = text(record(report.target).name);
  const failed = new Set(Array.isArray(report.failedChecks) ? report.failedChecks.filter((name): name is string => typeof name === 'string') : []);
  const checks = (Array.isArray(report.checks) ? report.checks.map(record) : [])
    .filter((check) => check.status === 'fail' || check.status === 'no-data' || failed.has(String(check.name)))
    .map((check) => ({
      name: text(check.name) ?? '(unnamed)',
      ...(pool ? { pool } : {}),
      figure: check.status === 'no-data' ? `no data: ${figure(check)}` : figure(check),
      ...(text(check.observed) ? { observed: text(check.observed) } : {}),
      ...(text(check.threshold) ? { threshold: text(check.threshold) } : {}),
    }));
  const facts: ReportFacts = { checks };
  const source = text(report.source);
  if (source) facts.source = source;
  const verdict = text(report.verdict);
  if (verdict) facts.verdict = verdict;
  const reason = text(report.reason);
  if (reason) facts.reason = reason;
  if (pool) facts.pool = pool;
  const firstBad = isoTime(report.firstBadSampleAt);
  if (firstBad) facts.firstBadSampleAt = firstBad;
  const detected = isoTime(report.detectedAt);
  if (detected) facts.detectedAt = detected;
  return facts;
}
