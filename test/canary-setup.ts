/** Shared set-up of the canary-step end-to-end tests: the environment's health, one run, a webhook receiver, traffic seen through the proxy. */
import { createServer } from 'node:http';
import { runAction, type ActionRun, type InterruptOptions } from '@cutover/testkit';
import type { Workspace } from './blue-green-setup.js';

/**
 * The environment's health as a user writes it: one http check and nothing else (the probes per
 * look, the tolerances and the confidence are the defaults); only the looks come faster, every
 * 250 ms, for short test steps.
 */
export const canaryHealth = {
  interval: '250ms',
  checks: [{ name: 'healthz', main: true, http: { url: 'http://{address}/healthz', 'expect-status': 200 } }],
};

export function runCanary(
  workspace: Workspace,
  inputs: Record<string, string> = {},
  options: { github?: { apiUrl: string; token: string }; interrupt?: InterruptOptions; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  return runAction('canary-step', {
    workspace: workspace.dir,
    inputs: { environment: 'production', config: 'cutover.yml', 'step-duration': '3s', ...inputs },
    sha: 'b'.repeat(40),
    ...(options.github ? { apiUrl: options.github.apiUrl, token: options.github.token } : {}),
    ...(options.interrupt ? { interrupt: options.interrupt } : {}),
    ...(options.env ? { env: options.env } : {}),
    timeoutMs: 90_000,
  });
}

/** The pools that answer `count` fresh requests through the proxy, with how many each. */
export async function poolsAnswering(url: string, count = 40): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let index = 0; index < count; index += 1) {
    const response = await fetch(url, { headers: { connection: 'close' } });
    const { pool } = (await response.json()) as { pool: string };
    seen[pool] = (seen[pool] ?? 0) + 1;
  }
  return seen;
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
    const response = await fetch(url, { headers: { connection: 'close' } });
    row = ((await response.json()) as { pool: string }).pool === pool ? row + 1 : 0;
  }
}

/** Polls the proxy while a run goes on: which pools answered, with fresh connections. */
export function watchTraffic(url: string): { stop(): Promise<Record<string, number>> } {
  const seen: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(url, { headers: { connection: 'close' } });
        const { pool } = (await response.json()) as { pool: string };
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

/** A webhook receiver for the environment's alerts. */
export async function startReceiver(): Promise<{ url: string; events: Record<string, unknown>[]; stop(): void }> {
  const events: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      events.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, events, stop: () => server.close() };
}
