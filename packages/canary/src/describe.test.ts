import { describe, expect, it } from 'vitest';
import { makeSample, type Check } from '@cutover/health';
import { abortReason, stepDescription, stepFigures } from './describe.js';
import { canaryWatch, scriptedHttpCheck as httpCheck } from './test-reports.js';

describe('step texts', () => {
  it('a healthy step: the canary against the stable pool, error rate and median latency', async () => {
    const report = await canaryWatch(httpCheck({ green: 0, blue: 0 }, { green: 2.1, blue: 2 }));
    expect(report.verdict).toBe('healthy');
    expect(stepFigures(report)).toBe('error rate 0% vs 0%, median 2.1ms vs 2ms');
    expect(stepDescription(25, report)).toBe('25% canary, healthy: error rate 0% vs 0%, median 2.1ms vs 2ms');
  });

  it('an aborted step names the failing check and its figures', async () => {
    // One request in 10: clearly significant within the 10 looks of 20 requests, whatever the alpha spending.
    const report = await canaryWatch(httpCheck({ green: 10, blue: 0 }, { green: 2, blue: 2 }));
    expect(report.verdict).toBe('unhealthy');
    const reason = abortReason(5, report);
    expect(reason).toMatch(/^healthz failed at 5% canary \(unhealthy\): healthz error-rate worse than baseline: 10% vs 0% \(\d+\/\d+ vs 0\/\d+, p=/);
  });

  it('without a compared http check: what the main check observed', async () => {
    const check: Check = {
      name: 'revenue',
      kind: 'command',
      main: true,
      threshold: '>= 10',
      unit: '',
      needsBaseline: false,
      sample: async (context) => [makeSample({ check: 'revenue', kind: 'command', role: 'target', pool: context.pool, outcome: 'pass', value: 12 })],
    };
    const report = await canaryWatch(check);
    expect(stepFigures(report)).toBe('revenue last 12, range 12 to 12');
  });
});
