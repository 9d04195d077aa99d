import { startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from './client.js';
import { createDeployment, listDeploymentsWithStatuses, setDeploymentStatus, shortDescription } from './deployments.js';
import { deploymentPayload } from './record.js';

/** A blue-green payload of `version`, as blue-green-switch writes it. */
const payload = (version: string) =>
  deploymentPayload({ kind: 'blue-green', version, pools: { blue: ['a:1'] }, router: 'nginx', splitBefore: { blue: 0 }, splitAfter: { blue: 100 } });

let standIn: GitHubStandIn;
let client: GitHubClient;
const repo = { owner: 'octo-org', repo: 'app' };

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  client = createGitHubClient(standIn.token, { baseUrl: standIn.apiUrl, retryBaseMs: 5 })!;
});
afterAll(async () => {
  await standIn.stop();
});

describe('deployments', () => {
  it('round-trips deployments and statuses, newest first, earlier good ones made inactive', async () => {
    // A failing context on main: the default required_contexts [] still deploys, as the run itself is pending.
    await client.rest.repos.createCommitStatus({ ...repo, sha: standIn.store.resolveSha('main')!, state: 'pending', context: 'this-run' });
    const first = await createDeployment(client, repo, { ref: 'main', environment: 'production', payload: payload('1.0.0'), description: 'v1.0.0' });
    await setDeploymentStatus(client, repo, first.id, { state: 'in_progress', logUrl: 'https://github.com/octo-org/app/actions/runs/1' });
    await setDeploymentStatus(client, repo, first.id, { state: 'success', environmentUrl: 'https://shop.example.com' });
    const second = await createDeployment(client, repo, { ref: 'main', environment: 'production', payload: payload('1.1.0') });
    standIn.failNext('POST', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 502);
    await setDeploymentStatus(client, repo, second.id, { state: 'success', description: 'x'.repeat(200) });
    await createDeployment(client, repo, { ref: 'main', environment: 'staging', payload: payload('1.1.0') });

    const history = await listDeploymentsWithStatuses(client, repo, { environment: 'production' });
    expect(history.map((deployment) => deployment.payload)).toEqual([payload('1.1.0'), payload('1.0.0')]);
    expect(history[0]?.statuses.map((status) => status.state)).toEqual(['success']);
    expect(history[0]?.statuses[0]?.description).toHaveLength(140);
    expect(history[1]?.statuses.map((status) => status.state)).toEqual(['inactive', 'success', 'in_progress']);
    expect(history[1]?.statuses[1]?.environment_url).toBe('https://shop.example.com');
    expect(history[1]?.statuses[2]?.log_url).toBe('https://github.com/octo-org/app/actions/runs/1');
    const created = standIn.calls('repos/create-deployment').map((request) => request.body);
    expect(created[0]).toMatchObject({ required_contexts: [], auto_merge: false, task: 'deploy' });
    // The 502 was retried: two requests, one status.
    expect(standIn.calls('repos/create-deployment-status').map((request) => request.status)).toEqual([201, 201, 502, 201]);
    standIn.assertNoViolations();
  });

  it('reads no more deployments than asked, across pages', async () => {
    for (let index = 0; index < 5; index += 1) await createDeployment(client, repo, { ref: 'main', environment: 'paged', payload: payload(String(index)) });
    const history = await listDeploymentsWithStatuses(client, repo, { environment: 'paged', limit: 3 });
    expect(history.map((deployment) => (deployment.payload as { version: string }).version)).toEqual(['4', '3', '2']);
    standIn.assertNoViolations();
  });

  it('reads the statuses of the deployments `only` keeps, and none of the others', async () => {
    const kept = await createDeployment(client, repo, { ref: 'main', environment: 'only', payload: payload('1') });
    await setDeploymentStatus(client, repo, kept.id, { state: 'success' });
    await createDeployment(client, repo, { ref: 'main', environment: 'only', payload: payload('2') });
    const from = standIn.requests.length;
    const history = await listDeploymentsWithStatuses(client, repo, {
      environment: 'only',
      only: (deployment) => (deployment.payload as { version: string }).version === '1',
    });
    expect(history.map((deployment) => [deployment.id, deployment.statuses.map((status) => status.state)])).toEqual([[kept.id, ['success']]]);
    // The list and the kept one's statuses: 2 calls, not 3 (canary-step's look for a paused canary reads no statuses of a deployment it cannot resume).
    expect(standIn.requests.slice(from).map((request) => request.operationId)).toEqual(['repos/list-deployments', 'repos/list-deployment-statuses']);
    standIn.assertNoViolations();
  });

  it("cuts descriptions to GitHub's 140 characters", () => {
    expect(shortDescription('ok')).toBe('ok');
    expect(shortDescription('y'.repeat(141))).toHaveLength(140);
  });
});
