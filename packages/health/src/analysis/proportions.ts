/** Two-proportion z-test, one-sided: is the target's error rate higher than the baseline's? */
import { upperTail } from './stats.js';

export interface ProportionTest {
  targetRate: number;
  baselineRate: number;
  /** targetRate - baselineRate */
  difference: number;
  z: number;
  /** P(a difference this large or larger | equal rates). */
  pValue: number;
}

/**
 * Pooled-variance z with Yates' continuity correction: with the small counts of early looks the
 * plain normal approximation is too eager, and false alarms matter more than a few seconds.
 */
export function twoProportionTest(targetErrors: number, targetTotal: number, baselineErrors: number, baselineTotal: number): ProportionTest {
  const targetRate = targetTotal ? targetErrors / targetTotal : NaN;
  const baselineRate = baselineTotal ? baselineErrors / baselineTotal : NaN;
  const difference = targetRate - baselineRate;
  if (!targetTotal || !baselineTotal) return { targetRate, baselineRate, difference, z: NaN, pValue: 1 };
  const pooled = (targetErrors + baselineErrors) / (targetTotal + baselineTotal);
  const spread = 1 / targetTotal + 1 / baselineTotal;
  const standardError = Math.sqrt(pooled * (1 - pooled) * spread);
  if (standardError === 0) return { targetRate, baselineRate, difference, z: 0, pValue: 1 };
  const corrected = difference > 0 ? Math.max(0, difference - spread / 2) : difference;
  const z = corrected / standardError;
  return { targetRate, baselineRate, difference, z, pValue: upperTail(z) };
}
