import { describe, expect, it } from 'vitest';
import { assignHosts, batchSize, hostSplit, inBatches, releaseOf, symlinkExpected } from './plan.js';

describe('releaseOf', () => {
  it('names the release directory a link points into, absolute or relative', () => {
    expect(releaseOf('/srv/app/releases/v2', '/srv/app/releases', '/srv/app/current')).toBe('v2');
    expect(releaseOf('/srv/app/releases/v2/', '/srv/app/releases/', '/srv/app/current')).toBe('v2');
    expect(releaseOf('releases/v3', '/srv/app/releases', '/srv/app/current')).toBe('v3');
    expect(releaseOf('/opt/elsewhere/v1', '/srv/app/releases', '/srv/app/current')).toBeUndefined();
    expect(releaseOf('/srv/app/releases', '/srv/app/releases', '/srv/app/current')).toBeUndefined();
  });
});

describe('weights of releases', () => {
  it('a release weighs its share of the hosts that run one', () => {
    expect(hostSplit(['v1', 'v1', 'v2', 'v2'])).toEqual({ v1: 50, v2: 50 });
    expect(hostSplit(['v1', 'v2', 'v2'])).toEqual({ v1: 33, v2: 67 });
    expect(hostSplit(['v2', undefined])).toEqual({ v2: 100 });
  });

  it('expects what whole hosts can carry', () => {
    expect(symlinkExpected({ v1: 0, v2: 100 }, 3)).toEqual({ v1: 0, v2: 100 });
    expect(symlinkExpected({ v1: 50, v2: 50 }, 3)).toEqual({ v1: 67, v2: 33 });
  });
});

describe('assignHosts', () => {
  it('moves every host for a blue-green switch', () => {
    expect(assignHosts(['v1', 'v1', 'v1'], { v2: 100 })).toEqual(['v2', 'v2', 'v2']);
  });

  it('moves as few hosts as it can, the first ones first', () => {
    expect(assignHosts(['v1', 'v1', 'v1', 'v1'], { v1: 75, v2: 25 })).toEqual(['v2', 'v1', 'v1', 'v1']);
    expect(assignHosts(['v2', 'v1', 'v1', 'v1'], { v1: 50, v2: 50 })).toEqual(['v2', 'v2', 'v1', 'v1']);
    expect(assignHosts(['v2', 'v2', 'v1', 'v1'], { v1: 100 })).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(assignHosts([undefined, 'v1'], { v1: 100 })).toEqual(['v1', 'v1']);
  });
});

describe('symlink batches', () => {
  it('sizes a batch from a count or a percentage: rounded down, at least 1, at most every host', () => {
    expect(batchSize(undefined, 24)).toBe(1);
    expect(batchSize(3, 24)).toBe(3);
    expect(batchSize(30, 24)).toBe(24);
    expect(batchSize('25%', 24)).toBe(6);
    expect(batchSize('25%', 6)).toBe(1);
    expect(batchSize('25%', 3)).toBe(1);
    expect(batchSize('50%', 5)).toBe(2);
    expect(batchSize('100%', 7)).toBe(7);
  });

  it('cuts the hosts that move into consecutive batches', () => {
    expect(inBatches([0, 1, 2, 3, 4], 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(inBatches([], 2)).toEqual([]);
  });
});
