/**
 * The upstream file the nginx router owns: one `upstream` block, one `server` line per address of
 * every pool. A pool at weight 0 keeps its lines, marked `down` (nginx refuses weight=0), so that
 * reading the file still maps every address to its pool and switching back is one edit.
 */
import type { Split } from '@cutover/config';
import { serverWeights, sharesToSplit } from './plan.js';

export interface UpstreamServer {
  address: string;
  weight: number;
  down: boolean;
}

export function renderUpstream(options: {
  upstream: string;
  pools: Record<string, string[]>;
  split: Split;
  serverOptions?: string;
  environment?: string;
}): string {
  const counts = Object.fromEntries(Object.entries(options.pools).map(([pool, addresses]) => [pool, addresses.length]));
  const weights = serverWeights(options.split, counts);
  const extra = options.serverOptions?.trim() ? ` ${options.serverOptions.trim()}` : '';
  const lines = [`# Written by Cutover${options.environment ? ` for environment ${options.environment}` : ''}; rewritten at every switch.`];
  lines.push(`upstream ${options.upstream} {`);
  for (const [pool, addresses] of Object.entries(options.pools)) {
    const weight = weights[pool] ?? 0;
    lines.push(`    # pool ${pool}: ${options.split[pool] ?? 0}%`);
    for (const address of addresses) {
      lines.push(weight > 0 ? `    server ${address} weight=${weight}${extra};` : `    server ${address} weight=1${extra} down;`);
    }
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** The `server` lines of the named upstream block; throws when the block is absent. */
export function parseUpstream(text: string, upstream: string): UpstreamServer[] {
  const withoutComments = text.replace(/#[^\n]*/g, '');
  const start = new RegExp(`(^|[\\s;}])upstream\\s+${upstream.replace(/[.]/g, '\\.')}\\s*\\{`).exec(withoutComments);
  if (!start) throw new Error(`no "upstream ${upstream} { ... }" block`);
  const bodyStart = start.index + start[0].length;
  const end = withoutComments.indexOf('}', bodyStart);
  if (end < 0) throw new Error(`the "upstream ${upstream}" block is not closed`);
  const servers: UpstreamServer[] = [];
  for (const statement of withoutComments.slice(bodyStart, end).split(';')) {
    const words = statement.trim().split(/\s+/);
    if (words[0] !== 'server' || !words[1]) continue;
    let weight = 1;
    let down = false;
    for (const word of words.slice(2)) {
      if (word === 'down') down = true;
      const match = /^weight=(\d+)$/.exec(word);
      if (match) weight = Number(match[1]);
    }
    servers.push({ address: words[1], weight, down });
  }
  return servers;
}

/** The split the servers carry, per pool; an address in no pool is an error (the file is ours). */
export function upstreamSplit(servers: UpstreamServer[], pools: Record<string, string[]>): Split {
  const poolOf = new Map<string, string>();
  for (const [pool, addresses] of Object.entries(pools)) for (const address of addresses) poolOf.set(address, pool);
  const amounts: Record<string, number> = Object.fromEntries(Object.keys(pools).map((pool) => [pool, 0]));
  for (const server of servers) {
    const pool = poolOf.get(server.address);
    if (pool === undefined) {
      if (server.down) continue;
      throw new Error(`server ${server.address} takes traffic but is in no pool`);
    }
    if (!server.down) amounts[pool] = amounts[pool]! + server.weight;
  }
  return sharesToSplit(amounts);
}
