import { describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { poolAddresses, releaseAddresses, symlinkHostAddresses } from './addresses.js';
import type { Router } from './router.js';

const symlink = (hosts: unknown[], pools: Record<string, string[]> = {}): NamedEnvironment =>
  ({ name: 'production', router: { kind: 'symlink', 'releases-dir': '/srv/releases', current: '/srv/current', hosts }, pools }) as NamedEnvironment;

describe('where a pool answers', () => {
  it("symlink hosts: a pool named after the host, else the probe URL's host:port", () => {
    const environment = symlink([{ name: 'web1', probe: 'http://10.0.0.1:8080/healthz' }, { name: 'web2' }], { web2: ['10.0.0.2:8080'] });
    expect(symlinkHostAddresses(environment)).toEqual({ web1: ['10.0.0.1:8080'], web2: ['10.0.0.2:8080'] });
  });

  it('refuses a symlink host it cannot watch, naming the config path', () => {
    expect(() => symlinkHostAddresses(symlink([{ name: 'web1', probe: 'http://a:1/' }, { name: 'web2' }]))).toThrow(
      'environments.production.router.hosts[1]: a release is watched on the hosts that run it; give host "web2" a probe URL, or a pool named "web2" with its address',
    );
  });

  it('symlink instances: the hosts of every instance, a problem named at its instance', () => {
    const environment = {
      name: 'production',
      router: {
        kind: 'symlink',
        'releases-dir': '/srv/releases',
        current: '/srv/current',
        instances: [{ hosts: [{ name: 'eu1', probe: 'http://10.1.0.1:8080/' }] }, { hosts: [{ name: 'us1' }] }],
      },
      pools: { us1: ['10.2.0.1:80'] },
    } as NamedEnvironment;
    expect(symlinkHostAddresses(environment)).toEqual({ eu1: ['10.1.0.1:8080'], us1: ['10.2.0.1:80'] });
    expect(() => symlinkHostAddresses({ ...environment, pools: {} })).toThrow('environments.production.router.instances[1].hosts[0]: a release is watched');
  });

  it('a release: the hosts running it', () => {
    const hosts = [{ host: 'web1', release: 'v2' }, { host: 'web2', release: 'v1' }, { host: 'web3', release: 'v1' }, { host: 'web4' }];
    const addresses = { web1: ['a:1'], web2: ['b:1'], web3: ['c:1'], web4: ['d:1'] };
    expect(releaseAddresses('v2', hosts, addresses)).toEqual(['a:1']);
    expect(releaseAddresses('v1', hosts, addresses)).toEqual(['b:1', 'c:1']);
    expect(releaseAddresses('v3', hosts, addresses)).toEqual([]);
  });

  it('asks a symlink router which hosts run the release, and the file for a pool router', async () => {
    const environment = symlink([{ name: 'web1' }, { name: 'web2' }], { web1: ['a:1'], web2: ['b:1'] });
    const router = {
      kind: 'symlink',
      pools: async () => ['v1', 'v2'],
      hostReleases: async () => [
        { host: 'web1', release: 'v2' },
        { host: 'web2', release: 'v1' },
      ],
    } as unknown as Router;
    expect(await poolAddresses(environment, router, 'v2')).toEqual(['a:1']);
    expect(await poolAddresses(environment, router, 'v9')).toBeUndefined();
    const pools: NamedEnvironment = { name: 'production', router: { kind: 'haproxy', socket: '/s', backend: 'app' }, pools: { blue: ['10.0.0.1:80'] } };
    expect(await poolAddresses(pools, { kind: 'haproxy' } as Router, 'blue')).toEqual(['10.0.0.1:80']);
    expect(await poolAddresses(pools, { kind: 'haproxy' } as Router, 'green')).toBeUndefined();
  });
});
