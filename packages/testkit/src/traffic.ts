/**
 * Which pool answers, as a client of a proxy sees it: the sample backend answers {pool} in its JSON
 * body. One set of helpers for every test and benchmark (they were written five times).
 */

/** The pool answering GET `url` now, on a fresh connection. */
export async function poolAt(url: string): Promise<string> {
  // A fresh connection each time: a kept-alive one may still reach a worker from before a reload.
  const response = await fetch(url, { headers: { connection: 'close' } });
  return ((await response.json()) as { pool: string }).pool;
}

/** The pools that answer `count` fresh requests through the proxy, with how many each. */
export async function poolsAnswering(url: string, count = 40): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let index = 0; index < count; index += 1) {
    const pool = await poolAt(url);
    seen[pool] = (seen[pool] ?? 0) + 1;
  }
  return seen;
}

/** Waits until `url` answers from `pool` once (nginx starts new workers shortly after a reload), at most 10 s. */
export async function untilPool(url: string, pool: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await poolAt(url);
    if (last === pool) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} still answers from ${last}, not ${pool}`);
}

/**
 * Waits (at most 10 s) until 20 answers in a row come from `pool`: nginx reloads asynchronously, and
 * its old workers answer for a moment after the action ends. A split still in place never gives 20
 * in a row (weighted round robin interleaves the pools).
 */
export async function settledOn(url: string, pool: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let row = 0;
  while (row < 20) {
    if (Date.now() > deadline) throw new Error(`${url} did not settle on ${pool}`);
    row = (await poolAt(url)) === pool ? row + 1 : 0;
  }
}

/** The pools answering `count` requests once `url` has settled on `pool` (or after 10 s, what answers then). */
export async function poolsOnceSettled(url: string, pool: string, count = 20): Promise<Record<string, number>> {
  await settledOn(url, pool).catch(() => undefined);
  return poolsAnswering(url, count);
}

/** Polls the proxy while a run goes on: which pools answered, with fresh connections; failures count as `error`. */
export function watchTraffic(url: string): { stop(): Promise<Record<string, number>> } {
  const seen: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const pool = await poolAt(url);
        seen[pool] = (seen[pool] ?? 0) + 1;
      } catch {
        seen.error = (seen.error ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

/**
 * Requests `url` back to back with fresh connections until stopped, and keeps the last time (ms
 * since `origin`) that `pool` answered: when traffic really left it, as a client sees.
 */
export function lastAnswerFrom(url: string, origin: number, pool: string): { stop(): Promise<{ lastMs: number; failed: number; requests: number }> } {
  let running = true;
  let last = -1;
  let failed = 0;
  let requests = 0;
  const loop = (async () => {
    while (running) {
      try {
        requests += 1;
        if ((await poolAt(url)) === pool) last = performance.now() - origin;
      } catch {
        failed += 1;
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { lastMs: last, failed, requests };
    },
  };
}
