import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BackendMetrics } from './metrics.js';
import { checkMs, checkRate, failsAt } from './error-schedule.js';

export interface BackendOptions {
  pool: string;
  version?: string;
  /** 0..1; failures are deterministic (see failsAt): 0.05 fails exactly every 20th request. */
  errorRate?: number;
  latencyMs?: number;
  port?: number;
  /** The business gauge business_revenue_per_minute; 100 unless set. */
  revenuePerMinute?: number;
}

export interface Backend {
  pool: string;
  version: string;
  port: number;
  /** 127.0.0.1:port */
  address: string;
  url: string;
  setErrorRate(rate: number): void;
  setLatency(ms: number): void;
  setVersion(v: string): void;
  setRevenuePerMinute(value: number): void;
  /** Requests counted so far (every path but /metrics and /__control). */
  requests(): number;
  stop(): Promise<void>;
}

/** What POST /__control accepts, to steer a backend running in another process. */
export interface BackendControl {
  errorRate?: number;
  latencyMs?: number;
  version?: string;
  revenuePerMinute?: number;
}

/**
 * The sample application: answers JSON {pool, version} on every path, with injectable errors and
 * latency, and Prometheus metrics on /metrics.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const pool = options.pool;
  let version = options.version ?? 'v1';
  let errorRate = checkRate(options.errorRate ?? 0);
  let latencyMs = checkMs(options.latencyMs ?? 0);
  // Counted since the error rate was last set, so a new rate gives exact figures from then on.
  let sinceRateSet = 0;
  let counted = 0;
  const metrics = new BackendMetrics(pool, checkRevenue(options.revenuePerMinute ?? 100));

  const setErrorRate = (rate: number) => {
    errorRate = checkRate(rate);
    sinceRateSet = 0;
  };
  const setLatency = (ms: number) => {
    latencyMs = checkMs(ms);
  };
  const setVersion = (v: string) => {
    version = v;
  };
  const setRevenuePerMinute = (value: number) => {
    metrics.revenuePerMinute = checkRevenue(value);
  };

  const control = async (req: IncomingMessage, res: ServerResponse) => {
    const changes: (() => void)[] = [];
    try {
      const body = JSON.parse((await readBody(req)) || '{}') as BackendControl;
      // Validate everything before changing anything, so a bad body leaves the backend as it was.
      if (body.errorRate !== undefined) {
        const rate = checkRate(Number(body.errorRate));
        changes.push(() => setErrorRate(rate));
      }
      if (body.latencyMs !== undefined) {
        const ms = checkMs(Number(body.latencyMs));
        changes.push(() => setLatency(ms));
      }
      if (body.revenuePerMinute !== undefined) {
        const revenue = checkRevenue(Number(body.revenuePerMinute));
        changes.push(() => setRevenuePerMinute(revenue));
      }
      if (body.version !== undefined) {
        const next = String(body.version);
        changes.push(() => setVersion(next));
      }
    } catch (error) {
      return send(res, 400, { error: `bad /__control body: ${(error as Error).message}` });
    }
    for (const change of changes) change();
    send(res, 200, { pool, version, errorRate, latencyMs, revenuePerMinute: metrics.revenuePerMinute });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    if (url.pathname === '/__control') {
      if (req.method === 'POST') return void control(req, res);
      return send(res, 405, { error: 'POST /__control with JSON {errorRate?, latencyMs?, version?, revenuePerMinute?}' });
    }
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return void res.end(metrics.render());
    }
    const started = process.hrtime.bigint();
    counted += 1;
    sinceRateSet += 1;
    const failed = failsAt(sinceRateSet, errorRate);
    const answeringVersion = version;
    const slowMs = url.pathname === '/slow' ? Number(url.searchParams.get('ms') ?? 0) || 0 : 0;
    setTimeout(
      () => {
        if (res.destroyed) return;
        const code = failed ? 500 : 200;
        if (failed) send(res, 500, { pool, version: answeringVersion, error: 'injected failure' });
        else if (url.pathname === '/version') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(answeringVersion + '\n');
        } else send(res, 200, { pool, version: answeringVersion });
        metrics.observe(code, Number(process.hrtime.bigint() - started) / 1e9);
      },
      latencyMs + Math.max(0, slowMs),
    );
  });
  // Longer than proxies' idle upstream keepalive, so a reused connection is never closed under them.
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 80_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('sample backend: no listening address');
  const port = address.port;

  return {
    pool,
    get version() {
      return version;
    },
    port,
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    setErrorRate,
    setLatency,
    setVersion,
    setRevenuePerMinute,
    requests: () => counted,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function checkRevenue(value: number): number {
  if (!Number.isFinite(value)) throw new Error(`revenuePerMinute must be a number, got ${value}`);
  return value;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
