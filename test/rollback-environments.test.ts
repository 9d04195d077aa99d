// rollback of several environments, as a bundle: `environment: production-us, production-eu`, the
// waves of a delivery newest first, over two regions whose load balancers are HA pairs (two real
// HAProxy in production-eu, two real nginx in production-us). Each region is rolled back in turn,
// each a whole rollback (its lock, traffic, records, incident); a region that fails does not stop
// the next; a name the file does not have refuses the step before anything moves.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubStandIn, makeTempDir, runAction, startGitHubStandIn } from '@cutover/testkit';
import { seedDeployment, writeEnvironmentFile } from './rollback-fixtures.js';
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

let backends: Record<Region, RegionBackends>;
let routers: Partial<Record<Region, RegionRouters>>;
let gh: GitHubStandIn;
let workspace: string;

/** Requests that could change something on GitHub: none is allowed where nothing may change. */
const writes = () => gh.requests.filter((request) => request.method !== 'GET').length;

beforeAll(async () => {
  backends = await startRegionBackends({ stable: '1.0.0', canary: '1.1.0' });
});

afterAll(async () => {
  await stopBackends(backends);
});

beforeEach(async () => {
  // 1.1.0 went out to both regions and is live on their canary pools.
  routers = {};
  for (const region of REGIONS) routers[region] = await startRouters(region, backends[region], 'canary');
  workspace = await makeTempDir('cutover-rollback-environments-');
  await writeEnvironmentFile(
    workspace,
    Object.fromEntries(
      REGIONS.map((region) => [
        region,
        regionEnvironment(region, backends[region], routers[region]!, { health: { 'version-url': 'http://{address}/version' } }),
      ]),
    ),
  );
  gh = await startGitHubStandIn();
});

afterEach(async () => {
  await Promise.all(Object.values(routers).map((pair) => pair.stop()));
  await gh?.stop();
});

/** Each region's history: 1.0.0 on stable a day ago, then 1.1.0 on canary (unless `bad` alone: no good one before it). */
async function history(regions: { region: Region; good: boolean }[]): Promise<void> {
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  for (const { region, good } of regions) {
    if (good) await seedDeployment(gh, { version: '1.0.0', environment: region, splitAfter: { stable: 100, canary: 0 }, states: ['success'], at: ago(1440) });
    await seedDeployment(gh, { version: '1.1.0', environment: region, splitAfter: { stable: 0, canary: 100 }, states: ['success'], at: ago(10) });
  }
}

const rollback = (environment: string, more: Record<string, string> = {}) =>
  runAction('rollback', {
    inputs: { environment, reason: 'waves: production-us unhealthy with 1.1.0', ...more },
    workspace,
    apiUrl: gh.apiUrl,
    token: gh.token,
    repository: `${gh.owner}/${gh.repo}`,
    runId: '5151',
  });

const rollbacksRecorded = () => gh.store.deployments.filter((deployment) => deployment.task === 'rollback').map((deployment) => deployment.environment);

describe('rollback of several environments', () => {
  it('rolls back each in the order given, each with its lock, records and incident; outputs keyed by environment', async () => {
    await history([
      { region: 'production-eu', good: true },
      { region: 'production-us', good: true },
    ]);
    const result = await rollback('production-us, production-eu');
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);

    // In the order given: production-us first, then production-eu; each confirmed its target's version.
    const at = (line: string) => result.stdout.indexOf(line);
    expect(at('Rollback 1 of 2: production-us.')).toBeGreaterThanOrEqual(0);
    expect(at('Rollback 1 of 2: production-us.')).toBeLessThan(at('Rollback 2 of 2: production-eu.'));
    expect(result.stdout.match(/Version 1\.0\.0 confirmed on 2 server\(s\) of stable/g)).toHaveLength(2);
    expect(rollbacksRecorded()).toEqual(['production-us', 'production-eu']);

    // Traffic: both load balancers of both regions send everything to stable.
    for (const region of REGIONS) expect(await answering(routers[region]!, 'stable'), region).toEqual([{ stable: 20 }, { stable: 20 }]);

    // The records of each: the bad deployment failed, an incident per environment.
    for (const region of REGIONS) {
      const bad = gh.store.deployments.find(
        (deployment) => deployment.environment === region && (deployment.payload as { version: string }).version === '1.1.0',
      );
      expect(gh.store.statusesOf(Number(bad!.id))[0], region).toMatchObject({ state: 'failure' });
    }
    const incidents = gh.store.issues.filter((issue) => !issue.pull_request) as { title: string; html_url: string }[];
    expect(incidents.map((issue) => issue.title)).toEqual([expect.stringContaining('production-us'), expect.stringContaining('production-eu')]);

    // Outputs: JSON objects keyed by environment, in the order rolled back.
    expect(result.outputs['rolled-back-to']).toBe('{"production-us":"1.0.0","production-eu":"1.0.0"}');
    const ids = gh.store.deployments.filter((deployment) => deployment.task === 'rollback').map((deployment) => String(deployment.id));
    expect(JSON.parse(result.outputs['deployment-id']!)).toEqual({ 'production-us': ids[0], 'production-eu': ids[1] });
    expect(JSON.parse(result.outputs['incident-url']!)).toEqual({ 'production-us': incidents[0]!.html_url, 'production-eu': incidents[1]!.html_url });
    expect(result.summary).toContain('<h2>Rollback of production-us</h2>');
    expect(result.summary).toContain('<h2>Rollback of production-eu</h2>');
    expect(result.summary).toMatch(
      /\| 1 \| production-us \| rolled back to 1\.0\.0, incident https:\/\/github\.com\/[^|]+\|\n\| 2 \| production-eu \| rolled back to 1\.0\.0/,
    );

    // Both locks were held by this run (the post step's state names both) and the post step let go of both.
    expect((JSON.parse(result.state['cutover-lock']!) as { environment: string }[]).map((lock) => lock.environment)).toEqual([
      'production-us',
      'production-eu',
    ]);
    expect(result.post?.stdout).toContain('Released the production-us lock.');
    expect(result.post?.stdout).toContain('Released the production-eu lock.');
    for (const region of REGIONS) expect(gh.store.refs.has(`heads/cutover-lock/${region}`), region).toBe(false);
    gh.assertNoViolations();
  }, 60_000);

  it('goes on when one fails: production-eu is rolled back after production-us was refused, and the step fails naming production-us', async () => {
    // production-us has no good deployment before 1.1.0: nothing to roll back to.
    await history([
      { region: 'production-eu', good: true },
      { region: 'production-us', good: false },
    ]);
    const result = await rollback('production-us\nproduction-eu\n');
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^the rollback of production-us failed \(production-us: no deployment of "production-us" to roll back to: .*\); rolled back: production-eu$/,
      ),
    ]);
    expect(result.stdout).toMatch(/The rollback of production-us failed: .*; going on with production-eu\./);

    // production-us was left as it was (canary), production-eu went back to stable.
    expect(await answering(routers['production-us']!, 'canary')).toEqual([{ canary: 20 }, { canary: 20 }]);
    expect(await answering(routers['production-eu']!, 'stable')).toEqual([{ stable: 20 }, { stable: 20 }]);
    expect(rollbacksRecorded()).toEqual(['production-eu']);
    expect(result.outputs['rolled-back-to']).toBe('{"production-eu":"1.0.0"}');
    expect(result.summary).toContain('| 1 | production-us | ❌ failed: no deployment of');
    // A refusal before its traffic moved never took production-us's lock; production-eu's was let go.
    for (const region of REGIONS) expect(gh.store.refs.has(`heads/cutover-lock/${region}`), region).toBe(false);
    gh.assertNoViolations();
  }, 60_000);

  it('plans each in a dry run, the plans keyed by environment, and changes and records nothing', async () => {
    await history([
      { region: 'production-eu', good: true },
      { region: 'production-us', good: true },
    ]);
    const before = writes();
    const result = await rollback('production-us, production-eu', { 'dry-run': 'true' });
    expect(result.errors).toEqual([]);
    const plans = JSON.parse(result.outputs.plan!) as Record<string, { environment: string; transitions: { split: object }[] }>;
    expect(Object.keys(plans)).toEqual(['production-us', 'production-eu']);
    for (const region of REGIONS) {
      expect(plans[region], region).toMatchObject({ dryRun: true, environment: region, transitions: [{ split: { stable: 100, canary: 0 } }] });
    }
    expect(result.outputs['rolled-back-to']).toBe('{}');
    expect(result.summary).toContain('| 2 | production-eu | planned (dry run) |');
    expect(writes()).toBe(before);
    for (const region of REGIONS) expect(await answering(routers[region]!, 'canary'), region).toEqual([{ canary: 20 }, { canary: 20 }]);
    gh.assertNoViolations();
  }, 60_000);

  it('refuses a name the file does not have before anything moves, naming it', async () => {
    await history([
      { region: 'production-eu', good: true },
      { region: 'production-us', good: true },
    ]);
    const before = writes();
    const result = await rollback('production-us, production-eu, production-ap');
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining('"production-ap" is not in environments (it has: production-eu, production-us)')]);
    expect(writes()).toBe(before);
    for (const region of REGIONS) expect(await answering(routers[region]!, 'canary'), region).toEqual([{ canary: 20 }, { canary: 20 }]);
    gh.assertNoViolations();
  }, 60_000);
});
