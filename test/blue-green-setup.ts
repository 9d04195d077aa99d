/** Shared set-up of the blue-green end-to-end tests: an environment file in a workspace, and one switch. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '@cutover/testkit';

export interface Workspace {
  dir: string;
  /** Writes .github/cutover.yml-like `cutover.yml` with one environment `production`. */
  writeEnvironment(environment: object, name?: string): Promise<void>;
  remove(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bg-'));
  return {
    dir,
    // JSON is YAML: the loader reads it as users' files.
    writeEnvironment: (environment, name = 'production') => writeFile(join(dir, 'cutover.yml'), JSON.stringify({ environments: { [name]: environment } }, null, 2)),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const healthz = { checks: [{ name: 'healthz', http: { url: 'http://{address}/healthz', 'expect-status': 200, 'max-latency': '2s' } }] };

export function runSwitch(
  workspace: Workspace,
  inputs: Record<string, string> = {},
  github?: { apiUrl: string; token: string },
): Promise<ActionRun> {
  return runAction('blue-green-switch', {
    workspace: workspace.dir,
    inputs: { environment: 'production', config: 'cutover.yml', ...inputs },
    sha: 'a'.repeat(40),
    ...(github ? { apiUrl: github.apiUrl, token: github.token } : {}),
    post: false,
    timeoutMs: 60_000,
  });
}

/** The pool answering GET `url` now. */
export async function poolAt(url: string): Promise<string> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  return ((await response.json()) as { pool: string }).pool;
}

/** Waits until `url` answers from `pool` (nginx starts new workers shortly after a reload), at most 10 s. */
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
