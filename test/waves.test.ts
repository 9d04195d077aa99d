// examples/workflows/waves.yml end to end, event first: a workflow_dispatch of a version, run by the
// test kit's workflow simulator (jobs in `needs` order, `if:` honoured, each of our actions run as its
// bundle, post steps at the end of their job) against two regions as examples/waves-cutover.yml has
// them: production-eu behind an HA pair of real HAProxy, production-us behind an HA pair of real
// nginx, each with its stable and canary servers, and the GitHub stand-in. A good release goes
// through both waves; a release bad in production-us only is rolled back there and then unwound from
// production-eu, newest first; a release bad in production-eu stops there.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { checkoutFrom, git, type GitHubStandIn, makeTempDir, repoRoot, type RunRecord, Simulator, startGitHubStandIn } from '@cutover/testkit';
import { canaryHealth } from './canary-setup.js';
import { seedDeployment } from './rollback-fixtures.js';
import {
  answering,
  REGIONS,
  regionEnvironment,
  startRegionBackends,
  startRouters,
  stopBackends,
  type Region,
  type RegionBackends,
  type RegionRouters,
} from './waves-setup.js';

const WAVES = join(repoRoot, 'examples', 'workflows', 'waves.yml');
const VERSION = '1.1.0';
const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';
const UNWIND = 'unwind.Roll back the waves done, newest first';

/** The only inputs changed from waves.yml, each for a reason a local run cannot avoid. */
const OVERRIDES = {
  // Bakes of 15 minutes: 1 s here, 4 looks at the environment file's 250 ms interval, whose probes
  // (up to 400/s, see HEALTH) give the 181 a healthy verdict needs at the defaults.
  'waves/production-eu.bake': { duration: '1s' },
  'waves/production-us.bake': { duration: '1s' },
};

/** The canary as examples/waves-cutover.yml has it (10, 50, 100), each step 1 s instead of 5 m. */
const CANARY = { steps: [10, 50, 100], 'step-duration': '1s' };

/**
 * The health a user writes (canary-setup's: one healthz check, the default tolerances and
 * confidence), the looks every 250 ms, and the probes up to 400 a second per address instead of
 * 100: a healthy verdict at the defaults needs 364 clean probes per pool, which takes 3.7 s at 100/s
 * (each of the 3 canary steps and each bake waited for them, 30 s a run) and 1 s at 400/s, the
 * step's duration. version-url: the canary pool runs the version, and the pool rollback returns to
 * still runs 1.0.0.
 */
const HEALTH = {
  ...canaryHealth,
  checks: canaryHealth.checks.map((check) => ({ ...check, http: { ...check.http, 'max-rate': 400 } })),
  'version-url': 'http://{address}/version',
};

let backends: Record<Region, RegionBackends>;
let routers: Partial<Record<Region, RegionRouters>>;
let gh: GitHubStandIn;
let temps: string[];
let simulators: Simulator[];

/** The repository the workflow runs on: the environment file of both regions, one commit. */
async function makeOrigin(environments: Record<string, Environment>): Promise<{ origin: string; sha: string }> {
  const origin = await makeTempDir('cutover-waves-origin-');
  temps.push(origin);
  await mkdir(join(origin, '.github'), { recursive: true });
  await writeFile(join(origin, '.github', 'cutover.yml'), stringify({ environments }));
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'Release 1.1.0');
  return { origin, sha: git(origin, 'rev-parse', 'HEAD') };
}

/**
 * waves.yml dispatched with 1.1.0, both regions last given 1.0.0 on their stable pools (an hour
 * ago), run to the end.
 */
async function deliverWaves(): Promise<{ run: RunRecord; sim: Simulator }> {
  const environments = Object.fromEntries(
    REGIONS.map((region) => [region, regionEnvironment(region, backends[region], routers[region]!, { health: HEALTH, canary: CANARY })]),
  );
  const { origin, sha } = await makeOrigin(environments);
  for (const region of REGIONS) {
    await seedDeployment(gh, {
      version: '1.0.0',
      environment: region,
      splitAfter: { stable: 100, canary: 0 },
      states: ['in_progress', 'success'],
      at: new Date(Date.now() - 3_600_000),
    });
  }
  const sim = new Simulator({
    workflows: [WAVES],
    github: gh,
    environments: { 'production-eu': {}, 'production-us': {} },
    actions: { 'actions/checkout': checkoutFrom(origin) },
    overrides: OVERRIDES,
    log: process.env.SIM_LOG ? (line) => console.log(line) : undefined,
  });
  simulators.push(sim);
  sim.trigger({ name: 'workflow_dispatch', workflow: 'waves.yml', sha, inputs: { version: VERSION } });
  await sim.settled();
  return { run: sim.run('waves'), sim };
}

/** Each step as `<key>: <outcome>`, a failure with its errors, to read a broken run at a glance. */
function outcomes(run: RunRecord): string[] {
  return run.steps.map(
    (step) =>
      `${step.key}: ${step.outcome}${step.outcome === 'failure' ? ` (${step.result?.errors.join('; ') || step.reason || step.result?.stderr.slice(-300)})` : ''}`,
  );
}

const brief = (run: RunRecord) => outcomes(run).map((line) => line.replace(/ \(.*\)$/s, ''));
const jobResults = (run: RunRecord) => Object.fromEntries(Object.entries(run.jobs).map(([id, job]) => [id, job.result]));
const versionOf = (deployment: Record<string, unknown>) => (deployment.payload as { version?: string } | undefined)?.version;

/** The latest state of the release's deployment in `region` (none when the release never reached it). */
function releaseState(region: Region): string | undefined {
  const deployment = gh.store.deployments.find((candidate) => candidate.environment === region && versionOf(candidate) === VERSION);
  return deployment ? String(gh.store.statusesOf(Number(deployment.id))[0]?.state) : undefined;
}

/** The wave's steps when its canary was promoted and its bake found it healthy. */
const waveDone = (region: Region) => [
  `${region}.${CHECKOUT}: success`,
  `${region}.canary: success`,
  `${region}.bake: success`,
  `${region}.Roll back this wave: skipped`,
];

beforeAll(async () => {
  backends = await startRegionBackends({ stable: '1.0.0', canary: VERSION });
});

afterAll(async () => {
  await stopBackends(backends);
});

beforeEach(async () => {
  temps = [];
  simulators = [];
  for (const region of REGIONS) for (const backend of backends[region].canary) backend.setErrorRate(0);
  routers = {};
  for (const region of REGIONS) routers[region] = await startRouters(region, backends[region], 'stable');
  gh = await startGitHubStandIn();
});

afterEach(async () => {
  await Promise.all(simulators.map((simulator) => simulator.dispose()));
  await Promise.all(Object.values(routers).map((pair) => pair.stop()));
  await gh?.stop();
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('waves.yml', () => {
  it('delivers a good release wave after wave: production-eu, then production-us, both on the new pool', async () => {
    const { run, sim } = await deliverWaves();
    expect(outcomes(run)).toEqual([...waveDone('production-eu'), ...waveDone('production-us')]);
    expect(jobResults(run)).toEqual({ 'production-eu': 'success', 'production-us': 'success', unwind: 'skipped' });
    expect(run.conclusion).toBe('success');

    // In order: production-us started after production-eu had finished.
    const seq = (kind: string, job: string) => sim.timeline.find((entry) => entry.run === run.id && entry.kind === kind && entry.job === job)!.seq;
    expect(seq('job-finished', 'production-eu')).toBeLessThan(seq('job-started', 'production-us'));

    for (const region of REGIONS) {
      expect(run.step(`${region}.canary`).result!.outputs, region).toMatchObject({ result: 'promoted', weight: '100', canary: 'canary', stable: 'stable' });
      expect(run.step(`${region}.bake`).result!.outputs.verdict, region).toBe('healthy');
      // Both load balancers of the pair send everything to the new pool.
      expect(await answering(routers[region]!, 'canary'), region).toEqual([{ canary: 20 }, { canary: 20 }]);
      expect(releaseState(region), region).toBe('success');
      expect(gh.store.refs.has(`heads/cutover-lock/${region}`), region).toBe(false);
    }
    expect(gh.store.deployments.filter((deployment) => deployment.task === 'rollback')).toEqual([]);
    expect(gh.store.issues).toEqual([]);
    gh.assertNoViolations();
  }, 120_000);

  it('a release healthy in production-eu and not in production-us: production-us rolls itself back, then unwind rolls back production-eu; both on stable', async () => {
    for (const backend of backends['production-us'].canary) backend.setErrorRate(0.2);
    const { run, sim } = await deliverWaves();
    expect(brief(run)).toEqual([
      ...waveDone('production-eu'),
      `production-us.${CHECKOUT}: success`,
      'production-us.canary: failure',
      'production-us.bake: skipped',
      'production-us.Roll back this wave: success',
      `unwind.${CHECKOUT}: success`,
      `${UNWIND}: success`,
    ]);
    expect(jobResults(run)).toEqual({ 'production-eu': 'success', 'production-us': 'failure', unwind: 'success' });

    // production-us: the canary aborted at its first step; its own rollback restored 1.0.0.
    expect(run.step('production-us.canary').result!.outputs).toMatchObject({ result: 'aborted', weight: '0' });
    expect(run.step('production-us.canary').result!.outputs.reason).toMatch(/failed at 10% canary/);
    expect(run.step('production-us.Roll back this wave').result!.outputs).toMatchObject({ 'rolled-back-to': '1.0.0' });

    // unwind: the list named the waves done before the failed one (production-eu alone here).
    const unwind = run.step(UNWIND);
    expect(unwind.inputs!.environment!.split('\n').filter(Boolean)).toEqual(['production-eu']);
    expect(unwind.result!.outputs).toMatchObject({ 'rolled-back-to': '1.0.0' });
    expect(unwind.result!.stdout).toContain('Version 1.0.0 confirmed on 2 server(s) of stable');

    // Newest first: production-us was rolled back (its own job) before production-eu (unwind).
    const seq = (kind: string, key: string) => sim.timeline.find((entry) => entry.run === run.id && entry.kind === kind && entry.step === key)!.seq;
    expect(seq('step-finished', 'production-us.Roll back this wave')).toBeLessThan(seq('step-started', UNWIND));
    expect(gh.store.deployments.filter((deployment) => deployment.task === 'rollback').map((deployment) => deployment.environment)).toEqual([
      'production-us',
      'production-eu',
    ]);

    // Both regions: all traffic on stable through both load balancers; the release marked failed; an incident each.
    for (const region of REGIONS) {
      expect(await answering(routers[region]!, 'stable'), region).toEqual([{ stable: 20 }, { stable: 20 }]);
      expect(releaseState(region), region).toBe('failure');
      expect(gh.store.refs.has(`heads/cutover-lock/${region}`), region).toBe(false);
    }
    expect((gh.store.issues as { title: string }[]).map((issue) => issue.title)).toEqual([
      expect.stringContaining('production-us'),
      expect.stringContaining('production-eu'),
    ]);
    gh.assertNoViolations();
  }, 120_000);

  it('a release bad in production-eu stops there: production-eu rolls itself back, production-us never runs, nothing to unwind', async () => {
    for (const backend of backends['production-eu'].canary) backend.setErrorRate(0.2);
    const { run } = await deliverWaves();
    expect(brief(run)).toEqual([
      `production-eu.${CHECKOUT}: success`,
      'production-eu.canary: failure',
      'production-eu.bake: skipped',
      'production-eu.Roll back this wave: success',
      // production-us and unwind are skipped: a skipped job runs no step.
    ]);
    expect(jobResults(run)).toEqual({ 'production-eu': 'failure', 'production-us': 'skipped', unwind: 'skipped' });

    expect(await answering(routers['production-eu']!, 'stable')).toEqual([{ stable: 20 }, { stable: 20 }]);
    expect(releaseState('production-eu')).toBe('failure');
    // production-us never saw the release: no deployment of it, traffic still on stable, no lock taken.
    expect(releaseState('production-us')).toBeUndefined();
    expect(await answering(routers['production-us']!, 'stable')).toEqual([{ stable: 20 }, { stable: 20 }]);
    expect(gh.store.deployments.filter((deployment) => deployment.task === 'rollback').map((deployment) => deployment.environment)).toEqual(['production-eu']);
    for (const region of REGIONS) expect(gh.store.refs.has(`heads/cutover-lock/${region}`), region).toBe(false);
    gh.assertNoViolations();
  }, 120_000);
});
