/**
 * The upstream file the nginx router owns: one `upstream` block, one `server` line per address of
 * every pool. A pool at weight 0 keeps its lines, marked `down` (nginx refuses weight=0), so that
 * reading the file still maps every address to its pool and switching back is one edit.
 */
import type { Split } from '@cutover/config';
import { serverWeights, sharesToSplit } from '../plan.js';

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

// The lines Cutover writes, and nothing else. nginx reads `#` as a comment only at a token's
// start, and a statement may hide behind a `;` on the same line (`max_fails=0; hash "#"; server
// evil weight=100;`): so the file is read line by line, each line whole, against this grammar,
// never by cutting comments out of it.
const BLANK = /^\s*$/;
const COMMENT = /^\s*#/;
const OPEN = /^\s*upstream\s+([A-Za-z0-9_.-]+)\s*\{\s*$/;
const CLOSE = /^\s*\}\s*$/;
// server <address> [weight=N] [name=value parameters, as server-options allows] [down];
const SERVER = /^\s*server\s+([^\s;#{}"'\\]+)((?:\s+(?:down|[a-z_]+=[A-Za-z0-9_.:]+))*)\s*;\s*$/;

/**
 * The `server` lines of the file, read strictly: the file must hold what Cutover writes (comments,
 * one `upstream <name> { ... }` block of `server` lines) and nothing else. Any other directive,
 * block, parameter or text (a `hash`, `backup`, a second block, a statement after a `;`) is an
 * error naming its line: the split read would not be what nginx serves.
 */
export function parseUpstream(text: string, upstream: string): UpstreamServer[] {
  const servers: UpstreamServer[] = [];
  let state: 'before' | 'inside' | 'after' = 'before';
  const refuse = (index: number, line: string, why: string): never => {
    throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line.trim().slice(0, 120))}`);
  };
  for (const [index, line] of text.split('\n').entries()) {
    if (BLANK.test(line) || COMMENT.test(line)) continue;
    if (state === 'before') {
      const open = OPEN.exec(line);
      if (!open) refuse(index, line, `expected "upstream ${upstream} {"`);
      if (open![1] !== upstream) refuse(index, line, `the block is "upstream ${open![1]}", expected "upstream ${upstream}"`);
      state = 'inside';
      continue;
    }
    if (state === 'after') refuse(index, line, `nothing but comments may follow the upstream block`);
    if (CLOSE.test(line)) {
      state = 'after';
      continue;
    }
    const server = SERVER.exec(line);
    if (!server) refuse(index, line, 'not a server line as Cutover writes them (server <address> weight=N [server-options] [down];)');
    const parameters = server![2]!.trim().split(/\s+/).filter(Boolean);
    const weights = parameters.filter((parameter) => parameter.startsWith('weight='));
    if (weights.length > 1 || parameters.filter((parameter) => parameter === 'down').length > 1) refuse(index, line, 'a parameter given twice');
    const weight = weights[0] ? Number(weights[0].slice('weight='.length)) : 1;
    if (!Number.isInteger(weight) || weight < 1) refuse(index, line, 'weights are whole numbers from 1');
    if (servers.some((known) => known.address === server![1])) refuse(index, line, `server ${server![1]} is listed twice`);
    servers.push({ address: server![1]!, weight, down: parameters.includes('down') });
  }
  if (state === 'before') throw new Error(`no "upstream ${upstream} { ... }" block`);
  if (state === 'inside') throw new Error(`the "upstream ${upstream}" block is not closed`);
  return servers;
}

/**
 * The split the servers carry, per pool; a live address in no pool is an error (the file is
 * ours). A `down` server in no pool carries nothing: it is what an address removed from a pool
 * since the last switch looks like, and the next switch drops its line.
 */
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
