import { describe, expect, it } from 'vitest';
import { failsAt } from './error-schedule.js';

function failures(rate: number, count: number): number[] {
  const failed: number[] = [];
  for (let n = 1; n <= count; n++) if (failsAt(n, rate)) failed.push(n);
  return failed;
}

describe('failsAt', () => {
  it('fails exactly 1 in 20 at 5%, on every 20th request', () => {
    expect(failures(0.05, 100)).toEqual([20, 40, 60, 80, 100]);
  });

  it('spreads uneven rates evenly and exactly', () => {
    expect(failures(0.3, 10)).toHaveLength(3);
    expect(failures(0.3, 100)).toHaveLength(30);
    expect(failures(0.07, 100)).toHaveLength(7);
  });

  it('never fails at 0 and always fails at 1', () => {
    expect(failures(0, 50)).toEqual([]);
    expect(failures(1, 5)).toEqual([1, 2, 3, 4, 5]);
  });
});
