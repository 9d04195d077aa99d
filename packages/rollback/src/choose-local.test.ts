import { describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { localSplit, localTarget, NO_HISTORY_WITHOUT_TOKEN, poolNamed, poolRunning } from './choose-local.js';

const nginx: NamedEnvironment = {
  name: 'production',
  router: { kind: 'nginx', 'upstream-file': '/etc/nginx/app.conf', upstream: 'app' },
  pools: { blue: ['10.0.0.1:80'], green: ['10.0.0.2:80', '10.0.0.3:80'], '42': ['10.0.0.4:80'] },
};
const withVersionUrl: NamedEnvironment = { ...nginx, health: { 'version-url': 'http://{address}/version' } };
const symlink: NamedEnvironment = {
  name: 'production',
  router: { kind: 'symlink', 'releases-dir': '/srv/app/releases', current: '/srv/app/current', hosts: [{ name: 'app1' }] },
  pools: { blue: ['10.0.0.1:80'] },
};

describe('poolNamed', () => {
  it('is `to` when it is a pool of a pool router', () => {
    expect(poolNamed(nginx, 'green')).toBe('green');
    expect(poolNamed(nginx, 'v2')).toBeUndefined();
    expect(poolNamed(nginx, undefined)).toBeUndefined();
    // Inherited object keys are not pools.
    expect(poolNamed(nginx, 'constructor')).toBeUndefined();
  });

  it('comes before a deployment id or version of the same name', () => {
    // "42" is a pool here: it is read as the pool, never as deployment 42.
    expect(poolNamed(nginx, '42')).toBe('42');
    expect(localTarget(withVersionUrl, '42')).toEqual({ kind: 'pool', pool: '42' });
  });

  it('never applies to symlink releases, whose splits name releases', () => {
    expect(poolNamed(symlink, 'blue')).toBeUndefined();
  });
});

describe('localTarget (no token)', () => {
  it('refuses without `to`: the default target needs the history', () => {
    expect(() => localTarget(nginx, undefined)).toThrow(NO_HISTORY_WITHOUT_TOKEN);
    expect(() => localTarget(symlink, undefined)).toThrow(NO_HISTORY_WITHOUT_TOKEN);
    expect(NO_HISTORY_WITHOUT_TOKEN).toBe('without a token rollback cannot read the deployment history: set token, or set `to` to a version or pool');
  });

  it('symlink: `to` is a release', () => {
    expect(localTarget(symlink, 'v2')).toEqual({ kind: 'release', release: 'v2' });
    expect(localTarget(symlink, 'blue')).toEqual({ kind: 'release', release: 'blue' });
  });

  it('pool routers: a pool, else a version found through version-url', () => {
    expect(localTarget(nginx, 'blue')).toEqual({ kind: 'pool', pool: 'blue' });
    expect(localTarget(withVersionUrl, 'v2')).toEqual({ kind: 'version', version: 'v2', versionUrl: 'http://{address}/version' });
  });

  it('refuses a version it cannot find without version-url, naming the config paths', () => {
    expect(() => localTarget(nginx, 'v2')).toThrow(
      'to: "v2" is not a pool of environments.production.pools (42, blue, green), and without a token a version is found only by asking the pools at environments.production.health.version-url, which is not set',
    );
    expect(() => localTarget(nginx, '17')).toThrow(/\(a deployment id needs a token\)$/);
  });

  it('restores everything on the pool or release', () => {
    expect(localSplit({ kind: 'pool', pool: 'green' })).toEqual({ green: 100 });
    expect(localSplit({ kind: 'release', release: 'v2' })).toEqual({ v2: 100 });
  });
});

describe('poolRunning', () => {
  const pools = ['blue', 'green'];

  it('is the one pool whose every server answers the version', () => {
    expect(
      poolRunning(
        'v2',
        [
          { pool: 'blue', address: 'a:1', version: 'v3' },
          { pool: 'green', address: 'b:1', version: 'v2' },
          { pool: 'green', address: 'b:2', version: 'v2' },
        ],
        pools,
      ),
    ).toBe('green');
  });

  it('refuses when no pool runs it, saying what each server runs', () => {
    expect(() =>
      poolRunning(
        'v2',
        [
          { pool: 'blue', address: 'a:1', version: 'v3' },
          // Half a pool is not a pool running the version.
          { pool: 'green', address: 'b:1', version: 'v2' },
          { pool: 'green', address: 'b:2', error: 'connection refused' },
        ],
        pools,
      ),
    ).toThrow(
      'to: no pool runs version v2 (blue a:1 runs v3; green b:1 runs v2; green b:2: no version (connection refused)); nothing was changed: set `to` to a pool',
    );
  });

  it('refuses when several pools run it', () => {
    expect(() =>
      poolRunning(
        'v2',
        [
          { pool: 'blue', address: 'a:1', version: 'v2' },
          { pool: 'green', address: 'b:1', version: 'v2' },
        ],
        pools,
      ),
    ).toThrow('to: several pools run version v2 (blue, green); nothing was changed: set `to` to one of these pools');
  });
});
