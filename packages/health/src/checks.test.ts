// The three checks against real local processes: a Node http server, a Prometheus-shaped answer, argv programs.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { fillTemplate } from './check.js';
import { createChecks, parseCheckNames } from './create.js';
import { commandCheck, printedNumber } from './command.js';
import { httpCheck } from './http.js';
import { prometheusCheck, readQueryBody } from './prometheus.js';
import { smokeCheck } from './smoke.js';
import { statusRule } from './status.js';

let server: Server;
let address = '';
/** A port nothing listens on (fetch refuses some low ports outright, so not port 1). */
let closed = '';
/** Answers by path: /ok 200 "ready", /fail 500, /slow after 300ms; /q mimics Prometheus by pool. */
const values: Record<string, string | undefined> = { green: '0.5', blue: '0.4', overflow: '+Inf', underflow: '-Inf' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/query') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const query = new URLSearchParams(body).get('query') ?? '';
        const pool = /pool="([^"]+)"/.exec(query)?.[1] ?? '';
        if (query.includes('syntax error')) return void res.writeHead(400).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
        const value = values[pool];
        const result = value === undefined ? [] : [{ metric: { pool }, value: [1, value] }];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
      });
      return;
    }
    const code = url.pathname === '/fail' ? 500 : 200;
    setTimeout(() => res.writeHead(code).end(`ready ${url.searchParams.get('pool') ?? ''}`), url.pathname === '/slow' ? 300 : 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  address = `127.0.0.1:${port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closed = `127.0.0.1:${(spare.address() as { port: number }).port}`;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('templates and status rules', () => {
  it('fills address and pool', () => {
    expect(fillTemplate('http://{address}/h?p={pool}&x={other}', { address: 'a:1', pool: 'green' })).toBe('http://a:1/h?p=green&x={other}');
  });

  it('reads a code, a list or a range; 2xx by default', () => {
    expect(statusRule(undefined).matches(204)).toBe(true);
    expect(statusRule(undefined).matches(301)).toBe(false);
    expect(statusRule(204).text).toBe('204');
    expect(statusRule([200, 204]).matches(204)).toBe(true);
    expect(statusRule('500-599').matches(503)).toBe(true);
    expect(statusRule('200').matches(200)).toBe(true);
  });
});

describe('the http check', () => {
  it('probes every address of the pool, and of the baseline pool, recording status and latency', async () => {
    const check = httpCheck({ name: 'web', http: { url: 'http://{address}/ok?pool={pool}', 'body-contains': 'ready', requests: 2 } });
    const samples = await check.sample({ pool: 'green', addresses: [address], baselinePool: 'blue', baselineAddresses: [address] });
    expect(samples.map((s) => [s.role, s.pool, s.outcome, s.status, s.answered])).toEqual([
      ['target', 'green', 'pass', 200, true],
      ['target', 'green', 'pass', 200, true],
      ['baseline', 'blue', 'pass', 200, true],
      ['baseline', 'blue', 'pass', 200, true],
    ]);
    expect(samples[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(check.threshold).toBe('status 200-299, body contains "ready"');
  });

  it('fails a wrong status, a slow answer, a missing body text', async () => {
    const [failed] = await httpCheck({ name: 'web', http: { url: 'http://{address}/fail' } }).sample({ pool: 'g', addresses: [address] });
    expect(failed).toMatchObject({ outcome: 'fail', ok: false, status: 500, answered: false, error: 'status 500, expected 200-299' });
    const [slow] = await httpCheck({ name: 'web', http: { url: 'http://{address}/slow', 'max-latency': '100ms' } }).sample({ pool: 'g', addresses: [address] });
    expect(slow).toMatchObject({ outcome: 'fail', answered: true });
    expect(slow!.error).toMatch(/^latency \d+(\.\d)?ms > 100ms$/);
    const [body] = await httpCheck({ name: 'web', http: { url: 'http://{address}/ok', 'body-contains': 'healthy' } }).sample({ pool: 'g', addresses: [address] });
    expect(body).toMatchObject({ outcome: 'fail', error: 'body lacks "healthy"' });
  });

  it('records a refused connection and a timeout as source failures', async () => {
    const [refused] = await httpCheck({ name: 'web', http: { url: 'http://{address}/' } }).sample({ pool: 'g', addresses: [closed] });
    expect(refused).toMatchObject({ outcome: 'source-failure', sourceFailure: true, answered: false });
    expect(refused!.error).toContain('ECONNREFUSED');
    const [late] = await httpCheck({ name: 'web', http: { url: 'http://{address}/slow', timeout: '50ms' } }).sample({ pool: 'g', addresses: [address] });
    expect(late).toMatchObject({ outcome: 'source-failure', error: `GET http://${address}/slow: no answer within 50ms` });
  });
});

describe('the prometheus check', () => {
  const config = (fields: object) => ({ name: 'rate', prometheus: { url: `http://${address}`, query: 'x{pool="{pool}"}', ...fields } });

  it('reads answers: a value, NaN as no data, empty or several series or an error as source failures', () => {
    expect(readQueryBody({ status: 'success', data: { resultType: 'scalar', result: [1, '2.5'] } }, 200)).toEqual({ value: 2.5 });
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'NaN'] }] } }, 200)).toEqual({ noData: 'no data: the query gave NaN (no traffic?)' });
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [] } }, 200)).toEqual({ failure: 'empty result: the query matched no series' });
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [{}, {}] } }, 200)).toMatchObject({ failure: expect.stringContaining('2 series') });
    expect(readQueryBody({ status: 'error', error: 'parse error' }, 400)).toEqual({ failure: 'Prometheus error: parse error' });
  });

  it('judges +Inf and -Inf as values beyond the limits, not as no data', async () => {
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '+Inf'] }] } }, 200)).toEqual({ value: Infinity });
    expect(readQueryBody({ status: 'success', data: { resultType: 'scalar', result: [1, '-Inf'] } }, 200)).toEqual({ value: -Infinity });
    const [high] = await prometheusCheck(config({ max: 0.3 })).sample({ pool: 'overflow', addresses: [] });
    expect(high).toMatchObject({ outcome: 'fail', value: Infinity, error: 'Infinity > max 0.3' });
    const [low] = await prometheusCheck(config({ min: 0 })).sample({ pool: 'underflow', addresses: [] });
    expect(low).toMatchObject({ outcome: 'fail', value: -Infinity, error: '-Infinity < min 0' });
    const [relative] = await prometheusCheck(config({ 'max-increase': 0.1 })).sample({ pool: 'overflow', addresses: [], baselinePool: 'blue', baselineAddresses: [] });
    expect(relative).toMatchObject({ outcome: 'fail', value: Infinity, baselineValue: 0.4 });
  });

  it('judges min and max', async () => {
    const [sample] = await prometheusCheck(config({ max: 0.3 })).sample({ pool: 'green', addresses: [] });
    expect(sample).toMatchObject({ role: 'target', outcome: 'fail', value: 0.5, error: '0.5 > max 0.3' });
    const [fine] = await prometheusCheck(config({ min: 0.1, max: 0.9 })).sample({ pool: 'green', addresses: [] });
    expect(fine).toMatchObject({ outcome: 'pass', value: 0.5 });
  });

  it('judges against the baseline pool: max-increase and max-decrease as ratios', async () => {
    const samples = await prometheusCheck(config({ 'max-increase': 0.1 })).sample({ pool: 'green', addresses: [], baselinePool: 'blue', baselineAddresses: [] });
    expect(samples.map((s) => [s.role, s.outcome, s.value])).toEqual([
      ['target', 'fail', 0.5],
      ['baseline', 'pass', 0.4],
    ]);
    expect(samples[0]).toMatchObject({ baselineValue: 0.4, error: '0.5 > baseline 0.4 × 1.1' });
    const [ok] = await prometheusCheck(config({ 'max-decrease': 0.5 })).sample({ pool: 'green', addresses: [], baselinePool: 'blue', baselineAddresses: [] });
    expect(ok).toMatchObject({ outcome: 'pass' });
    expect(prometheusCheck(config({ 'max-decrease': 0.5 })).needsBaseline).toBe(true);
  });

  it('fails closed: a baseline without data, no series, a Prometheus error, a dead Prometheus', async () => {
    const [noBaseline] = await prometheusCheck(config({ 'max-increase': 0.1 })).sample({ pool: 'green', addresses: [], baselinePool: 'gone', baselineAddresses: [] });
    expect(noBaseline).toMatchObject({ outcome: 'source-failure', error: 'baseline gone: empty result: the query matched no series' });
    const [empty] = await prometheusCheck(config({ max: 1 })).sample({ pool: 'gone', addresses: [] });
    expect(empty).toMatchObject({ outcome: 'source-failure', sourceFailure: true });
    const [bad] = await prometheusCheck({ ...config({ max: 1 }), prometheus: { url: `http://${address}`, query: 'syntax error', max: 1 } }).sample({ pool: 'green', addresses: [] });
    expect(bad).toMatchObject({ outcome: 'source-failure', error: 'Prometheus error: parse error' });
    const [dead] = await prometheusCheck({ name: 'rate', prometheus: { url: `http://${closed}`, query: 'up', max: 1 } }).sample({ pool: 'green', addresses: [] });
    expect(dead).toMatchObject({ outcome: 'source-failure' });
    expect(dead!.error).toContain('ECONNREFUSED');
  });
});

describe('the command check', () => {
  it('passes on exit 0 and fails otherwise, with {pool} filled in and the pool in the environment', async () => {
    const [ok] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'test "$1" = green && test "$CUTOVER_ADDRESSES" = "a:1 b:2"', 'sh', '{pool}'] } }).sample({ pool: 'green', addresses: ['a:1', 'b:2'] });
    expect(ok).toMatchObject({ outcome: 'pass', status: 0 });
    const [bad] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo broken >&2; exit 3'] } }).sample({ pool: 'green', addresses: [] });
    expect(bad).toMatchObject({ outcome: 'fail', status: 3, error: 'exit 3: broken' });
  });

  it('compares the number it prints with min and max', async () => {
    const [high] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo users; echo 42'], max: 40 } }).sample({ pool: 'g', addresses: [] });
    expect(high).toMatchObject({ outcome: 'fail', value: 42, error: '42 > max 40' });
    const [word] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo many'], max: 40 } }).sample({ pool: 'g', addresses: [] });
    expect(word).toMatchObject({ outcome: 'source-failure', error: 'sh: printed no number: many' });
    expect(printedNumber('a\n 3.5 \n')).toBe(3.5);
  });

  it('records a missing program and a timeout as source failures', async () => {
    const [missing] = await commandCheck({ name: 'c', command: { argv: ['/nonexistent/probe'] } }).sample({ pool: 'g', addresses: [] });
    expect(missing).toMatchObject({ outcome: 'source-failure', error: 'cannot run /nonexistent/probe: ENOENT' });
    const [slow] = await commandCheck({ name: 'c', command: { argv: ['sleep', '5'], timeout: '100ms' } }).sample({ pool: 'g', addresses: [] });
    expect(slow).toMatchObject({ outcome: 'source-failure', error: 'no result within 100ms' });
  });
});

describe('checks from the environment, and the smoke check', () => {
  const environment = (): Environment & { name: string } => ({
    name: 'production',
    router: { kind: 'command', read: ['true'], apply: ['true'] },
    pools: { green: [address], blue: [closed] },
    health: {
      checks: [
        { name: 'web', http: { url: 'http://{address}/ok' } },
        { name: 'users', command: { argv: ['sh', '-c', 'echo 10'], min: 5 } },
        { name: 'revenue', prometheus: { url: `http://${address}`, query: 'r{pool="{pool}"}', 'max-decrease': 0.2 } },
      ],
    },
  });

  it('creates every check, or those named, and names an unknown one', () => {
    expect(createChecks(environment()).map((check) => check.kind)).toEqual(['http', 'command', 'prometheus']);
    expect(createChecks(environment(), parseCheckNames('users,\n web')).map((check) => check.name)).toEqual(['web', 'users']);
    expect(() => createChecks(environment(), ['nope'])).toThrow('checks: no check named "nope" in environments.production.health.checks (it has: web, users, revenue)');
    expect(() => createChecks({ ...environment(), health: {} })).toThrow('the environment has no health checks');
  });

  it('passes a healthy pool and names what fails on a dead one', async () => {
    const good = await smokeCheck(environment(), 'green');
    expect(good.passed).toBe(true);
    expect(good).toMatchObject({ skipped: false, summary: '2 checks passed on pool green; skipped without a baseline pool: revenue' });
    expect(good.checks.find((check) => check.name === 'revenue')).toMatchObject({ skipped: 'compares with a baseline pool' });
    const bad = await smokeCheck(environment(), 'blue');
    expect(bad.passed).toBe(false);
    expect(bad.summary).toBe(`web: GET http://${closed}/ok: fetch failed: ECONNREFUSED at ${closed}`);
    await expect(smokeCheck(environment(), 'red')).rejects.toThrow('pool "red" is not in the environment\'s pools (it has: green, blue)');
  });

  it('says it was skipped, not passed, when every check needs a baseline pool', async () => {
    const relativeOnly = environment();
    relativeOnly.health = { checks: relativeOnly.health!.checks!.filter((check) => check.name === 'revenue') };
    const result = await smokeCheck(relativeOnly, 'green');
    expect(result).toMatchObject({ passed: true, skipped: true, summary: 'no check can run without a baseline pool: smoke check of pool green skipped (revenue)' });
    expect(result.checks.flatMap((check) => check.samples)).toEqual([]);
  });
});
