/**
 * The prometheus check, in two forms:
 * - `query`: an instant query per pool, one number per look, judged by min/max (and, against the
 *   baseline pool's number, max-increase/max-decrease);
 * - `requests` and `errors`: two counter queries per pool (cumulative totals, e.g.
 *   sum(http_requests_total{pool="{pool}"})); their increases over each look are requests, judged
 *   as proportions like the users' traffic: the sample size is requests, not looks.
 */
import { duration, parseDuration, parseRate, rate, validUrl } from '@cutover/config';
import { httpFetch, outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { describeError, fillTemplate, type Check, type LookContext, type PoolLook, type SampleRole } from '../check.js';
import { breach, describeLimits, hasAbsoluteLimit, hasRelativeLimit, type Limits } from '../limits.js';
import { DEFAULT_MAX_ERROR_RATE } from './http.js';
import type { CheckProvider, NamedCheck } from './kind.js';

export const PROMETHEUS_DEFAULT_TIMEOUT_MS = 5_000;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1, description: 'The Prometheus server, e.g. http://prometheus:9090.' },
    query: { type: 'string', minLength: 1, description: 'A PromQL instant query giving one number; {pool} is filled in.' },
    requests: { type: 'string', minLength: 1, description: 'Instead of query: a counter of requests, e.g. sum(http_requests_total{pool="{pool}"}).' },
    errors: { type: 'string', minLength: 1, description: 'With requests: a counter of failed requests; their increases are judged as requests.' },
    'max-error-rate': { ...rate, description: 'With requests and errors: largest share of failed requests (default 2%).' },
    min: { type: 'number', description: 'Lowest healthy value.' },
    max: { type: 'number', description: 'Highest healthy value.' },
    'max-increase': { type: 'number', minimum: 0, description: 'Highest allowed ratio above the baseline pool (0.1 = +10%).' },
    'max-decrease': { type: 'number', minimum: 0, maximum: 1, description: 'Highest allowed ratio below the baseline pool.' },
    timeout: { ...duration, description: 'Longest wait for Prometheus: past it, a source failure.' },
  },
} as const;

export type PrometheusCheckConfig = FromSchema<typeof schema>;

const LIMITS = ['min', 'max', 'max-increase', 'max-decrease'] as const;

export const prometheus: CheckProvider<PrometheusCheckConfig> = {
  kind: 'prometheus',
  description: 'A PromQL query per pool (one number, within limits), or request and error counters judged as requests.',
  schema,
  check(config, problem) {
    if (!validUrl(config.url)) problem(['url'], `"${config.url}" is not an http or https URL`);
    const counters = config.requests !== undefined || config.errors !== undefined;
    if (counters && config.query !== undefined) {
      problem([], 'has query and counters (requests, errors): choose one form');
    } else if (counters) {
      if (config.requests === undefined || config.errors === undefined) problem([], 'counters need both requests and errors');
      const stray = LIMITS.filter((limit) => config[limit] !== undefined);
      if (stray.length) problem([stray[0]!], 'applies to query; counters are judged by max-error-rate');
    } else if (config.query === undefined) {
      problem([], 'needs query (one number) or requests and errors (counters)');
    } else if (!LIMITS.some((limit) => config[limit] !== undefined)) {
      problem([], `needs a limit: one of ${LIMITS.join(', ')}`);
    }
    if (config.min !== undefined && config.max !== undefined && config.min > config.max) problem(['min'], `min ${config.min} is above max ${config.max}`);
  },
  create: (check, path) => prometheusCheck(check as NamedCheck<'prometheus', PrometheusCheckConfig>, path),
};

/** What one query gave: a number, nothing to judge (NaN: no traffic), or a failed source. */
export type QueryResult = { value: number } | { noData: string } | { failure: string };

interface QueryBody {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/**
 * Reads a /api/v1/query answer. Empty and ambiguous results are source failures (fail closed). NaN
 * is no data (a rate over no requests). Infinities are source failures: no limit can judge them, and
 * a quantile past the last bucket says the histogram cannot measure what happened.
 */
export function readQueryBody(body: QueryBody, httpStatus: number): QueryResult {
  // Words from the server (its error, its result type, its value) are made safe to log.
  if (body.status !== 'success') return { failure: `Prometheus error: ${outside(String(body.error ?? `HTTP ${httpStatus}`))}` };
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
    return { failure: `expected a vector or scalar, got ${outside(String(data?.resultType ?? 'nothing'))}` };
  }
  if (text === undefined) return { failure: 'the result has no value' };
  if (text === 'NaN') return { noData: 'no data: the query gave NaN (no traffic?)' };
  const value = /^[+-]?Inf$/.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);
  if (!Number.isFinite(value)) return { failure: `the query gave ${outside(String(text))}, not a finite number` };
  return { value };
}

function queryClient(prometheus: PrometheusCheckConfig, timeout: number) {
  const endpoint = `${prometheus.url.replace(/\/+$/, '')}/api/v1/query`;
  return async (promql: string, signal?: AbortSignal): Promise<QueryResult> => {
    try {
      const timeoutSignal = AbortSignal.timeout(timeout);
      const response = await httpFetch(endpoint, {
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
      return { failure: `${endpoint}: ${why === 'timed out' ? `no answer within ${timeout}ms` : outside(why)}` };
    }
  };
}

export function prometheusCheck(config: NamedCheck<'prometheus', PrometheusCheckConfig>, path = `health.checks.${config.name}`): Check {
  const prometheus = config.prometheus;
  const timeout = prometheus.timeout === undefined ? PROMETHEUS_DEFAULT_TIMEOUT_MS : parseDuration(prometheus.timeout, `${path}.prometheus.timeout`);
  const query = queryClient(prometheus, timeout);
  if (prometheus.requests !== undefined && prometheus.errors !== undefined) return counterCheck(config, prometheus, query, path);

  const limits: Limits = { min: prometheus.min, max: prometheus.max, maxIncrease: prometheus['max-increase'], maxDecrease: prometheus['max-decrease'] };
  const relative = hasRelativeLimit(limits);
  const base = (role: SampleRole, pool: string) => ({ check: config.name, kind: 'prometheus', role, pool });

  return {
    name: config.name,
    kind: 'prometheus',
    main: config.main ?? false,
    threshold: describeLimits(limits),
    unit: '',
    measures: 'value',
    needsBaseline: relative && !hasAbsoluteLimit(limits),
    async look(context: LookContext): Promise<PoolLook[]> {
      const baselinePool = relative ? context.baselinePool : undefined;
      const [target, baseline] = await Promise.all([
        query(fillTemplate(prometheus.query!, { pool: context.pool }), context.signal),
        baselinePool ? query(fillTemplate(prometheus.query!, { pool: baselinePool }), context.signal) : undefined,
      ]);
      const looks = [judgeTarget(base('target', context.pool), target, limits, baseline && { pool: baselinePool!, result: baseline })];
      if (baseline) looks.push(resultLook(base('baseline', baselinePool!), baseline, { min: limits.min, max: limits.max }));
      return looks;
    },
  };
}

type LookBase = Pick<PoolLook, 'check' | 'kind' | 'role' | 'pool'>;

/** The target's look: absolute limits first, then the limits relative to the baseline's value. */
function judgeTarget(base: LookBase, target: QueryResult, limits: Limits, baseline?: { pool: string; result: QueryResult }): PoolLook {
  if (!('value' in target) || !baseline) return resultLook(base, target, limits);
  const absolute = breach(target.value, { min: limits.min, max: limits.max });
  if (absolute) return { ...base, at: Date.now(), outcome: 'fail', value: target.value, error: absolute };
  const other = baseline.result;
  if (!('value' in other)) {
    // Relative limits cannot be judged without the baseline's value: never a pass (fail closed).
    const failed = 'failure' in other;
    return {
      ...base,
      at: Date.now(),
      outcome: failed ? 'source-failure' : 'no-data',
      value: target.value,
      error: `baseline ${baseline.pool}: ${failed ? other.failure : other.noData}`,
    };
  }
  const problem = breach(target.value, limits, other.value);
  return {
    ...base,
    at: Date.now(),
    outcome: problem ? 'fail' : 'pass',
    value: target.value,
    baselineValue: other.value,
    ...(problem ? { error: problem } : {}),
  };
}

/** A look judged by `limits` alone (a baseline's own look takes the absolute ones only). */
function resultLook(base: LookBase, result: QueryResult, limits: Limits): PoolLook {
  const at = Date.now();
  if ('failure' in result) return { ...base, at, outcome: 'source-failure', error: result.failure };
  if ('noData' in result) return { ...base, at, outcome: 'no-data', error: result.noData };
  const problem = breach(result.value, limits);
  return { ...base, at, outcome: problem ? 'fail' : 'pass', value: result.value, ...(problem ? { error: problem } : {}) };
}

/** Counter totals of one pool at the previous look. */
interface Totals {
  requests: number;
  errors: number;
}

/** The counters form: increases of two counters per look, per pool, judged as requests. */
function counterCheck(config: { name: string; main?: boolean }, prometheus: PrometheusCheckConfig, query: ReturnType<typeof queryClient>, path: string): Check {
  const maxErrorRate =
    prometheus['max-error-rate'] === undefined ? DEFAULT_MAX_ERROR_RATE : parseRate(prometheus['max-error-rate'], `${path}.prometheus.max-error-rate`);
  const previous = new Map<string, Totals>();
  const read = async (pool: string, signal?: AbortSignal): Promise<Totals | string> => {
    const [requests, errors] = await Promise.all([
      query(fillTemplate(prometheus.requests!, { pool }), signal),
      query(fillTemplate(prometheus.errors!, { pool }), signal),
    ]);
    for (const [name, result] of [
      ['requests', requests],
      ['errors', errors],
    ] as const) {
      if ('failure' in result) return `${name}: ${result.failure}`;
      if ('noData' in result) return `${name}: ${result.noData}`;
    }
    return { requests: (requests as { value: number }).value, errors: (errors as { value: number }).value };
  };
  const pools = (context: LookContext) => [
    { role: 'target' as const, pool: context.pool },
    ...(context.baselinePool ? [{ role: 'baseline' as const, pool: context.baselinePool }] : []),
  ];
  return {
    name: config.name,
    kind: 'prometheus',
    main: config.main ?? false,
    threshold: `at most ${Number((maxErrorRate * 100).toPrecision(3))}% of requests failed`,
    unit: '% failed',
    measures: 'requests',
    limits: { maxErrorRate, latencyFloorMs: 1 },
    needsBaseline: false,
    async start(context: LookContext): Promise<void> {
      await Promise.all(
        pools(context).map(async ({ pool }) => {
          const totals = await read(pool, context.signal);
          if (typeof totals !== 'string') previous.set(pool, totals);
        }),
      );
    },
    async look(context: LookContext): Promise<PoolLook[]> {
      return Promise.all(
        pools(context).map(async ({ role, pool }): Promise<PoolLook> => {
          const base = { check: config.name, kind: 'prometheus', role, pool, at: Date.now() };
          const totals = await read(pool, context.signal);
          if (typeof totals === 'string') return { ...base, outcome: 'source-failure', error: totals };
          const before = previous.get(pool);
          previous.set(pool, totals);
          if (!before) return { ...base, outcome: 'no-data', error: 'the first reading of the counters: increases start at the next look' };
          const requests = Math.round(totals.requests - before.requests);
          const errors = Math.round(totals.errors - before.errors);
          // A counter that went down was reset (a restart): this look's increase is unknown.
          if (requests < 0 || errors < 0) return { ...base, outcome: 'no-data', error: 'a counter was reset: this look is not counted' };
          return { ...base, outcome: 'pass', counts: { total: requests, failed: Math.min(errors, requests) } };
        }),
      );
    },
  };
}
