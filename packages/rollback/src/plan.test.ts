import { describe, expect, it } from 'vitest';
import { describeStale, missingReleases, restoreSplit, servingPools, versionFromBody, versionMismatches } from './plan.js';

describe('restoreSplit', () => {
  it('is the split recorded after the deployment', () => {
    expect(restoreSplit('nginx', { version: 'v4', splitAfter: { blue: 80, green: 20 } }, 4)).toEqual({ blue: 80, green: 20 });
    expect(restoreSplit('symlink', { version: 'v4', splitAfter: { v4: 100 } }, 4)).toEqual({ v4: 100 });
  });

  it('leaves out pools at 0, so a release pruned since does not block the rollback', () => {
    expect(restoreSplit('symlink', { version: 'v2', splitAfter: { v1: 0, v2: 100 } }, 4)).toEqual({ v2: 100 });
    expect(restoreSplit('nginx', { version: 'v4', splitAfter: { blue: 100, green: 0 } }, 4)).toEqual({ blue: 100 });
  });

  it('for symlink releases, the version on every host when no split was recorded', () => {
    expect(restoreSplit('symlink', { version: 'v4' }, 4)).toEqual({ v4: 100 });
  });

  it('refuses pool routers without a recorded split, naming the deployment', () => {
    expect(() => restoreSplit('haproxy', { version: 'v4' }, 4)).toThrow(/deployment 4 records no split to restore \(payload\.splitAfter\)/);
    expect(() => restoreSplit('nginx', { splitAfter: { blue: 0 } }, 4)).toThrow(/deployment 4/);
  });
});

describe('versions', () => {
  it('reads plain text and JSON answers', () => {
    expect(versionFromBody('v4\n')).toBe('v4');
    expect(versionFromBody('{"pool":"blue","version":"1.2.0"}')).toBe('1.2.0');
    expect(versionFromBody('{"version": 7}')).toBe('7');
    expect(versionFromBody('   ')).toBeUndefined();
  });

  it('lists servers that do not run the expected version', () => {
    expect(servingPools({ blue: 100, green: 0 })).toEqual(['blue']);
    expect(versionMismatches('v4', [{ pool: 'blue', address: 'a:1', version: 'v4' }])).toEqual([]);
    const problems = versionMismatches('v4', [
      { pool: 'blue', address: 'a:1', version: 'v4' },
      { pool: 'blue', address: 'a:2', version: 'v6' },
      { pool: 'blue', address: 'a:3', error: 'connection refused' },
    ]);
    expect(problems).toEqual(['blue a:2 runs v6, not v4', 'blue a:3: no version (connection refused)']);
    expect(describeStale('v4', { blue: 100 }, problems)).toBe(`the recorded pools no longer run version v4: ${problems.join('; ')}`);
  });

  it('finds releases missing from the hosts', () => {
    expect(missingReleases({ v4: 100, v5: 0 }, ['v5', 'v6'])).toEqual(['v4']);
    expect(missingReleases({ v4: 100 }, ['v4'])).toEqual([]);
  });
});
