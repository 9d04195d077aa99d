// "Shipped in" comments end to end, through the bundled actions: a pull request merged, shipped to
// staging by blue-green-switch, then to production by canary-step, then rolled back: one comment
// on the pull request, written once and edited twice, never repeated. Symlink releases on this
// machine (no server needed), the GitHub stand-in for everything GitHub.
import { mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { parseShippedComment, SHIPPED_MARKER } from '@cutover/github';
import { fakeSha, makeTempDir, runAction, startGitHubStandIn, type ActionRun, type GitHubStandIn } from '@cutover/testkit';
import { seedDeployment, writeEnvironmentFile } from './rollback-fixtures.js';

const RELEASES = ['1.3.0', '1.4.0'];
// A title made to break out of a log line, and to fake the marker.
const TITLE = 'Faster checkout\n::error::pwned <!-- cutover:shipped -->';

describe('"shipped in" on a pull request, from staging to production to a rollback', () => {
  let gh: GitHubStandIn;
  let workspace: string;
  const runs: Record<string, ActionRun> = {};

  const HOSTS = ['web1', 'web2'];
  const releasesOf = (environment: string, host: string) => join(workspace, environment, host, 'releases');
  const current = (environment: string, host: string) => join(workspace, environment, host, 'current');
  const live = (environment: string) => Promise.all(HOSTS.map(async (host) => (await readlink(current(environment, host))).split('/').pop()));

  /** Two hosts on this machine (a canary needs two to split). */
  function symlinkEnvironment(name: string): Environment {
    return {
      router: {
        kind: 'symlink',
        'releases-dir': releasesOf(name, 'web1'),
        current: current(name, 'web1'),
        hosts: HOSTS.map((host) => ({ name: host, 'releases-dir': releasesOf(name, host), current: current(name, host) })),
      },
      pools: { web1: ['127.0.0.1:1'], web2: ['127.0.0.1:2'] },
      // canary-step wants checks; a step of 100 is the promotion and is not watched, so none runs.
      health: { checks: [{ name: 'healthz', http: { url: 'http://{address}/healthz', 'expect-status': 200 } }] },
    };
  }

  const github = () => ({
    apiUrl: gh.apiUrl,
    token: gh.token,
    repository: `${gh.owner}/${gh.repo}`,
    workspace,
    sha: fakeSha('1.4.0'),
    post: false,
    timeoutMs: 60_000,
  });
  const shippedComments = () => gh.store.comments.filter((comment) => String(comment.body).includes(SHIPPED_MARKER));
  const commentOf = (number: number) => shippedComments().find((comment) => String(comment.html_url).includes(`/pull/${number}#`));

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    workspace = await makeTempDir('cutover-shipped-in-');
    for (const environment of ['staging', 'production']) {
      for (const host of HOSTS) {
        for (const release of RELEASES) await mkdir(join(releasesOf(environment, host), release), { recursive: true });
        await symlink(join(releasesOf(environment, host), '1.3.0'), current(environment, host));
      }
    }
    await writeEnvironmentFile(workspace, { staging: symlinkEnvironment('staging'), production: symlinkEnvironment('production') });

    // 1.3.0 is live in both environments; since then #42 was merged (and #43 is still open).
    const yesterday = new Date(Date.now() - 86_400_000);
    for (const environment of ['staging', 'production'])
      await seedDeployment(gh, { version: '1.3.0', environment, splitAfter: { '1.3.0': 100 }, states: ['success'], at: yesterday });
    const merge = fakeSha('merge-42');
    gh.store.setCompare(fakeSha('1.3.0'), fakeSha('1.4.0'), [
      { sha: fakeSha('work-42'), message: 'Cache the cart' },
      { sha: merge, message: 'Faster checkout (#42)' },
    ]);
    gh.store.addPull({
      number: 42,
      head: { sha: fakeSha('work-42'), ref: 'faster-checkout' },
      base: { ref: 'main' },
      title: TITLE,
      merged: true,
      merge_commit_sha: merge,
    });
    gh.store.addPull({ number: 43, head: { sha: merge, ref: 'still-open' }, base: { ref: 'main' }, title: 'Still open' });
  });

  afterAll(async () => {
    await gh?.stop();
  });

  it('staging: blue-green-switch comments on the merged pull request', async () => {
    runs.staging = await runAction('blue-green-switch', { ...github(), inputs: { environment: 'staging', version: '1.4.0', 'comment-pull-requests': 'true' } });
    expect(runs.staging.errors).toEqual([]);
    expect(runs.staging.warnings).toEqual([]);
    expect(await live('staging')).toEqual(['1.4.0', '1.4.0']);
    expect(shippedComments()).toHaveLength(1);
    expect(String(commentOf(42)!.body)).toContain('**Shipped in 1.4.0**: staging ');
    expect(commentOf(43)).toBeUndefined();
    // The title went to the log as text, on its pull request's line: no command ran.
    expect(runs.staging.stdout).toContain('#42 (Faster checkout ::error::pwned <!-- cutover:shipped -->): commented.');
    expect(runs.staging.commands.filter((command) => command.command === 'error')).toEqual([]);
  });

  it('production: canary-step, promoted, edits the same comment', async () => {
    runs.production = await runAction('canary-step', {
      ...github(),
      inputs: { environment: 'production', version: '1.4.0', steps: '100', 'comment-pull-requests': 'true' },
    });
    expect(runs.production.errors).toEqual([]);
    expect(runs.production.warnings).toEqual([]);
    expect(runs.production.outputs.result).toBe('promoted');
    expect(await live('production')).toEqual(['1.4.0', '1.4.0']);
    expect(shippedComments()).toHaveLength(1);
    expect(String(commentOf(42)!.body)).toMatch(/\*\*Shipped in 1\.4\.0\*\*: staging \d\d:\d\d UTC, production \d\d:\d\d UTC\n/);
  });

  it('rollback: marks the comment rolled back in production, staging untouched', async () => {
    runs.rollback = await runAction('rollback', {
      ...github(),
      sha: fakeSha('rollback-run'),
      inputs: { environment: 'production', reason: 'checkout errors', 'comment-pull-requests': 'true' },
    });
    expect(runs.rollback.errors).toEqual([]);
    expect(runs.rollback.warnings).toEqual([]);
    expect(await live('production')).toEqual(['1.3.0', '1.3.0']);

    expect(shippedComments()).toHaveLength(1);
    const body = String(commentOf(42)!.body);
    expect(body).toMatch(/\*\*Shipped in 1\.4\.0\*\*: staging \d\d:\d\d UTC, production \d\d:\d\d UTC \(rolled back \d\d:\d\d UTC\)\n/);
    expect(body).toMatch(/\| production \| 1\.4\.0 \| \[.+ UTC\]\(https:\/\/github\.com\/.+\) \| \[.+ UTC\]\(https:\/\/github\.com\/.+\), back to 1\.3\.0 \|/);
    const entries = parseShippedComment(body)!.entries;
    expect(entries.map((entry) => [entry.environment, entry.version, entry.rolledBackAt !== undefined])).toEqual([
      ['staging', '1.4.0', false],
      ['production', '1.4.0', true],
    ]);
    // The deployments the comment names are the ones the actions recorded.
    const deployments = gh.store.deployments.filter((deployment) => deployment.sha === fakeSha('1.4.0'));
    expect(entries.map((entry) => entry.deployment)).toEqual(deployments.map((deployment) => deployment.id));

    // One comment, written once and edited twice: never a second one.
    expect(gh.calls('issues/create-comment').filter((call) => call.path.includes('/issues/42/'))).toHaveLength(1);
    expect(gh.calls('issues/update-comment')).toHaveLength(2);
    expect(gh.calls('issues/create-comment').filter((call) => String((call.body as { body?: string }).body).includes(SHIPPED_MARKER))).toHaveLength(1);
    gh.assertNoViolations();
  });

  it('a rollback run again changes nothing on the comment', async () => {
    const before = String(commentOf(42)!.body);
    const again = await runAction('rollback', {
      ...github(),
      sha: fakeSha('rollback-run'),
      inputs: { environment: 'production', reason: 'checkout errors', 'comment-pull-requests': 'true' },
    });
    expect(again.errors).toEqual([]);
    expect(String(commentOf(42)!.body)).toBe(before);
    expect(gh.calls('issues/update-comment')).toHaveLength(2);
    expect(shippedComments()).toHaveLength(1);
  });
});

describe('"shipped in" comments that GitHub refuses', () => {
  let gh: GitHubStandIn;
  let workspace: string;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    workspace = await makeTempDir('cutover-shipped-refused-');
    const hosts = ['web1', 'web2'].map((host) => ({
      name: host,
      'releases-dir': join(workspace, host, 'releases'),
      current: join(workspace, host, 'current'),
    }));
    for (const host of hosts) {
      for (const release of RELEASES) await mkdir(join(host['releases-dir'], release), { recursive: true });
      await symlink(join(host['releases-dir'], '1.3.0'), host.current);
    }
    await writeEnvironmentFile(workspace, {
      staging: { router: { kind: 'symlink', 'releases-dir': hosts[0]!['releases-dir'], current: hosts[0]!.current, hosts }, pools: { web1: ['127.0.0.1:1'] } },
    });
    await seedDeployment(gh, {
      version: '1.3.0',
      environment: 'staging',
      splitAfter: { '1.3.0': 100 },
      states: ['success'],
      at: new Date(Date.now() - 86_400_000),
    });
    gh.store.setCompare(fakeSha('1.3.0'), fakeSha('1.4.0'), [{ sha: fakeSha('merge-7'), message: 'Change (#7)' }]);
    gh.store.addPull({ number: 7, head: { sha: fakeSha('head-7'), ref: 'change' }, base: { ref: 'main' }, merged: true, merge_commit_sha: fakeSha('merge-7') });
  });

  afterAll(async () => {
    await gh?.stop();
  });

  it('a job without pull-requests: write: the switch succeeds and is recorded, the comment is a warning', async () => {
    gh.failNext('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 403);
    const run = await runAction('blue-green-switch', {
      apiUrl: gh.apiUrl,
      token: gh.token,
      repository: `${gh.owner}/${gh.repo}`,
      workspace,
      sha: fakeSha('1.4.0'),
      post: false,
      inputs: { environment: 'staging', version: '1.4.0', 'comment-pull-requests': 'true' },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.live).toBe('1.4.0');
    const deployment = gh.store.deployments.find((candidate) => candidate.sha === fakeSha('1.4.0'))!;
    expect(gh.store.statusesOf(deployment.id as number)[0]).toMatchObject({ state: 'success' });
    expect(run.warnings).toEqual([
      expect.stringMatching(
        /^"Shipped in" comments for deployment \d+ \(staging\): 1 of 1 pull request\(s\) not commented; stopped: .*403.*pull-requests: write/,
      ),
    ]);
    expect(gh.store.comments).toEqual([]);
  });
});
