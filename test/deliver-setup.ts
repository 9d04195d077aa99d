/**
 * Shared by deliver.test.ts and bench/budget.ts: examples/workflows/deliver.yml in the workflow
 * simulator against real nginx (staging), real HAProxy (production), sample backends, the GitHub
 * stand-in and local Slack and PagerDuty receivers; the repository a push brings, and the push.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Environment } from '@cutover/config';
import { createCheckRun, createGitHubClient } from '@cutover/github';
import {
  type Backend,
  checkoutFrom,
  git,
  type GitHubStandIn,
  type Haproxy,
  makeTempDir,
  type Nginx,
  repoRoot,
  setupNode,
  Simulator,
  type SimulatorOptions,
  startBackend,
  startHaproxy,
  startNginx,
  type WorkflowRunEvent,
} from '@cutover/testkit';
import { canaryHealth } from './canary-setup.js';
import { seedDeployment } from './rollback-fixtures.js';

export const DELIVER = join(repoRoot, 'examples', 'workflows', 'deliver.yml');
export const CI = join(repoRoot, 'examples', 'workflows', 'ci.yml');
export const ROLLBACK = join(repoRoot, 'examples', 'workflows', 'rollback.yml');
export const ROUTING_KEY = 'R0UTINGKEY0000000000000000000000';

/**
 * The only inputs changed from deliver.yml, each for a reason a local run cannot avoid. The canary's
 * pace comes from the environment file (canary.step-duration), not from an override.
 */
export const OVERRIDES = {
  // Watches of 2 and 10 minutes: 2 s here, 8 looks at the environment file's 250 ms interval.
  'deliver/staging.watch': { duration: '2s' },
  'deliver/production.watch': { duration: '2s' },
};

export interface Received {
  path: string;
  body: Record<string, unknown>;
}

export interface Receivers {
  url: string;
  received: Received[];
  stop(): void;
}

/** Slack (/slack) and PagerDuty's Events API (/pagerduty) on one local server, answering as they do. */
export async function startReceivers(): Promise<Receivers> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      if (request.url === '/pagerduty') response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success","message":"Event processed"}');
      else response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received, stop: () => server.close() };
}

export interface Change {
  message: string;
  author: { name: string; email: string };
}

/**
 * The repository the workflow runs on: v1.0.0 tagged, then `change` on top (the pushed commit). It
 * holds the environment file and an npm project whose build writes dist/, for `npm ci && npm run build`.
 */
export async function makeOrigin(dir: string, environments: Record<string, Environment>, change: Change): Promise<{ goodSha: string; sha: string }> {
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  git(dir, 'init', '-q', '-b', 'main');
  await write('.github/cutover.yml', stringify({ environments }));
  await write('.gitignore', 'dist/\nnode_modules/\n');
  await write(
    'package.json',
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, scripts: { build: 'mkdir -p dist && cp src/app.js dist/app.js' } }, null, 2),
  );
  await write(
    'package-lock.json',
    JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0' } } }, null, 2),
  );
  await write('src/app.js', 'export const pages = "fresh";\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Release 1.0.0');
  git(dir, 'tag', 'v1.0.0');
  const goodSha = git(dir, 'rev-parse', 'HEAD');
  await write('src/app.js', `export const pages = "cached"; // ${change.message}\n`);
  git(dir, 'commit', '-q', '-a', '-m', change.message, `--author=${change.author.name} <${change.author.email}>`);
  return { goodSha, sha: git(dir, 'rev-parse', 'HEAD') };
}

/** The servers behind the two environments: blue and green for staging, two stable and two canary for production. */
export interface DeliverBackends {
  blue: Backend;
  green: Backend;
  stable: Backend[];
  canary: Backend[];
  receivers: Receivers;
}

export async function startDeliverBackends(): Promise<DeliverBackends> {
  return {
    blue: await startBackend({ pool: 'blue', version: '1.0.0' }),
    green: await startBackend({ pool: 'green', version: 'next' }),
    stable: [await startBackend({ pool: 'stable', version: '1.0.0' }), await startBackend({ pool: 'stable', version: '1.0.0' })],
    canary: [await startBackend({ pool: 'canary', version: 'next' }), await startBackend({ pool: 'canary', version: 'next' })],
    receivers: await startReceivers(),
  };
}

export async function stopDeliverBackends(backends: Partial<DeliverBackends>): Promise<void> {
  for (const backend of [backends.blue, backends.green, ...(backends.stable ?? []), ...(backends.canary ?? [])]) await backend?.stop();
  backends.receivers?.stop();
}

/** Staging's nginx (blue live, green down) and production's HAProxy (stable live, canary drained). */
export async function startDeliverRouters(backends: DeliverBackends): Promise<{ nginx: Nginx; haproxy: Haproxy }> {
  const nginx = await startNginx({ servers: [{ address: backends.blue.address }, { address: backends.green.address, down: true }] });
  const haproxy = await startHaproxy({
    servers: [
      ...backends.stable.map((backend, index) => ({ name: `stable${index + 1}`, address: backend.address })),
      ...backends.canary.map((backend, index) => ({ name: `canary${index + 1}`, address: backend.address, drain: true })),
    ],
  });
  return { nginx, haproxy };
}

export interface EnvironmentOptions {
  /** production's canary.step-duration. */
  canaryStepDuration: string;
  /** production's freeze windows. */
  freeze?: Environment['freeze'];
}

/** The environment file of the pushed repository: staging on nginx, production on HAProxy with alerts. */
export function deliverEnvironments(
  backends: DeliverBackends,
  routers: { nginx: Nginx; haproxy: Haproxy },
  options: EnvironmentOptions,
): Record<string, Environment> {
  const { blue, green, stable, canary, receivers } = backends;
  const { nginx, haproxy } = routers;
  return {
    staging: {
      url: 'https://staging.example.com',
      router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
      pools: { blue: [blue.address], green: [green.address] },
      health: canaryHealth,
    },
    production: {
      url: 'https://app.example.com',
      router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend },
      pools: { stable: stable.map((backend) => backend.address), canary: canary.map((backend) => backend.address) },
      // version-url: rollback checks the pool it returns to still runs the version it restores.
      health: { ...canaryHealth, 'version-url': 'http://{address}/version' },
      canary: { steps: [5, 25, 50, 100], 'step-duration': options.canaryStepDuration },
      ...(options.freeze ? { freeze: options.freeze } : {}),
      alerts: [
        { slack: { 'url-env': 'SLACK_WEBHOOK_URL' } },
        { pagerduty: { 'routing-key-env': 'PAGERDUTY_ROUTING_KEY', url: `${receivers.url}/pagerduty`, severity: 'critical' } },
      ],
    },
  };
}

export interface Pushed {
  /** The repository's directory (a temporary one: the caller removes it). */
  origin: string;
  sha: string;
}

/**
 * A push of `change` to the repository: production last received 1.0.0 on the stable pool (a
 * deployment an hour old, recorded as blue-green-switch records one, or with `previous: 'canary'`
 * as canary-step does when it promoted the stable pool: the pipeline's steady state); `gated`
 * seeds a passed test-gate on the pushed commit, as if ci.yml had run before deliver.yml.
 */
export async function pushDeliverChange(
  gh: GitHubStandIn,
  environments: Record<string, Environment>,
  change: Change,
  gated: boolean,
  previous: 'blue-green' | 'canary' = 'blue-green',
): Promise<Pushed> {
  const origin = await makeTempDir('cutover-deliver-origin-');
  const { goodSha, sha } = await makeOrigin(origin, environments, change);
  if (gated) {
    const client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl })!;
    await createCheckRun(
      client,
      { owner: gh.owner, repo: gh.repo },
      { name: 'test-gate', headSha: sha, conclusion: 'success', title: 'tests passed', summary: 'all green' },
    );
  }
  const released = await seedDeployment(gh, {
    version: '1.0.0',
    splitAfter: { stable: 100, canary: 0 },
    states: ['in_progress', 'success'],
    at: new Date(Date.now() - 3_600_000),
    ...(previous === 'canary'
      ? {
          splitBefore: { stable: 0, canary: 100 },
          payload: {
            cutover: 1,
            kind: 'canary',
            canary: 'stable',
            stable: 'canary',
            steps: [5, 25, 50, 100],
            resumable: true,
            pools: environments.production?.pools,
            router: 'haproxy',
          },
        }
      : {}),
  });
  gh.store.setCompare(released.sha, sha, [{ sha, message: change.message, author: change.author, parents: [goodSha] }]);
  return { origin, sha };
}

/** The simulator over the example workflows, the repository's checkouts cloned from `origin`. */
export function deliverSimulator(
  gh: GitHubStandIn,
  receivers: Receivers,
  workflows: string[],
  origin: string,
  options: Partial<SimulatorOptions> = {},
): Simulator {
  return new Simulator({
    workflows,
    github: gh,
    environments: { production: { secrets: { SLACK_WEBHOOK_URL: `${receivers.url}/slack`, PAGERDUTY_ROUTING_KEY: ROUTING_KEY } } },
    // rollback.yml's job names no environment (a reviewer would hold it): its secrets are the repository's.
    secrets: { SLACK_WEBHOOK_URL: `${receivers.url}/slack`, PAGERDUTY_ROUTING_KEY: ROUTING_KEY },
    actions: { 'actions/checkout': checkoutFrom(origin), 'actions/setup-node': setupNode() },
    overrides: OVERRIDES,
    log: process.env.SIM_LOG ? (line) => console.log(line) : undefined,
    ...options,
  });
}

/** ci.yml completed on a push of `sha` (its gate passed or not), as GitHub announces it: deliver.yml's event. */
export const ciCompleted = (sha: string, conclusion = 'success'): WorkflowRunEvent => ({
  name: 'workflow_run',
  action: 'completed',
  workflow: 'ci',
  runId: 7001,
  event: 'push',
  status: 'completed',
  conclusion,
  headSha: sha,
  headBranch: 'main',
  sha,
});
