/**
 * Whether the n-th request (1-based, counted since the rate was set) fails at `rate`.
 * Failures are spread evenly and exactly: at 5% the 20th, 40th, ... fail, so any 100 consecutive
 * requests from the start hold exactly 5 failures. Tests need exact figures, not randomness.
 */
export function failsAt(n: number, rate: number): boolean {
  if (!(rate > 0)) return false;
  if (rate >= 1) return true;
  // The epsilon absorbs binary rounding (0.05 * 20 must count as exactly 1).
  const failuresUpTo = (k: number) => Math.floor(k * rate + 1e-9);
  return failuresUpTo(n) > failuresUpTo(n - 1);
}

export function checkRate(rate: number, name = 'errorRate'): number {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`${name} must be a number from 0 to 1, got ${rate}`);
  }
  return rate;
}

export function checkMs(ms: number, name = 'latencyMs'): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${name} must be a number of milliseconds >= 0, got ${ms}`);
  return ms;
}
