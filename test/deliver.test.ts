// examples/workflows/deliver.yml end to end, event first: a push to main, run by the test kit's
// workflow simulator (jobs in `needs` order, `if:` honoured, each of our actions run as its bundle,
// post steps at the end of their job), against real nginx (staging), real HAProxy (production, as in
// examples/cutover.yml), sample backends, the GitHub stand-in and local Slack and PagerDuty receivers.
// A good release is built, switched on staging, canaried and promoted; a bad one is aborted by the
// canary and rolled back with an incident. With ci.yml beside it, the push starts both together, and
// today's candidate meets the race of #13.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { createCheckRun, createGitHubClient } from '@cutover/github';
import { type Backend, checkoutFrom, type GitHubStandIn, type Haproxy, jobsInOrder, loadWorkflow, makeTempDir, type Nginx, poolsAnswering, repoRoot, type RunRecord, settledOn, setupNode, Simulator, type SimulatorOptions, startBackend, startGitHubStandIn, startHaproxy, startNginx, type StepRecord, type TimelineEntry } from '@cutover/testkit';
import { canaryHealth } from './canary-setup.js';
import { seedDeployment } from './rollback-fixtures.js';

const DELIVER = join(repoRoot, 'examples', 'workflows', 'deliver.yml');
const CI = join(repoRoot, 'examples', 'workflows', 'ci.yml');
const ROUTING_KEY = 'R0UTINGKEY0000000000000000000000';

/**
 * The only inputs changed from deliver.yml, each for a reason a local run cannot avoid. The canary's
 * pace comes from the environment file (canary.step-duration), not from an override.
 */
const OVERRIDES = {
  // Watches of 2 and 10 minutes: 2 s here, 8 looks at the environment file's 250 ms interval.
  'deliver/staging.watch': { duration: '2s' },
  'deliver/production.watch': { duration: '2s' },
};

interface Received {
  path: string;
  body: Record<string, unknown>;
}

/** Slack (/slack) and PagerDuty's Events API (/pagerduty) on one local server, answering as they do. */
async function startReceivers(): Promise<{ url: string; received: Received[]; stop(): void }> {
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

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Cutover Test', '-c', 'user.email=test@cutover.local', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

interface Change {
  message: string;
  author: { name: string; email: string };
}

/**
 * The repository the workflow runs on: v1.0.0 tagged, then `change` on top (the pushed commit). It
 * holds the environment file and an npm project whose build writes dist/, for `npm ci && npm run build`.
 */
async function makeOrigin(dir: string, environments: Record<string, Environment>, change: Change): Promise<{ goodSha: string; sha: string }> {
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  git(dir, 'init', '-q', '-b', 'main');
  await write('.github/cutover.yml', stringify({ environments }));
  await write('.gitignore', 'dist/\nnode_modules/\n');
  await write('package.json', JSON.stringify({ name: 'app', version: '1.0.0', private: true, scripts: { build: 'mkdir -p dist && cp src/app.js dist/app.js' } }, null, 2));
  await write('package-lock.json', JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0' } } }, null, 2));
  await write('src/app.js', 'export const pages = "fresh";\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Release 1.0.0');
  git(dir, 'tag', 'v1.0.0');
  const goodSha = git(dir, 'rev-parse', 'HEAD');
  await write('src/app.js', `export const pages = "cached"; // ${change.message}\n`);
  git(dir, 'commit', '-q', '-a', '-m', change.message, `--author=${change.author.name} <${change.author.email}>`);
  return { goodSha, sha: git(dir, 'rev-parse', 'HEAD') };
}

let blue: Backend;
let green: Backend;
let stable: Backend[];
let canary: Backend[];
let receivers: Awaited<ReturnType<typeof startReceivers>>;
let nginx: Nginx;
let haproxy: Haproxy;
let gh: GitHubStandIn;
let temps: string[];
let simulators: Simulator[];

function environments(): Record<string, Environment> {
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
      canary: { steps: [5, 25, 50, 100], 'step-duration': '2s' },
      alerts: [
        { slack: { 'url-env': 'SLACK_WEBHOOK_URL' } },
        { pagerduty: { 'routing-key-env': 'PAGERDUTY_ROUTING_KEY', url: `${receivers.url}/pagerduty`, severity: 'critical' } },
      ],
    },
  };
}

interface Pushed {
  origin: string;
  sha: string;
}

/**
 * A push of `change` to the repository: production last received 1.0.0 on the stable pool (a
 * deployment an hour old); `gated` seeds a passed test-gate on the pushed commit, as if ci.yml had
 * run before deliver.yml.
 */
async function pushChange(change: Change, gated: boolean): Promise<Pushed> {
  const origin = await makeTempDir('cutover-deliver-origin-');
  temps.push(origin);
  const { goodSha, sha } = await makeOrigin(origin, environments(), change);
  if (gated) {
    const client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl })!;
    await createCheckRun(client, { owner: gh.owner, repo: gh.repo }, { name: 'test-gate', headSha: sha, conclusion: 'success', title: 'tests passed', summary: 'all green' });
  }
  const released = await seedDeployment(gh, { version: '1.0.0', splitAfter: { stable: 100, canary: 0 }, states: ['in_progress', 'success'], at: new Date(Date.now() - 3_600_000) });
  gh.store.setCompare(released.sha, sha, [{ sha, message: change.message, author: change.author, parents: [goodSha] }]);
  return { origin, sha };
}

/** The simulator over the example workflows, the repository's checkouts cloned from `origin`. */
function simulator(workflows: string[], origin: string, options: Partial<SimulatorOptions> = {}): Simulator {
  const simulator = new Simulator({
    workflows,
    github: gh,
    environments: { production: { secrets: { SLACK_WEBHOOK_URL: `${receivers.url}/slack`, PAGERDUTY_ROUTING_KEY: ROUTING_KEY } } },
    actions: { 'actions/checkout': checkoutFrom(origin), 'actions/setup-node': setupNode() },
    overrides: OVERRIDES,
    log: process.env.SIM_LOG ? (line) => console.log(line) : undefined,
    ...options,
  });
  simulators.push(simulator);
  return simulator;
}

const pushEvent = (sha: string, change: Change) => ({ name: 'push' as const, ref: 'refs/heads/main', sha, headCommit: change });

/** deliver.yml alone on a push of `change` whose gate has passed: the sequential scenario. */
async function deliver(change: Change, onStep?: (step: StepRecord) => void): Promise<{ run: RunRecord; sha: string; version: string; sim: Simulator }> {
  const { origin, sha } = await pushChange(change, true);
  const sim = simulator([DELIVER], origin, onStep ? { onStep } : {});
  sim.trigger(pushEvent(sha, change));
  await sim.settled();
  const run = sim.run('deliver');
  return { run, sha, version: run.jobs.candidate!.outputs.version!, sim };
}

/** Each step as `<key>: <outcome>`, a failure with its errors, to read a broken run at a glance. */
function outcomes(run: RunRecord): string[] {
  return run.steps.map((step) => `${step.key}: ${step.outcome}${step.outcome === 'failure' ? ` (${step.result?.errors.join('; ') || step.reason || step.result?.stderr.slice(-300)})` : ''}`);
}

/** The steps of a run whose candidate was built and found healthy on staging. */
const BUILT_AND_STAGED = [
  'candidate.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
  'candidate.build: success',
  'staging.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
  'staging.switch: success',
  'staging.watch: success',
  'staging.Switch back when staging is unhealthy: skipped',
];

const alertsTo = (path: string) => receivers.received.filter((received) => received.path === path).map((received) => received.body);

describe('deliver.yml', () => {
  beforeAll(async () => {
    blue = await startBackend({ pool: 'blue', version: '1.0.0' });
    green = await startBackend({ pool: 'green', version: 'next' });
    stable = [await startBackend({ pool: 'stable', version: '1.0.0' }), await startBackend({ pool: 'stable', version: '1.0.0' })];
    canary = [await startBackend({ pool: 'canary', version: 'next' }), await startBackend({ pool: 'canary', version: 'next' })];
    receivers = await startReceivers();
  });

  afterAll(async () => {
    for (const backend of [blue, green, ...(stable ?? []), ...(canary ?? [])]) await backend?.stop();
    receivers?.stop();
  });

  beforeEach(async () => {
    temps = [];
    simulators = [];
    receivers.received.length = 0;
    for (const backend of [green, ...canary]) backend.setErrorRate(0);
    nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] });
    haproxy = await startHaproxy({
      servers: [
        ...stable.map((backend, index) => ({ name: `stable${index + 1}`, address: backend.address })),
        ...canary.map((backend, index) => ({ name: `canary${index + 1}`, address: backend.address, drain: true })),
      ],
    });
    gh = await startGitHubStandIn();
  });

  afterEach(async () => {
    await Promise.all(simulators.map((simulator) => simulator.dispose()));
    await nginx?.stop();
    await haproxy?.stop();
    await gh?.stop();
    await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('delivers a good release: a pre-release built, staging switched to green, the canary promoted in production, the release promoted', async () => {
    const { run, sha, version } = await deliver({ message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } });

    expect(outcomes(run)).toEqual([
      ...BUILT_AND_STAGED,
      'production.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'production.canary: success',
      'production.watch: success',
      'production.Release what was tested: success',
      'production.rollback: skipped',
    ]);
    expect(Object.fromEntries(Object.entries(run.jobs).map(([name, job]) => [name, job.result]))).toEqual({ candidate: 'success', staging: 'success', production: 'success' });

    // The candidate: next patch after v1.0.0, published as a pre-release, handed to the later jobs.
    expect(version).toBe(`1.0.1-rc.${run.number}.g${sha.slice(0, 7)}`);
    const build = run.step('candidate.build');
    expect(build.inputs).toMatchObject({ path: 'dist/**\npackage.json\n', command: 'npm ci && npm run build', publish: 'release', 'require-gate': 'true', attest: 'false' });
    expect(run.jobs.candidate!.outputs).toEqual({ version, digest: build.result!.outputs.digest });
    expect(gh.calls('repos/create-release').map((call) => call.body)).toEqual([expect.objectContaining({ tag_name: `v${version}`, prerelease: true })]);
    expect(gh.store.assetBytes(`v${version}`, `app-${version}.tar.gz`)?.equals(await readFile(build.result!.outputs.archive!))).toBe(true);

    // Staging: blue -> green, through nginx; the watch looked at green.
    expect(run.step('staging.switch').inputs).toEqual({ environment: 'staging', version, 'comment-pull-requests': 'true' });
    expect(run.step('staging.switch').result!.outputs).toMatchObject({ live: 'green', previous: 'blue' });
    expect(run.step('staging.watch').inputs).toEqual({ environment: 'staging', target: 'green', duration: '2s', version });
    expect(run.step('staging.watch').result!.outputs.verdict).toBe('healthy');
    await settledOn(nginx.url, 'green');
    expect(await poolsAnswering(nginx.url)).toEqual({ green: 40 });

    // Production: the canary pool promoted step by step, then all answers from it through HAProxy.
    const canaryRun = run.step('production.canary').result!;
    expect(canaryRun.outputs).toMatchObject({ result: 'promoted', weight: '100', canary: 'canary', stable: 'stable' });
    expect(canaryRun.stdout).toContain('Step 1 of 4: {stable: 95, canary: 5}');
    expect(await poolsAnswering(haproxy.url)).toEqual({ canary: 40 });
    const watch = run.step('production.watch').result!;
    expect(watch.outputs.verdict).toBe('healthy');
    expect(JSON.parse(await readFile(watch.outputs.report!, 'utf8'))).toMatchObject({ verdict: 'healthy', target: { name: 'canary' } });

    // The deployments: staging and production of this version, both successful.
    for (const environment of ['staging', 'production']) {
      const deployment = gh.store.deployments.find((candidate) => candidate.environment === environment && (candidate.payload as { version?: string }).version === version);
      expect(deployment, environment).toBeDefined();
      expect(gh.store.statusesOf(Number(deployment!.id))[0]).toMatchObject({ state: 'success' });
    }

    // The bytes tested are released: the pre-release promoted, no rollback, no incident, no page.
    expect(run.step('production.Release what was tested').result!.outputs).toMatchObject({ version, digest: build.result!.outputs.digest });
    expect(gh.store.releases.find((release) => release.tag_name === `v${version}`)).toMatchObject({ prerelease: false });
    expect(gh.store.issues).toEqual([]);
    expect(alertsTo('/slack')).toEqual([]);
    expect(alertsTo('/pagerduty').filter((event) => event.event_action === 'trigger')).toEqual([]);
    gh.assertNoViolations();
  }, 90_000);

  it('rolls back a bad release: the canary at 20% errors aborted in its first step, traffic on the stable pool, the last good deployment restored, an incident opened', async () => {
    for (const backend of canary) backend.setErrorRate(0.2);
    const change = { message: 'Cache product pages for an hour', author: { name: 'Bo Chen', email: 'bo@example.com' } };
    const { run, version, sim } = await deliver(change);

    expect(outcomes(run).map((line) => line.replace(/ \(.*\)$/s, ''))).toEqual([
      ...BUILT_AND_STAGED,
      'production.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'production.canary: failure',
      'production.watch: skipped',
      'production.Release what was tested: skipped',
      'production.rollback: success',
    ]);
    expect(run.jobs.production!.result).toBe('failure');

    // The canary stopped at its first step (5%) and put all traffic back on the stable pool.
    const canaryRun = run.step('production.canary').result!;
    expect(canaryRun.outputs).toMatchObject({ result: 'aborted', weight: '0', canary: 'canary' });
    expect(canaryRun.outputs.reason).toMatch(/failed at 5% canary/);
    expect(canaryRun.stdout).not.toContain('Step 2 of');
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });

    // Roll back ran (if: failure()) with the canary's reason and report (the watch was skipped).
    const rollback = run.step('production.rollback');
    expect(canaryRun.outputs.report).toMatch(/\.json$/);
    expect(rollback.inputs).toEqual({ environment: 'production', reason: `deliver: ${canaryRun.outputs.reason}`, report: canaryRun.outputs.report, 'comment-pull-requests': 'true' });
    expect(rollback.result!.errors).toEqual([]);
    expect(rollback.result!.outputs).toMatchObject({ 'rolled-back-to': '1.0.0', 'incident-url': expect.stringMatching(/^https:\/\/github\.com\/octo-org\/app\/issues\/\d+$/) });
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    const restored = gh.store.deployments.find((deployment) => deployment.task === 'rollback');
    expect(restored).toMatchObject({ environment: 'production', payload: expect.objectContaining({ version: '1.0.0', splitAfter: { stable: 100, canary: 0 } }) });
    const bad = gh.store.deployments.find((deployment) => deployment.environment === 'production' && (deployment.payload as { version?: string }).version === version);
    expect(gh.store.statusesOf(Number(bad!.id))[0]).toMatchObject({ state: 'failure' });

    // The incident names the bad version, the reason and the suspect commit.
    expect(gh.store.issues).toHaveLength(1);
    const [incident] = gh.store.issues as { title: string; body: string; labels: { name: string }[] }[];
    expect(incident!.title).toContain(version);
    expect(incident!.title).toContain('1.0.0');
    expect(incident!.labels.map((label) => label.name)).toContain('incident');
    expect(incident!.body).toContain(version);
    expect(incident!.body).toContain(canaryRun.outputs.reason!);
    expect(incident!.body).toContain(change.message);
    expect(incident!.body).toMatch(/\| healthz \| canary \| seen .* [1-9]\d* of \d+ failed/);
    expect(rollback.result!.stdout).toContain('Version 1.0.0 confirmed on 2 server(s) of stable.');
    // canary-step's post step ran at the end of the job, after the rollback: the main step had finished.
    expect(run.step('production.canary')).toMatchObject({ postOutcome: 'success', post: { stdout: expect.stringContaining('canary-step post: nothing to do') } });
    expect(sim.describe().slice(-4)).toEqual([
      `deliver#${run.id} production production.rollback: step-finished success`,
      `deliver#${run.id} production production.canary: post-finished success`,
      `deliver#${run.id} production: job-finished failure (step production.canary failed: ${canaryRun.errors.join('; ')})`,
      `deliver#${run.id}: workflow-completed failure`,
    ]);

    // Not released; staging, which was healthy, stays on green; the on-call was paged.
    expect(gh.store.releases.find((release) => release.tag_name === `v${version}`)).toMatchObject({ prerelease: true });
    await settledOn(nginx.url, 'green');
    expect(alertsTo('/slack').map((message) => message.text)).toEqual([
      expect.stringMatching(/^production: canary canary aborted at 5%, stable takes all traffic again: healthz failed/),
      expect.stringContaining(`production: rolled back from ${version} to 1.0.0: deliver: healthz failed`),
    ]);
    const pages = alertsTo('/pagerduty');
    expect(pages.map((page) => page.event_action)).toEqual(['trigger', 'trigger']);
    for (const page of pages) expect(page).toMatchObject({ routing_key: ROUTING_KEY, payload: expect.objectContaining({ severity: 'critical', class: 'healthz' }) });
    gh.assertNoViolations();
  }, 90_000);
  it('switches staging back when the release turns unhealthy there: blue live again, production untouched', async () => {
    // The new version passes the smoke check, then fails once it takes staging's traffic.
    const { run, version } = await deliver({ message: 'Warm the cache at start', author: { name: 'Cy Diaz', email: 'cy@example.com' } }, (step) => {
      if (step.key === 'staging.switch') green.setErrorRate(0.2);
    });

    expect(outcomes(run).map((line) => line.replace(/ \(.*\)$/s, ''))).toEqual([
      'candidate.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'candidate.build: success',
      'staging.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'staging.switch: success',
      'staging.watch: failure',
      'staging.Switch back when staging is unhealthy: success',
      // production is skipped: a skipped job runs no step.
    ]);
    expect(Object.fromEntries(Object.entries(run.jobs).map(([name, job]) => [name, job.result]))).toEqual({ candidate: 'success', staging: 'failure', production: 'skipped' });
    expect(run.step('staging.watch').result!.outputs.verdict).toBe('unhealthy');
    const back = run.step('staging.Switch back when staging is unhealthy');
    expect(back.inputs).toEqual({ environment: 'staging', to: 'blue', smoke: 'false' });
    expect(back.result!.outputs).toMatchObject({ live: 'blue', previous: 'green' });
    await settledOn(nginx.url, 'blue');
    expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });

    // Production never saw the version: no deployment, still on stable, nothing released.
    expect(gh.store.deployments.filter((deployment) => deployment.environment === 'production').map((deployment) => (deployment.payload as { version: string }).version)).toEqual(['1.0.0']);
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    expect(gh.store.releases.find((release) => release.tag_name === `v${version}`)).toMatchObject({ prerelease: true });
    expect(gh.store.issues).toEqual([]);
    expect(receivers.received).toEqual([]);
    gh.assertNoViolations();
  }, 90_000);

  it('push to main starts ci.yml and deliver.yml together: today the candidate looks for the gate once, before the gate reports, and refuses (#13)', async () => {
    // This documents the race of issue #13 as it is, so that its fix flips this test: deliver.yml
    // starts on the same push as ci.yml, build-candidate (require-gate: true) looks for the
    // test-gate check run once, and the gate is still running its tests. The gate here finishes when
    // the candidate has given up (its tests wait for that), as a 20-second test suite would.
    const change = { message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } };
    const { origin, sha } = await pushChange(change, false);
    const release = join(origin, '..', `${basename(origin)}-gate-release`);
    temps.push(release);
    const junit = '<testsuites><testsuite name="app" tests="1" failures="0"><testcase classname="app" name="serves pages"/></testsuite></testsuites>';
    const sim = simulator([CI, DELIVER], origin, {
      overrides: {
        ...OVERRIDES,
        // The example runs vitest; the sample app's tests are one JUnit file written when released.
        'ci/tests.gate': { command: `while [ ! -e '${release}' ]; do sleep 0.1; done; mkdir -p test-results; echo '${junit}' > test-results/junit.xml` },
      },
      onStep: async (step) => {
        if (step.workflow === 'deliver' && step.key === 'candidate.build') await writeFile(release, '');
      },
    });
    sim.trigger(pushEvent(sha, change));
    await sim.settled();
    const ci = sim.run('ci');
    const deliverRun = sim.run('deliver');
    const seq = (run: RunRecord, kind: TimelineEntry['kind'], job: string) => sim.timeline.find((entry) => entry.run === run.id && entry.kind === kind && entry.job === job)!.seq;

    // Both workflows started on the push, their first jobs overlapping.
    expect(sim.describe()[0]).toBe(`event push (push to refs/heads/main at ${sha.slice(0, 7)} starts ci, deliver)`);
    expect(seq(ci, 'job-started', 'tests')).toBeLessThan(seq(deliverRun, 'job-finished', 'candidate'));
    expect(seq(deliverRun, 'job-started', 'candidate')).toBeLessThan(seq(ci, 'job-finished', 'tests'));

    // The gate passed, after the candidate had refused the commit for want of it.
    expect(ci.conclusion).toBe('success');
    expect(ci.step('tests.gate').result!.outputs).toMatchObject({ conclusion: 'success', passed: '1' });
    expect(gh.store.checkRunsFor(sha).filter((run) => run.name === 'test-gate').map((run) => run.conclusion)).toEqual(['success']);
    expect(outcomes(deliverRun).map((line) => line.replace(/ \(.*\)$/s, ''))).toEqual([
      'candidate.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'candidate.build: failure',
    ]);
    expect(deliverRun.step('candidate.build').result!.errors).toEqual([
      `require-gate: commit ${sha.slice(0, 7)} has no "test-gate" check run; run the gate on this commit first (or name another with gate-name, or set require-gate: false)`,
    ]);
    expect(Object.values(deliverRun.jobs).map((job) => [job.id, job.result])).toEqual([
      ['candidate', 'failure'],
      ['staging', 'skipped'],
      ['production', 'skipped'],
    ]);
    expect(gh.store.releases).toEqual([]);
    gh.assertNoViolations();
  }, 90_000);
});

describe('deliver.yml under the simulator', () => {
  it('orders its jobs by needs; refuses overrides of steps or inputs it does not have', () => {
    expect(jobsInOrder(loadWorkflow(DELIVER))).toEqual(['candidate', 'staging', 'production']);
    const make = (overrides: Record<string, Record<string, string>>) => () => new Simulator({ workflows: [DELIVER], overrides, actions: { 'actions/checkout': () => {} } });
    expect(make({ 'deliver/production.watch': { interval: '1s' } })).toThrow('override deliver/production.watch: the step sets no input "interval"');
    expect(make({ 'deliver/production.smoke': { duration: '1s' } })).toThrow('override deliver/production.smoke: no such step');
  });
});
