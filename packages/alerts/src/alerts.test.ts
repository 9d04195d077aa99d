// Alerts delivered to a real local receiver (a Node http server), which can refuse a few first.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Environment } from '@cutover/config';
import { AlertHttpError, dedupKey, type AlertEvent } from './alert.js';
import { runContext } from './context.js';
import { createAlerts } from './create.js';
import { pagerDutyEvents } from './pagerduty.js';
import { RETRY_AFTER_CAP_MS, retryAfterMs, retryPlan, sendAlerts } from './send.js';
import { slackMessage } from './slack.js';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

let server: Server;
let base = '';
let received: Received[] = [];
let refuse = 0;
/** Answers given before any other, in order: a status, headers and a body. */
let script: { status: number; headers?: Record<string, string>; body: string }[] = [];
/** Every request's path and arrival (performance.now()), answered or refused. */
let arrivals: { path: string; at: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      arrivals.push({ path: req.url ?? '', at: performance.now() });
      const scripted = script.shift();
      if (scripted) return void res.writeHead(scripted.status, scripted.headers).end(scripted.body);
      if (refuse > 0) {
        refuse -= 1;
        return void res.writeHead(503).end('busy');
      }
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(req.url === '/pd' ? 202 : 200, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  refuse = 0;
  script = [];
  arrivals = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

const environment = (): Environment & { name: string } => ({
  name: 'production',
  router: { kind: 'command', read: ['true'], apply: ['true'] },
  pools: { green: ['127.0.0.1:1'] },
  alerts: [{ webhook: { 'url-env': 'HOOK' } }, { slack: { 'url-env': 'SLACK' } }, { pagerduty: { 'routing-key-env': 'PD_KEY', url: `${base}/pd` } }],
});

const env = () => ({ HOOK: `${base}/hook`, SLACK: `${base}/slack`, PD_KEY: 'r0ut1ngk3y' });

const event: AlertEvent = {
  action: 'trigger',
  source: 'health-watch',
  environment: 'production',
  title: 'production: pool green is unhealthy',
  reason: 'error-rate: 3 bad intervals in a row (0.2 > max 0.05)',
  verdict: 'unhealthy',
  pool: 'green',
  version: 'v2',
  commit: '0123456789abcdef0123456789abcdef01234567',
  repository: 'acme/app',
  runUrl: 'https://github.com/acme/app/actions/runs/42',
  failingChecks: [{ name: 'error-rate', observed: 'last 0.2', threshold: '<= 0.05' }],
  checks: ['healthz', 'error-rate'],
};

describe('alerts from the environment file', () => {
  it('names a missing variable and the config path', () => {
    expect(() => createAlerts(environment(), { HOOK: `${base}/hook` })).toThrow(
      'environments.production.alerts[1].slack.url-env: the environment variable SLACK is not set; give it to the step (env: SLACK: ${{ secrets.SLACK }})',
    );
  });

  it('refuses a variable that holds no URL, without printing it', () => {
    const error = (() => {
      try {
        createAlerts(environment(), { ...env(), HOOK: 'not-a-url-s3cret' });
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toBe('environments.production.alerts[0].webhook.url-env: the environment variable HOOK does not hold a URL');
  });

  it('labels alerts by their variable, never by the secret', () => {
    expect(createAlerts(environment(), env()).map((alert) => alert.label)).toEqual(['webhook (HOOK)', 'slack (SLACK)', 'pagerduty (PD_KEY)']);
  });
});

describe('delivery', () => {
  it('carries environment, version, commit, failing checks with observed values and thresholds, run URL', async () => {
    const deliveries = await sendAlerts(createAlerts(environment(), env()), event);
    expect(deliveries.map((d) => [d.kind, d.delivered, d.tries])).toEqual([
      ['webhook', true, 1],
      ['slack', true, 1],
      ['pagerduty', true, 1],
    ]);
    const hook = received.find((r) => r.path === '/hook')!.body;
    expect(hook).toMatchObject({
      action: 'trigger',
      environment: 'production',
      version: 'v2',
      commit: event.commit,
      runUrl: event.runUrl,
      failingChecks: event.failingChecks,
    });
    expect(hook.at).toMatch(/^\d{4}-/);
    const slack = JSON.stringify(received.find((r) => r.path === '/slack')!.body);
    for (const text of ['production', 'v2', '0123456789ab', 'error-rate', 'last 0.2', '&lt;= 0.05', event.runUrl!]) expect(slack).toContain(text);
    const pd = received.find((r) => r.path === '/pd')!.body;
    expect(pd).toMatchObject({ routing_key: 'r0ut1ngk3y', event_action: 'trigger', dedup_key: 'cutover/production/error-rate', client_url: event.runUrl });
    expect(pd.payload).toMatchObject({
      severity: 'critical',
      group: 'production',
      class: 'error-rate',
      custom_details: { observed: 'last 0.2', threshold: '<= 0.05', version: 'v2', commit: event.commit },
    });
  });

  it('resolves every check with the same dedup keys; Slack stays quiet, the webhook says so', async () => {
    await sendAlerts(createAlerts(environment(), env()), { ...event, action: 'resolve', verdict: 'healthy', failingChecks: [] });
    expect(received.filter((r) => r.path === '/pd').map((r) => r.body)).toEqual([
      { routing_key: 'r0ut1ngk3y', event_action: 'resolve', dedup_key: 'cutover/production/healthz' },
      { routing_key: 'r0ut1ngk3y', event_action: 'resolve', dedup_key: 'cutover/production/error-rate' },
    ]);
    expect(received.filter((r) => r.path === '/slack')).toEqual([]);
    expect(received.find((r) => r.path === '/hook')!.body).toMatchObject({ action: 'resolve' });
  });

  it('retries a refused delivery', async () => {
    refuse = 2;
    const [delivery] = await sendAlerts(createAlerts({ ...environment(), alerts: [{ webhook: { 'url-env': 'HOOK' } }] }, env()), event, { backoffMs: 10 });
    expect(delivery).toMatchObject({ delivered: true, tries: 3 });
    expect(received).toHaveLength(1);
  });

  it('reports a delivery that never lands, and does not throw', async () => {
    refuse = 10;
    const [delivery] = await sendAlerts(createAlerts({ ...environment(), alerts: [{ webhook: { 'url-env': 'HOOK' } }] }, env()), event, { backoffMs: 10 });
    expect(delivery).toMatchObject({ delivered: false, tries: 3, error: 'HTTP 503: busy' });
    const warnings = vi
      .mocked(process.stdout.write)
      .mock.calls.map(([text]) => String(text))
      .filter((text) => text.startsWith('::warning::'));
    expect(warnings).toEqual([expect.stringContaining('alert webhook (HOOK) not delivered after 3 tries: HTTP 503: busy')]);
  });
});

describe('retries: only 429 and 5xx, after Retry-After', () => {
  const slackOnly = () => createAlerts({ ...environment(), alerts: [{ slack: { 'url-env': 'SLACK' } }] }, env());

  it('does not retry a 400 from Slack: one request, reported with the reason', async () => {
    script = [{ status: 400, body: 'invalid_blocks' }];
    const [delivery] = await sendAlerts(slackOnly(), event, { backoffMs: 10 });
    expect(arrivals.map((a) => a.path)).toEqual(['/slack']);
    expect(delivery).toMatchObject({ delivered: false, tries: 1, error: 'HTTP 400: invalid_blocks (not retried: only 429 and 5xx are)' });
  });

  it('waits the 2 s a 429 asks for with Retry-After: 2 before trying again', async () => {
    script = [{ status: 429, headers: { 'retry-after': '2' }, body: 'rate_limited' }];
    // A backoff of 10 ms: without Retry-After the second try would follow almost at once.
    const [delivery] = await sendAlerts(slackOnly(), event, { backoffMs: 10 });
    expect(delivery).toMatchObject({ delivered: true, tries: 2 });
    expect(arrivals).toHaveLength(2);
    // A lower bound (timers may fire a millisecond early against performance.now()), not a speed.
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(1990);
  });

  it('retries a 503 and a 502, then delivers', async () => {
    script = [
      { status: 503, body: 'busy' },
      { status: 502, body: 'bad gateway' },
    ];
    const [delivery] = await sendAlerts(slackOnly(), event, { backoffMs: 10 });
    expect(delivery).toMatchObject({ delivered: true, tries: 3 });
    expect(arrivals.map((a) => a.path)).toEqual(['/slack', '/slack', '/slack']);
  });

  it('puts a receiver answer on one line, so it cannot start a workflow command', async () => {
    script = [{ status: 403, body: 'no\n::error::forged' }];
    const [delivery] = await sendAlerts(slackOnly(), event, { backoffMs: 10 });
    expect(delivery!.error).toMatch(/^HTTP 403: no ::error::forged /);
    const lines = vi.mocked(process.stdout.write).mock.calls.flatMap(([text]) => String(text).split('\n'));
    expect(lines.filter((line) => line.startsWith('::error'))).toEqual([]);
  });

  it('reads Retry-After as seconds or an HTTP date, and caps it', () => {
    const now = Date.parse('2026-10-21T07:28:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    for (const unreadable of [undefined, '', '-1', '1.5', 'soon']) expect(retryAfterMs(unreadable, now)).toBeUndefined();
    const answer = (status: number, retryAfter?: string) => new AlertHttpError(`HTTP ${status}`, status, retryAfter);
    expect(retryPlan(answer(429, '2'), 1, 1000, now)).toMatchObject({ retry: true, waitMs: 2000 });
    expect(retryPlan(answer(503, 'Wed, 21 Oct 2026 07:28:03 GMT'), 1, 1000, now)).toMatchObject({ retry: true, waitMs: 3000 });
    expect(retryPlan(answer(429, '3600'), 1, 1000, now)).toMatchObject({ retry: true, waitMs: RETRY_AFTER_CAP_MS, why: 'Retry-After 3600 (capped at 60s)' });
    expect(retryPlan(answer(500), 2, 1000, now)).toMatchObject({ retry: true, waitMs: 2000 });
    expect(retryPlan(answer(429, 'soon'), 1, 1000, now)).toMatchObject({ retry: true, waitMs: 1000 });
    for (const status of [400, 401, 403, 404, 410, 413, 422, 302]) expect(retryPlan(answer(status, '1'), 1, 1000, now).retry).toBe(false);
    expect(retryPlan(new Error('connect ECONNREFUSED'), 3, 1000, now)).toMatchObject({ retry: true, waitMs: 4000 });
  });
});

describe('message shapes', () => {
  it('builds Slack blocks with a header, the reason, fields, checks and the run link', () => {
    const message = slackMessage(event) as { text: string; blocks: { type: string }[] };
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(message.text).toBe(`${event.title}: ${event.reason}`);
  });

  it('triggers one PagerDuty event per failing check, or one for the watch', () => {
    expect(pagerDutyEvents({ ...event, failingChecks: [] }, 'k', 'error')).toMatchObject([
      { dedup_key: 'cutover/production/watch', payload: { severity: 'error' } },
    ]);
    expect(dedupKey('e'.repeat(300), 'c')).toHaveLength(255);
  });

  it('reads the run from the runner variables', () => {
    expect(runContext({ GITHUB_SHA: 'abc', GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://ghe.example' })).toEqual({
      commit: 'abc',
      repository: 'acme/app',
      runUrl: 'https://ghe.example/acme/app/actions/runs/7',
    });
    expect(runContext({})).toEqual({});
  });
});
