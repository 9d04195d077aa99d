// canary-step on symlink releases, machine by machine: three local hosts (their own releases dir and
// `current` link, each serving through its own sample backend that a restart command points at the release).
// A step's weight is a whole number of hosts; the canary's hosts are watched against the stable hosts.
import { appendFile, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Backend, makeWorkspace, startBackend, type Workspace } from '@cutover/testkit';
import { canaryHealth, runCanary } from './canary-setup.js';

const hostNames = ['web1', 'web2', 'web3'];
const releases = ['v1', 'v2', 'v3-bad'];
let backends: Record<string, Backend>;
let workspace: Workspace;

const dirOf = (host: string) => join(workspace.dir, host);
const links = () => Promise.all(hostNames.map(async (host) => (await readlink(join(dirOf(host), 'current'))).split('/').pop()!));
const versions = () => Promise.all(hostNames.map(async (host) => (await (await fetch(`${backends[host]!.url}/version`)).text()).trim()));

// The "restart" of a host: its backend now serves the release; a release named *-bad answers 5% errors.
const CONTROL = `
import { appendFileSync, readFileSync } from 'node:fs';
const [host, version] = process.argv.slice(2);
const ports = JSON.parse(readFileSync(new URL('./ports.json', import.meta.url), 'utf8'));
const response = await fetch('http://127.0.0.1:' + ports[host] + '/__control', {
  method: 'POST',
  body: JSON.stringify({ version, errorRate: version.endsWith('-bad') ? 0.05 : 0 }),
});
if (!response.ok) process.exit(1);
appendFileSync(new URL('./restarts.log', import.meta.url), host + ' ' + version + '\\n');
`;

beforeAll(async () => {
  backends = Object.fromEntries(await Promise.all(hostNames.map(async (host) => [host, await startBackend({ pool: host, version: 'v1' })] as const)));
});

afterAll(async () => {
  await Promise.all(Object.values(backends ?? {}).map((backend) => backend.stop()));
});

beforeEach(async () => {
  workspace = await makeWorkspace();
  for (const host of hostNames) {
    for (const release of releases) await mkdir(join(dirOf(host), 'releases', release), { recursive: true });
    await symlink(join(dirOf(host), 'releases', 'v1'), join(dirOf(host), 'current'));
    backends[host]!.setVersion('v1');
    backends[host]!.setErrorRate(0);
  }
  await writeFile(join(workspace.dir, 'control.mjs'), CONTROL);
  await writeFile(join(workspace.dir, 'ports.json'), JSON.stringify(Object.fromEntries(hostNames.map((host) => [host, backends[host]!.port]))));
  await appendFile(join(workspace.dir, 'restarts.log'), '');
  await workspace.writeEnvironment({
    router: {
      kind: 'symlink',
      'releases-dir': join(dirOf('web1'), 'releases'),
      current: join(dirOf('web1'), 'current'),
      restart: [process.execPath, join(workspace.dir, 'control.mjs'), '{host}', '{version}'],
      hosts: hostNames.map((host) => ({
        name: host,
        'releases-dir': join(dirOf(host), 'releases'),
        current: join(dirOf(host), 'current'),
        probe: `${backends[host]!.url}/healthz`,
      })),
    },
    // Each host's address, under the host's name: the canary's hosts are watched against the stable ones.
    pools: Object.fromEntries(hostNames.map((host) => [host, [backends[host]!.address]])),
    health: canaryHealth,
    canary: { steps: [25, 50, 100] },
  });
  return () => workspace.remove();
});

describe('canary-step on symlink releases, machine by machine', () => {
  it('moves whole hosts one step at a time, watching the canary hosts against the stable ones, and says how it rounded', async () => {
    const run = await runCanary(workspace, { version: 'v2' });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'promoted', weight: '100', canary: 'v2', stable: 'v1' });
    expect(run.stdout).toContain('Step 1 of 3: {v2: 33, v1: 67}');
    expect(run.stdout).toContain('Step 2 of 3: {v2: 67, v1: 33}');
    // One host, then the next: the restarts came in host order, one per step.
    expect((await readFile(join(workspace.dir, 'restarts.log'), 'utf8')).trim().split('\n')).toEqual(['web1 v2', 'web2 v2', 'web3 v2']);
    expect(await links()).toEqual(['v2', 'v2', 'v2']);
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
    expect(run.summary).toContain('Rounded: 25% → 1 of 3 hosts (33%): symlink releases move whole hosts');
    expect(run.summary).toContain('Rounded: 50% → 2 of 3 hosts (67%): symlink releases move whole hosts');
    expect(run.summary).toContain('| 33% (1 of 3 hosts) |');
  });

  it('refuses to run without `version` or `canary`: a release at 0 may be an older one', async () => {
    // v2 live, v1 (older) the one other release on disk: "the release at 0" would be v1.
    for (const host of hostNames) {
      await rm(join(dirOf(host), 'releases', 'v3-bad'), { recursive: true });
      await rm(join(dirOf(host), 'current'));
      await symlink(join(dirOf(host), 'releases', 'v2'), join(dirOf(host), 'current'));
    }
    const run = await runCanary(workspace, {});
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^canary: a symlink router rolls out a named release: set `version` or `canary`/);
    expect(await links()).toEqual(['v2', 'v2', 'v2']);
    expect(await readFile(join(workspace.dir, 'restarts.log'), 'utf8')).toBe('');
  });

  it('aborts a bad release on its first host and puts that host back on the stable release', async () => {
    const run = await runCanary(workspace, { canary: 'v3-bad' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'aborted', weight: '0', canary: 'v3-bad', stable: 'v1' });
    // The canary's one host against the stable release's two: 5% of its requests fail, none of theirs.
    expect(run.outputs.reason).toMatch(
      /^healthz failed at 33% canary \(unhealthy\): .*(healthz error rate worse than v1: [\d.]+% vs 0%|healthz: [\d.]+% of \d+ requests failed on v3-bad)/,
    );
    expect((await readFile(join(workspace.dir, 'restarts.log'), 'utf8')).trim().split('\n')).toEqual(['web1 v3-bad', 'web1 v1']);
    expect(await links()).toEqual(['v1', 'v1', 'v1']);
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
  });
});
