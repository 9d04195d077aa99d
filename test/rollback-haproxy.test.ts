// rollback against real HAProxy: `to` as a version, traffic back through the proxy, and a good pool
// that no longer runs the recorded version (refused, or redeployed through workflow_dispatch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { makeTempDir, runAction, startBackend, startGitHubStandIn, startHaproxy, type Backend, type GitHubStandIn, type Haproxy } from '@cutover/testkit';
import { poolsServing, seedDeployment, writeEnvironmentFile, type SeededDeployment } from './rollback-fixtures.js';

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

  const run = (gh: GitHubStandIn, inputs: Record<string, string>) =>
    runAction('rollback', { inputs: { environment: 'production', ...inputs }, workspace, apiUrl: gh.apiUrl, token: gh.token, repository: `${gh.owner}/${gh.repo}`, ref: 'refs/heads/main' });

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
      expect(await poolsServing(haproxy.url, 10)).toEqual({ blue: 10 });
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
      expect(await poolsServing(haproxy.url, 10)).toEqual({ blue: 10 });
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
      expect(await poolsServing(haproxy.url, 20)).toEqual({ green: 20 });
      const rollback = gh.store.deployments.find((deployment) => deployment.task === 'rollback')!;
      expect(rollback).toMatchObject({ sha: good.sha, payload: { version: 'v6', splitAfter: { blue: 0, green: 100 }, rolledBackTo: good.id } });
      expect(gh.store.issues.filter((issue) => !issue.pull_request)).toEqual([]);
      gh.assertNoViolations();
    } finally {
      await gh.stop();
    }
  });
});
