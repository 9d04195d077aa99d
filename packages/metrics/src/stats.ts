/** Medians and percentiles of durations. Pure; undefined for no values, never NaN. */

/**
 * The q-quantile (0..1) with linear interpolation between closest ranks (type 7 of Hyndman and
 * Fan, what spreadsheets' PERCENTILE.INC and numpy's default compute), so a median of an even
 * count is the mean of the two middle values, as people compute it by hand.
 */
export function quantile(values: readonly number[], q: number): number | undefined {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export function median(values: readonly number[]): number | undefined {
  return quantile(values, 0.5);
}
