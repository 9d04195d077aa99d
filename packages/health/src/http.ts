/** The http check: probes every address of the pool once per interval (or `requests` times). */
import { parseDuration, type CheckConfig, type HttpCheckConfig } from '@cutover/config';
import { describeError, fillTemplate, makeSample, type Check, type Sample, type SampleContext, type SampleRole } from './check.js';
import { statusRule } from './status.js';

export const HTTP_DEFAULT_TIMEOUT_MS = 5_000;

export function httpCheck(config: CheckConfig & { http: HttpCheckConfig }, path = `health.checks.${config.name}`): Check {
  const http = config.http;
  const method = http.method ?? 'GET';
  const expect = statusRule(http['expect-status']);
  const maxLatency = http['max-latency'] === undefined ? undefined : parseDuration(http['max-latency'], `${path}.http.max-latency`);
  const timeout = http.timeout === undefined ? HTTP_DEFAULT_TIMEOUT_MS : parseDuration(http.timeout, `${path}.http.timeout`);
  const bodyContains = http['body-contains'];
  const requests = http.requests ?? 1;

  const limits = [`status ${expect.text}`];
  if (maxLatency !== undefined) limits.push(`latency <= ${maxLatency}ms`);
  if (bodyContains !== undefined) limits.push(`body contains "${bodyContains}"`);

  const probe = async (role: SampleRole, pool: string, address: string, signal?: AbortSignal): Promise<Sample> => {
    const url = fillTemplate(http.url, { address, pool });
    const base = { check: config.name, kind: 'http' as const, role, pool, address };
    const started = performance.now();
    try {
      const timeoutSignal = AbortSignal.timeout(timeout);
      const response = await fetch(url, {
        method,
        headers: http.headers,
        signal: signal ? AbortSignal.any([signal, timeoutSignal]) : timeoutSignal,
      });
      const body = method === 'HEAD' ? '' : await response.text();
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const problems: string[] = [];
      if (!expect.matches(response.status)) problems.push(`status ${response.status}, expected ${expect.text}`);
      if (bodyContains !== undefined && !body.includes(bodyContains)) problems.push(`body lacks "${bodyContains}"`);
      const answered = problems.length === 0;
      if (maxLatency !== undefined && latencyMs > maxLatency) problems.push(`latency ${latencyMs}ms > ${maxLatency}ms`);
      return makeSample({
        ...base,
        outcome: problems.length ? 'fail' : 'pass',
        value: latencyMs,
        latencyMs,
        status: response.status,
        answered,
        ...(problems.length ? { error: problems.join('; ') } : {}),
      });
    } catch (error) {
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const why = describeError(error);
      return makeSample({
        ...base,
        outcome: 'source-failure',
        latencyMs,
        answered: false,
        error: `${method} ${url}: ${why === 'timed out' ? `no answer within ${timeout}ms` : why}`,
      });
    }
  };

  const probePool = (role: SampleRole, pool: string, addresses: string[], signal?: AbortSignal) =>
    addresses.flatMap((address) => Array.from({ length: requests }, () => () => probe(role, pool, address, signal)));
  let looks = 0;

  return {
    name: config.name,
    kind: 'http',
    main: config.main ?? false,
    threshold: limits.join(', '),
    unit: 'ms',
    needsBaseline: false,
    async sample(context: SampleContext): Promise<Sample[]> {
      const target = probePool('target', context.pool, context.addresses, context.signal);
      const baseline = context.baselinePool && context.baselineAddresses ? probePool('baseline', context.baselinePool, context.baselineAddresses, context.signal) : [];
      // The pools' requests start alternately, the first pool changing every look: a pool always asked
      // first (or last) waits less (or more) on the event loop and looks faster (or slower) than it is.
      const first = looks++ % 2 === 0 ? { list: target, started: [] as Promise<Sample>[] } : { list: baseline, started: [] as Promise<Sample>[] };
      const second = first.list === target ? { list: baseline, started: [] as Promise<Sample>[] } : { list: target, started: [] as Promise<Sample>[] };
      for (let index = 0; index < Math.max(target.length, baseline.length); index++) {
        for (const side of [first, second]) {
          const start = side.list[index];
          if (start) side.started.push(start());
        }
      }
      const [targetSamples, baselineSamples] = first.list === target ? [first.started, second.started] : [second.started, first.started];
      return Promise.all([...targetSamples, ...baselineSamples]);
    },
  };
}
