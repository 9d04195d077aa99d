// Symlink batches over 24 hosts, each its own address of a real sshd (one connection each, as
// remote machines): `batch: 25%` moves 6 hosts at once, each probed before the next batch; a host
// failing its probe stops the rollout and every host moved goes back.
import { appendFileSync } from 'node:fs';
import { mkdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { applySplit, closeSshConnections, createRouter, type SymlinkHost } from '@cutover/routers';
import { makeTempDir, startSshd, type Sshd } from '@cutover/testkit';

const HOSTS = 24;
const names = Array.from({ length: HOSTS }, (_, index) => `web${String(index + 1).padStart(2, '0')}`);

/** Two sshd (one listens on at most 16 addresses): 127.0.0.1-16 and 127.0.0.17-24, one address a host. */
let sshds: Sshd[];
let root: string;
let probes: Server;
let log: string;
/** Hosts whose probe answers 503. */
const failing = new Set<string>();

beforeAll(async () => {
  const address = (index: number) => `127.0.0.${index + 1}`;
  sshds = await Promise.all([
    startSshd({ addresses: names.slice(0, 16).map((_, index) => address(index)) }),
    startSshd({ addresses: names.slice(16).map((_, index) => address(16 + index)) }),
  ]);
  root = await makeTempDir('cutover-batch-hosts-');
  log = join(root, 'log');
  // Every probe answer goes to the same log as every move (the restart), in the order they happen.
  probes = createServer((request, response) => {
    const host = request.url!.slice(1);
    appendFileSync(log, `probed ${host}\n`);
    response.writeHead(failing.has(host) ? 503 : 200).end();
  });
  await new Promise<void>((resolve) => probes.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  closeSshConnections();
  if (probes) await new Promise((resolve) => probes.close(resolve));
  await Promise.all((sshds ?? []).map((sshd) => sshd.stop()));
  if (root) await rm(root, { recursive: true, force: true });
});

async function fleet(): Promise<NamedEnvironment> {
  const { port } = probes.address() as AddressInfo;
  const hosts: SymlinkHost[] = [];
  for (const [index, name] of names.entries()) {
    await mkdir(join(root, name, 'releases', 'v1'), { recursive: true });
    await mkdir(join(root, name, 'releases', 'v2'), { recursive: true });
    await symlink(join(root, name, 'releases', 'v1'), join(root, name, 'current')).catch(() => undefined);
    const sshd = sshds[index < 16 ? 0 : 1]!;
    hosts.push({
      name,
      ssh: { ...sshd.ssh, host: sshd.addresses[index % 16]! },
      'releases-dir': join(root, name, 'releases'),
      current: join(root, name, 'current'),
      probe: `http://127.0.0.1:${port}/${name}`,
    });
  }
  return {
    name: 'production',
    router: {
      kind: 'symlink',
      'releases-dir': '/unused',
      current: '/unused',
      hosts,
      batch: '25%',
      'probe-timeout': '1s',
      restart: ['sh', '-c', 'echo "moved $0 $1" >> "$2"', '{host}', '{version}', log],
    },
    pools: {},
  };
}

const links = () => Promise.all(names.map(async (name) => (await readlink(join(root, name, 'current'))).split('/').at(-1)));
const lines = async () => (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

describe('symlink batches over 24 hosts', () => {
  it('move 6 hosts at once, every host of a batch probed before the next batch moves', async () => {
    const router = createRouter(await fleet());
    expect(await applySplit(router, { v2: 100 })).toMatchObject({ before: { v1: 100 }, after: { v2: 100 } });
    expect(await links()).toEqual(names.map(() => 'v2'));
    const events = await lines();
    expect(events.filter((line) => line.startsWith('moved'))).toHaveLength(HOSTS);
    for (let batch = 1; batch < 4; batch += 1) {
      const lastProbe = Math.max(...names.slice((batch - 1) * 6, batch * 6).map((name) => events.indexOf(`probed ${name}`)));
      const firstMove = Math.min(...names.slice(batch * 6, batch * 6 + 6).map((name) => events.indexOf(`moved ${name} v2`)));
      expect(lastProbe).toBeGreaterThan(-1);
      expect(firstMove).toBeGreaterThan(lastProbe);
    }
  });

  it('stop at a failing host and put every host moved back, naming it', async () => {
    await applySplit(createRouter(await fleet()), { v1: 100 });
    appendFileSync(log, '--- second rollout\n');
    // web15 is in the third batch (web13 to web18).
    failing.add('web15');
    await expect(applySplit(createRouter(await fleet()), { v2: 100 })).rejects.toThrow(
      /failed: host web15: probe http:\/\/127\.0\.0\.1:\d+\/web15 did not answer 2xx within 1000 ms \(last: [^)]+\); restored \{v1: 100\}$/,
    );
    failing.clear();
    expect(await links()).toEqual(names.map(() => 'v1'));
    const events = (await lines()).slice((await lines()).indexOf('--- second rollout'));
    // The fourth batch never moved; the first three went to v2 and back.
    for (const name of names.slice(18)) expect(events).not.toContain(`moved ${name} v2`);
    for (const name of names.slice(0, 18)) expect(events).toContain(`moved ${name} v1`);
  });
});
