/** One look at a pool: every check once. blue-green-switch uses it before moving traffic. */
import type { Environment } from '@cutover/config';
import type { Check, Sample } from './check.js';
import { createChecks } from './create.js';

export interface SmokeCheckResult {
  name: string;
  kind: Check['kind'];
  passed: boolean;
  /** Checks that only compare with a baseline pool are skipped: a smoke test has none. */
  skipped?: string;
  threshold: string;
  samples: Sample[];
  /** One line per sample that is not a pass. */
  problems: string[];
}

export interface SmokeResult {
  /** No check failed. Alone it is no evidence: see `skipped`. */
  passed: boolean;
  /** No check could run (each compares with a baseline pool): nothing was measured. */
  skipped: boolean;
  pool: string;
  checks: SmokeCheckResult[];
  /**
   * One line for people: "2 checks passed on pool green; skipped without a baseline pool: revenue",
   * "healthz: status 500 at 127.0.0.1:8080 ...", or "no check can run without a baseline pool: ...".
   */
  summary: string;
}

export interface SmokeOptions {
  checks?: Check[];
  names?: string[];
  signal?: AbortSignal;
}

export async function smokeCheck(environment: Environment & { name?: string }, pool: string, options: SmokeOptions = {}): Promise<SmokeResult> {
  const addresses = environment.pools[pool];
  if (!addresses) throw new Error(`pool "${pool}" is not in the environment's pools (it has: ${Object.keys(environment.pools).join(', ')})`);
  const checks = options.checks ?? createChecks(environment, options.names);
  const results = await Promise.all(
    checks.map(async (check): Promise<SmokeCheckResult> => {
      const base = { name: check.name, kind: check.kind, threshold: check.threshold };
      if (check.needsBaseline) return { ...base, passed: true, skipped: 'compares with a baseline pool', samples: [], problems: [] };
      const samples = (await check.sample({ pool, addresses, signal: options.signal })).filter((sample) => sample.role === 'target');
      const problems = samples.filter((sample) => !sample.ok).map(describeProblem);
      return { ...base, passed: samples.length > 0 && problems.length === 0, samples, problems };
    }),
  );
  const failed = results.filter((result) => !result.passed);
  const skipped = results.filter((result) => result.skipped).map((result) => result.name);
  const ran = results.length - skipped.length;
  // A skipped check is no evidence: the summary never counts it as passed.
  const summary = failed.length
    ? failed.map((result) => `${result.name}: ${result.problems.join('; ') || 'no sample'}`).join('; ')
    : ran === 0
      ? `no check can run without a baseline pool: smoke check of pool ${pool} skipped (${skipped.join(', ') || 'no checks'})`
      : `${ran} check${ran === 1 ? '' : 's'} passed on pool ${pool}${skipped.length ? `; skipped without a baseline pool: ${skipped.join(', ')}` : ''}`;
  return { passed: failed.length === 0, skipped: ran === 0, pool, checks: results, summary };
}

export function describeProblem(sample: Sample): string {
  const where = sample.address ? ` at ${sample.address}` : ` on ${sample.pool}`;
  return `${sample.error ?? sample.outcome}${where}`;
}
