// Fleets: a symlink rollout against the number of hosts (6, 12, 24, 48) for batch 1 and batch 25%, and a
// switch against the number of load balancer instances (1, 2, 4). Hosts are loopback addresses of
// real sshd (one address, one connection, one master each); every timed rollout starts with no SSH
// connection open, as an action's run does. Each host has a probe (answering 200 at once).
import { mkdir, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NamedEnvironment, Split } from '@cutover/config';
import { applySplit, closeSshConnections, createRouter, type SymlinkHost } from '@cutover/routers';
import { makeTempDir, startBackend, startHaproxy, startNginx, startSshd, type Sshd } from '@cutover/testkit';
import { quantile } from './_shared.js';

const RUNS = 3;
const HOST_COUNTS = [6, 12, 24, 48];
const BATCHES = [1, '25%'] as const;
const INSTANCE_COUNTS = [1, 2, 4];
const SWITCHES = 6;

const median = (values: number[]) => Math.round(quantile(values, 0.5));

async function rollouts() {
  const most = Math.max(...HOST_COUNTS);
  const address = (index: number) => `127.0.0.${index + 1}`;
  // One sshd listens on at most 16 addresses.
  const sshds: Sshd[] = [];
  for (let first = 0; first < most; first += 16) {
    sshds.push(await startSshd({ addresses: Array.from({ length: Math.min(16, most - first) }, (_, index) => address(first + index)) }));
  }
  const probes = createServer((_, response) => response.writeHead(200).end());
  await new Promise<void>((resolve) => probes.listen(0, '127.0.0.1', resolve));
  const root = await makeTempDir('cutover-bench-fleet-');
  try {
    const hosts: SymlinkHost[] = [];
    for (let index = 0; index < most; index += 1) {
      const name = `web${index + 1}`;
      for (const release of ['v1', 'v2']) await mkdir(join(root, name, 'releases', release), { recursive: true });
      await symlink(join(root, name, 'releases', 'v1'), join(root, name, 'current'));
      const sshd = sshds[Math.floor(index / 16)]!;
      hosts.push({
        name,
        ssh: { ...sshd.ssh, host: address(index) },
        'releases-dir': join(root, name, 'releases'),
        current: join(root, name, 'current'),
        probe: `http://127.0.0.1:${(probes.address() as AddressInfo).port}/${name}`,
      });
    }
    const environment = (count: number, batch: number | string): NamedEnvironment => ({
      name: 'production',
      router: { kind: 'symlink', 'releases-dir': '/unused', current: '/unused', hosts: hosts.slice(0, count), batch },
      pools: {},
    });
    const rows = [];
    for (const count of HOST_COUNTS) {
      for (const batch of BATCHES) {
        const times: number[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          closeSshConnections();
          const started = performance.now();
          await applySplit(createRouter(environment(count, batch)), { v2: 100 });
          times.push(performance.now() - started);
          await applySplit(createRouter(environment(count, '100%')), { v1: 100 });
        }
        rows.push({ hosts: count, batch, medianMs: median(times), maxMs: Math.round(Math.max(...times)) });
        console.log(`symlink ${count} hosts, batch ${batch}: median ${median(times)} ms`);
      }
    }
    return rows;
  } finally {
    closeSshConnections();
    await new Promise((resolve) => probes.close(resolve));
    await Promise.all(sshds.map((sshd) => sshd.stop()));
    await rm(root, { recursive: true, force: true });
  }
}

async function switches() {
  const most = Math.max(...INSTANCE_COUNTS);
  const [blue, green] = await Promise.all([startBackend({ pool: 'blue' }), startBackend({ pool: 'green' })]);
  const nginxes = await Promise.all(
    Array.from({ length: most }, () => startNginx({ servers: [{ address: blue.address }, { address: green.address, down: true }] })),
  );
  const haproxies = await Promise.all(
    Array.from({ length: most }, () =>
      startHaproxy({
        servers: [
          { name: 'b1', address: blue.address },
          { name: 'g1', address: green.address, drain: true },
        ],
      }),
    ),
  );
  const pools = { blue: [blue.address], green: [green.address] };
  try {
    const rows = [];
    for (const count of INSTANCE_COUNTS) {
      const routers = {
        nginx: createRouter({
          name: 'production',
          router: {
            kind: 'nginx',
            upstream: 'app',
            instances: nginxes.slice(0, count).map((nginx) => ({ 'upstream-file': nginx.upstreamFile, test: nginx.test, reload: nginx.reload })),
          },
          pools,
        }),
        haproxy: createRouter({
          name: 'production',
          router: { kind: 'haproxy', backend: 'app', instances: haproxies.slice(0, count).map((haproxy) => ({ socket: haproxy.socket })) },
          pools,
        }),
      };
      for (const [kind, router] of Object.entries(routers)) {
        const times: number[] = [];
        for (let index = 0; index < SWITCHES; index += 1) {
          const next: Split = index % 2 === 0 ? { green: 100 } : { blue: 100 };
          const started = performance.now();
          await applySplit(router, next);
          times.push(performance.now() - started);
        }
        rows.push({ router: kind, instances: count, switches: SWITCHES, medianMs: median(times), maxMs: Math.round(Math.max(...times)) });
        console.log(`${kind} ${count} instances: median ${median(times)} ms`);
      }
    }
    return rows;
  } finally {
    await Promise.all([...nginxes, ...haproxies, blue, green].map((server) => server.stop()));
  }
}

export async function run() {
  return {
    what: 'ms for applySplit: a symlink rollout of every host from v1 to v2 (SSH connections opened within, each host probed), and a blue-green switch of every instance (local nginx: test and reload; HAProxy: runtime API)',
    rollouts: await rollouts(),
    switches: await switches(),
  };
}
