import { describe, expect, it } from 'vitest';
import { rejects } from './betting.js';
import { cleanNeed, detectable, looksWithin, planProbes } from './plan.js';

const need = { levels: { harm: 0.05 / 3, health: 0.05 }, tolerances: { error: 0.01, latency: 0.2 }, maxErrorRate: 0.02, compared: true };

describe('the evidence a clean pool needs', () => {
  it('is the fewest requests after which the tests show the limit held and the error rate within the tolerance', () => {
    const n = cleanNeed(need);
    expect(rejects([[0, n]], 0.01, 'below', { lo: -1, hi: 1 }, 0.05)).toBe(true);
    expect(rejects([[0, n - 1]], 0.01, 'below', { lo: -1, hi: 1 }, 0.05)).toBe(false);
    // The figure the docs give: a clean canary needs a few hundred requests per pool.
    expect(n).toBeGreaterThan(300);
    expect(n).toBeLessThan(450);
  });

  it('is smaller alone (only the limit) and infinite with max-error-rate 0', () => {
    expect(cleanNeed({ ...need, compared: false })).toBeLessThan(cleanNeed(need));
    expect(cleanNeed({ ...need, maxErrorRate: 0, compared: false })).toBe(Infinity);
  });

  it('shows smaller regressions with more requests', () => {
    const few = detectable(200, need);
    const more = detectable(2000, need);
    expect(more.errorDifference).toBeLessThan(few.errorDifference);
    expect(more.failedShare).toBeLessThan(few.failedShare);
    expect(more.failedShare).toBeGreaterThan(0.02);
  });
});

describe('the probes of a look', () => {
  const input = { ...need, durationMs: 60_000, intervalMs: 10_000, addresses: { most: 2, fewest: 1 }, maxRate: 100 };

  it('spreads what a clean pool needs, and a quarter more, over the looks of the duration', () => {
    const plan = planProbes(input);
    expect(plan.perLook).toBe(Math.ceil((cleanNeed(need) * 1.25) / looksWithin(60_000, 10_000)));
    expect(plan.byDuration).toBe(plan.perLook * 7);
    expect(plan.most).toBe(1000);
    expect(plan.spreadMs).toBe(8000);
  });

  it('never sends more than max-rate to an address, nor fewer than one request per address', () => {
    const short = planProbes({ ...input, durationMs: 2000, intervalMs: 250 });
    expect(short.perLook).toBe(25);
    expect(short.byDuration).toBeLessThan(short.need);
    const long = planProbes({ ...input, durationMs: 3_600_000, addresses: { most: 8, fewest: 8 } });
    expect(long.perLook).toBe(8);
  });

  it('sends a fixed number per address when the check says so', () => {
    expect(planProbes({ ...input, fixed: 5 })).toMatchObject({ perLook: 10, most: 10 });
  });
});
