import { describe, expect, it } from 'vitest';
import type { Check } from '@cutover/health';
import { abortReason, stepDescription, stepFigures } from './describe.js';
import { canaryWatch, scriptedHttpCheck as httpCheck } from '@cutover/testkit';

describe('step texts', () => {
  it('a healthy step: the canary against the stable pool, error rate and median latency', async () => {
    const report = await canaryWatch(httpCheck({ green: 0, blue: 0 }, { green: 2.1, blue: 2 }));
    expect(report.verdict).toBe('healthy');
    expect(stepFigures(report)).toBe('error rate 0% vs 0%, median 2.1ms vs 2ms');
    expect(stepDescription(25, report)).toBe('25% canary, healthy: error rate 0% vs 0%, median 2.1ms vs 2ms');
  });

  it('an aborted step names the failing check and its figures', async () => {
    // One request in 10: 10% against a 2% limit and a clean baseline, clear at the first look of 200.
    const report = await canaryWatch(httpCheck({ green: 10, blue: 0 }, { green: 2, blue: 2 }));
    expect(report.verdict).toBe('unhealthy');
    const reason = abortReason(5, report);
    expect(reason).toMatch(
      /^healthz failed at 5% canary \(unhealthy\): healthz: 10% of 200 requests failed on green, at least [\d.]+% \(limit 2%\); healthz error rate worse than blue: 10% vs 0%, at least \+[\d.]+ points/,
    );
  });

  it('without a compared http check: what the main check observed', async () => {
    const check: Check = {
      name: 'revenue',
      kind: 'command',
      main: true,
      threshold: '>= 10',
      unit: '',
      measures: 'value',
      needsBaseline: false,
      look: async (context) => [{ check: 'revenue', kind: 'command', role: 'target', pool: context.pool, at: 0, outcome: 'pass', value: 12 }],
    };
    const report = await canaryWatch(check);
    expect(stepFigures(report)).toBe('revenue last 12, range 12 to 12');
  });
});
