/** Mann-Whitney U test, one-sided: are the target's values (latencies) larger than the baseline's? */
import { upperTail } from './stats.js';

export interface RankTest {
  /** U of the target: how many (target, baseline) pairs have the target larger (ties count half). */
  u: number;
  z: number;
  pValue: number;
}

/** Normal approximation with the tie correction and a continuity correction. */
export function mannWhitneyU(target: readonly number[], baseline: readonly number[]): RankTest {
  const n1 = target.length;
  const n2 = baseline.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, z: NaN, pValue: 1 };
  const all = [...target.map((value) => ({ value, target: true })), ...baseline.map((value) => ({ value, target: false }))];
  all.sort((a, b) => a.value - b.value);
  const total = all.length;
  let targetRanks = 0;
  let tieTerm = 0;
  for (let start = 0; start < total; ) {
    let end = start;
    while (end + 1 < total && all[end + 1]!.value === all[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    const ties = end - start + 1;
    tieTerm += ties ** 3 - ties;
    for (let i = start; i <= end; i++) if (all[i]!.target) targetRanks += rank;
    start = end + 1;
  }
  const u = targetRanks - (n1 * (n1 + 1)) / 2;
  const expected = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (total + 1 - tieTerm / (total * (total - 1) || 1));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const z = (u - expected - 0.5) / Math.sqrt(variance);
  return { u, z, pValue: upperTail(z) };
}
