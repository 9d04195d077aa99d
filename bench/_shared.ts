// What the benchmarks share (bench/run.ts skips files starting with "_").

/** Nearest-rank quantile, q from 0 to 1: the value at least a share q of the samples do not exceed. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/**
 * Requests `url` back to back with fresh connections until stopped, and keeps the last time (ms
 * since `origin`) that `pool` answered: when traffic really left it, as a client sees.
 */
export function proxyTraffic(url: string, origin: number, pool: string) {
  let running = true;
  let last = -1;
  let failed = 0;
  let requests = 0;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(url, { headers: { connection: 'close' } });
        const body = (await response.json()) as { pool: string };
        requests += 1;
        if (body.pool === pool) last = performance.now() - origin;
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
