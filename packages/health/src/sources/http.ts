/**
 * The http check: probes the pool's addresses, as many requests per look as the watch asks for
 * (sized to what the step needs to reach a verdict, up to max-rate per address), spread over the
 * look. With a baseline pool, the n-th request to each pool leaves at the same moment (the pool
 * asked first alternates), so that each pair meets the same network and the same load.
 */
import { duration, parseDuration, parseRate, rate, validUrl } from '@cutover/config';
import { httpFetch, outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { sleepFor } from '../clock.js';
import { describeError, fillTemplate, type Check, type LookContext, type PoolLook, type RequestOutcome, type SampleRole } from '../check.js';
import { statusRule } from '../status.js';
import type { CheckProvider, NamedCheck } from './kind.js';

export const HTTP_DEFAULT_TIMEOUT_MS = 5_000;
/**
 * Probes per second to one address at most, when a step is short. A 1-minute step needs about 7 per
 * second per pool to show a clean canary within one point of a clean baseline (about 420 pairs); a
 * 2-second step would need 200: capped, it runs past its duration until the deadline allows.
 */
export const HTTP_DEFAULT_MAX_RATE = 100;
export const DEFAULT_MAX_ERROR_RATE = 0.02;
/**
 * Latencies under 1 ms are taken as 1 ms in comparisons: below that a probe measures its own
 * process (timers, the event loop), not the server.
 */
export const HTTP_LATENCY_FLOOR_MS = 1;

const statusCode = { type: 'integer', minimum: 100, maximum: 599 } as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1, description: 'A URL template: {address} and {pool} are filled in.' },
    method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'], description: 'HTTP method (default GET).' },
    'expect-status': {
      anyOf: [
        statusCode,
        { type: 'array', minItems: 1, items: statusCode },
        { type: 'string', pattern: '^[1-5][0-9]{2}(-[1-5][0-9]{2})?$', 'x-expected': 'a range such as 200-299' },
      ],
      'x-expected': 'a status code, a list of codes, or a range such as 200-299',
      description: 'A code, a list of codes, or a range such as 200-299.',
    },
    'max-latency': { ...duration, description: 'Slowest acceptable answer.' },
    'body-contains': { type: 'string', description: 'Text the answer must contain.' },
    timeout: { ...duration, description: 'Longest wait for an answer (default 5s): past it, a failed sample.' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers.' },
    requests: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'Requests to every address each look, fixed; unset, the watch sends as many as a step needs to decide, up to max-rate.',
    },
    'max-rate': { type: 'number', exclusiveMinimum: 0, maximum: 1000, description: 'Most requests per second to one address (default 100).' },
    'max-error-rate': { ...rate, description: 'Largest share of failed or slow requests (default 2%).' },
  },
} as const;

export type HttpCheckConfig = FromSchema<typeof schema>;

export const http: CheckProvider<HttpCheckConfig> = {
  kind: 'http',
  description: 'Probes each address of the pool: status, latency, body.',
  schema,
  check(config, problem) {
    if (!validUrl(config.url)) problem(['url'], `"${config.url}" is not an http or https URL`);
    const range = typeof config['expect-status'] === 'string' ? config['expect-status'].split('-').map(Number) : [];
    if (range.length === 2 && range[0]! > range[1]!) problem(['expect-status'], `the range ${range[0]}-${range[1]} is empty`);
  },
  create: (check, path) => httpCheck(check as NamedCheck<'http', HttpCheckConfig>, path),
};

export function httpCheck(config: NamedCheck<'http', HttpCheckConfig>, path = `health.checks.${config.name}`): Check {
  const http = config.http;
  const method = http.method ?? 'GET';
  const expect = statusRule(http['expect-status']);
  const maxLatency = http['max-latency'] === undefined ? undefined : parseDuration(http['max-latency'], `${path}.http.max-latency`);
  const timeout = http.timeout === undefined ? HTTP_DEFAULT_TIMEOUT_MS : parseDuration(http.timeout, `${path}.http.timeout`);
  const maxErrorRate = http['max-error-rate'] === undefined ? DEFAULT_MAX_ERROR_RATE : parseRate(http['max-error-rate'], `${path}.http.max-error-rate`);
  const bodyContains = http['body-contains'];

  const threshold = [`status ${expect.text}`];
  if (maxLatency !== undefined) threshold.push(`latency <= ${maxLatency}ms`);
  if (bodyContains !== undefined) threshold.push(`body contains "${bodyContains}"`);
  threshold.push(`at most ${Number((maxErrorRate * 100).toPrecision(3))}% failed`);

  const probe = async (pool: string, address: string, signal?: AbortSignal): Promise<RequestOutcome> => {
    const url = fillTemplate(http.url, { address, pool });
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const timeoutSignal = AbortSignal.timeout(timeout);
      const response = await httpFetch(url, { method, headers: http.headers, signal: signal ? AbortSignal.any([signal, timeoutSignal]) : timeoutSignal });
      const body = method === 'HEAD' ? '' : await response.text();
      const latencyMs = elapsed();
      const problems: string[] = [];
      if (!expect.matches(response.status)) problems.push(`status ${response.status}, expected ${expect.text}`);
      if (bodyContains !== undefined && !body.includes(bodyContains)) problems.push(`body lacks "${bodyContains}"`);
      const slow = maxLatency !== undefined && latencyMs > maxLatency;
      const outcome: RequestOutcome = { failed: problems.length > 0, latencyMs, status: response.status, address };
      if (slow) outcome.slow = true;
      if (problems.length || slow) outcome.problem = [...problems, ...(slow ? [`latency ${latencyMs}ms > ${maxLatency}ms`] : [])].join('; ');
      return outcome;
    } catch (error) {
      const why = describeError(error);
      return { failed: true, address, problem: `${method} ${url}: ${why === 'timed out' ? `no answer within ${timeout}ms` : outside(why)}` };
    }
  };

  let looks = 0;
  return {
    name: config.name,
    kind: 'http',
    main: config.main ?? false,
    threshold: threshold.join(', '),
    unit: 'ms',
    measures: 'requests',
    limits: { maxErrorRate, ...(maxLatency !== undefined ? { maxLatencyMs: maxLatency } : {}), latencyFloorMs: HTTP_LATENCY_FLOOR_MS },
    probes: { maxRate: http['max-rate'] ?? HTTP_DEFAULT_MAX_RATE, ...(http.requests !== undefined ? { fixed: http.requests } : {}) },
    needsBaseline: false,
    async look(context: LookContext): Promise<PoolLook[]> {
      const pools: { role: SampleRole; pool: string; addresses: string[] }[] = [{ role: 'target', pool: context.pool, addresses: context.addresses }];
      if (context.baselinePool && context.baselineAddresses) pools.push({ role: 'baseline', pool: context.baselinePool, addresses: context.baselineAddresses });
      const fixed = http.requests !== undefined ? http.requests * Math.max(...pools.map((pool) => pool.addresses.length)) : undefined;
      const count = Math.max(1, fixed ?? context.requests ?? Math.max(...pools.map((pool) => pool.addresses.length)));
      const gap = count > 1 ? (context.spreadMs ?? 0) / count : 0;
      const started: Promise<RequestOutcome>[][] = pools.map(() => []);
      const flip = looks++ % 2 === 1;
      for (let index = 0; index < count; index++) {
        if (context.signal?.aborted) break;
        if (index > 0 && gap > 0) await sleepFor(gap, context.signal);
        // A pool always asked first (or last) waits less (or more) on the event loop and looks faster
        // (or slower) than it is: the first of each pair alternates.
        const order = (index % 2 === 1) !== flip ? [...pools.keys()].reverse() : [...pools.keys()];
        for (const which of order) {
          const pool = pools[which]!;
          started[which]!.push(probe(pool.pool, pool.addresses[index % pool.addresses.length]!, context.signal));
        }
      }
      const results = await Promise.all(started.map((list) => Promise.all(list)));
      const at = Date.now();
      return pools.map((pool, which) => ({
        check: config.name,
        kind: 'http',
        role: pool.role,
        pool: pool.pool,
        at,
        outcome: 'pass',
        requests: results[which]!,
      }));
    },
  };
}
