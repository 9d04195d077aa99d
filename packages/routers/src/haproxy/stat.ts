/** HAProxy's `show stat` CSV, read per server, and the traffic between two readings. Pure. */
import type { ServerTraffic } from '@cutover/config';

export interface ServerCounters {
  name: string;
  address?: string;
  /** HTTP requests the server took (req_tot; the sum of responses on versions without it). */
  requests: number;
  /** 5xx responses, response errors (eresp) and failed connections (econ). */
  failed: number;
  /** Failed connections are attempts that never became requests: they add to the total. */
  connectionErrors: number;
  /** Mean response time over the server's last 1,024 requests (rtime), ms. */
  meanLatencyMs?: number;
}

const number = (text: string | undefined): number => {
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(value) ? value : 0;
};

/** The servers of `backend` in a `show stat` reply (the header names the columns). */
export function parseShowStat(reply: string, backend: string): ServerCounters[] {
  const lines = reply.split('\n').filter((line) => line.trim() !== '');
  const header = lines.find((line) => line.startsWith('# '));
  if (!header) throw new Error(`HAProxy's show stat reply has no header line: ${JSON.stringify(reply.slice(0, 120))}`);
  const columns = header.slice(2).split(',');
  const at = (name: string) => columns.indexOf(name);
  const servers: ServerCounters[] = [];
  for (const line of lines.filter((candidate) => !candidate.startsWith('#'))) {
    const fields = line.split(',');
    const field = (name: string) => (at(name) >= 0 ? fields[at(name)] : undefined);
    const name = field('svname') ?? '';
    if (field('pxname') !== backend || name === 'BACKEND' || name === 'FRONTEND') continue;
    const responses = ['hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other'].reduce((sum, column) => sum + number(field(column)), 0);
    const connectionErrors = number(field('econ'));
    const server: ServerCounters = {
      name,
      requests: at('req_tot') >= 0 && field('req_tot') !== '' ? number(field('req_tot')) : responses,
      failed: number(field('hrsp_5xx')) + number(field('eresp')) + connectionErrors,
      connectionErrors,
    };
    const address = field('addr');
    if (address) server.address = address;
    if (field('rtime') !== undefined && field('rtime') !== '') server.meanLatencyMs = number(field('rtime'));
    servers.push(server);
  }
  return servers;
}

/**
 * The traffic of each server between two readings. A counter that went down means HAProxy restarted
 * or the server was re-created: its whole current count is what happened since.
 */
export function trafficBetween(
  before: readonly ServerCounters[],
  after: readonly ServerCounters[],
  addressOf: (server: ServerCounters) => string | undefined,
): ServerTraffic[] {
  const previous = new Map(before.map((server) => [server.name, server]));
  const traffic: ServerTraffic[] = [];
  for (const server of after) {
    const address = addressOf(server);
    if (!address) continue;
    const old = previous.get(server.name);
    const reset = !old || server.requests < old.requests || server.failed < old.failed;
    const base = reset ? { requests: 0, failed: 0, connectionErrors: 0 } : old;
    const requests = server.requests - base.requests + (server.connectionErrors - base.connectionErrors);
    const entry: ServerTraffic = { address, requests, failed: Math.min(requests, server.failed - base.failed) };
    if (server.meanLatencyMs !== undefined && requests > 0) entry.meanLatencyMs = server.meanLatencyMs;
    traffic.push(entry);
  }
  return traffic;
}
