// rollback of symlink releases over real sshd: `current` back to the good release on every host.
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { makeTempDir, runAction, startGitHubStandIn, startSshd, type GitHubStandIn, type Sshd } from '@cutover/testkit';
import { seedDeployment, writeEnvironmentFile, type SeededDeployment } from './rollback-fixtures.js';

const HOSTS = ['app1', 'app2'];

describe('rollback of symlink releases over sshd', () => {
  let sshd: Sshd;
  let gh: GitHubStandIn;
  let root: string;
  let workspace: string;
  let good: SeededDeployment;
  let bad: SeededDeployment;

  const link = (host: string) => join(root, host, 'current');

  beforeAll(async () => {
    sshd = await startSshd();
    gh = await startGitHubStandIn();
    root = await makeTempDir('cutover-rollback-hosts-');
    for (const host of HOSTS) {
      // app2 no longer has v1: a rollback to it must be refused.
      for (const release of host === 'app2' ? ['v2', 'v3'] : ['v1', 'v2', 'v3']) await mkdir(join(root, host, 'releases', release), { recursive: true });
      await symlink(join(root, host, 'releases', 'v3'), link(host));
    }
    workspace = await makeTempDir('cutover-rollback-symlink-');
    const production: Environment = {
      router: {
        kind: 'symlink',
        'releases-dir': join(root, 'app1', 'releases'),
        current: link('app1'),
        ssh: sshd.ssh,
        hosts: HOSTS.map((host) => ({ name: host, ssh: { host: sshd.host }, 'releases-dir': join(root, host, 'releases'), current: link(host) })),
      },
      pools: { releases: ['127.0.0.1:1'] },
    };
    await writeEnvironmentFile(workspace, { production });
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await seedDeployment(gh, { version: 'v1', splitAfter: { v1: 100 }, states: ['success'], at: ago(2880) });
    // As blue-green-switch records it: the release it left at 0, v1, has been pruned from app2 since.
    good = await seedDeployment(gh, { version: 'v2', splitAfter: { v1: 0, v2: 100 }, states: ['success'], at: ago(1440) });
    bad = await seedDeployment(gh, { version: 'v3', splitAfter: { v3: 100 }, splitBefore: { v2: 100 }, states: ['in_progress', 'success'], at: ago(15) });
  });

  afterAll(async () => {
    await Promise.all([sshd?.stop(), gh?.stop()]);
  });

  const run = (inputs: Record<string, string>) =>
    runAction('rollback', {
      inputs: { environment: 'production', ...inputs },
      workspace,
      apiUrl: gh.apiUrl,
      token: gh.token,
      repository: `${gh.owner}/${gh.repo}`,
    });

  async function linkOver(host: string): Promise<string> {
    const result = await sshd.run(['readlink', link(host)]);
    expect(result.code).toBe(0);
    return result.stdout.trim();
  }

  it('refuses a release that is no longer on every host, changing nothing', async () => {
    const result = await run({ to: 'v1' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining('the recorded pools no longer run version v1: release v1 is no longer on every host. Nothing was changed'),
    ]);
    for (const host of HOSTS) expect(await linkOver(host)).toBe(join(root, host, 'releases', 'v3'));
  });

  it('points current back to the good release on every host, machine by machine', async () => {
    const result = await run({ reason: 'checkout 500s' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['rolled-back-to']).toBe('v2');
    for (const host of HOSTS) expect(await linkOver(host)).toBe(join(root, host, 'releases', 'v2'));
    // One host after the other, in the order of the file.
    expect(result.stdout.indexOf('app1: v3 -> v2')).toBeGreaterThan(-1);
    expect(result.stdout.indexOf('app2: v3 -> v2')).toBeGreaterThan(result.stdout.indexOf('app1: v3 -> v2'));

    const rollback = gh.store.deployments.find((deployment) => deployment.task === 'rollback')!;
    expect(rollback).toMatchObject({ sha: good.sha, payload: { version: 'v2', splitAfter: { v2: 100 }, splitBefore: { v3: 100 }, rolledBackFrom: bad.id } });
    expect(gh.store.statusesOf(bad.id)[0]).toMatchObject({ state: 'failure' });
    const incident = gh.store.issues.find((issue) => !issue.pull_request)!;
    expect(result.outputs['incident-url']).toBe(incident.html_url);
    expect(String(incident.body)).toContain('**production** was rolled back from **v3**');
    expect(String(incident.body)).toContain('> Reason: checkout 500s');
    gh.assertNoViolations();
  });
});
