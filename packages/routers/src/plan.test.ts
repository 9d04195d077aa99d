import { describe, expect, it } from 'vitest';
import { apportion, planTransition, realizedSplit, serverWeights, sharesToSplit } from './plan.js';

describe('planTransition', () => {
  it('raises the new pool before lowering the old one (make-before-break)', () => {
    expect(planTransition({ blue: 100, green: 0 }, { blue: 0, green: 100 })).toEqual([
      { pool: 'green', from: 0, to: 100 },
      { pool: 'blue', from: 100, to: 0 },
    ]);
  });

  it('orders every raise before every lower, leaves unchanged pools out, counts missing pools as 0', () => {
    expect(planTransition({ a: 50, b: 50, c: 0 }, { a: 50, b: 20, c: 30, d: 0 })).toEqual([
      { pool: 'c', from: 0, to: 30 },
      { pool: 'b', from: 50, to: 20 },
    ]);
    expect(planTransition({ stable: 95, canary: 5 }, { canary: 25, stable: 75 })).toEqual([
      { pool: 'canary', from: 5, to: 25 },
      { pool: 'stable', from: 95, to: 75 },
    ]);
    expect(planTransition({ blue: 100 }, { green: 100 })).toEqual([
      { pool: 'green', from: 0, to: 100 },
      { pool: 'blue', from: 100, to: 0 },
    ]);
  });

  it('plans nothing for the same split', () => {
    expect(planTransition({ blue: 100, green: 0 }, { blue: 100 })).toEqual([]);
  });
});

describe('sharesToSplit and apportion', () => {
  it('sums to 100 by largest remainder, ties to the earlier pool', () => {
    expect(sharesToSplit({ a: 1, b: 1, c: 1 })).toEqual({ a: 34, b: 33, c: 33 });
    expect(sharesToSplit({ a: 2, b: 1 })).toEqual({ a: 67, b: 33 });
    expect(sharesToSplit({ blue: 100, green: 0 })).toEqual({ blue: 100, green: 0 });
    expect(sharesToSplit({ blue: 0, green: 0 })).toEqual({ blue: 0, green: 0 });
  });

  it('shares any total', () => {
    expect(apportion({ v1: 50, v2: 50 }, 3)).toEqual({ v1: 2, v2: 1 });
    expect(apportion({ v1: 0, v2: 100 }, 4)).toEqual({ v1: 0, v2: 4 });
  });
});

describe('serverWeights', () => {
  it('gives each pool its share whatever its number of servers', () => {
    // blue: 1 server, green: 2 servers; 50/50 -> blue's one server weighs as much as green's two.
    expect(serverWeights({ blue: 50, green: 50 }, { blue: 1, green: 2 })).toEqual({ blue: 2, green: 1 });
    expect(realizedSplit({ blue: 50, green: 50 }, { blue: 1, green: 2 })).toEqual({ blue: 50, green: 50 });
  });

  it('reduces by the common divisor and keeps 0 for idle pools', () => {
    expect(serverWeights({ blue: 100, green: 0 }, { blue: 1, green: 1 })).toEqual({ blue: 1, green: 0 });
    expect(serverWeights({ stable: 75, canary: 25 }, { stable: 1, canary: 1 })).toEqual({ stable: 3, canary: 1 });
  });

  it('scales under a ceiling such as HAProxy 256, never dropping a pool that has weight to 0', () => {
    const weights = serverWeights({ a: 99, b: 1 }, { a: 7, b: 3 }, 256);
    expect(Math.max(...Object.values(weights))).toBeLessThanOrEqual(256);
    expect(weights.b).toBeGreaterThan(0);
    expect(realizedSplit({ a: 99, b: 1 }, { a: 7, b: 3 }, 256)).toEqual({ a: 99, b: 1 });
  });
});
