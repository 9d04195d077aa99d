/** Shared set-up of the canary-step end-to-end tests: the environment's health, one run, a webhook receiver. */
import { createServer } from 'node:http';
import { runAction, type ActionRun, type InterruptOptions, type Workspace } from '@cutover/testkit';

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
