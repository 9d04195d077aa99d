// blue-green-switch with symlink releases over real sshd: two "hosts" (same sshd, different dirs)
// switched machine by machine with a probe in between; a failing probe puts every host back; a refused SSH host.
import { createServer, type Server } from 'node:http';
import { mkdir, readlink, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, type GitHubStandIn, makeWorkspace, type Sshd, startGitHubStandIn, startSshd, type Workspace } from '@cutover/testkit';
import { runSwitch } from './blue-green-setup.js';

let sshd: Sshd;
let github: GitHubStandIn;
let workspace: Workspace;
let probe: Server;
let probeUrl: string;
/** What each host's link named when the probe was asked about a host. */
let seenAtProbe: { host: string; links: string[] }[];

const hostNames = ['web1', 'web2'];
const dirOf = (host: string) => join(workspace.dir, host);
const currentOf = (host: string) => join(dirOf(host), 'current');
const links = () => Promise.all(hostNames.map(async (host) => (await readlink(currentOf(host))).split('/').pop()!));

function environment(overrides: { hosts?: Record<string, unknown>[]; 'probe-timeout'?: string } = {}) {
  return {
    router: {
      kind: 'symlink',
      'releases-dir': join(dirOf('web1'), 'releases'),
      current: currentOf('web1'),
      restart: ['touch', join(workspace.dir, 'restarted-{host}-{version}')],
      hosts:
        overrides.hosts ??
        hostNames.map((host) => ({
          name: host,
          ssh: sshd.ssh,
          'releases-dir': join(dirOf(host), 'releases'),
          current: currentOf(host),
          probe: `${probeUrl}/${host}`,
        })),
      ...(overrides['probe-timeout'] ? { 'probe-timeout': overrides['probe-timeout'] } : {}),
    },
    pools: { web: ['127.0.0.1:8080'] },
  };
}

beforeAll(async () => {
  sshd = await startSshd();
  github = await startGitHubStandIn();
  probe = createServer((req, res) => {
    void links().then((now) => {
      seenAtProbe.push({ host: req.url!.slice(1), links: now });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  probeUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
});

afterAll(async () => {
  await sshd?.stop();
  await github?.stop();
  probe?.close();
});

beforeEach(async () => {
  workspace = await makeWorkspace();
  seenAtProbe = [];
  for (const host of hostNames) {
    for (const release of ['v1', 'v2']) await mkdir(join(dirOf(host), 'releases', release), { recursive: true });
    await symlink(join(dirOf(host), 'releases', 'v1'), currentOf(host));
  }
  await workspace.writeEnvironment(environment());
  return () => workspace.remove();
});

describe('blue-green-switch on symlink releases over SSH', () => {
  it('moves host after host, probing each before the next, and records the release as the version', async () => {
    const run = await runSwitch(workspace, { version: 'v2' }, github);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ live: 'v2', previous: 'v1' });
    expect(await links()).toEqual(['v2', 'v2']);
    // web1 answered its probe while web2 still ran v1: one machine at a time.
    expect(seenAtProbe).toEqual([
      { host: 'web1', links: ['v2', 'v1'] },
      { host: 'web2', links: ['v2', 'v2'] },
    ]);
    expect(run.stdout.indexOf('web1: v1 -> v2')).toBeLessThan(run.stdout.indexOf('web2: v1 -> v2'));
    expect((await readdir(workspace.dir)).filter((f) => f.startsWith('restarted-')).sort()).toEqual(['restarted-web1-v2', 'restarted-web2-v2']);
    // No temp link left behind.
    expect((await readdir(dirOf('web1'))).sort()).toEqual(['current', 'releases']);
    const [deployment] = github.store.deployments;
    expect(deployment).toMatchObject({ payload: { version: 'v2', splitBefore: { v1: 100 }, splitAfter: { v1: 0, v2: 100 }, router: 'symlink' } });

    const back = await runSwitch(workspace, { to: 'v1' });
    expect(back.outputs.live).toBe('v1');
    expect(await links()).toEqual(['v1', 'v1']);
  });

  it('puts every host back when a later host fails its probe', async () => {
    const hosts = hostNames.map((host, index) => ({
      name: host,
      ssh: sshd.ssh,
      'releases-dir': join(dirOf(host), 'releases'),
      current: currentOf(host),
      probe: index === 0 ? `${probeUrl}/${host}` : 'http://127.0.0.1:1/healthz',
    }));
    await workspace.writeEnvironment(environment({ hosts, 'probe-timeout': '1s' }));
    const run = await runSwitch(workspace, { version: 'v2' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('host web2: probe http://127.0.0.1:1/healthz did not answer 2xx within 1000 ms');
    expect(run.errors[0]).toContain('restored {v1: 100}');
    expect(await links()).toEqual(['v1', 'v1']);
  });

  it('fails naming the host when SSH is refused, changing nothing', async () => {
    const closed = await freePort();
    const hosts = hostNames.map((host, index) => ({
      name: host,
      ssh: index === 0 ? sshd.ssh : { ...sshd.ssh, port: closed },
      'releases-dir': join(dirOf(host), 'releases'),
      current: currentOf(host),
    }));
    await workspace.writeEnvironment(environment({ hosts }));
    const run = await runSwitch(workspace, { version: 'v2' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(new RegExp(`host web2: .*ssh ${sshd.user}@127\\.0\\.0\\.1:${closed}: .*Connection refused`));
    expect(await links()).toEqual(['v1', 'v1']);
  });

  it('refuses to run without `to` or `version`: a release at 0 may be an older one', async () => {
    // v2 live, v1 (older) still on disk: "the idle release" would be v1.
    for (const host of hostNames) {
      await rm(currentOf(host));
      await symlink(join(dirOf(host), 'releases', 'v2'), currentOf(host));
    }
    const run = await runSwitch(workspace, {});
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^to: a symlink router switches to a named release: set `to` or `version`/);
    expect(await links()).toEqual(['v2', 'v2']);
  });

  it('refuses a release that is not on every host', async () => {
    await mkdir(join(dirOf('web1'), 'releases', 'v3'));
    const run = await runSwitch(workspace, { version: 'v3' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toBe('to: pool "v3" is not in the environment\'s pools (v1, v2)');
    expect(await links()).toEqual(['v1', 'v1']);
  });
});
