import { describe, expect, it } from 'vitest';
import { bernoulli, logWealth, lowerBound, rejects, upperBound, STAKES } from './betting.js';

const UNIT = { lo: 0, hi: 1 };

/** Mulberry32: seeded, so the simulated rates are the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('betting against a mean', () => {
  it('weights its stakes to one', () => {
    expect(STAKES.reduce((sum, [, weight]) => sum + weight, 0)).toBeCloseTo(1, 12);
  });

  it('grows on evidence against the hypothesis and shrinks on evidence for it', () => {
    expect(logWealth(bernoulli(30, 100), 0.02, 'above', UNIT)).toBeGreaterThan(Math.log(1000));
    expect(logWealth(bernoulli(0, 100), 0.02, 'above', UNIT)).toBeLessThan(0);
    expect(logWealth(bernoulli(0, 400), 0.02, 'below', UNIT)).toBeGreaterThan(Math.log(20));
  });

  it('depends only on the counts: one look of 200 is the same as 200 looks of one', () => {
    const batch = logWealth(bernoulli(10, 200), 0.02, 'above', UNIT);
    const split = logWealth([...Array.from({ length: 10 }, () => [1, 1] as const), [0, 190]], 0.02, 'above', UNIT);
    expect(split).toBeCloseTo(batch, 10);
  });

  it('rejects a true hypothesis at most alpha of the time, however often it looks (Ville)', () => {
    // 2,000 sequences of 1,000 values at exactly the hypothesised rate, tested after every value.
    const next = random(7);
    const alpha = 0.05;
    let rejected = 0;
    for (let run = 0; run < 2000; run++) {
      let hits = 0;
      for (let n = 1; n <= 1000; n++) {
        if (next() < 0.02) hits += 1;
        if (rejects(bernoulli(hits, n), 0.02, 'above', UNIT, alpha)) {
          rejected += 1;
          break;
        }
      }
    }
    expect(rejected / 2000).toBeLessThanOrEqual(alpha);
    expect(rejected).toBeGreaterThan(0);
    // Two million tests: about 4 s alone, past vitest's 10 s default on a loaded two-core runner.
  }, 60_000);

  it('rejects "mean at most the range\'s low end" on any value above it, and never otherwise', () => {
    expect(logWealth(bernoulli(1, 50), 0, 'above', UNIT)).toBe(Infinity);
    expect(logWealth(bernoulli(0, 50), 0, 'above', UNIT)).toBe(0);
  });
});

describe('bounds from the tests', () => {
  it('bracket the observed rate and agree with the tests at their edges', () => {
    const tally = bernoulli(30, 200);
    const low = lowerBound(tally, UNIT, 0.01);
    const high = upperBound(tally, UNIT, 0.05);
    expect(low).toBeLessThan(0.15);
    expect(high).toBeGreaterThan(0.15);
    expect(rejects(tally, low - 1e-6, 'above', UNIT, 0.01)).toBe(true);
    expect(rejects(tally, low + 1e-6, 'above', UNIT, 0.01)).toBe(false);
    expect(rejects(tally, high + 1e-6, 'below', UNIT, 0.05)).toBe(true);
    expect(rejects(tally, high - 1e-6, 'below', UNIT, 0.05)).toBe(false);
  });

  it('narrow as evidence grows', () => {
    const width = (n: number) => upperBound(bernoulli(n / 10, n), UNIT, 0.05) - lowerBound(bernoulli(n / 10, n), UNIT, 0.05);
    expect(width(1000)).toBeLessThan(width(100));
    expect(width(10_000)).toBeLessThan(width(1000) / 2);
  });

  it('say nothing without data', () => {
    expect(lowerBound([], UNIT, 0.05)).toBe(0);
    expect(upperBound([], UNIT, 0.05)).toBe(1);
  });
});
