/** For unit tests only: real watch reports from the engine, with scripted http samples and a manual clock. */
import { makeSample, manualClock, watch, type Check, type Sample, type WatchReport } from '@cutover/health';

/** An http check answering 20 requests per pool per look: one in `errorsEvery[pool]` fails (0: none). */
export function scriptedHttpCheck(errorsEvery: Record<string, number>, latency: Record<string, number>): Check {
  const counts: Record<string, number> = {};
  const requests = (pool: string, role: Sample['role']) =>
    Array.from({ length: 20 }, () => {
      counts[pool] = (counts[pool] ?? 0) + 1;
      const failed = errorsEvery[pool]! > 0 && counts[pool]! % errorsEvery[pool]! === 0;
      return makeSample({ check: 'healthz', kind: 'http', role, pool, outcome: failed ? 'fail' : 'pass', answered: !failed, latencyMs: latency[pool]!, value: latency[pool]!, status: failed ? 500 : 200 });
    });
  return {
    name: 'healthz',
    kind: 'http',
    main: true,
    threshold: 'status 200',
    unit: 'ms',
    needsBaseline: false,
    sample: async (context) => [...requests(context.pool, 'target'), ...requests(context.baselinePool!, 'baseline')],
  };
}

/** Watches green (the canary) against blue for 5 s, a look every 500 ms. */
export function canaryWatch(check: Check): Promise<WatchReport> {
  return watch({ checks: [check], target: { name: 'green', addresses: ['a'] }, baseline: { name: 'blue', addresses: ['b'] }, duration: 5000, interval: 500, clock: manualClock(0) });
}
