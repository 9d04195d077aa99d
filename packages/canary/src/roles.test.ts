import { describe, expect, it } from 'vitest';
import { chooseRoles } from './roles.js';

const pools = ['blue', 'green'];

describe('the canary and stable pools', () => {
  it('starting: the canary is the pool at weight 0', () => {
    expect(chooseRoles({ split: { blue: 100, green: 0 }, pools })).toEqual({ stable: 'blue', canary: 'green', weight: 0, resuming: false });
    expect(chooseRoles({ split: { blue: 0, green: 100 }, pools })).toEqual({ stable: 'green', canary: 'blue', weight: 0, resuming: false });
  });

  it('the canary input names it, and must be a pool', () => {
    expect(chooseRoles({ split: { blue: 100, green: 0 }, pools, canary: 'green' })).toMatchObject({ stable: 'blue', canary: 'green', weight: 0 });
    expect(() => chooseRoles({ split: { blue: 100, green: 0 }, pools, canary: 'purple' })).toThrow(
      'canary: "purple" is not a pool of the environment (blue, green)',
    );
  });

  it('resuming: the named pool, or the one a paused run recorded', () => {
    expect(chooseRoles({ split: { blue: 75, green: 25 }, pools, canary: 'green' })).toEqual({ stable: 'blue', canary: 'green', weight: 25, resuming: true });
    expect(chooseRoles({ split: { blue: 25, green: 75 }, pools, recorded: { canary: 'green', stable: 'blue' } })).toEqual({
      stable: 'blue',
      canary: 'green',
      weight: 75,
      resuming: true,
    });
  });

  it('resuming without a name or a record: refuses to guess, since either pool could be the canary', () => {
    expect(() => chooseRoles({ split: { blue: 75, green: 25 }, pools })).toThrow(
      /^canary: the split \{blue: 75, green: 25\} is part way through a canary .*name it/,
    );
    // A record of other pools says nothing about this split.
    expect(() => chooseRoles({ split: { blue: 75, green: 25 }, pools: [...pools, 'red'], recorded: { canary: 'red', stable: 'blue' } })).toThrow(/part way/);
  });

  it('already promoted: the named canary takes all traffic', () => {
    expect(chooseRoles({ split: { blue: 0, green: 100 }, pools, canary: 'green' })).toMatchObject({ canary: 'green', weight: 100 });
  });

  it('symlink releases: the version names the release to roll out among the idle ones', () => {
    const releases = ['v1', 'v2', 'v3'];
    expect(chooseRoles({ split: { v2: 100 }, pools: releases, version: 'v3', symlink: true })).toMatchObject({ stable: 'v2', canary: 'v3', weight: 0 });
    expect(chooseRoles({ split: { v2: 75, v3: 25 }, pools: releases, version: 'v3', symlink: true })).toEqual({
      stable: 'v2',
      canary: 'v3',
      weight: 25,
      resuming: true,
    });
    expect(chooseRoles({ split: { v2: 100 }, pools: releases, canary: 'v3', version: 'x', symlink: true })).toMatchObject({ canary: 'v3' });
  });

  it('symlink releases: never a release just because it is at 0, which may be an older one', () => {
    // v1 (older) and v2 (live) on disk: the one release at 0 is v1.
    expect(() => chooseRoles({ split: { v2: 100 }, pools: ['v1', 'v2'], symlink: true })).toThrow(
      /^canary: a symlink router rolls out a named release: set `version` or `canary`/,
    );
    expect(() => chooseRoles({ split: { v2: 100 }, pools: ['v1', 'v2'], version: 'v3', symlink: true })).toThrow(
      'version: release "v3" is not on every host (v1, v2)',
    );
  });

  it('refuses splits with traffic on three pools, or with no pool at 0', () => {
    expect(() => chooseRoles({ split: { a: 50, b: 25, c: 25 }, pools: ['a', 'b', 'c'] })).toThrow(
      'canary: the split {a: 50, b: 25, c: 25} sends traffic to 3 pools',
    );
    expect(() => chooseRoles({ split: { blue: 100 }, pools: ['blue'] })).toThrow('canary: no pool is at weight 0 in {blue: 100}; name the canary pool');
  });
});
