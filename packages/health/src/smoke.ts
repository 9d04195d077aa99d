/**
 * One look at a pool before it takes traffic: every check once, every request judged by the check's
 * own limits (a failed or slow answer fails the smoke check). blue-green-switch runs it first.
 */
import { poolAddressesOf, type Environment } from '@cutover/config';
import type { Check, PoolLook } from './check.js';
import { createChecks } from './sources/create.js';
import type { CheckEdges } from './sources/kind.js';

export interface SmokeCheckResult {
  name: string;
  kind: string;
  passed: boolean;
  /** Why the check could not run on an idle pool: it compares with a baseline, or counts users' traffic. */
  skipped?: string;
  threshold: string;
  looks: PoolLook[];
  /** One line per request or look that is not a pass. */
  problems: string[];
}

export interface SmokeResult {
  /** No check failed. Alone it is no evidence: see `skipped`. */
  passed: boolean;
  /** No check could run: nothing was measured. */
  skipped: boolean;
  pool: string;
  checks: SmokeCheckResult[];
  /**
   * One line for people: "2 checks passed on pool green; skipped: revenue (compares with a baseline
   * pool)", "healthz: status 500 at 127.0.0.1:8080 ...", or "no check can run on an idle pool: ...".
   */
  summary: string;
}

export interface SmokeOptions {
  checks?: Check[];
  names?: string[];
  signal?: AbortSignal;
  edges?: CheckEdges;
}

function problemsOf(looks: readonly PoolLook[]): string[] {
  const problems: string[] = [];
  for (const look of looks) {
    if (look.outcome === 'fail' || look.outcome === 'source-failure' || look.outcome === 'no-data')
      problems.push(`${look.error ?? look.outcome} on ${look.pool}`);
    for (const request of look.requests ?? []) {
      if (request.failed || request.slow) problems.push(`${request.problem ?? 'failed'}${request.address ? ` at ${request.address}` : ''}`);
    }
  }
  return problems;
}

export async function smokeCheck(environment: Environment & { name?: string }, pool: string, options: SmokeOptions = {}): Promise<SmokeResult> {
  const addresses = poolAddressesOf(environment.pools, pool);
  if (!addresses) throw new Error(`pool "${pool}" is not in the environment's pools (it has: ${Object.keys(environment.pools).join(', ')})`);
  const checks = options.checks ?? createChecks(environment, options.names, 'checks', options.edges);
  const results = await Promise.all(
    checks.map(async (check): Promise<SmokeCheckResult> => {
      const base = { name: check.name, kind: check.kind, threshold: check.threshold };
      if (check.needsBaseline) return { ...base, passed: true, skipped: 'compares with a baseline pool', looks: [], problems: [] };
      if (check.kind === 'traffic') return { ...base, passed: true, skipped: "counts users' traffic, which an idle pool has none of", looks: [], problems: [] };
      const looks = (await check.look({ pool, addresses, ...(options.signal ? { signal: options.signal } : {}) })).filter((look) => look.role === 'target');
      const problems = problemsOf(looks);
      return { ...base, passed: looks.length > 0 && problems.length === 0, looks, problems };
    }),
  );
  const failed = results.filter((result) => !result.passed);
  const skipped = results.filter((result) => result.skipped);
  const ran = results.length - skipped.length;
  const skippedText = skipped.map((result) => `${result.name} (${result.skipped})`).join(', ');
  // A skipped check is no evidence: the summary never counts it as passed.
  const summary = failed.length
    ? failed.map((result) => `${result.name}: ${result.problems.slice(0, 5).join('; ') || 'no sample'}`).join('; ')
    : ran === 0
      ? `no check can run on an idle pool: smoke check of pool ${pool} skipped (${skippedText || 'no checks'})`
      : `${ran} check${ran === 1 ? '' : 's'} passed on pool ${pool}${skipped.length ? `; skipped: ${skippedText}` : ''}`;
  return { passed: failed.length === 0, skipped: ran === 0, pool, checks: results, summary };
}

export function describeProblem(look: PoolLook): string {
  return problemsOf([look])[0] ?? `${look.outcome} on ${look.pool}`;
}
