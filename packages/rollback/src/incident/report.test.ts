import { describe, expect, it } from 'vitest';
import { readReportFacts } from './report.js';

const report = {
  verdict: 'unhealthy',
  passed: false,
  reason: 'error-rate failed in 3 consecutive intervals',
  failedChecks: ['error-rate'],
  target: { name: 'green', addresses: ['127.0.0.1:8081'] },
  startedAt: '2025-03-01T10:00:50Z',
  firstBadSampleAt: '2025-03-01T10:01:12.250Z',
  detectedAt: '2025-03-01T10:02:12.000Z',
  checks: [
    { name: 'healthz', status: 'pass', observed: 'p50 3ms, p95 9ms, 0 of 40 failed', threshold: 'status 200' },
    {
      name: 'error-rate',
      status: 'fail',
      observed: 'p50 2ms, p95 4ms, 12 of 40 failed',
      threshold: 'status 200-299',
      badIntervals: 3,
      lastProblem: 'status 500, expected 200-299 at 127.0.0.1:8081',
      comparisons: [{ metric: 'error-rate', target: 0.3, baseline: 0, pValue: 0.0001 }],
    },
    { name: 'revenue', status: 'no-data', observed: 'no samples', threshold: '>= 10' },
  ],
};

describe('readReportFacts', () => {
  it('takes the times and the failing checks with their figures', () => {
    const facts = readReportFacts(report);
    expect(facts).toMatchObject({
      verdict: 'unhealthy',
      pool: 'green',
      firstBadSampleAt: '2025-03-01T10:01:12.250Z',
      detectedAt: '2025-03-01T10:02:12.000Z',
    });
    expect(facts.checks).toEqual([
      {
        name: 'error-rate',
        pool: 'green',
        figure:
          'seen p50 2ms, p95 4ms, 12 of 40 failed; allowed status 200-299; 3 bad intervals; error-rate 0.3 vs baseline 0 (p=0.0001); last problem: status 500, expected 200-299 at 127.0.0.1:8081',
        observed: 'p50 2ms, p95 4ms, 12 of 40 failed',
        threshold: 'status 200-299',
      },
      { name: 'revenue', pool: 'green', figure: 'no data: seen no samples; allowed >= 10', observed: 'no samples', threshold: '>= 10' },
    ]);
  });

  it('names the action that wrote the report, when it says', () => {
    expect(readReportFacts({ ...report, source: 'canary-step' }).source).toBe('canary-step');
    expect(readReportFacts(report).source).toBeUndefined();
  });

  it('reads what it can from other shapes and never throws', () => {
    expect(readReportFacts({ detectedAt: 'yesterday', checks: 'none' })).toEqual({ checks: [] });
    expect(readReportFacts(null)).toEqual({ checks: [] });
    expect(readReportFacts({ failedChecks: ['x'], checks: [{ name: 'x' }] }).checks).toEqual([{ name: 'x', figure: 'failed' }]);
  });
});
