import { describe, expect, it } from 'vitest';
import { lookFigures } from './report.js';

describe('lookFigures', () => {
  it('puts a look on one debug line: each check target then baseline, and the decision', () => {
    const line = lookFigures({
      look: 3,
      at: 0,
      elapsedMs: 750,
      checks: [
        { check: 'healthz', state: 'bad', requests: 40, failed: 9, observed: 12.345, baselineRequests: 40, baselineFailed: 0 },
        { check: 'p99', state: 'no-data' },
      ],
      decision: { action: 'unhealthy', reason: 'error rate 22.5% vs 0%', checks: ['healthz'] },
    });
    expect(line).toBe(
      'look 3 at 750 ms: healthz bad: target 9/40 failed, figure 12.35; baseline 0/40 failed | p99 no-data: target no data -> unhealthy (error rate 22.5% vs 0%)',
    );
  });
});
