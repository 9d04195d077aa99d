// rollback without a token: `to` says where traffic goes (a release on every host, a pool, a
// version found at health.version-url); GitHub records are skipped, said once, and the incident
// goes to the job summary for a maintainer to paste.
import { mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@cutover/config';
import { type Backend, makeTempDir, type Nginx, poolsAnswering, poolsOnceSettled, runAction, startBackend, startNginx } from '@cutover/testkit';
import { watchReport, writeEnvironmentFile } from './rollback-fixtures.js';

const SKIPPED =
  'No GitHub token: the deployment history, the rollback deployment, the failure mark on the bad deployment and the incident issue were skipped; traffic changes still happen.';

describe('rollback without a token, symlink releases on local hosts', () => {
  const HOSTS = ['app1', 'app2', 'app3'];
  let root: string;
  let workspace: string;
  const link = (host: string) => join(root, host, 'current');
  const release = (host: string, name: string) => join(root, host, 'releases', name);

  beforeAll(async () => {
    root = await makeTempDir('cutover-rollback-local-hosts-');
    for (const host of HOSTS) {
      // v1 is gone from app3: it cannot be restored everywhere.
      for (const name of host === 'app3' ? ['v2', 'v3'] : ['v1', 'v2', 'v3']) await mkdir(release(host, name), { recursive: true });
      await symlink(release(host, 'v3'), link(host));
    }
    workspace = await makeTempDir('cutover-rollback-local-');
    const production: Environment = {
      router: {
        kind: 'symlink',
        'releases-dir': join(root, 'app1', 'releases'),
        current: link('app1'),
        hosts: HOSTS.map((host) => ({ name: host, 'releases-dir': join(root, host, 'releases'), current: link(host) })),
      },
      pools: { releases: ['127.0.0.1:1'] },
    };
    await writeEnvironmentFile(workspace, { production });
  });

  const run = (inputs: Record<string, string>) => runAction('rollback', { inputs: { environment: 'production', ...inputs }, workspace, runId: '77' });

  it('refuses a release missing from a host, changing nothing', async () => {
    const result = await run({ to: 'v1' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'to: release v1 is not on every host of environments.production.router (releases on every host: v2, v3); nothing was changed',
    ]);
    for (const host of HOSTS) expect(await readlink(link(host))).toBe(release(host, 'v3'));
  });

  it('points current to the release on every host, machine by machine, and says records were skipped', async () => {
    const result = await run({ to: 'v2', reason: 'checkout 500s' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    for (const host of HOSTS) expect(await readlink(link(host))).toBe(release(host, 'v2'));
    const moved = HOSTS.map((host) => result.stdout.indexOf(`${host}: v3 -> v2`));
    expect(moved.every((index) => index > -1)).toBe(true);
    expect(moved).toEqual([...moved].sort((a, b) => a - b));
    expect(result.outputs).toEqual({ 'rolled-back-to': 'v2', 'deployment-id': '', 'incident-url': '' });
    expect(result.notices).toEqual([SKIPPED]);

    expect(result.summary).toContain('## Incident not opened: no GitHub token');
    expect(result.summary).toContain('**Incident: production rolled back from v3 to v2**');
    expect(result.summary).toContain('**production** was rolled back from **v3** to **v2**: traffic moved from {v3: 100} to {v2: 100}.');
    expect(result.summary).toContain('> Reason: checkout 500s');
    expect(result.summary).toContain('| Deployed | — |  | unknown without a token |');
    expect(result.summary).toContain("Suspect commits unknown without a token: they come from GitHub's compare");
    expect(result.summary).toContain('- [This rollback](https://github.com/');
    expect(result.summary).toContain('## Five whys');
  });
});

describe('rollback without a token, pools behind nginx', () => {
  let blue: Backend;
  let green: Backend;
  let nginx: Nginx;
  let workspace: string;

  beforeAll(async () => {
    blue = await startBackend({ pool: 'blue', version: 'v5' });
    green = await startBackend({ pool: 'green', version: 'v4' });
    nginx = await startNginx({
      servers: [
        { address: blue.address, weight: 1 },
        { address: green.address, down: true },
      ],
    });
    workspace = await makeTempDir('cutover-rollback-nginx-local-');
    const production: Environment = {
      router: { kind: 'nginx', 'upstream-file': nginx.upstreamFile, upstream: nginx.upstream, test: nginx.test, reload: nginx.reload },
      pools: { blue: [blue.address], green: [green.address] },
      health: { 'version-url': 'http://{address}/version' },
    };
    await writeEnvironmentFile(workspace, { production });
    const now = Date.now();
    await writeFile(
      join(workspace, 'watch.json'),
      JSON.stringify(watchReport('blue', new Date(now - 120_000).toISOString(), new Date(now - 60_000).toISOString())),
    );
  });

  afterAll(async () => {
    await Promise.all([nginx?.stop(), blue?.stop(), green?.stop()]);
  });

  const run = (inputs: Record<string, string>) => runAction('rollback', { inputs: { environment: 'production', ...inputs }, workspace });

  it('without `to` refuses: the default target needs the history; nothing changed', async () => {
    const upstream = await readFile(nginx.upstreamFile, 'utf8');
    const result = await run({});
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['without a token rollback cannot read the deployment history: set token, or set `to` to a version or pool']);
    expect(result.outputs).toEqual({});
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstream);
    expect(await poolsAnswering(nginx.url, 5)).toEqual({ blue: 5 });
  });

  it('`to` a pool: all traffic on it, the incident with the report in the summary', async () => {
    const result = await run({ to: 'green', report: 'watch.json' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(await poolsOnceSettled(nginx.url, 'green')).toEqual({ green: 20 });
    expect(result.outputs).toEqual({ 'rolled-back-to': 'green', 'deployment-id': '', 'incident-url': '' });
    expect(result.notices).toEqual([SKIPPED]);
    expect(result.summary).toContain('**Incident: production rolled back from blue to green**');
    expect(result.summary).toContain('| error-rate | blue | seen last 0.3, range 0.25 to 0.35; allowed max 0.01; 3 bad intervals |');
    expect(result.summary).toMatch(/\| First bad sample \| \d{4}-\d\d-\d\d [^|]+ \| {2}\| from the health-watch report \|/);
    expect(result.summary).toMatch(/\| Detected \| [^|]+ \| \+1m \| health-watch: error-rate/);
  });

  it('`to` a version: the one pool whose servers answer it at version-url', async () => {
    expect(await poolsAnswering(nginx.url, 5)).toEqual({ green: 5 });
    const result = await run({ to: 'v5', incident: 'false' });
    expect(result.errors).toEqual([]);
    expect(result.stdout).toContain('Version v5 runs on every server of pool blue.');
    expect(await poolsOnceSettled(nginx.url, 'blue')).toEqual({ blue: 20 });
    expect(result.outputs).toEqual({ 'rolled-back-to': 'v5', 'deployment-id': '', 'incident-url': '' });
    expect(result.summary).not.toContain('Incident not opened');
  });

  it('`to` a version that no pool, or several pools, run: refused, nothing changed', async () => {
    const upstream = await readFile(nginx.upstreamFile, 'utf8');
    const none = await run({ to: 'v9' });
    expect(none.exitCode).toBe(1);
    expect(none.errors).toEqual([
      `to: no pool runs version v9 (blue ${blue.address} runs v5; green ${green.address} runs v4); nothing was changed: set \`to\` to a pool, or set token to roll back through the deployment history`,
    ]);
    green.setVersion('v5');
    try {
      const several = await run({ to: 'v5' });
      expect(several.exitCode).toBe(1);
      expect(several.errors).toEqual(['to: several pools run version v5 (blue, green); nothing was changed: set `to` to one of these pools']);
    } finally {
      green.setVersion('v4');
    }
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(upstream);
    expect(await poolsAnswering(nginx.url, 5)).toEqual({ blue: 5 });
  });
});
