// examples/workflows/deliver.yml end to end, event first: a push to main, run by the test kit's
// workflow simulator (jobs in `needs` order, `if:` honoured, each of our actions run as its bundle,
// post steps at the end of their job), against real nginx (staging), real HAProxy (production, as in
// examples/cutover.yml), sample backends, the GitHub stand-in and local Slack and PagerDuty receivers.
// A good release is built, switched on staging, canaried and promoted; a bad one is aborted by the
// canary and rolled back with an incident. Then GitHub's own event semantics (#13): a push starts
// ci.yml alone and deliver.yml follows its completion (workflow_run) on the gated commit; two
// deliveries meet at the environment's lock and run in order; a rollback dispatched mid-canary
// preempts it; a freeze window refuses a deploy and lets a rollback through; a cancelled canary
// restores stable and lets go of the lock; a fork's pull request gets its gate as annotations.
// The set-up (servers, the pushed repository, the simulator) is test/deliver-setup.ts, shared with bench/budget.ts.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { LOCK_FILE, parseLock } from '@cutover/github';
import {
  type Backend,
  type GitHubStandIn,
  type Haproxy,
  git,
  haproxyCommand,
  jobsInOrder,
  loadWorkflow,
  type Nginx,
  poolsAnswering,
  type RunRecord,
  settledOn,
  Simulator,
  type SimulatorOptions,
  startGitHubStandIn,
  type StepRecord,
  type TimelineEntry,
} from '@cutover/testkit';
import {
  CI,
  type Change,
  ciCompleted,
  DELIVER,
  deliverEnvironments,
  deliverSimulator,
  OVERRIDES,
  type Pushed,
  pushDeliverChange,
  type Receivers,
  ROLLBACK,
  ROUTING_KEY,
  startDeliverBackends,
  startDeliverRouters,
  stopDeliverBackends,
} from './deliver-setup.js';
import { seedDeployment } from './rollback-fixtures.js';

let blue: Backend;
let green: Backend;
let stable: Backend[];
let canary: Backend[];
let receivers: Receivers;
let nginx: Nginx;
let haproxy: Haproxy;
let gh: GitHubStandIn;
let temps: string[];
let simulators: Simulator[];

/** Freeze windows of production for the next push (the freeze scenario sets them). */
let productionFreeze: Environment['freeze'];
/** The canary's steps in production for the next push: 5 s steps where a test acts mid-canary. */
let canaryStepDuration = '2s';

function environments(): Record<string, Environment> {
  return deliverEnvironments(
    { blue, green, stable, canary, receivers },
    { nginx, haproxy },
    { canaryStepDuration, ...(productionFreeze ? { freeze: productionFreeze } : {}) },
  );
}

/** A push of `change` (test/deliver-setup.ts), its repository removed after the test. */
async function pushChange(change: Change, gated: boolean): Promise<Pushed> {
  const pushed = await pushDeliverChange(gh, environments(), change, gated);
  temps.push(pushed.origin);
  return pushed;
}

/** The simulator over the example workflows, the repository's checkouts cloned from `origin`. */
function simulator(workflows: string[], origin: string, options: Partial<SimulatorOptions> = {}): Simulator {
  const simulator = deliverSimulator(gh, receivers, workflows, origin, options);
  simulators.push(simulator);
  return simulator;
}

const pushEvent = (sha: string, change: Change) => ({ name: 'push' as const, ref: 'refs/heads/main', sha, headCommit: change });

/** deliver.yml (and `also`) on ci.yml's completion for a push of `change` whose gate has passed, not awaited. */
async function startDeliver(
  change: Change,
  options: { also?: string[]; onStep?: SimulatorOptions['onStep']; overrides?: SimulatorOptions['overrides'] } = {},
): Promise<{ sim: Simulator; sha: string }> {
  const { origin, sha } = await pushChange(change, true);
  const sim = simulator([DELIVER, ...(options.also ?? [])], origin, {
    ...(options.onStep ? { onStep: options.onStep } : {}),
    overrides: { ...OVERRIDES, ...options.overrides },
  });
  sim.trigger(ciCompleted(sha));
  return { sim, sha };
}

/** deliver.yml alone on ci.yml's completion for a push of `change` whose gate has passed. */
async function deliver(change: Change, onStep?: (step: StepRecord) => void): Promise<{ run: RunRecord; sha: string; version: string; sim: Simulator }> {
  const { sim, sha } = await startDeliver(change, onStep ? { onStep } : {});
  await sim.settled();
  const run = sim.run('deliver');
  return { run, sha, version: run.jobs.candidate?.outputs.version ?? '', sim };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Looks every 200 ms until `predicate` holds; fails naming `what` after `ms`. */
async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await sleep(200);
  }
}

/** The environment's lock file on GitHub (the branch cutover-lock/<environment>), undefined when the branch is gone. */
function lockFile(environment: string) {
  const bytes = gh.store.fileAt(`cutover-lock/${environment}`, LOCK_FILE);
  if (!bytes) return undefined;
  const state = parseLock(bytes.toString(), environment);
  if ('unreadable' in state) throw new Error(state.unreadable);
  return state;
}

/** Statuses of the production deployment of anything but the seeded 1.0.0, oldest first. */
function canaryStatuses(): string[] {
  const deployment = gh.store.deployments.find(
    (candidate) => candidate.environment === 'production' && (candidate.payload as { version?: string }).version !== '1.0.0' && candidate.task === 'deploy',
  );
  return deployment
    ? gh.store
        .statusesOf(Number(deployment.id))
        .map((status) => String(status.description ?? ''))
        .reverse()
    : [];
}

/** Each step as `<key>: <outcome>`, a failure with its errors, to read a broken run at a glance. */
function outcomes(run: RunRecord): string[] {
  return run.steps.map(
    (step) =>
      `${step.key}: ${step.outcome}${step.outcome === 'failure' ? ` (${step.result?.errors.join('; ') || step.reason || step.result?.stderr.slice(-300)})` : ''}`,
  );
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

/** One passing and one failing JUnit report of the sample app's tests (the failure located in src/app.js). */
const JUNIT_GREEN = '<testsuites><testsuite name="app" tests="1" failures="0"><testcase classname="app" name="serves pages"/></testsuite></testsuites>';
const JUNIT_RED =
  '<testsuites><testsuite name="app" tests="1" failures="1"><testcase classname="app" name="serves fresh pages" file="src/app.js" line="1"><failure message="expected fresh pages">AssertionError: expected fresh pages</failure></testcase></testsuite></testsuites>';

const alertsTo = (path: string) => receivers.received.filter((received) => received.path === path).map((received) => received.body);

describe('deliver.yml', () => {
  beforeAll(async () => {
    ({ blue, green, stable, canary, receivers } = await startDeliverBackends());
  });

  afterAll(async () => {
    await stopDeliverBackends({ blue, green, stable, canary, receivers });
  });

  beforeEach(async () => {
    temps = [];
    canaryStepDuration = '2s';
    productionFreeze = undefined;
    simulators = [];
    receivers.received.length = 0;
    for (const backend of [green, ...canary]) backend.setErrorRate(0);
    ({ nginx, haproxy } = await startDeliverRouters({ blue, green, stable, canary, receivers }));
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
    expect(Object.fromEntries(Object.entries(run.jobs).map(([name, job]) => [name, job.result]))).toEqual({
      candidate: 'success',
      staging: 'success',
      production: 'success',
    });

    // The candidate: next patch after v1.0.0, published as a pre-release, handed to the later jobs.
    expect(version).toBe(`1.0.1-rc.${run.number}.g${sha.slice(0, 7)}`);
    const build = run.step('candidate.build');
    expect(build.inputs).toMatchObject({
      path: 'dist/**\npackage.json\n',
      command: 'npm ci && npm run build',
      publish: 'release',
      'require-gate': 'true',
      attest: 'false',
    });
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
      const deployment = gh.store.deployments.find(
        (candidate) => candidate.environment === environment && (candidate.payload as { version?: string }).version === version,
      );
      expect(deployment, environment).toBeDefined();
      expect(gh.store.statusesOf(Number(deployment!.id))[0]).toMatchObject({ state: 'success' });
    }

    // The bytes tested are released: the pre-release promoted, no rollback, no incident, no page.
    expect(run.step('production.Release what was tested').result!.outputs).toMatchObject({ version, digest: build.result!.outputs.digest });
    expect(gh.store.releases.find((release) => release.tag_name === `v${version}`)).toMatchObject({ prerelease: false });
    expect(gh.store.issues).toEqual([]);
    expect(alertsTo('/slack')).toEqual([]);
    expect(alertsTo('/pagerduty').filter((event) => event.event_action === 'trigger')).toEqual([]);

    // Each step's GitHub calls carry its own token (bench/budget.ts counts them): none but the run's steps', post steps' included.
    const callers = new Set(run.steps.flatMap((step) => (step.caller ? [step.caller, `${step.caller} post`] : [])));
    const made = gh.requests.filter((request) => request.caller !== undefined);
    expect(made.filter((request) => !callers.has(request.caller!)).map((request) => request.caller)).toEqual([]);
    expect(made.map((request) => request.caller)).toContain(`${run.step('production.canary').caller} post`);
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
    expect(rollback.inputs).toEqual({
      environment: 'production',
      reason: `deliver: ${canaryRun.outputs.reason}`,
      report: canaryRun.outputs.report,
      'comment-pull-requests': 'true',
    });
    expect(rollback.result!.errors).toEqual([]);
    expect(rollback.result!.outputs).toMatchObject({
      'rolled-back-to': '1.0.0',
      'incident-url': expect.stringMatching(/^https:\/\/github\.com\/octo-org\/app\/issues\/\d+$/),
    });
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    const restored = gh.store.deployments.find((deployment) => deployment.task === 'rollback');
    expect(restored).toMatchObject({
      environment: 'production',
      payload: expect.objectContaining({ version: '1.0.0', splitAfter: { stable: 100, canary: 0 } }),
    });
    const bad = gh.store.deployments.find(
      (deployment) => deployment.environment === 'production' && (deployment.payload as { version?: string }).version === version,
    );
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
    expect(run.step('production.canary')).toMatchObject({
      postOutcome: 'success',
      post: { stdout: expect.stringContaining('canary-step post: nothing to do') },
    });
    expect(sim.describe().slice(-5)).toEqual([
      `deliver#${run.id} production production.rollback: step-finished success`,
      // rollback's post step (it lets go of the lock) runs first: post steps run in reverse order.
      `deliver#${run.id} production production.rollback: post-finished success`,
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
    for (const page of pages)
      expect(page).toMatchObject({ routing_key: ROUTING_KEY, payload: expect.objectContaining({ severity: 'critical', class: 'healthz' }) });
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
    expect(Object.fromEntries(Object.entries(run.jobs).map(([name, job]) => [name, job.result]))).toEqual({
      candidate: 'success',
      staging: 'failure',
      production: 'skipped',
    });
    expect(run.step('staging.watch').result!.outputs.verdict).toBe('unhealthy');
    const back = run.step('staging.Switch back when staging is unhealthy');
    expect(back.inputs).toEqual({ environment: 'staging', to: 'blue', smoke: 'false' });
    expect(back.result!.outputs).toMatchObject({ live: 'blue', previous: 'green' });
    await settledOn(nginx.url, 'blue');
    expect(await poolsAnswering(nginx.url)).toEqual({ blue: 40 });

    // Production never saw the version: no deployment, still on stable, nothing released.
    expect(
      gh.store.deployments
        .filter((deployment) => deployment.environment === 'production')
        .map((deployment) => (deployment.payload as { version: string }).version),
    ).toEqual(['1.0.0']);
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    expect(gh.store.releases.find((release) => release.tag_name === `v${version}`)).toMatchObject({ prerelease: true });
    expect(gh.store.issues).toEqual([]);
    expect(receivers.received).toEqual([]);
    gh.assertNoViolations();
  }, 90_000);

  it('push to main, the gate takes 20 s: deliver.yml starts on ci.yml completing and builds the gated commit; never a race', async () => {
    const change = { message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } };
    const { origin, sha } = await pushChange(change, false);
    const sim = simulator([CI, DELIVER], origin, {
      overrides: {
        ...OVERRIDES,
        // The example runs vitest; the sample app's tests are a 20-second suite writing one JUnit file.
        'ci/tests.gate': { command: `sleep 20; mkdir -p test-results; echo '${JUNIT_GREEN}' > test-results/junit.xml` },
      },
    });
    sim.trigger(pushEvent(sha, change));
    await sim.settled();
    const ci = sim.run('ci');
    const deliverRun = sim.run('deliver');
    const seq = (run: RunRecord, kind: TimelineEntry['kind'], job?: string) =>
      sim.timeline.find((entry) => entry.run === run.id && entry.kind === kind && (job === undefined || entry.job === job))!.seq;

    // The push starts ci.yml alone; deliver.yml is started by ci's completion, after the gate reported.
    expect(sim.describe()[0]).toBe(`event push (push to refs/heads/main at ${sha.slice(0, 7)} starts ci)`);
    expect(ci.conclusion).toBe('success');
    expect(deliverRun.event).toBe('workflow_run');
    expect(seq(ci, 'workflow-completed')).toBeLessThan(seq(deliverRun, 'job-started', 'candidate'));
    expect(
      gh.store
        .checkRunsFor(sha)
        .filter((run) => run.name === 'test-gate')
        .map((run) => run.conclusion),
    ).toEqual(['success']);

    // Every job checked out and built the gated commit (two pushes below: not main's later head).
    expect(outcomes(deliverRun)).toEqual([
      ...BUILT_AND_STAGED,
      'production.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'production.canary: success',
      'production.watch: success',
      'production.Release what was tested: success',
      'production.rollback: skipped',
    ]);
    for (const key of ['candidate', 'staging', 'production'])
      expect(deliverRun.step(`${key}.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1`).result!.outputs.commit).toBe(sha);
    const version = deliverRun.jobs.candidate!.outputs.version!;
    expect(version).toBe(`1.0.1-rc.${deliverRun.number}.g${sha.slice(0, 7)}`);
    expect(deliverRun.step('candidate.build').result!.errors).toEqual([]);
    const production = gh.store.deployments.find(
      (deployment) => deployment.environment === 'production' && (deployment.payload as { version?: string }).version === version,
    );
    expect(production).toMatchObject({ sha });
    gh.assertNoViolations();
  }, 180_000);

  it('push to main whose gate fails: ci.yml fails, deliver.yml starts on its completion and builds nothing', async () => {
    const change = { message: 'Break the pages', author: { name: 'Bo Chen', email: 'bo@example.com' } };
    const { origin, sha } = await pushChange(change, false);
    const sim = simulator([CI, DELIVER], origin, {
      overrides: { ...OVERRIDES, 'ci/tests.gate': { command: `mkdir -p test-results; echo '${JUNIT_RED}' > test-results/junit.xml; exit 1` } },
    });
    sim.trigger(pushEvent(sha, change));
    await sim.settled();
    expect(sim.run('ci').conclusion).toBe('failure');
    expect(
      gh.store
        .checkRunsFor(sha)
        .filter((run) => run.name === 'test-gate')
        .map((run) => run.conclusion),
    ).toEqual(['failure']);
    const deliverRun = sim.run('deliver');
    expect(Object.values(deliverRun.jobs).map((job) => [job.id, job.result])).toEqual([
      ['candidate', 'skipped'],
      ['staging', 'skipped'],
      ['production', 'skipped'],
    ]);
    expect(deliverRun.steps).toEqual([]);
    expect(gh.store.releases).toEqual([]);
    expect(gh.store.deployments.map((deployment) => (deployment.payload as { version: string }).version)).toEqual(['1.0.0']);
    gh.assertNoViolations();
  }, 120_000);

  it('two pushes, two deliveries: the second waits for production’s lock while the first holds it, then runs after it, in order', async () => {
    const change = { message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } };
    const { origin, sha } = await pushChange(change, false);
    await writeFile(join(origin, 'second.txt'), 'second\n');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'Sort search results');
    const second = git(origin, 'rev-parse', 'HEAD');
    const sim = simulator([CI, DELIVER], origin, {
      overrides: { ...OVERRIDES, 'ci/tests.gate': { command: `mkdir -p test-results; echo '${JUNIT_GREEN}' > test-results/junit.xml` } },
      // The first delivery holds production's lock past its canary until the second one queues for it.
      onStep: async (step, run) => {
        if (step.key === 'production.canary' && run.number === 1)
          await until('the second delivery queued for the lock', () => (lockFile('production')?.queue.length ?? 0) > 0);
      },
    });
    sim.trigger(pushEvent(sha, change));
    sim.trigger({ name: 'push', ref: 'refs/heads/main', sha: second, before: sha, headCommit: { message: 'Sort search results', author: change.author } });
    await sim.settled();
    const [first, next] = [sim.run('deliver', 0), sim.run('deliver', 1)];
    const seq = (run: RunRecord, kind: TimelineEntry['kind'], job: string, step?: string) =>
      sim.timeline.find((entry) => entry.run === run.id && entry.kind === kind && entry.job === job && (step === undefined || entry.step === step))!.seq;

    // Each delivery built its own gated commit, in push order: the first one too, though it ran on
    // main's head (workflow_run does), which the second push had moved on.
    expect(first.sha).toBe(second);
    expect(first.step('candidate.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1').result!.outputs.commit).toBe(sha);
    expect([first.jobs.candidate!.outputs.version, next.jobs.candidate!.outputs.version]).toEqual([
      `1.0.1-rc.${first.number}.g${sha.slice(0, 7)}`,
      expect.stringMatching(new RegExp(`\\.g${second.slice(0, 7)}$`)),
    ]);
    expect(first.conclusion).toBe('success');
    expect(next.conclusion).toBe('success');
    // The second canary started while the first job held the lock, and moved traffic only after it let go.
    expect(seq(next, 'step-started', 'production', 'production.canary')).toBeLessThan(seq(first, 'job-finished', 'production'));
    const waited = next.step('production.canary').result!;
    expect(waited.stdout).toMatch(new RegExp(`The production lock is held by deliver #${first.number} \\(canary-step, job production`));
    expect(waited.summary).toMatch(new RegExp(`Lock: waited [^;]+ for deliver #${first.number} \\(canary-step, job production`));
    expect(first.step('production.canary').postOutcome).toBe('success');
    // The second canary found the first one's promoted pool and rolled out on the other.
    expect(next.step('production.canary').result!.outputs).toMatchObject({ result: 'promoted', canary: 'stable', stable: 'canary' });
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    // Nobody holds or waits: the lock branch is gone.
    expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(false);
    expect(gh.store.refs.has('heads/cutover-lock/staging')).toBe(false);
    gh.assertNoViolations();
  }, 240_000);

  it('a rollback dispatched mid-canary: traffic ends where the rollback put it; the canary stops before its next step, names the rollback and does not restore over it', async () => {
    const change = { message: 'Cache product pages for an hour', author: { name: 'Bo Chen', email: 'bo@example.com' } };
    // 5 s steps, so that the rollback lands while the canary is still rolling out.
    canaryStepDuration = '5s';
    const { sim, sha } = await startDeliver(change, { also: [ROLLBACK] });
    await until('the canary past its first step', () => canaryStatuses().length >= 2);
    // On main's head, the pushed commit (the stand-in's branch head is a made-up sha the checkout cannot clone).
    const [rollbackRun] = sim.trigger({
      name: 'workflow_dispatch',
      workflow: 'rollback.yml',
      sha,
      inputs: { environment: 'production', reason: 'pages are stale' },
    });
    await sim.settled();
    const deliverRun = sim.run('deliver');
    const rollback = sim.run('rollback');
    expect(rollbackRun!.id).toBe(rollback.id);
    expect(outcomes(rollback)).toEqual([
      'rollback.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
      'rollback.rollback: success',
      'rollback.Say where things are: success',
    ]);

    // The rollback ran at once (its own concurrency group) and put production back on 1.0.0.
    expect(rollback.conclusion).toBe('success');
    expect(rollback.step('rollback.rollback').result!.outputs).toMatchObject({ 'rolled-back-to': '1.0.0' });
    expect(rollback.step('rollback.rollback').result!.summary).toMatch(
      new RegExp(`\\| Lock \\| preempted deliver #${deliverRun.number} \\(canary-step, job production`),
    );
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });

    // The canary stopped, named who moved traffic, and did not restore over it; deliver's own rollback skipped.
    const canaryRun = deliverRun.step('production.canary').result!;
    expect(canaryRun.outputs).toMatchObject({ result: 'aborted', preempted: 'true' });
    expect(canaryRun.outputs.reason).toMatch(
      new RegExp(
        `^traffic was moved by rollback #${rollback.number} \\(rollback, job rollback, by [^)]+\\): https://github\\.com/octo-org/app/actions/runs/${rollback.id}: found \\{stable: 100, canary: 0\\} where the canary had set \\{stable: \\d+, canary: \\d+\\}; the canary stops and leaves traffic as it is, without restoring over it$`,
      ),
    );
    expect(canaryRun.stdout).not.toContain('takes all traffic again');
    expect(
      outcomes(deliverRun)
        .slice(-4)
        .map((line) => line.replace(/ \(.*\)$/s, '')),
    ).toEqual(['production.canary: failure', 'production.watch: skipped', 'production.Release what was tested: skipped', 'production.rollback: skipped']);
    expect(gh.store.deployments.filter((deployment) => deployment.task === 'rollback')).toHaveLength(1);
    expect(gh.store.issues).toHaveLength(1);
    // Both let go of the lock (post steps): the branch is gone.
    expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(false);
    gh.assertNoViolations();
  }, 180_000);

  it('a deploy inside a freeze window is refused with its reason and ISO end, before anything moves; a rollback in the same window runs', async () => {
    const until = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000);
    const untilText = until.toISOString().replace('.000Z', 'Z');
    productionFreeze = [{ reason: 'Year-end freeze', from: new Date(Date.now() - 3_600_000).toISOString(), until: untilText }];
    try {
      const change = { message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } };
      const { sim, sha } = await startDeliver(change, { also: [ROLLBACK] });
      await sim.settled();
      const run = sim.run('deliver');
      expect(outcomes(run).map((line) => line.replace(/ \(.*\)$/s, ''))).toEqual([
        ...BUILT_AND_STAGED,
        'production.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
        'production.canary: failure',
        'production.watch: skipped',
        'production.Release what was tested: skipped',
        // A refusal before any change is no reason to roll back.
        'production.rollback: skipped',
      ]);
      expect(run.step('production.canary').result!.errors).toEqual([
        `environments.production.freeze: production is frozen (Year-end freeze, until ${untilText}); nothing was changed. Deploy after ${untilText}, or set ignore-freeze: true (it is recorded on the deployment); rollback is never frozen`,
      ]);
      expect(
        gh.store.deployments
          .filter((deployment) => deployment.environment === 'production')
          .map((deployment) => (deployment.payload as { version: string }).version),
      ).toEqual(['1.0.0']);
      expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });

      // In the same window, 1.0.1 is live on the canary pool and bad: the rollback is not frozen.
      await seedDeployment(gh, {
        version: '1.0.1',
        splitAfter: { stable: 0, canary: 100 },
        states: ['in_progress', 'success'],
        at: new Date(Date.now() - 60_000),
      });
      for (const name of ['canary1', 'canary2']) await haproxyCommand(haproxy.socket, `set server ${haproxy.backend}/${name} state ready`);
      for (const name of ['stable1', 'stable2']) await haproxyCommand(haproxy.socket, `set server ${haproxy.backend}/${name} state drain`);
      await settledOn(haproxy.url, 'canary');
      sim.trigger({ name: 'workflow_dispatch', workflow: 'rollback.yml', sha, inputs: { environment: 'production', reason: 'errors after 1.0.1' } });
      await sim.settled();
      const rollback = sim.run('rollback');
      expect(outcomes(rollback)).toEqual([
        'rollback.actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1: success',
        'rollback.rollback: success',
        'rollback.Say where things are: success',
      ]);
      expect(rollback.conclusion).toBe('success');
      expect(rollback.step('rollback.rollback').result!.outputs).toMatchObject({ 'rolled-back-to': '1.0.0' });
      expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
      expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(false);
      gh.assertNoViolations();
    } finally {
      productionFreeze = undefined;
    }
  }, 180_000);

  it('a cancelled canary puts all traffic back on stable and lets go of the lock', async () => {
    const change = { message: 'Add product search', author: { name: 'Ana Lima', email: 'ana@example.com' } };
    canaryStepDuration = '5s';
    const { sim } = await startDeliver(change);
    await until('the canary past its first step', () => canaryStatuses().length >= 2);
    expect(lockFile('production')).toMatchObject({ holder: { action: 'canary-step', job: 'production' } });
    const run = sim.run('deliver');
    sim.cancel(run.id, 'cancelled by a person');
    await sim.settled();

    expect(run.conclusion).toBe('cancelled');
    const canaryStep = run.step('production.canary');
    expect(canaryStep.outcome).toMatch(/^(cancelled|failure)$/);
    expect(canaryStep.result!.signalsSent).toContain('SIGINT');
    expect(`${canaryStep.result!.stdout}${canaryStep.post?.stdout ?? ''}`).toMatch(/stable takes all traffic again|restored \{stable: 100, canary: 0\}/);
    expect(canaryStep.postOutcome).toBe('success');
    expect(await poolsAnswering(haproxy.url)).toEqual({ stable: 40 });
    expect(gh.store.refs.has('heads/cutover-lock/production')).toBe(false);
    gh.assertNoViolations();
  }, 180_000);

  it('a pull request from a fork: the read-only token cannot create the check run, and the gate still reports, through annotations on the job', async () => {
    const change = { message: 'Fix the pages', author: { name: 'Cy Diaz', email: 'cy@example.com' } };
    const { origin, sha } = await pushChange(change, false);
    gh.store.addPull({ number: 7, head: { sha, ref: 'contributor:fix' }, base: { ref: 'main' } });
    const sim = simulator([CI, DELIVER], origin, {
      overrides: { ...OVERRIDES, 'ci/tests.gate': { command: `mkdir -p test-results; echo '${JUNIT_RED}' > test-results/junit.xml; exit 1` } },
    });
    sim.trigger({ name: 'pull_request', action: 'opened', number: 7, head: { sha, ref: 'fix', repo: 'contributor/app' }, base: { ref: 'main' } });
    await sim.settled();
    const ci = sim.run('ci');
    expect(ci.job('tests').token).toBe('read-only');
    const gate = ci.step('tests.gate').result!;
    expect(gate.outputs).toMatchObject({ conclusion: 'failure', failed: '1', 'check-run-id': '' });
    expect(gh.store.checkRunsFor(sha).filter((run) => run.name === 'test-gate')).toEqual([]);
    expect(gate.commands.filter((command) => command.command === 'error' && command.properties.file)).toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({ file: 'src/app.js', line: '1' }),
        message: expect.stringContaining('expected fresh pages'),
      }),
    ]);
    expect(gate.stdout).toContain('1 failure annotation written as workflow commands on the job instead of the check run');
    // deliver.yml follows pushes to main only: a fork's pull request starts nothing there.
    expect(sim.runs.map((run) => run.workflow)).toEqual(['ci']);
    gh.assertNoViolations();
  }, 120_000);
});

describe('deliver.yml under the simulator', () => {
  it('orders its jobs by needs; refuses overrides of steps or inputs it does not have', () => {
    expect(jobsInOrder(loadWorkflow(DELIVER))).toEqual(['candidate', 'staging', 'production']);
    const make = (overrides: Record<string, Record<string, string>>) => () =>
      new Simulator({ workflows: [DELIVER], overrides, actions: { 'actions/checkout': () => {} } });
    expect(make({ 'deliver/production.watch': { interval: '1s' } })).toThrow('override deliver/production.watch: the step sets no input "interval"');
    expect(make({ 'deliver/production.smoke': { duration: '1s' } })).toThrow('override deliver/production.smoke: no such step');
  });
});
