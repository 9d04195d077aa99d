import { describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { poolRef } from './pools.js';

const symlink = (hosts: unknown[], pools: Record<string, string[]> = {}): NamedEnvironment =>
  ({ name: 'production', router: { kind: 'symlink', 'releases-dir': '/srv/releases', current: '/srv/current', hosts }, pools }) as NamedEnvironment;

describe('the addresses the analysis probes', () => {
  it('a pool: its addresses', () => {
    const environment: NamedEnvironment = {
      name: 'production',
      router: { kind: 'haproxy', socket: '/s', backend: 'app' },
      pools: { blue: ['10.0.0.1:80'], green: [] },
    };
    expect(poolRef('blue', environment)).toEqual({ name: 'blue', addresses: ['10.0.0.1:80'] });
    expect(() => poolRef('green', environment)).toThrow('canary: "green" has no addresses in environments.production.pools; the analysis needs them');
  });

  it('a release: the hosts running it', () => {
    const environment = symlink([{ name: 'web1' }, { name: 'web2' }, { name: 'web3' }]);
    const hosts = {
      releases: [
        { host: 'web1', release: 'v2' },
        { host: 'web2', release: 'v1' },
        { host: 'web3', release: 'v1' },
      ],
      addresses: { web1: ['a:1'], web2: ['b:1'], web3: ['c:1'] },
    };
    expect(poolRef('v2', environment, hosts)).toEqual({ name: 'v2', addresses: ['a:1'] });
    expect(poolRef('v1', environment, hosts)).toEqual({ name: 'v1', addresses: ['b:1', 'c:1'] });
  });
});
