import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyCommand, startBackend, startHaproxy, startNginx, startPrometheus, startSshd, startPostgres, repoRoot, type Backend } from '@cutover/testkit';

async function poolsSeen(url: string, requests: number): Promise<Set<string>> {
  const pools = new Set<string>();
  for (let i = 0; i < requests; i++) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    pools.add(((await response.json()) as { pool: string }).pool);
  }
  return pools;
}

describe('real servers of the test kit', () => {
  let blue: Backend;
  let green: Backend;

  beforeAll(async () => {
    blue = await startBackend({ pool: 'blue', version: 'v1' });
    green = await startBackend({ pool: 'green', version: 'v2' });
  });

  afterAll(async () => {
    await Promise.all([blue?.stop(), green?.stop()]);
  });

  it('nginx proxies to both pools through its upstream file', async () => {
    const nginx = await startNginx({ servers: [{ address: blue.address }, { address: green.address }], keepalive: true });
    try {
      expect(await poolsSeen(nginx.url + '/', 6)).toEqual(new Set(['blue', 'green']));
      expect(nginx.test).toEqual(['/usr/sbin/nginx', '-t', '-c', nginx.configFile, '-p', nginx.prefix]);
    } finally {
      await nginx.stop();
    }
  });

  it('HAProxy balances across both pools and reports them on its admin socket', async () => {
    const haproxy = await startHaproxy({
      servers: [
        { name: 'blue', address: blue.address, weight: 50 },
        { name: 'green', address: green.address, weight: 50 },
      ],
    });
    try {
      expect(await poolsSeen(haproxy.url + '/', 6)).toEqual(new Set(['blue', 'green']));
      const state = await haproxyCommand(haproxy.socket, 'show servers state app');
      expect(state).toMatch(/\bapp\b.*\bblue\b/);
      expect(state).toMatch(/\bapp\b.*\bgreen\b/);
    } finally {
      await haproxy.stop();
    }
  });

  it('Prometheus scrapes the backend request counter by pool', async () => {
    const before = blue.requests();
    for (let i = 0; i < 7; i++) await (await fetch(blue.url + '/')).arrayBuffer();
    expect(blue.requests()).toBe(before + 7);
    const prometheus = await startPrometheus({ targets: [blue.address] });
    try {
      await prometheus.waitForTargets();
      const total = await prometheus.query('sum(http_requests_total{pool="blue",code="200"})');
      expect(total).toBe(before + 7);
      expect(await prometheus.query('business_revenue_per_minute{pool="blue"}')).toBe(100);
      expect(await prometheus.query('http_requests_total{pool="nope"}')).toBeUndefined();
    } finally {
      await prometheus.stop();
    }
  });

  it('sshd runs a command and returns its output, arguments intact', async () => {
    const sshd = await startSshd();
    try {
      const result = await sshd.run(['printf', '%s|', 'two words', "it's", '$HOME']);
      expect(result).toMatchObject({ code: 0, stdout: "two words|it's|$HOME|" });
      expect((await sshd.run(['sh', '-c', 'exit 3'])).code).toBe(3);
    } finally {
      await sshd.stop();
    }
  });

  it('PostgreSQL answers on its Unix socket only, and stop() removes the cluster', async () => {
    const postgres = await startPostgres();
    try {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const { rows } = await client.query<{ user: string; listen: string }>("SELECT current_user AS user, current_setting('listen_addresses') AS listen");
      await client.end();
      expect(rows).toEqual([{ user: 'cutover', listen: '' }]);
      expect(postgres.version).toMatch(/^\d+\.\d+/);
    } finally {
      await postgres.stop();
    }
    expect(existsSync(postgres.socketDir)).toBe(false);
  });

  it('the backend fails exactly 5 of 100 requests at a 5% error rate, then none at 0%', async () => {
    const backend = await startBackend({ pool: 'red', errorRate: 0.05 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 100; i++) codes.push((await fetch(backend.url + '/healthz')).status);
      expect(codes.filter((c) => c === 500)).toHaveLength(5);
      expect(codes.filter((c) => c === 200)).toHaveLength(95);

      // A bad control body changes nothing: the 5% schedule runs on, 1 failure in the next 20.
      const rejected = await fetch(backend.url + '/__control', { method: 'POST', body: JSON.stringify({ errorRate: 0, latencyMs: -1 }) });
      expect(rejected.status).toBe(400);
      const next: number[] = [];
      for (let i = 0; i < 20; i++) next.push((await fetch(backend.url + '/')).status);
      expect(next.filter((c) => c === 500)).toHaveLength(1);

      // The control endpoint (another process's lever) is never counted and never fails.
      const control = await fetch(backend.url + '/__control', { method: 'POST', body: JSON.stringify({ errorRate: 0, version: 'v9' }) });
      expect(control.status).toBe(200);
      expect(await (await fetch(backend.url + '/version')).text()).toBe('v9\n');
      expect(backend.requests()).toBe(121);
      const metrics = await (await fetch(backend.url + '/metrics')).text();
      expect(metrics).toContain('http_requests_total{pool="red",code="500"} 6');
      expect(metrics).toContain('http_requests_total{pool="red",code="200"} 115');
      expect(metrics).toContain('http_request_duration_seconds_count{pool="red"} 121');
    } finally {
      await backend.stop();
    }
  });

  it('the backend CLI runs as its own process, prints its address and obeys POST /__control', async () => {
    const cli = spawn(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'packages', 'testkit', 'src', 'backend-cli.ts'), '--pool', 'cli', '--version', 'v3', '--error-rate', '1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const [line] = (await once(cli.stdout, 'data')) as [Buffer];
      const address = line.toString().trim();
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect((await fetch(`http://${address}/`)).status).toBe(500);
      const control = await fetch(`http://${address}/__control`, { method: 'POST', body: JSON.stringify({ errorRate: 0 }) });
      expect(control.status).toBe(200);
      expect(await (await fetch(`http://${address}/`)).json()).toEqual({ pool: 'cli', version: 'v3' });
    } finally {
      const exited = once(cli, 'exit');
      cli.kill('SIGTERM');
      await exited;
    }
  });
});
