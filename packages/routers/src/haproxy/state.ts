/** Reading HAProxy's `show servers state` and mapping servers to pools: pure functions. */
import { outside } from '@cutover/runtime';
import type { Split } from '@cutover/config';
import { sharesToSplit } from '../plan.js';

export type AdminState = 'ready' | 'drain' | 'maint';

export interface HaproxyServerState {
  backend: string;
  name: string;
  /** The address HAProxy uses, IP:port. */
  address: string;
  /** The configured name, name:port, when the server was declared by name. */
  fqdn?: string;
  /** User weight (srv_uweight). */
  weight: number;
  admin: AdminState;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  running: boolean;
}

// srv_admin_state bits (HAProxy's SRV_ADMF_*): forced/inherited/config/resolution/health maintenance, forced/inherited drain.
const MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN_BITS = 0x08 | 0x10;

/** Parses the reply to `show servers state [<backend>]` (format version 1, fields named by its header). */
export function parseServersState(reply: string): HaproxyServerState[] {
  const lines = reply
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const header = lines.find((line) => line.startsWith('# '));
  if (!header) throw new Error(`unexpected reply to "show servers state": ${outside(reply.trim().slice(0, 200)) || '(empty)'}`);
  const fields = header.slice(2).split(/\s+/);
  const at = (name: string) => {
    const index = fields.indexOf(name);
    if (index < 0) throw new Error(`"show servers state" has no ${name} field`);
    return index;
  };
  const [be, name, addr, port, fqdn, op, admin, weight] = [
    'be_name',
    'srv_name',
    'srv_addr',
    'srv_port',
    'srv_fqdn',
    'srv_op_state',
    'srv_admin_state',
    'srv_uweight',
  ].map(at) as number[];
  return lines
    .filter((line) => !line.startsWith('#') && /^\d+\s/.test(line))
    .map((line) => {
      const words = line.split(/\s+/);
      const adminBits = Number(words[admin!]);
      const fqdnWord = words[fqdn!];
      return {
        backend: words[be!]!,
        name: words[name!]!,
        address: `${words[addr!]}:${words[port!]}`,
        fqdn: fqdnWord && fqdnWord !== '-' ? `${fqdnWord}:${words[port!]}` : undefined,
        weight: Number(words[weight!]),
        admin: adminBits & MAINT_BITS ? 'maint' : adminBits & DRAIN_BITS ? 'drain' : 'ready',
        running: Number(words[op!]) === 2,
      } satisfies HaproxyServerState;
    });
}

/** The backend's servers of each pool: those whose address (or declared name:port) is one of the pool's. */
export function serversByPool(servers: HaproxyServerState[], pools: Record<string, string[]>): Record<string, HaproxyServerState[]> {
  return Object.fromEntries(
    Object.entries(pools).map(([pool, addresses]) => [
      pool,
      servers.filter((server) => addresses.includes(server.address) || (server.fqdn !== undefined && addresses.includes(server.fqdn))),
    ]),
  );
}

/** The traffic share each pool gets: a drained or maintained server takes no new traffic. */
export function haproxySplit(byPool: Record<string, HaproxyServerState[]>): Split {
  return sharesToSplit(
    Object.fromEntries(Object.entries(byPool).map(([pool, servers]) => [pool, servers.reduce((sum, s) => sum + (s.admin === 'ready' ? s.weight : 0), 0)])),
  );
}

/** HAProxy's ceiling for `set server ... weight`. */
export const HAPROXY_MAX_WEIGHT = 256;
