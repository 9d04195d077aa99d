/** The prometheus check: an instant query per pool, judged by min/max or against the baseline pool. */
import { parseDuration, type CheckConfig, type PrometheusCheckConfig } from '@cutover/config';
import { describeError, fillTemplate, makeSample, type Check, type Sample, type SampleContext } from './check.js';
import { breach, describeLimits, hasAbsoluteLimit, hasRelativeLimit, type Limits } from './limits.js';

export const PROMETHEUS_DEFAULT_TIMEOUT_MS = 5_000;

/** What one query gave: a number (±Infinity included), nothing to judge (NaN: no traffic), or a failed source. */
export type QueryResult = { value: number } | { noData: string } | { failure: string };

interface QueryBody {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Reads a /api/v1/query answer. Empty and ambiguous results are source failures (fail closed). */
export function readQueryBody(body: QueryBody, httpStatus: number): QueryResult {
  if (body.status !== 'success') return { failure: `Prometheus error: ${body.error ?? `HTTP ${httpStatus}`}` };
  const data = body.data;
  let text: string | undefined;
  if (data?.resultType === 'scalar') {
    text = (data.result as [number, string])[1];
  } else if (data?.resultType === 'vector') {
    const series = data.result as { value?: [number, string] }[];
    if (series.length === 0) return { failure: 'empty result: the query matched no series' };
    if (series.length > 1) return { failure: `the query returned ${series.length} series; aggregate it to one (sum, max...)` };
    text = series[0]?.value?.[1];
  } else {
    return { failure: `expected a vector or scalar, got ${data?.resultType ?? 'nothing'}` };
  }
  const value = text === undefined ? NaN : promNumber(text);
  if (Number.isNaN(value)) return { noData: 'no data: the query gave NaN (no traffic?)' };
  return { value };
}

/**
 * Prometheus writes infinities as "+Inf" and "-Inf", which Number() reads as NaN. They are values
 * (a quantile above the last bucket, a ratio over zero) to judge by the limits: only NaN is no data.
 */
function promNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export function prometheusCheck(config: CheckConfig & { prometheus: PrometheusCheckConfig }, path = `health.checks.${config.name}`): Check {
  const prometheus = config.prometheus;
  const timeout = prometheus.timeout === undefined ? PROMETHEUS_DEFAULT_TIMEOUT_MS : parseDuration(prometheus.timeout, `${path}.prometheus.timeout`);
  const limits: Limits = {
    min: prometheus.min,
    max: prometheus.max,
    maxIncrease: prometheus['max-increase'],
    maxDecrease: prometheus['max-decrease'],
  };
  const relative = hasRelativeLimit(limits);
  const endpoint = `${prometheus.url.replace(/\/+$/, '')}/api/v1/query`;

  const query = async (pool: string, signal?: AbortSignal): Promise<QueryResult> => {
    const promql = fillTemplate(prometheus.query, { pool });
    try {
      const timeoutSignal = AbortSignal.timeout(timeout);
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: promql }).toString(),
        signal: signal ? AbortSignal.any([signal, timeoutSignal]) : timeoutSignal,
      });
      const text = await response.text();
      let body: QueryBody;
      try {
        body = JSON.parse(text) as QueryBody;
      } catch {
        return { failure: `Prometheus answered HTTP ${response.status}, not JSON` };
      }
      return readQueryBody(body, response.status);
    } catch (error) {
      const why = describeError(error);
      return { failure: `${endpoint}: ${why === 'timed out' ? `no answer within ${timeout}ms` : why}` };
    }
  };

  return {
    name: config.name,
    kind: 'prometheus',
    main: config.main ?? false,
    threshold: describeLimits(limits),
    unit: '',
    needsBaseline: relative && !hasAbsoluteLimit(limits),
    async sample(context: SampleContext): Promise<Sample[]> {
      const baselinePool = relative ? context.baselinePool : undefined;
      const [target, baseline] = await Promise.all([
        query(context.pool, context.signal),
        baselinePool ? query(baselinePool, context.signal) : undefined,
      ]);
      const base = { check: config.name, kind: 'prometheus' as const };
      const samples = [judgeTarget({ ...base, role: 'target', pool: context.pool }, target, limits, baseline && { pool: baselinePool!, result: baseline })];
      if (baseline) samples.push(resultSample({ ...base, role: 'baseline', pool: baselinePool! }, baseline, { min: limits.min, max: limits.max }));
      return samples;
    },
  };
}

type SampleBase = Pick<Sample, 'check' | 'kind' | 'role' | 'pool'>;

/** The target's sample: absolute limits first, then the limits relative to the baseline's value. */
function judgeTarget(base: SampleBase, target: QueryResult, limits: Limits, baseline?: { pool: string; result: QueryResult }): Sample {
  if (!('value' in target) || !baseline) return resultSample(base, target, limits);
  const absolute = breach(target.value, { min: limits.min, max: limits.max });
  if (absolute) return makeSample({ ...base, outcome: 'fail', value: target.value, error: absolute });
  const other = baseline.result;
  if (!('value' in other)) {
    // Relative limits cannot be judged without the baseline's value: never a pass (fail closed).
    const failed = 'failure' in other;
    return makeSample({
      ...base,
      outcome: failed ? 'source-failure' : 'no-data',
      value: target.value,
      error: `baseline ${baseline.pool}: ${failed ? other.failure : other.noData}`,
    });
  }
  const problem = breach(target.value, limits, other.value);
  return makeSample({ ...base, outcome: problem ? 'fail' : 'pass', value: target.value, baselineValue: other.value, ...(problem ? { error: problem } : {}) });
}

/** A sample judged by `limits` alone (a baseline's own sample takes the absolute ones only). */
function resultSample(base: SampleBase, result: QueryResult, limits: Limits): Sample {
  if ('failure' in result) return makeSample({ ...base, outcome: 'source-failure', error: result.failure });
  if ('noData' in result) return makeSample({ ...base, outcome: 'no-data', error: result.noData });
  const problem = breach(result.value, limits);
  return makeSample({ ...base, outcome: problem ? 'fail' : 'pass', value: result.value, ...(problem ? { error: problem } : {}) });
}
