/**
 * Comparative analysis of one http check, as Kayenta judges a canary: the target fails a metric only
 * when it is worse with statistical significance AND by more than the tolerance. Significance alone
 * would fail a canary for a difference nobody cares about; the tolerance alone would fail it on noise.
 */
import type { Sample } from '../check.js';
import { round } from '../limits.js';
import { mannWhitneyU } from './mann-whitney.js';
import { twoProportionTest } from './proportions.js';
import { lookAlpha } from './sequential.js';
import { median, quantile } from './stats.js';

export type ComparedMetric = 'error-rate' | 'latency';

export interface Comparison {
  check: string;
  metric: ComparedMetric;
  targetCount: number;
  baselineCount: number;
  /** Error rate (0..1), or median latency in ms. */
  target: number;
  baseline: number;
  targetP95?: number;
  baselineP95?: number;
  /** error-rate: target - baseline; latency: target median / baseline median - 1. */
  effect: number;
  tolerance: number;
  pValue: number;
  /** The significance level this look tested at (after the corrections for looks and tests). */
  level: number;
  enoughData: boolean;
  significant: boolean;
  beyondTolerance: boolean;
  failed: boolean;
  /** For people: "5.0% vs 1.0% (p=0.0003)". */
  observed: string;
  threshold: string;
}

export interface CompareSettings {
  level: number;
  tolerance: number;
  minSamples: number;
}

const percent = (rate: number) => `${round(rate * 100)}%`;

/** A request that got no expected answer (wrong status, no connection, timeout) is an error. */
export function isError(sample: Sample): boolean {
  return sample.answered === false || sample.outcome === 'source-failure';
}

export function compareErrorRates(check: string, target: readonly Sample[], baseline: readonly Sample[], settings: CompareSettings): Comparison {
  const targetErrors = target.filter(isError).length;
  const baselineErrors = baseline.filter(isError).length;
  const test = twoProportionTest(targetErrors, target.length, baselineErrors, baseline.length);
  return judge(
    {
      check,
      metric: 'error-rate',
      targetCount: target.length,
      baselineCount: baseline.length,
      target: test.targetRate,
      baseline: test.baselineRate,
      effect: test.difference,
      pValue: test.pValue,
      observed: `${percent(test.targetRate)} vs ${percent(test.baselineRate)} (${targetErrors}/${target.length} vs ${baselineErrors}/${baseline.length}, p=${pText(test.pValue)})`,
      threshold: `not above baseline + ${round(settings.tolerance * 100)} points (one-sided, p < ${pText(settings.level)})`,
    },
    settings,
  );
}

export function compareLatencies(check: string, target: readonly Sample[], baseline: readonly Sample[], settings: CompareSettings): Comparison {
  const latencies = (samples: readonly Sample[]) => samples.filter((sample) => !isError(sample) && sample.latencyMs !== undefined).map((sample) => sample.latencyMs!);
  const targetValues = latencies(target);
  const baselineValues = latencies(baseline);
  const test = mannWhitneyU(targetValues, baselineValues);
  const targetMedian = median(targetValues);
  const baselineMedian = median(baselineValues);
  const effect = baselineMedian > 0 ? targetMedian / baselineMedian - 1 : targetMedian > 0 ? Infinity : 0;
  const targetP95 = quantile(targetValues, 0.95);
  const baselineP95 = quantile(baselineValues, 0.95);
  return judge(
    {
      check,
      metric: 'latency',
      targetCount: targetValues.length,
      baselineCount: baselineValues.length,
      target: targetMedian,
      baseline: baselineMedian,
      targetP95,
      baselineP95,
      effect,
      pValue: test.pValue,
      observed: `median ${round(targetMedian)}ms vs ${round(baselineMedian)}ms, p95 ${round(targetP95)}ms vs ${round(baselineP95)}ms (p=${pText(test.pValue)})`,
      threshold: `median not above baseline × ${round(1 + settings.tolerance)} (Mann-Whitney, one-sided, p < ${pText(settings.level)})`,
    },
    settings,
  );
}

function judge(partial: Omit<Comparison, 'tolerance' | 'level' | 'enoughData' | 'significant' | 'beyondTolerance' | 'failed'>, settings: CompareSettings): Comparison {
  const enoughData = partial.targetCount >= settings.minSamples && partial.baselineCount >= settings.minSamples;
  const significant = enoughData && settings.level > 0 && partial.pValue < settings.level;
  const beyondTolerance = partial.effect > settings.tolerance;
  return { ...partial, tolerance: settings.tolerance, level: settings.level, enoughData, significant, beyondTolerance, failed: significant && beyondTolerance };
}

export function pText(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  return p < 0.0001 ? p.toExponential(1) : String(round(p));
}

export interface ComparativeInput {
  /** 1-based number of this look, and how many the watch may make (up to its deadline). */
  look: number;
  plannedLooks: number;
  confidence: number;
  errorTolerance: number;
  latencyTolerance: number;
  minSamples: number;
  /** Every sample so far of each compared check, by pool. */
  checks: { name: string; target: readonly Sample[]; baseline: readonly Sample[] }[];
  /** Per test (check/metric): the fraction of the plan at which it last spent alpha. */
  spent: Readonly<Record<string, number>>;
}

/**
 * One look of the comparative analysis: every compared check's error rate and latency, each tested
 * at its share of the alpha this look may spend (alpha = 1 - confidence, split evenly across the
 * tests by Bonferroni, and across the looks by the spending schedule of sequential.ts).
 * Alpha is spent only by looks that have enough data to test.
 */
export function compareLook(input: ComparativeInput): { comparisons: Comparison[]; spent: Record<string, number> } {
  const tests = input.checks.length * 2;
  const alphaPerTest = (1 - input.confidence) / Math.max(1, tests);
  const spent = { ...input.spent };
  const comparisons: Comparison[] = [];
  for (const check of input.checks) {
    for (const metric of ['error-rate', 'latency'] as const) {
      const key = `${check.name}/${metric}`;
      const { level, fraction } = lookAlpha(alphaPerTest, input.look, input.plannedLooks, spent[key] ?? 0);
      const tolerance = metric === 'error-rate' ? input.errorTolerance : input.latencyTolerance;
      const compare = metric === 'error-rate' ? compareErrorRates : compareLatencies;
      const comparison = compare(check.name, check.target, check.baseline, { level, tolerance, minSamples: input.minSamples });
      if (comparison.enoughData) spent[key] = fraction;
      comparisons.push(comparison);
    }
  }
  return { comparisons, spent };
}
