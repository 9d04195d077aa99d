// rollback against real HAProxy: `to` as a version, traffic back through the proxy, and a good pool
// that no longer runs the recorded version (refused, or redeployed through workflow_dispatch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import {
  type Backend,
  type GitHubStandIn,
  type Haproxy,
  haproxyCommand,
  makeTempDir,
  poolsAnswering,
  runAction,
  startBackend,
  startGitHubStandIn,
  startHaproxy,
} from '@cutover/testkit';
import { seedDeployment, writeEnvironmentFile, type SeededDeployment } from './rollback-fixtures.js';

describe('rollback with HAProxy', () => {
  let blue: Backend;
  let green: Backend;
  let haproxy: Haproxy;
  let workspace: string;

  beforeAll(async () => {
    blue = await startBackend({ pool: 'blue', version: 'v7' });
    green = await startBackend({ pool: 'green', version: 'v6' });
    haproxy = await startHaproxy({
      servers: [
        { name: 'blue-1', address: blue.address, weight: 100 },
        { name: 'green-1', address: green.address, weight: 0 },
      ],
    });
    workspace = await makeTempDir('cutover-rollback-haproxy-');
    const production: Environment = {
      router: { kind: 'haproxy', socket: haproxy.socket, backend: haproxy.backend },
      pools: { blue: [blue.address], green: [green.address] },
      health: { 'version-url': 'http://{address}/version' },
    };
    await writeEnvironmentFile(workspace, { production });
  });

  afterAll(async () => {
    await Promise.all([haproxy?.stop(), blue?.stop(), green?.stop()]);
  });

  async function history(gh: GitHubStandIn): Promise<{ good: SeededDeployment; bad: SeededDeployment }> {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const good = await seedDeployment(gh, { version: 'v6', splitAfter: { blue: 0, green: 100 }, states: ['success'], at: ago(1440) });
    await seedDeployment(gh, { version: 'v6.1', splitAfter: { blue: 100, green: 0 }, states: ['success'], at: ago(600) });
    const bad = await seedDeployment(gh, { version: 'v7', splitAfter: { blue: 100, green: 0 }, states: ['success'], at: ago(5) });
    return { good, bad };
  }

  /** All traffic on blue (the bad deployment's split), whatever the tests before left. */
  async function allOnBlue(): Promise<void> {
    for (const command of ['blue-1 weight 100', 'blue-1 state ready', 'green-1 weight 0', 'green-1 state drain']) {
      await haproxyCommand(haproxy.socket, `set server ${haproxy.backend}/${command}`);
    }
  }

  const run = (gh: GitHubStandIn, inputs: Record<string, string>) =>
    runAction('rollback', {
      inputs: { environment: 'production', ...inputs },
      workspace,
      apiUrl: gh.apiUrl,
      token: gh.token,
      repository: `${gh.owner}/${gh.repo}`,
      ref: 'refs/heads/main',
    });

  it('refuses to send traffic to a pool that no longer runs the version, changing nothing', async () => {
    const gh = await startGitHubStandIn();
    try {
      await history(gh);
      green.setVersion('v8');
      const writesBefore = gh.requests.filter((request) => request.method !== 'GET').length;
      const result = await run(gh, { to: 'v6' });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        `the recorded pools no longer run version v6: green ${green.address} runs v8, not v6. Nothing was changed: set redeploy-workflow to redeploy v6, or pass \`to\` with another deployment.`,
      ]);
      expect(gh.requests.filter((request) => request.method !== 'GET').length).toBe(writesBefore);
      expect(await poolsAnswering(haproxy.url, 10)).toEqual({ blue: 10 });
      gh.assertNoViolations();
    } finally {
      green.setVersion('v6');
      await gh.stop();
    }
  });

  it('with redeploy-workflow, dispatches the good version instead of switching to the wrong code', async () => {
    const gh = await startGitHubStandIn();
    try {
      const { bad } = await history(gh);
      green.setVersion('v8');
      const result = await run(gh, { to: 'v6', 'redeploy-workflow': 'deploy.yml' });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(gh.store.dispatches).toEqual([{ workflowId: 'deploy.yml', ref: 'main', inputs: { version: 'v6', environment: 'production' } }]);
      expect(result.warnings).toContain(`the recorded pools no longer run version v6: green ${green.address} runs v8, not v6.`);
      expect(await poolsAnswering(haproxy.url, 10)).toEqual({ blue: 10 });
      expect(result.outputs['rolled-back-to']).toBe('v6');
      expect(result.outputs['deployment-id']).toBeUndefined();
      expect(gh.store.deployments.filter((deployment) => deployment.task === 'rollback')).toEqual([]);
      expect(gh.store.statusesOf(bad.id)[0]).toMatchObject({ state: 'failure' });
      const incident = gh.store.issues.find((issue) => !issue.pull_request)!;
      expect(String(incident.body)).toContain('traffic was NOT switched');
      gh.assertNoViolations();
    } finally {
      green.setVersion('v6');
      await gh.stop();
    }
  });

  it('rolls back to the version given in `to`, through the runtime API', async () => {
    const gh = await startGitHubStandIn();
    try {
      const { good } = await history(gh);
      const result = await run(gh, { to: 'v6', incident: 'false' });
      expect(result.errors).toEqual([]);
      expect(result.outputs['rolled-back-to']).toBe('v6');
      expect(result.outputs['incident-url']).toBeUndefined();
      expect(await poolsAnswering(haproxy.url, 20)).toEqual({ green: 20 });
      const rollback = gh.store.deployments.find((deployment) => deployment.task === 'rollback')!;
      expect(rollback).toMatchObject({ sha: good.sha, payload: { version: 'v6', splitAfter: { blue: 0, green: 100 }, rolledBackTo: good.id } });
      expect(gh.store.issues.filter((issue) => !issue.pull_request)).toEqual([]);
      gh.assertNoViolations();
    } finally {
      await gh.stop();
    }
  });

  it('`to` a pool: all traffic on it, recorded against the last good deployment that put it at 100', async () => {
    const gh = await startGitHubStandIn();
    try {
      const { good, bad } = await history(gh);
      await allOnBlue();
      expect(await poolsAnswering(haproxy.url, 5)).toEqual({ blue: 5 });
      const result = await run(gh, { to: 'green', reason: 'paged at 3 a.m.' });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.notices).toEqual([]);
      expect(await poolsAnswering(haproxy.url, 20)).toEqual({ green: 20 });
      expect(result.outputs['rolled-back-to']).toBe('green');
      const rollback = gh.store.deployments.find((deployment) => deployment.task === 'rollback')!;
      expect(String(rollback.id)).toBe(result.outputs['deployment-id']);
      expect(rollback).toMatchObject({
        sha: good.sha,
        description: `Rollback from deployment ${bad.id} to pool green: paged at 3 a.m.`,
        payload: { version: 'v6', splitBefore: { blue: 100, green: 0 }, splitAfter: { blue: 0, green: 100 }, rolledBackFrom: bad.id, rolledBackTo: good.id },
      });
      expect(gh.store.statusesOf(bad.id)[0]).toMatchObject({ state: 'failure' });
      const incident = gh.store.issues.find((issue) => !issue.pull_request)!;
      expect(result.outputs['incident-url']).toBe(incident.html_url);
      expect(incident.title).toBe('Incident: production rolled back from v7 to v6');
      expect(String(incident.body)).toContain(`<!-- cutover-incident deployment=${bad.id} environment=production -->`);
      gh.assertNoViolations();
    } finally {
      await gh.stop();
    }
  });

  it("`to` a pool no good deployment put at 100: traffic moves, the rollback is recorded at the run's commit, the incident says what is unknown", async () => {
    const gh = await startGitHubStandIn();
    try {
      const bad = await seedDeployment(gh, { version: 'v7', splitAfter: { blue: 100, green: 0 }, states: ['success'] });
      await allOnBlue();
      const result = await run(gh, { to: 'green' });
      expect(result.errors).toEqual([]);
      expect(result.stdout).toContain(`Rolled back deployment ${bad.id} (v7) to pool green; no good deployment of production put it at 100.`);
      // Traffic first: the pool takes the traffic before the history is read.
      expect(result.stdout.indexOf('Traffic restored')).toBeLessThan(result.stdout.indexOf('deployment(s) of production with their statuses'));
      expect(await poolsAnswering(haproxy.url, 10)).toEqual({ green: 10 });
      expect(result.outputs['rolled-back-to']).toBe('green');
      const rollback = gh.store.deployments.find((deployment) => deployment.task === 'rollback')!;
      expect(rollback).toMatchObject({ sha: 'a'.repeat(40), payload: { splitAfter: { blue: 0, green: 100 }, rolledBackFrom: bad.id } });
      expect(rollback.payload).not.toHaveProperty('rolledBackTo');
      const incident = gh.store.issues.find((issue) => !issue.pull_request)!;
      expect(incident.title).toBe('Incident: production rolled back from v7 to pool green');
      expect(String(incident.body)).toContain(
        '_Suspect commits unknown: no deployment of production records pool green, so there are no two commits to compare._',
      );
      gh.assertNoViolations();
    } finally {
      await gh.stop();
    }
  });
});
