import { describe, expect, it } from 'vitest';
import { parseShowStat, trafficBetween } from './haproxy/stat.js';
import { logTraffic, parseCutoverLog } from './nginx/log.js';

const header = '# pxname,svname,qcur,stot,econ,eresp,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,req_tot,rtime,addr,';
const row = (
  name: string,
  fields: { econ?: number; eresp?: number; ok?: number; client?: number; server?: number; total?: number; rtime?: number; addr?: string },
) =>
  `app,${name},0,0,${fields.econ ?? 0},${fields.eresp ?? 0},0,${fields.ok ?? 0},0,${fields.client ?? 0},${fields.server ?? 0},0,${fields.total ?? (fields.ok ?? 0) + (fields.client ?? 0) + (fields.server ?? 0)},${fields.rtime ?? ''},${fields.addr ?? ''},`;

describe("HAProxy's show stat", () => {
  it('reads each server of the backend: requests, 5xx with response and connection errors, mean time, address', () => {
    const reply = [
      header,
      row('web1', { ok: 90, client: 5, server: 5, rtime: 12, addr: '10.0.0.1:80' }),
      row('web2', { ok: 10, econ: 2 }),
      'app,BACKEND,0,0,0,0,0,100,0,5,5,0,110,,,',
      'other,x1,0,0,0,0,0,1,0,0,0,0,1,,,',
    ].join('\n');
    expect(parseShowStat(reply, 'app')).toEqual([
      { name: 'web1', address: '10.0.0.1:80', requests: 100, failed: 5, connectionErrors: 0, meanLatencyMs: 12 },
      { name: 'web2', requests: 10, failed: 2, connectionErrors: 2 },
    ]);
  });

  it('refuses a reply without a header', () => {
    expect(() => parseShowStat('Unknown command', 'app')).toThrow("HAProxy's show stat reply has no header line");
  });

  it('gives the traffic between two readings per server address, a reset counter counting from zero', () => {
    const before = parseShowStat([header, row('web1', { ok: 100, server: 1 }), row('web2', { ok: 500 })].join('\n'), 'app');
    const after = parseShowStat([header, row('web1', { ok: 180, server: 21, econ: 3, rtime: 9 }), row('web2', { ok: 40 })].join('\n'), 'app');
    const addresses: Record<string, string> = { web1: 'a:1', web2: 'b:1' };
    expect(trafficBetween(before, after, (server) => addresses[server.name])).toEqual([
      { address: 'a:1', requests: 103, failed: 23, meanLatencyMs: 9 },
      { address: 'b:1', requests: 40, failed: 0 },
    ]);
  });
});

describe("nginx's access log in Cutover's format", () => {
  it('reads one request per line per upstream, each attempt of a retried request for its server', () => {
    const text = [
      '1733000000.123 10.0.0.1:80 200 0.012',
      '1733000000.200 10.0.0.2:80 500 0.004',
      '1733000000.300 10.0.0.2:80, 10.0.0.1:80 502, 200 0.001, 0.020',
      '1733000000.400 - - -',
      'garbage line',
      '',
    ].join('\n');
    const parsed = parseCutoverLog(text);
    expect(parsed.skipped).toBe(2);
    expect(logTraffic(text)).toEqual([
      {
        address: '10.0.0.1:80',
        requests: 2,
        failed: 0,
        log: [
          { failed: false, status: 200, latencyMs: 12 },
          { failed: false, status: 200, latencyMs: 20 },
        ],
      },
      {
        address: '10.0.0.2:80',
        requests: 2,
        failed: 2,
        log: [
          { failed: true, status: 500, latencyMs: 4 },
          { failed: true, status: 502, latencyMs: 1 },
        ],
      },
    ]);
  });

  it('counts a 4xx as answered (the client asked wrong) and a missing status as failed', () => {
    const [server] = logTraffic('1733000000.1 10.0.0.1:80 404 0.002\n1733000000.2 10.0.0.1:80 - -\n');
    expect(server!.log).toEqual([{ failed: false, status: 404, latencyMs: 2 }, { failed: true }]);
  });
});
