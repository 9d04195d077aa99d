import { describe, expect, it } from 'vitest';
import { makeSample, type Sample } from '../check.js';
import { compareErrorRates, compareLatencies, compareLook, isError } from './compare.js';

function requests(pool: 'target' | 'baseline', count: number, errors: number, latency: (i: number) => number): Sample[] {
  return Array.from({ length: count }, (_, i) => {
    const failed = i < errors;
    return makeSample({ check: 'web', kind: 'http', role: pool, pool, at: 0, outcome: failed ? 'fail' : 'pass', answered: !failed, latencyMs: latency(i), value: latency(i) });
  });
}

const settings = { level: 0.001, tolerance: 0.01, minSamples: 50 };

describe('comparing error rates', () => {
  it('fails a target significantly and materially worse', () => {
    const comparison = compareErrorRates('web', requests('target', 1000, 50, () => 10), requests('baseline', 1000, 10, () => 10), settings);
    expect(comparison).toMatchObject({ metric: 'error-rate', target: 0.05, baseline: 0.01, significant: true, beyondTolerance: true, failed: true });
    expect(comparison.observed).toMatch(/^5% vs 1% \(50\/1000 vs 10\/1000, p=/);
  });

  it('passes a significant difference within the tolerance (Kayenta: both are needed)', () => {
    const comparison = compareErrorRates('web', requests('target', 100_000, 1500, () => 10), requests('baseline', 100_000, 1000, () => 10), settings);
    expect(comparison).toMatchObject({ significant: true, beyondTolerance: false, failed: false });
  });

  it('passes a large difference that could be chance', () => {
    const comparison = compareErrorRates('web', requests('target', 60, 3, () => 10), requests('baseline', 60, 0, () => 10), settings);
    expect(comparison).toMatchObject({ beyondTolerance: true, significant: false, failed: false });
  });

  it('never judges with fewer than min-samples', () => {
    const comparison = compareErrorRates('web', requests('target', 40, 40, () => 10), requests('baseline', 40, 0, () => 10), settings);
    expect(comparison).toMatchObject({ enoughData: false, failed: false });
  });

  it('counts a source failure as an error', () => {
    const dead = makeSample({ check: 'web', kind: 'http', role: 'target', pool: 'g', at: 0, outcome: 'source-failure', error: 'ECONNREFUSED' });
    expect(isError(dead)).toBe(true);
  });
});

describe('comparing latencies', () => {
  it('fails a target 50% slower', () => {
    const comparison = compareLatencies('web', requests('target', 200, 0, (i) => 15 + (i % 20)), requests('baseline', 200, 0, (i) => 10 + (i % 20) / 1.5), settings);
    expect(comparison.failed).toBe(true);
    expect(comparison.effect).toBeGreaterThan(0.2);
    expect(comparison.observed).toMatch(/^median .*ms vs .*ms, p95/);
  });

  it('passes a target slower by less than the tolerance, however significant', () => {
    const comparison = compareLatencies('web', requests('target', 500, 0, (i) => 11 + (i % 10)), requests('baseline', 500, 0, (i) => 10 + (i % 10)), { ...settings, tolerance: 0.2 });
    expect(comparison).toMatchObject({ significant: true, beyondTolerance: false, failed: false });
  });

  it('leaves failed requests out of the latencies', () => {
    const comparison = compareLatencies('web', requests('target', 100, 40, () => 10), requests('baseline', 100, 0, () => 10), settings);
    expect(comparison.targetCount).toBe(60);
  });
});

describe('one look of the comparative analysis', () => {
  it('tests both metrics of every check and spends alpha only when it can test', () => {
    const checks = [{ name: 'web', target: requests('target', 20, 0, () => 10), baseline: requests('baseline', 20, 0, () => 10) }];
    const first = compareLook({ look: 1, plannedLooks: 10, confidence: 0.95, errorTolerance: 0.01, latencyTolerance: 0.2, minSamples: 50, checks, spent: {} });
    expect(first.comparisons.map((c) => c.metric)).toEqual(['error-rate', 'latency']);
    expect(first.spent).toEqual({});
    const enough = [{ name: 'web', target: requests('target', 60, 0, () => 10), baseline: requests('baseline', 60, 0, () => 10) }];
    const second = compareLook({ look: 5, plannedLooks: 10, confidence: 0.95, errorTolerance: 0.01, latencyTolerance: 0.2, minSamples: 50, checks: enough, spent: first.spent });
    expect(second.spent).toEqual({ 'web/error-rate': 0.5, 'web/latency': 0.5 });
    // Half the plan at once, split over two tests: 0.025 * ln(1 + (e - 1) / 2).
    expect(second.comparisons[0]!.level).toBeCloseTo(0.025 * Math.log(1 + (Math.E - 1) / 2), 10);
  });
});
