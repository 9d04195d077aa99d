// The symlink router's way back: every host that moved is put back, even when one of them fails.
import { mkdir, mkdtemp, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { applySplit, createRouter, type SymlinkHost } from '@cutover/routers';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'routers-symlink-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('symlink router, restoring', () => {
  it('puts back every host that moved when one host cannot be put back, naming that host', async () => {
    const hosts: SymlinkHost[] = [];
    for (const name of ['web1', 'web2', 'web3']) {
      const releases = join(dir, name, 'releases');
      await mkdir(join(releases, 'a'), { recursive: true });
      await mkdir(join(releases, 'b'));
      await symlink(join(releases, 'a'), join(dir, name, 'current'));
      // web3 moves, then its probe finds nothing listening: the change fails there.
      hosts.push({ name, 'releases-dir': releases, current: join(dir, name, 'current'), ...(name === 'web3' ? { probe: 'http://127.0.0.1:1/' } : {}) });
    }
    // Going back, web1's restart fails (after its link has moved).
    const restart = ['sh', '-c', 'if [ "$0" = web1 ] && [ "$1" = a ]; then echo "web1 restart refused" >&2; exit 1; fi', '{host}', '{version}'];
    const environment: NamedEnvironment = {
      name: 'production',
      router: { kind: 'symlink', 'releases-dir': '/unused', current: '/unused', hosts, restart, 'probe-timeout': '1s' },
      pools: {},
    };
    await expect(applySplit(createRouter(environment), { b: 100 })).rejects.toThrow(
      /host web3: probe http:\/\/127\.0\.0\.1:1\/ did not answer 2xx.*ALSO FAILED: host web1: .*web1 restart refused$/,
    );
    for (const name of ['web1', 'web2', 'web3']) {
      expect(await readlink(join(dir, name, 'current'))).toBe(join(dir, name, 'releases', 'a'));
    }
  });
});
