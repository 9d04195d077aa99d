// rollback against real nginx: the right deployment among several, traffic back through the real
// proxy, the records, the incident with its timeline and commits, a second run that comments.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import {
  type Backend,
  type GitHubStandIn,
  makeTempDir,
  type Nginx,
  poolsAnswering,
  poolsOnceSettled,
  runAction,
  startBackend,
  startGitHubStandIn,
  startNginx,
} from '@cutover/testkit';
import { seedCompare, seedDeployment, watchReport, writeEnvironmentFile, type SeededDeployment } from './rollback-fixtures.js';

/** Issues that are not pull requests (GitHub lists both as issues). */
function incidents(gh: GitHubStandIn) {
  return gh.store.issues.filter((issue) => !issue.pull_request);
}

function nginxEnvironment(nginx: Nginx, blue: Backend, green: Backend): Environment {
  return {
    router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
    pools: { blue: [blue.address], green: [green.address] },
    health: { 'version-url': 'http://{address}/version' },
    alerts: [{ webhook: { 'url-env': 'DEPLOY_WEBHOOK_URL' } }],
  };
}

/** A webhook receiver keeping the JSON bodies it is sent. */
async function startReceiver(): Promise<{ url: string; received: Record<string, unknown>[]; server: Server }> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/hook`, received, server };
}

describe('rollback with nginx', () => {
  let blue: Backend;
  let green: Backend;
  let nginx: Nginx;
  let gh: GitHubStandIn;
  let workspace: string;
  let good: SeededDeployment;
  let bad: SeededDeployment;
  let failed: SeededDeployment;
  let commits: string[];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    // Green kept v2 after blue took v5: the good deployment's pool still runs its version.
    blue = await startBackend({ pool: 'blue', version: 'v5' });
    green = await startBackend({ pool: 'green', version: 'v2' });
    nginx = await startNginx({
      servers: [
        { address: blue.address, weight: 1 },
        { address: green.address, down: true },
      ],
    });
    gh = await startGitHubStandIn();
    receiver = await startReceiver();
    workspace = await makeTempDir('cutover-rollback-');
    await writeEnvironmentFile(workspace, { production: nginxEnvironment(nginx, blue, green) });
    const now = Math.floor(Date.now() / 1000) * 1000;
    const ago = (minutes: number) => new Date(now - minutes * 60_000);
    await seedDeployment(gh, { version: 'v1', splitAfter: { blue: 100, green: 0 }, states: ['in_progress', 'success'], at: ago(3 * 1440) });
    good = await seedDeployment(gh, { version: 'v2', splitAfter: { blue: 0, green: 100 }, states: ['in_progress', 'success'], at: ago(2 * 1440) });
    failed = await seedDeployment(gh, { version: 'v3', splitAfter: { blue: 100, green: 0 }, states: ['in_progress', 'failure'], at: ago(1440) });
    await seedDeployment(gh, { version: 'v4', environment: 'staging', splitAfter: { blue: 0, green: 100 }, states: ['success'], at: ago(60) });
    bad = await seedDeployment(gh, {
      version: 'v5',
      splitAfter: { blue: 100, green: 0 },
      splitBefore: { blue: 0, green: 100 },
      states: ['in_progress', 'success'],
      at: ago(10),
    });
    // Deployed at -9m, first bad sample at -8m, detected at -7m: the report's times.
    await writeFile(join(workspace, 'watch.json'), JSON.stringify(watchReport('blue', ago(8).toISOString(), ago(7).toISOString())));
    ({ shas: commits } = seedCompare(gh, good, bad));
  });

  afterAll(async () => {
    await Promise.all([nginx?.stop(), blue?.stop(), green?.stop(), gh?.stop()]);
    receiver?.server.close();
  });

  const run = () =>
    runAction('rollback', {
      inputs: { environment: 'production', reason: 'errors on checkout', report: 'watch.json' },
      workspace,
      apiUrl: gh.apiUrl,
      token: gh.token,
      repository: `${gh.owner}/${gh.repo}`,
      runId: '4242',
      env: { DEPLOY_WEBHOOK_URL: receiver.url },
    });

  it('puts traffic back on the last good deployment and records it', async () => {
    expect(await poolsAnswering(nginx.url, 20)).toEqual({ blue: 20 });
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['rolled-back-to']).toBe('v2');
    expect(result.stdout).toContain(`Passed over deployment ${failed.id}: never reached success`);
    expect(result.stdout).toContain('Version v2 confirmed on 1 server(s) of green');

    // Through the real proxy: every response from the good pool (once nginx's reload has settled).
    expect(await poolsOnceSettled(nginx.url, 'green')).toEqual({ green: 20 });

    const deployments = gh.store.deployments;
    const rollback = deployments.find((deployment) => deployment.task === 'rollback')!;
    expect(String(rollback.id)).toBe(result.outputs['deployment-id']);
    expect(rollback).toMatchObject({
      environment: 'production',
      sha: good.sha,
      payload: { version: 'v2', splitAfter: { blue: 0, green: 100 }, splitBefore: { blue: 100, green: 0 }, rolledBackFrom: bad.id, rolledBackTo: good.id },
    });
    expect(gh.store.statusesOf(rollback.id as number)[0]).toMatchObject({ state: 'success' });
    expect(gh.store.statusesOf(bad.id)[0]).toMatchObject({ state: 'failure', description: 'Rolled back: errors on checkout' });

    expect(incidents(gh)).toHaveLength(1);
    const issue = incidents(gh)[0]!;
    expect(result.outputs['incident-url']).toBe(issue.html_url);
    expect(issue.title).toBe('Incident: production rolled back from v5 to v2');
    expect((issue.labels as { name: string }[]).map((label) => label.name)).toEqual(['incident']);
    const body = String(issue.body);
    expect(body).toContain(`<!-- cutover-incident deployment=${bad.id} environment=production -->`);
    for (const event of ['Deployed', 'First bad sample', 'Detected', 'Rollback started', 'Rolled back'])
      expect(body).toMatch(new RegExp(`\\| ${event} \\| \\d{4}-\\d\\d-\\d\\d `));
    expect(body).toMatch(/\| Deployed \| [^|]+ \| \+1m \| reached success; the deployment took 1m/);
    expect(body).toMatch(/\| First bad sample \| [^|]+ \| \+1m \| from the health-watch report/);
    expect(body).toMatch(/\| Detected \| [^|]+ \| \+1m \| health-watch: error-rate/);
    expect(body).toMatch(/\| Rollback started \| [^|]+ \| \+7m(\d\d?s)? \|/);
    expect(body).toContain(
      `\`${commits[1]!.slice(0, 7)}\`](https://github.com/${gh.owner}/${gh.repo}/commit/${commits[1]}) Retry payments on timeout — Bo Chen ([#42](https://github.com/${gh.owner}/${gh.repo}/pull/42) Retry payments on timeout by @bochen)`,
    );
    expect(body).toContain('Cache product pages for an hour — Ana Lima');
    expect(body).toContain('| error-rate | blue | seen last 0.3, range 0.25 to 0.35; allowed max 0.01; 3 bad intervals |');
    expect(body).toContain(`(https://github.com/${gh.owner}/${gh.repo}/actions/runs/4242)`);
    expect(body).toContain('## Five whys');
    expect(body).toContain('- [ ] Add the regression test that would have caught this');
    expect(result.summary).toContain('Rollback of production');

    expect(receiver.received).toEqual([
      expect.objectContaining({
        action: 'trigger',
        source: 'rollback',
        environment: 'production',
        title: 'production: rolled back from v5 to v2',
        verdict: 'rolled-back',
        version: 'v2',
        reason: expect.stringContaining(`Incident: ${issue.html_url}`),
        failingChecks: [{ name: 'error-rate', observed: 'last 0.3, range 0.25 to 0.35', threshold: 'max 0.01' }],
      }),
    ]);
    gh.assertNoViolations();
  });

  it('a second rollback of the same deployment comments on the open incident', async () => {
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.stdout).toMatch(/already rolled it back; running again/);
    expect(result.outputs['rolled-back-to']).toBe('v2');
    expect(incidents(gh)).toHaveLength(1);
    expect(result.outputs['incident-url']).toBe(incidents(gh)[0]!.html_url);
    expect(gh.store.comments).toHaveLength(1);
    expect(String(gh.store.comments[0]!.body)).toMatch(/^Rolled back again: \*\*production\*\* from \*\*v5\*\* to \*\*v2\*\*/);
    expect(await poolsAnswering(nginx.url, 20)).toEqual({ green: 20 });
    gh.assertNoViolations();
  });
});

describe('rollback with nothing to roll back to', () => {
  it('fails naming why, and changes neither traffic nor records', async () => {
    const blue = await startBackend({ pool: 'blue', version: 'v1' });
    const green = await startBackend({ pool: 'green', version: 'v0' });
    const nginx = await startNginx({
      servers: [
        { address: blue.address, weight: 1 },
        { address: green.address, down: true },
      ],
    });
    const gh = await startGitHubStandIn();
    try {
      const workspace = await makeTempDir('cutover-rollback-none-');
      await writeEnvironmentFile(workspace, { production: nginxEnvironment(nginx, blue, green) });
      await seedDeployment(gh, { version: 'v0', environment: 'staging', splitAfter: { blue: 0, green: 100 }, states: ['success'] });
      await seedDeployment(gh, { version: 'v1', splitAfter: { blue: 100, green: 0 }, states: ['in_progress', 'success'] });
      const upstreamBefore = await readFile(nginx.upstreamFile, 'utf8');
      const writesBefore = gh.requests.filter((request) => request.method !== 'GET').length;

      const result = await runAction('rollback', {
        inputs: { environment: 'production' },
        workspace,
        apiUrl: gh.apiUrl,
        token: gh.token,
        repository: `${gh.owner}/${gh.repo}`,
        env: { DEPLOY_WEBHOOK_URL: 'http://127.0.0.1:9/never-called' },
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(/no deployment of "production" to roll back to: none older than deployment \d+ \(v1\) reached success \(it is the only one\)/),
      ]);
      expect(result.outputs).toEqual({});
      expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstreamBefore);
      expect(gh.requests.filter((request) => request.method !== 'GET').length).toBe(writesBefore);
      expect(await poolsAnswering(nginx.url, 5)).toEqual({ blue: 5 });
      gh.assertNoViolations();
    } finally {
      await Promise.all([nginx.stop(), blue.stop(), green.stop(), gh.stop()]);
    }
  });
});
