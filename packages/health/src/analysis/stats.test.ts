import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from './mann-whitney.js';
import { twoProportionTest } from './proportions.js';
import { lookAlpha, spentAlpha } from './sequential.js';
import { mean, median, quantile, upperTail } from './stats.js';

describe('the normal tail', () => {
  it('gives the textbook values', () => {
    expect(upperTail(0)).toBeCloseTo(0.5, 7);
    expect(upperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(upperTail(2.326348)).toBeCloseTo(0.01, 6);
    expect(upperTail(-1.644854)).toBeCloseTo(0.95, 6);
    // Far in the tail the relative error stays small: spent alpha levels are tiny.
    expect(upperTail(4.264891) / 1e-5).toBeCloseTo(1, 4);
  });
});

describe('quantiles', () => {
  it('interpolates between ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([0, 10], 0.95)).toBeCloseTo(9.5);
    expect(quantile([], 0.5)).toBeNaN();
    expect(mean([1, 2, 3])).toBe(2);
  });
});

describe('the two-proportion test', () => {
  it('finds 5% against 1% over 1,000 requests each very unlikely by chance', () => {
    const test = twoProportionTest(50, 1000, 10, 1000);
    expect(test.targetRate).toBe(0.05);
    expect(test.difference).toBeCloseTo(0.04);
    expect(test.z).toBeGreaterThan(5);
    expect(test.pValue).toBeLessThan(1e-6);
  });

  it('is one-sided: a better target is never significant', () => {
    expect(twoProportionTest(10, 1000, 50, 1000).pValue).toBeGreaterThan(0.99);
  });

  it('gives no evidence without data, or without any error', () => {
    expect(twoProportionTest(0, 0, 1, 10).pValue).toBe(1);
    expect(twoProportionTest(0, 100, 0, 100).pValue).toBe(1);
  });

  it('applies the continuity correction: one error against none is no evidence', () => {
    expect(twoProportionTest(1, 20, 0, 20).pValue).toBeGreaterThan(0.4);
  });

  it('matches a hand computation', () => {
    // p = 30/400; se = sqrt(.075 * .925 * (2/200)) = 0.026339; z = (0.1 - 0.05 - 0.005) / se = 1.7085
    const test = twoProportionTest(20, 200, 10, 200);
    expect(test.z).toBeCloseTo(1.7085, 3);
    expect(test.pValue).toBeCloseTo(0.04377, 4);
  });
});

describe('the Mann-Whitney U test', () => {
  it('counts the pairs where the target is larger', () => {
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3]).u).toBe(9);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).u).toBe(0);
    expect(mannWhitneyU([2, 2], [2, 2]).u).toBe(2);
  });

  it('finds a slower target and never a faster one', () => {
    const base = Array.from({ length: 50 }, (_, i) => 10 + (i % 10));
    const slow = base.map((value) => value * 1.5);
    expect(mannWhitneyU(slow, base).pValue).toBeLessThan(1e-6);
    expect(mannWhitneyU(base, slow).pValue).toBeGreaterThan(0.99);
  });

  it('gives no evidence when the pools are the same, or all values tie', () => {
    const values = Array.from({ length: 40 }, (_, i) => i);
    expect(mannWhitneyU(values, values).pValue).toBeGreaterThan(0.45);
    expect(mannWhitneyU([5, 5, 5], [5, 5]).pValue).toBe(1);
    expect(mannWhitneyU([], [1]).pValue).toBe(1);
  });

  it('matches the normal approximation by hand', () => {
    // U = 80 + 8 + 6 = 94 (each target beats 1..8; 8 beat 12.5; 6 beat 14.5); mean 50,
    // sd = sqrt(100 * 21 / 12) = 13.2288; z = (94 - 50 - 0.5) / 13.2288 = 3.2883
    const target = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    const baseline = [1, 2, 3, 4, 5, 6, 7, 8, 12.5, 14.5];
    const test = mannWhitneyU(target, baseline);
    expect(test.u).toBe(94);
    expect(test.z).toBeCloseTo(3.2883, 3);
  });
});

describe('alpha spending over repeated looks', () => {
  it('spends all of alpha by the last planned look, and nothing before the first', () => {
    expect(spentAlpha(0.05, 0)).toBe(0);
    expect(spentAlpha(0.05, 1)).toBeCloseTo(0.05, 12);
    expect(spentAlpha(0.05, 2)).toBeCloseTo(0.05, 12);
  });

  it('gives looks levels that add up to alpha, whichever looks test', () => {
    let total = 0;
    let last = 0;
    for (let look = 1; look <= 30; look += look < 10 ? 3 : 1) {
      const { level, fraction } = lookAlpha(0.05, look, 30, last);
      total += level;
      last = fraction;
    }
    expect(total).toBeCloseTo(0.05, 12);
  });

  it('never tests a look beyond the plan at level 0: it keeps the level of the last planned look', () => {
    const last = lookAlpha(0.05, 30, 30, 29 / 30).level;
    expect(last).toBeGreaterThan(0);
    expect(lookAlpha(0.05, 31, 30, 1)).toEqual({ level: last, fraction: 1 });
    expect(lookAlpha(0.05, 40, 30, 1).level).toBe(last);
    // A test that has not spent since an earlier look still gets the rest of its budget.
    expect(lookAlpha(0.05, 31, 30, 0.5).level).toBeCloseTo(0.05 - spentAlpha(0.05, 0.5), 12);
  });
});
