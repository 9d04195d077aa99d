import { describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { poolRef, symlinkHostAddresses } from './pools.js';

const symlink = (hosts: unknown[], pools: Record<string, string[]> = {}): NamedEnvironment =>
  ({ name: 'production', router: { kind: 'symlink', 'releases-dir': '/srv/releases', current: '/srv/current', hosts }, pools }) as NamedEnvironment;

describe('the addresses the analysis probes', () => {
  it('a pool: its addresses', () => {
    const environment: NamedEnvironment = { name: 'production', router: { kind: 'haproxy', socket: '/s', backend: 'app' }, pools: { blue: ['10.0.0.1:80'], green: [] } };
    expect(poolRef('blue', environment)).toEqual({ name: 'blue', addresses: ['10.0.0.1:80'] });
    expect(() => poolRef('green', environment)).toThrow('canary: "green" has no addresses in environments.production.pools; the analysis needs them');
  });

  it('symlink hosts: a pool named after the host, else the probe URL\'s host:port', () => {
    const environment = symlink([{ name: 'web1', probe: 'http://10.0.0.1:8080/healthz' }, { name: 'web2' }], { web2: ['10.0.0.2:8080'] });
    expect(symlinkHostAddresses(environment)).toEqual({ web1: ['10.0.0.1:8080'], web2: ['10.0.0.2:8080'] });
  });

  it('refuses a symlink host it cannot watch, naming the config path', () => {
    expect(() => symlinkHostAddresses(symlink([{ name: 'web1', probe: 'http://a:1/' }, { name: 'web2' }]))).toThrow(
      'environments.production.router.hosts[1]: canary-step watches each host\'s release on its own address; give host "web2" a probe URL, or a pool named "web2" with its address',
    );
  });

  it('a release: the hosts running it', () => {
    const environment = symlink([{ name: 'web1' }, { name: 'web2' }, { name: 'web3' }]);
    const hosts = {
      releases: [{ host: 'web1', release: 'v2' }, { host: 'web2', release: 'v1' }, { host: 'web3', release: 'v1' }],
      addresses: { web1: ['a:1'], web2: ['b:1'], web3: ['c:1'] },
    };
    expect(poolRef('v2', environment, hosts)).toEqual({ name: 'v2', addresses: ['a:1'] });
    expect(poolRef('v1', environment, hosts)).toEqual({ name: 'v1', addresses: ['b:1', 'c:1'] });
  });
});
