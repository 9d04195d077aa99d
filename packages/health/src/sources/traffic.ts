/**
 * The traffic check: users' own requests, as the load balancer counted them per server (HAProxy's
 * counters over its runtime API, nginx's access log), summed per pool. The best evidence there is:
 * what customers actually got, in numbers no probe can reach. Judged like probes: failed share
 * against max-error-rate, compared request by request with the baseline pool.
 */
import { duration, InputError, parseDuration, parseRate, rate, type ServerTraffic, type TrafficReader } from '@cutover/config';
import type { FromSchema } from 'json-schema-to-ts';
import { describeError, type Check, type LookContext, type PoolLook, type RequestOutcome, type SampleRole } from '../check.js';
import { DEFAULT_MAX_ERROR_RATE } from './http.js';
import type { CheckProvider, NamedCheck } from './kind.js';

/** nginx logs $upstream_response_time in milliseconds at best. */
export const TRAFFIC_LATENCY_FLOOR_MS = 1;

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    'max-error-rate': { ...rate, description: 'Largest share of 5xx or unanswered requests (default 2%).' },
    'max-latency': { ...duration, description: 'Slowest acceptable answer (nginx: each request; HAProxy: its mean response time).' },
  },
} as const;

export type TrafficCheckConfig = FromSchema<typeof schema>;

export const traffic: CheckProvider<TrafficCheckConfig> = {
  kind: 'traffic',
  description: "Users' own requests, as the load balancer counted them per server: HAProxy's counters, or nginx's access log (router.access-log).",
  schema,
  create(check, path, edges) {
    if (!edges.traffic) {
      throw new InputError(
        `${path}.traffic: the ${edges.routerKind ?? "environment's"} router counts no traffic; traffic checks read HAProxy's counters or nginx's access log (router.access-log)`,
      );
    }
    return trafficCheck(check as NamedCheck<'traffic', TrafficCheckConfig>, edges.traffic, path);
  },
};

export function trafficCheck(config: NamedCheck<'traffic', TrafficCheckConfig>, reader: () => TrafficReader, path = `health.checks.${config.name}`): Check {
  const traffic = config.traffic;
  const maxErrorRate =
    traffic['max-error-rate'] === undefined ? DEFAULT_MAX_ERROR_RATE : parseRate(traffic['max-error-rate'], `${path}.traffic.max-error-rate`);
  const maxLatency = traffic['max-latency'] === undefined ? undefined : parseDuration(traffic['max-latency'], `${path}.traffic.max-latency`);
  let counters: TrafficReader | undefined;

  const threshold = [`at most ${Number((maxErrorRate * 100).toPrecision(3))}% of users' requests failed`];
  if (maxLatency !== undefined) threshold.push(`latency <= ${maxLatency}ms`);

  const poolLook = (role: SampleRole, pool: string, addresses: readonly string[], servers: readonly ServerTraffic[], at: number): PoolLook => {
    const mine = servers.filter((server) => addresses.includes(server.address));
    const base = { check: config.name, kind: 'traffic', role, pool, at };
    const logged = mine.every((server) => server.log !== undefined);
    if (mine.length && logged) {
      const requests: RequestOutcome[] = mine.flatMap((server) =>
        server.log!.map((entry) => {
          const slow = maxLatency !== undefined && entry.latencyMs !== undefined && entry.latencyMs > maxLatency;
          const outcome: RequestOutcome = {
            failed: entry.failed,
            address: server.address,
            ...(entry.latencyMs !== undefined ? { latencyMs: entry.latencyMs } : {}),
          };
          if (entry.status !== undefined) outcome.status = entry.status;
          if (slow) outcome.slow = true;
          if (entry.failed || slow) outcome.problem = entry.failed ? `status ${entry.status ?? 'none'}` : `latency ${entry.latencyMs}ms > ${maxLatency}ms`;
          return outcome;
        }),
      );
      return { ...base, outcome: 'pass', requests };
    }
    const total = mine.reduce((sum, server) => sum + server.requests, 0);
    const failed = mine.reduce((sum, server) => sum + server.failed, 0);
    const look: PoolLook = { ...base, outcome: 'pass', counts: { total, failed } };
    // HAProxy knows only a mean response time per server: judged look by look, weighted by requests.
    const timed = mine.filter((server) => server.meanLatencyMs !== undefined && server.requests > 0);
    const weight = timed.reduce((sum, server) => sum + server.requests, 0);
    if (weight > 0) {
      const mean = timed.reduce((sum, server) => sum + server.meanLatencyMs! * server.requests, 0) / weight;
      look.value = Math.round(mean * 10) / 10;
      if (maxLatency !== undefined && mean > maxLatency) return { ...look, outcome: 'fail', error: `mean response time ${look.value}ms > ${maxLatency}ms` };
    }
    return look;
  };

  return {
    name: config.name,
    kind: 'traffic',
    main: config.main ?? false,
    threshold: threshold.join(', '),
    unit: 'ms',
    measures: 'requests',
    limits: { maxErrorRate, ...(maxLatency !== undefined ? { maxLatencyMs: maxLatency } : {}), latencyFloorMs: TRAFFIC_LATENCY_FLOOR_MS },
    needsBaseline: false,
    async start(): Promise<void> {
      counters = reader();
      // The first reading is the starting point; a failure here shows at the first look.
      await counters.read().catch(() => undefined);
    },
    async look(context: LookContext): Promise<PoolLook[]> {
      const pools: { role: SampleRole; pool: string; addresses: string[] }[] = [{ role: 'target', pool: context.pool, addresses: context.addresses }];
      if (context.baselinePool && context.baselineAddresses) pools.push({ role: 'baseline', pool: context.baselinePool, addresses: context.baselineAddresses });
      counters ??= reader();
      let servers: ServerTraffic[];
      try {
        servers = await counters.read();
      } catch (error) {
        const at = Date.now();
        return pools.map(({ role, pool }) => ({
          check: config.name,
          kind: 'traffic',
          role,
          pool,
          at,
          outcome: 'source-failure' as const,
          error: `${counters!.describe()}: ${describeError(error)}`,
        }));
      }
      const at = Date.now();
      return pools.map(({ role, pool, addresses }) => poolLook(role, pool, addresses, servers, at));
    },
  };
}
