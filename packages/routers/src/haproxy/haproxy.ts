/** HAProxy: the runtime API, make-before-break, drained servers finish their connections. */
import { connect } from 'node:net';
import { HOST_PORT, type NamedEnvironment, type Split, type TrafficReader } from '@cutover/config';
import { outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { executorFor, runChecked, type Executor } from '../exec.js';
import type { RouterConfigOf, RouterProvider } from '../kind.js';
import { parseShowStat, trafficBetween, type ServerCounters } from './stat.js';
import { HAPROXY_MAX_WEIGHT, haproxySplit, parseServersState, serversByPool, type HaproxyServerState } from './state.js';
import { planTransition, realizedSplit, serverWeights } from '../plan.js';
import { forEachAttempted, type Router, type RouterSnapshot } from '../router.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['socket', 'backend'],
  properties: {
    // Over SSH the socket is socat's address (UNIX-CONNECT:<path> or TCP:<host:port>), where ','
    // and ':' start socat options: a plain path or host:port only.
    socket: {
      type: 'string',
      pattern: `^(/[A-Za-z0-9_.@+/-]+|${HOST_PORT})$`,
      'x-expected': 'a unix socket path or host:port',
      description: 'Runtime API: a unix socket path or host:port.',
    },
    // Goes into runtime API commands: a space, ';' or a new line would start another command.
    backend: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.:-]+$',
      'x-expected': 'a name of letters, digits, ".", ":", "_" and "-"',
      description: 'The backend whose servers make up the pools (matched by address).',
    },
  },
} as const;

export type HaproxyRouterConfig = RouterConfigOf<'haproxy', FromSchema<typeof schema>>;

export const haproxy: RouterProvider<HaproxyRouterConfig> = {
  kind: 'haproxy',
  description: 'HAProxy: server weights and states through the runtime API, make-before-break.',
  schema,
  create: (environment, config) => haproxyRouter(environment, config),
};

export interface HaproxyRouterOptions {
  /** Sends one runtime API command and resolves with the reply; defaults to the socket (over ssh: socat). */
  send?: (command: string) => Promise<string>;
}

/**
 * One command over a unix socket path or host:port, as HAProxy answers without "prompt": reply,
 * then close. `timeoutMs` bounds the whole exchange, not the silence between bytes: a socket that
 * trickles a byte every few seconds (measured: one every 3 s held an idle timeout past 40 s) is
 * cut at the deadline all the same. HAProxy answers a command in milliseconds; 5 s is generous.
 */
export function sendOverSocket(socket: string, command: string, timeoutMs = 5_000): Promise<string> {
  const hostPort = /^([^/:]+):(\d+)$/.exec(socket);
  return new Promise((resolve, reject) => {
    const connection = hostPort ? connect(Number(hostPort[2]), hostPort[1]) : connect(socket);
    let reply = '';
    connection.setEncoding('utf8');
    const deadline = setTimeout(() => connection.destroy(new Error(`no complete reply to "${command}" within ${timeoutMs} ms`)), timeoutMs);
    connection.on('connect', () => connection.end(command + '\n'));
    connection.on('data', (chunk: string) => (reply += chunk));
    connection.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    connection.on('close', (hadError) => {
      clearTimeout(deadline);
      if (!hadError) resolve(reply);
    });
  });
}

/** Over SSH the remote host's socat carries the command: the same API, another host. */
function sendWithSocat(executor: Executor, socket: string): (command: string) => Promise<string> {
  const address = /^[^/:]+:\d+$/.test(socket) ? `TCP:${socket}` : `UNIX-CONNECT:${socket}`;
  return async (command) => (await runChecked(executor, ['socat', 'STDIO', address], { input: command + '\n' })).stdout;
}

export function haproxyRouter(environment: NamedEnvironment, config: HaproxyRouterConfig, options: HaproxyRouterOptions = {}): Router {
  const field = `environments.${environment.name}.router`;
  const executor = executorFor(config.ssh);
  const on = executor.where === 'local' ? '' : ` on ${executor.where}`;
  const rawSend = options.send ?? (config.ssh ? sendWithSocat(executor, config.socket) : (command: string) => sendOverSocket(config.socket, command));
  const send = async (command: string): Promise<string> => {
    try {
      return await rawSend(command);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such socket' : (error as Error).message;
      throw new Error(`${field}.socket: cannot reach the HAProxy runtime API at ${config.socket}${on}: ${why}`, { cause: error });
    }
  };
  /** A `set` command answers nothing when it worked. */
  const set = async (command: string): Promise<void> => {
    const reply = (await send(command)).trim();
    if (reply !== '') throw new Error(`HAProxy refused "${command}": ${outside(reply)}`);
  };

  const servers = async (): Promise<HaproxyServerState[]> => {
    const reply = await send(`show servers state ${config.backend}`);
    if (/can't find backend/i.test(reply)) throw new Error(`${field}.backend: HAProxy has no backend "${config.backend}"`);
    return parseServersState(reply);
  };
  const counts = (pools: Record<string, HaproxyServerState[]>) => Object.fromEntries(Object.entries(pools).map(([pool, list]) => [pool, list.length]));
  // Servers per pool as HAProxy last showed them (the environment's counts until then).
  let knownCounts: Record<string, number> = Object.fromEntries(Object.entries(environment.pools).map(([pool, addresses]) => [pool, addresses.length]));
  const byPool = async () => {
    const pools = serversByPool(await servers(), environment.pools);
    knownCounts = counts(pools);
    return pools;
  };

  const setServer = async (server: HaproxyServerState, weight: number, admin: 'ready' | 'drain' | 'maint') => {
    const id = `${config.backend}/${server.name}`;
    // Weight before state: a server entering service takes its share, never the old weight's.
    if (weight !== server.weight) await set(`set server ${id} weight ${weight}`);
    if (admin !== server.admin) await set(`set server ${id} state ${admin}`);
  };

  /** A pool given weight must have a server in the backend: else the split would send its share nowhere. */
  const refuseServerless = (next: Split, pools: Awaited<ReturnType<typeof byPool>>): void => {
    for (const [pool, weight] of Object.entries(next)) {
      if (weight > 0 && (pools[pool]?.length ?? 0) === 0) {
        throw new Error(
          `environments.${environment.name}.pools.${pool}: none of its addresses (${(environment.pools[pool] ?? []).join(', ')}) is a server of HAProxy backend ${config.backend}`,
        );
      }
    }
  };

  return {
    kind: 'haproxy',
    describe: () => `HAProxy backend ${config.backend} at ${config.socket}${on}`,
    pools: async () => Object.keys(environment.pools),
    read: async () => haproxySplit(await byPool()),
    async snapshot(): Promise<RouterSnapshot> {
      const before = await byPool();
      return {
        split: haproxySplit(before),
        async restore() {
          const now = new Map((await servers()).map((s) => [s.name, s]));
          const saved = Object.values(before).flat();
          // Make-before-break again: servers that took traffic come back before the others leave.
          const order = [...saved.filter((s) => s.admin === 'ready'), ...saved.filter((s) => s.admin !== 'ready')];
          // Every server is tried: one refused command must not leave the rest as the change left them.
          await forEachAttempted(order, async (server) => {
            const current = now.get(server.name);
            if (current) await setServer(current, server.weight, server.admin);
          });
        },
      };
    },
    check: async (next: Split) => refuseServerless(next, await byPool()),
    async apply(next: Split): Promise<Split> {
      const pools = await byPool();
      refuseServerless(next, pools);
      const weights = serverWeights(next, counts(pools), HAPROXY_MAX_WEIGHT);
      const changes = planTransition(haproxySplit(pools), next);
      const changed = new Set(changes.map((c) => c.pool));
      const raised = changes.filter((c) => c.to > c.from).map((c) => c.pool);
      const lowered = changes.filter((c) => c.to < c.from).map((c) => c.pool);
      // Pools whose share stays may still need new per-server weights (the common multiple moved).
      const steady = Object.keys(next).filter((pool) => !changed.has(pool));
      for (const pool of [...raised, ...steady, ...lowered]) {
        const weight = weights[pool] ?? 0;
        for (const server of pools[pool] ?? []) {
          // At 0 a server drains: it takes no new requests and finishes those in flight.
          await (weight > 0 ? setServer(server, weight, 'ready') : setServer(server, server.weight, 'drain'));
        }
      }
      return haproxySplit(await byPool());
    },
    expected(next: Split): Split {
      return realizedSplit(next, knownCounts, HAPROXY_MAX_WEIGHT);
    },
    traffic(): TrafficReader {
      let previous: ServerCounters[] | undefined;
      return {
        describe: () => `HAProxy's counters of backend ${config.backend} at ${config.socket}${on}`,
        async read() {
          const reply = await send(`show stat ${config.backend} 4 -1`);
          const counters = parseShowStat(reply, config.backend);
          if (counters.length === 0) throw new Error(`${field}.backend: HAProxy shows no servers for backend "${config.backend}"`);
          // Older versions have no addr column: the servers' state gives their addresses.
          const addresses = counters.some((server) => !server.address) ? new Map((await servers()).map((server) => [server.name, server.address])) : undefined;
          const before = previous;
          previous = counters;
          return before ? trafficBetween(before, counters, (server) => server.address ?? addresses?.get(server.name)) : [];
        },
      };
    },
  };
}
