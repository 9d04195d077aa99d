/** For unit tests: real watch reports from the engine, with scripted requests and a manual clock. */
import { manualClock, watch, type Check, type PoolLook, type RequestOutcome, type WatchReport } from '@cutover/health';

/** A request check answering 200 requests per pool per look: one in `errorsEvery[pool]` fails (0: none). */
export function scriptedHttpCheck(errorsEvery: Record<string, number>, latency: Record<string, number>): Check {
  const counts: Record<string, number> = {};
  const requests = (pool: string): RequestOutcome[] =>
    Array.from({ length: 200 }, () => {
      counts[pool] = (counts[pool] ?? 0) + 1;
      const failed = errorsEvery[pool]! > 0 && counts[pool]! % errorsEvery[pool]! === 0;
      return { failed, latencyMs: latency[pool]!, status: failed ? 500 : 200, ...(failed ? { problem: 'status 500, expected 200' } : {}) };
    });
  const look = (role: PoolLook['role'], pool: string): PoolLook => ({
    check: 'healthz',
    kind: 'http',
    role,
    pool,
    at: 0,
    outcome: 'pass',
    requests: requests(pool),
  });
  return {
    name: 'healthz',
    kind: 'http',
    main: true,
    threshold: 'status 200',
    unit: 'ms',
    measures: 'requests',
    limits: { maxErrorRate: 0.02, latencyFloorMs: 1 },
    needsBaseline: false,
    look: async (context) => [look('target', context.pool), look('baseline', context.baselinePool!)],
  };
}

/** Watches green (the canary) against blue for 5 s, a look every 500 ms. */
export function canaryWatch(check: Check): Promise<WatchReport> {
  return watch({
    checks: [check],
    target: { name: 'green', addresses: ['a'] },
    baseline: { name: 'blue', addresses: ['b'] },
    duration: 5000,
    interval: 500,
    clock: manualClock(0),
  });
}
