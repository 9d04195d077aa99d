/**
 * A steady HTTP load for cutover tests and the benchmark: workers loop GET requests and record,
 * per response, when it started and ended, its status and the pool that answered ({pool} in the body).
 */
import { Agent, request } from 'node:http';

export type ConnectionMode = 'fresh' | 'keep-alive' | 'keep-alive-retry';

export interface LoadSample {
  start: number;
  end: number;
  status: number;
  pool?: string;
  error?: string;
}

export interface LoadResult {
  samples: LoadSample[];
  total: number;
  failed: LoadSample[];
  byPool: Record<string, number>;
  /** Requests per second over the run. */
  rate: number;
  durationMs: number;
}

export interface Load {
  stop(): Promise<LoadResult>;
  /** Resolves once `count` more responses arrived (so a test knows the load runs). */
  waitFor(count: number): Promise<void>;
  samples: LoadSample[];
}

interface Answer {
  status: number;
  body: string;
  /** The request went out on a socket that had served a request before. */
  reused: boolean;
}

function get(url: string, agent: Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: agent === false ? { connection: 'close' } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', (error: Error & { reused?: boolean }) => reject(Object.assign(error, { reused: req.reusedSocket })));
    req.end();
  });
}

/**
 * Starts `concurrency` workers on `url`. `keep-alive-retry` resends a request once when a reused
 * keep-alive connection was closed under it before any answer (what browsers do for idempotent
 * requests): the race nginx's reload opens with idle keep-alive connections.
 */
export function startLoad(url: string, options: { concurrency?: number; mode?: ConnectionMode; rate?: number } = {}): Load {
  const concurrency = options.concurrency ?? 8;
  // With a rate, each worker paces itself: users' traffic at a steady level, not as fast as possible.
  const gapMs = options.rate ? (concurrency * 1000) / options.rate : 0;
  const mode = options.mode ?? 'fresh';
  const agent = mode === 'fresh' ? false : new Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: LoadSample[] = [];
  const started = performance.now();
  let running = true;
  const waiters: { at: number; resolve: () => void }[] = [];

  const record = (sample: LoadSample) => {
    samples.push(sample);
    for (const waiter of waiters.filter((w) => samples.length >= w.at)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const once = async (): Promise<void> => {
    const start = performance.now();
    let attempt = 0;
    for (;;) {
      try {
        const answer = await get(url, agent);
        let pool: string | undefined;
        try {
          pool = (JSON.parse(answer.body) as { pool?: string }).pool;
        } catch {
          pool = undefined;
        }
        record({ start, end: performance.now(), status: answer.status, pool });
        return;
      } catch (error) {
        const reused = (error as { reused?: boolean }).reused === true;
        if (mode === 'keep-alive-retry' && reused && attempt === 0) {
          attempt += 1;
          continue;
        }
        record({ start, end: performance.now(), status: 0, error: (error as Error).message });
        return;
      }
    }
  };

  const workers = Array.from({ length: concurrency }, async () => {
    while (running) {
      const begun = performance.now();
      await once();
      const rest = gapMs - (performance.now() - begun);
      if (rest > 0 && running) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  });

  return {
    samples,
    waitFor(count: number) {
      const at = samples.length + count;
      return new Promise((resolve) => waiters.push({ at, resolve }));
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      if (agent) agent.destroy();
      const durationMs = performance.now() - started;
      const byPool: Record<string, number> = {};
      for (const sample of samples) if (sample.pool) byPool[sample.pool] = (byPool[sample.pool] ?? 0) + 1;
      return {
        samples,
        total: samples.length,
        failed: samples.filter((sample) => sample.status !== 200),
        byPool,
        rate: (samples.length * 1000) / durationMs,
        durationMs,
      };
    },
  };
}

/**
 * Milliseconds from `since` until every response comes from `pool`: the start of the last
 * request, begun after `since`, that another pool answered (0 when none did).
 */
export function timeToPool(samples: LoadSample[], pool: string, since: number): number {
  let last = since;
  for (const sample of samples) if (sample.start >= since && sample.pool !== undefined && sample.pool !== pool) last = Math.max(last, sample.start);
  return last - since;
}

/** Starts `count` slow requests (`/slow?ms=`) and resolves with their statuses. */
export function slowRequests(baseUrl: string, count: number, ms: number): Promise<{ status: number; pool?: string; error?: string }[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      try {
        const answer = await get(`${baseUrl}/slow?ms=${ms}`, false);
        return { status: answer.status, pool: (JSON.parse(answer.body) as { pool?: string }).pool };
      } catch (error) {
        return { status: 0, error: (error as Error).message };
      }
    }),
  );
}
