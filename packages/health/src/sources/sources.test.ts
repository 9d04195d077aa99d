// The check sources against real local processes: a Node http server, a Prometheus-shaped answer, argv programs.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { fillTemplate, type PoolLook } from '../check.js';
import { smokeCheck } from '../smoke.js';
import { statusRule } from '../status.js';
import { commandCheck, printedNumber } from './command.js';
import { httpCheck } from './http.js';
import { prometheusCheck, readQueryBody } from './prometheus.js';
import { createChecks, parseCheckNames } from './create.js';

let server: Server;
let address = '';
/** A port nothing listens on (fetch refuses some low ports outright, so not port 1). */
let closed = '';
/** Answers by path: /ok 200 "ready", /fail 500, /slow after 300ms; /q mimics Prometheus by pool. */
const values: Record<string, string | undefined> = { green: '0.5', blue: '0.4', overflow: '+Inf', underflow: '-Inf' };
/** Counters by pool for the counters form, moved by the tests. */
const counters: Record<string, { requests: number; errors: number }> = { green: { requests: 100, errors: 1 }, blue: { requests: 50, errors: 0 } };

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/query') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const query = new URLSearchParams(body).get('query') ?? '';
        const pool = /pool="([^"]+)"/.exec(query)?.[1] ?? '';
        const counter = /^(requests|errors)\{/.exec(query)?.[1] as 'requests' | 'errors' | undefined;
        if (counter) {
          const totals = counters[pool];
          const result = totals ? [{ metric: { pool }, value: [1, String(totals[counter])] }] : [];
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
        }
        if (query.includes('syntax error'))
          return void res.writeHead(400).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
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
  const requests = (looks: PoolLook[], role: string) => looks.filter((look) => look.role === role).flatMap((look) => look.requests ?? []);

  it('sends the requests the watch asks for to each pool, pairs leaving together, recording status and latency', async () => {
    const check = httpCheck({ name: 'web', http: { url: 'http://{address}/ok?pool={pool}', 'body-contains': 'ready' } });
    const looks = await check.look({
      pool: 'green',
      addresses: [address],
      baselinePool: 'blue',
      baselineAddresses: [address, address],
      requests: 4,
      spreadMs: 20,
    });
    expect(looks.map((look) => [look.role, look.pool, look.outcome])).toEqual([
      ['target', 'green', 'pass'],
      ['baseline', 'blue', 'pass'],
    ]);
    expect(requests(looks, 'target')).toHaveLength(4);
    expect(requests(looks, 'baseline')).toHaveLength(4);
    expect(requests(looks, 'target').every((request) => request.status === 200 && !request.failed && request.latencyMs! >= 0)).toBe(true);
    expect(check.threshold).toBe('status 200-299, body contains "ready", at most 2% failed');
    expect(check).toMatchObject({ measures: 'requests', limits: { maxErrorRate: 0.02, latencyFloorMs: 1 }, probes: { maxRate: 100 } });
  });

  it('sends one request per address when the watch asks for none (a smoke check), and a fixed number with requests', async () => {
    const one = await httpCheck({ name: 'web', http: { url: 'http://{address}/ok' } }).look({ pool: 'g', addresses: [address, address] });
    expect(requests(one, 'target')).toHaveLength(2);
    const fixed = await httpCheck({ name: 'web', http: { url: 'http://{address}/ok', requests: 3 } }).look({ pool: 'g', addresses: [address], requests: 50 });
    expect(requests(fixed, 'target')).toHaveLength(3);
  });

  it('fails a wrong status and a missing body text; marks a slow answer slow, not failed', async () => {
    const [failed] = requests(await httpCheck({ name: 'web', http: { url: 'http://{address}/fail' } }).look({ pool: 'g', addresses: [address] }), 'target');
    expect(failed).toMatchObject({ failed: true, status: 500, problem: 'status 500, expected 200-299' });
    const [slow] = requests(
      await httpCheck({ name: 'web', http: { url: 'http://{address}/slow', 'max-latency': '100ms' } }).look({ pool: 'g', addresses: [address] }),
      'target',
    );
    expect(slow).toMatchObject({ failed: false, slow: true });
    expect(slow!.problem).toMatch(/^latency \d+(\.\d)?ms > 100ms$/);
    const [body] = requests(
      await httpCheck({ name: 'web', http: { url: 'http://{address}/ok', 'body-contains': 'healthy' } }).look({ pool: 'g', addresses: [address] }),
      'target',
    );
    expect(body).toMatchObject({ failed: true, problem: 'body lacks "healthy"' });
  });

  it('counts a refused connection and a timeout as failed requests (the pool did not answer)', async () => {
    const [refused] = requests(await httpCheck({ name: 'web', http: { url: 'http://{address}/' } }).look({ pool: 'g', addresses: [closed] }), 'target');
    expect(refused).toMatchObject({ failed: true, address: closed });
    expect(refused!.problem).toContain('ECONNREFUSED');
    const [late] = requests(
      await httpCheck({ name: 'web', http: { url: 'http://{address}/slow', timeout: '50ms' } }).look({ pool: 'g', addresses: [address] }),
      'target',
    );
    expect(late).toMatchObject({ failed: true, problem: `GET http://${address}/slow: no answer within 50ms` });
  });

  it('reads max-error-rate as a share or a percentage, and refuses one out of range, naming the field', () => {
    expect(httpCheck({ name: 'web', http: { url: 'http://x/', 'max-error-rate': '0.5%' } }).limits!.maxErrorRate).toBe(0.005);
    expect(httpCheck({ name: 'web', http: { url: 'http://x/', 'max-error-rate': 0.1 } }).limits!.maxErrorRate).toBe(0.1);
    expect(() => httpCheck({ name: 'web', http: { url: 'http://x/', 'max-error-rate': '150%' } }, 'checks[0]')).toThrow(
      'checks[0].http.max-error-rate: expected a share from 0 to 1',
    );
  });
});

describe('the prometheus check', () => {
  const config = (fields: object) => ({ name: 'rate', prometheus: { url: `http://${address}`, query: 'x{pool="{pool}"}', ...fields } });

  it('reads answers: a value, NaN as no data, empty or several series or an error as source failures', () => {
    expect(readQueryBody({ status: 'success', data: { resultType: 'scalar', result: [1, '2.5'] } }, 200)).toEqual({ value: 2.5 });
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'NaN'] }] } }, 200)).toEqual({
      noData: 'no data: the query gave NaN (no traffic?)',
    });
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [] } }, 200)).toEqual({
      failure: 'empty result: the query matched no series',
    });
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [{}, {}] } }, 200)).toMatchObject({
      failure: expect.stringContaining('2 series'),
    });
    expect(readQueryBody({ status: 'error', error: 'parse error' }, 400)).toEqual({ failure: 'Prometheus error: parse error' });
  });

  it("never lets the server's words start a workflow command in the log", () => {
    expect(readQueryBody({ status: 'error', error: 'x\n::warning::pwned\n::set-output name=x::y' }, 500)).toEqual({
      failure: 'Prometheus error: x\n› ::warning::pwned\n› ::set-output name=x::y',
    });
    expect(readQueryBody({ status: 'success', data: { resultType: '\n##[error]pwned' } }, 200)).toEqual({
      failure: 'expected a vector or scalar, got \n# #[error]pwned',
    });
  });

  it('counts +Inf and -Inf as source failures: no limit judges them, and they count against health', async () => {
    expect(readQueryBody({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '+Inf'] }] } }, 200)).toEqual({
      failure: 'the query gave +Inf, not a finite number',
    });
    expect(readQueryBody({ status: 'success', data: { resultType: 'scalar', result: [1, '-Inf'] } }, 200)).toEqual({
      failure: 'the query gave -Inf, not a finite number',
    });
    const [high] = await prometheusCheck(config({ max: 0.3 })).look({ pool: 'overflow', addresses: [] });
    expect(high).toMatchObject({ outcome: 'source-failure', error: 'the query gave +Inf, not a finite number' });
    const [relative] = await prometheusCheck(config({ 'max-increase': 0.1 })).look({
      pool: 'green',
      addresses: [],
      baselinePool: 'underflow',
      baselineAddresses: [],
    });
    expect(relative).toMatchObject({ outcome: 'source-failure', error: 'baseline underflow: the query gave -Inf, not a finite number' });
  });

  it('counts requests from two counters: their increases between looks, judged as requests', async () => {
    const check = prometheusCheck({
      name: 'users',
      prometheus: { url: `http://${address}`, requests: 'requests{pool="{pool}"}', errors: 'errors{pool="{pool}"}' },
    });
    expect(check).toMatchObject({ measures: 'requests', limits: { maxErrorRate: 0.02 }, unit: '% failed' });
    const context = { pool: 'green', addresses: [], baselinePool: 'blue', baselineAddresses: [] };
    await check.start!(context);
    counters.green = { requests: 300, errors: 11 };
    counters.blue = { requests: 250, errors: 2 };
    const looks = await check.look(context);
    expect(looks.map((look) => [look.role, look.outcome, look.counts])).toEqual([
      ['target', 'pass', { total: 200, failed: 10 }],
      ['baseline', 'pass', { total: 200, failed: 2 }],
    ]);
    counters.green = { requests: 20, errors: 0 };
    const [reset] = await check.look(context);
    expect(reset).toMatchObject({ outcome: 'no-data', error: 'a counter was reset: this look is not counted' });
  });

  it('judges min and max', async () => {
    const [sample] = await prometheusCheck(config({ max: 0.3 })).look({ pool: 'green', addresses: [] });
    expect(sample).toMatchObject({ role: 'target', outcome: 'fail', value: 0.5, error: '0.5 > max 0.3' });
    const [fine] = await prometheusCheck(config({ min: 0.1, max: 0.9 })).look({ pool: 'green', addresses: [] });
    expect(fine).toMatchObject({ outcome: 'pass', value: 0.5 });
  });

  it('judges against the baseline pool: max-increase and max-decrease as ratios', async () => {
    const samples = await prometheusCheck(config({ 'max-increase': 0.1 })).look({ pool: 'green', addresses: [], baselinePool: 'blue', baselineAddresses: [] });
    expect(samples.map((s) => [s.role, s.outcome, s.value])).toEqual([
      ['target', 'fail', 0.5],
      ['baseline', 'pass', 0.4],
    ]);
    expect(samples[0]).toMatchObject({ baselineValue: 0.4, error: '0.5 > baseline 0.4 × 1.1' });
    const [ok] = await prometheusCheck(config({ 'max-decrease': 0.5 })).look({ pool: 'green', addresses: [], baselinePool: 'blue', baselineAddresses: [] });
    expect(ok).toMatchObject({ outcome: 'pass' });
    expect(prometheusCheck(config({ 'max-decrease': 0.5 })).needsBaseline).toBe(true);
  });

  it('fails closed: a baseline without data, no series, a Prometheus error, a dead Prometheus', async () => {
    const [noBaseline] = await prometheusCheck(config({ 'max-increase': 0.1 })).look({
      pool: 'green',
      addresses: [],
      baselinePool: 'gone',
      baselineAddresses: [],
    });
    expect(noBaseline).toMatchObject({ outcome: 'source-failure', error: 'baseline gone: empty result: the query matched no series' });
    const [empty] = await prometheusCheck(config({ max: 1 })).look({ pool: 'gone', addresses: [] });
    expect(empty).toMatchObject({ outcome: 'source-failure' });
    const [bad] = await prometheusCheck({ ...config({ max: 1 }), prometheus: { url: `http://${address}`, query: 'syntax error', max: 1 } }).look({
      pool: 'green',
      addresses: [],
    });
    expect(bad).toMatchObject({ outcome: 'source-failure', error: 'Prometheus error: parse error' });
    const [dead] = await prometheusCheck({ name: 'rate', prometheus: { url: `http://${closed}`, query: 'up', max: 1 } }).look({ pool: 'green', addresses: [] });
    expect(dead).toMatchObject({ outcome: 'source-failure' });
    expect(dead!.error).toContain('ECONNREFUSED');
  });
});

describe('the command check', () => {
  it('passes on exit 0 and fails otherwise, with {pool} filled in and the pool in the environment', async () => {
    const [ok] = await commandCheck({
      name: 'c',
      command: { argv: ['sh', '-c', 'test "$1" = green && test "$CUTOVER_ADDRESSES" = "a:1 b:2"', 'sh', '{pool}'] },
    }).look({ pool: 'green', addresses: ['a:1', 'b:2'] });
    expect(ok).toMatchObject({ outcome: 'pass', value: 0 });
    const [bad] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo broken >&2; exit 3'] } }).look({ pool: 'green', addresses: [] });
    expect(bad).toMatchObject({ outcome: 'fail', value: 3, error: 'exit 3: broken' });
    const [hostile] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo "::error::pwned"; exit 1'] } }).look({
      pool: 'green',
      addresses: [],
    });
    expect(hostile).toMatchObject({ outcome: 'fail', error: 'exit 1: › ::error::pwned' });
  });

  it('compares the number it prints with min and max', async () => {
    const [high] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo users; echo 42'], max: 40 } }).look({ pool: 'g', addresses: [] });
    expect(high).toMatchObject({ outcome: 'fail', value: 42, error: '42 > max 40' });
    const [word] = await commandCheck({ name: 'c', command: { argv: ['sh', '-c', 'echo many'], max: 40 } }).look({ pool: 'g', addresses: [] });
    expect(word).toMatchObject({ outcome: 'source-failure', error: 'sh: printed no number: many' });
    expect(printedNumber('a\n 3.5 \n')).toBe(3.5);
  });

  it('records a missing program and a timeout as source failures', async () => {
    const [missing] = await commandCheck({ name: 'c', command: { argv: ['/nonexistent/probe'] } }).look({ pool: 'g', addresses: [] });
    expect(missing).toMatchObject({ outcome: 'source-failure', error: 'cannot run /nonexistent/probe: ENOENT' });
    const [slow] = await commandCheck({ name: 'c', command: { argv: ['sleep', '5'], timeout: '100ms' } }).look({ pool: 'g', addresses: [] });
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
    expect(() => createChecks(environment(), ['nope'])).toThrow(
      'checks: no check named "nope" in environments.production.health.checks (it has: web, users, revenue)',
    );
    expect(() => createChecks({ ...environment(), health: {} })).toThrow('the environment has no health checks');
    const traffic = { ...environment(), health: { checks: [{ name: 'users', traffic: {} }] } };
    expect(() => createChecks(traffic)).toThrow(
      "environments.production.health.checks[0].traffic: the command router counts no traffic; traffic checks read HAProxy's counters or nginx's access log (router.access-log)",
    );
  });

  it('passes a healthy pool and names what fails on a dead one', async () => {
    const good = await smokeCheck(environment(), 'green');
    expect(good.passed).toBe(true);
    expect(good).toMatchObject({ skipped: false, summary: '2 checks passed on pool green; skipped: revenue (compares with a baseline pool)' });
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
    expect(result).toMatchObject({
      passed: true,
      skipped: true,
      summary: 'no check can run on an idle pool: smoke check of pool green skipped (revenue (compares with a baseline pool))',
    });
    expect(result.checks.flatMap((check) => check.looks)).toEqual([]);
  });
});
