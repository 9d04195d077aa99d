// What the benchmarks share (bench/run.ts skips files starting with "_").

/** Nearest-rank quantile, q from 0 to 1: the value at least a share q of the samples do not exceed. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
