import { execFileSync } from 'node:child_process';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { candidateVersion, lastReleased, parseVersionInput, tagOf } from './version.js';

describe('candidateVersion', () => {
  it('is the next patch, the run number and the short sha', () => {
    expect(candidateVersion({ lastRelease: '1.4.0', runNumber: 57, sha: '1A2B3C4D5E6F' })).toBe('1.4.1-rc.57.g1a2b3c4');
    expect(candidateVersion({ lastRelease: undefined, runNumber: 1, sha: 'abcdef0123' })).toBe('0.1.0-rc.1.gabcdef0');
  });

  it('stays valid SemVer for an all-digit sha with a leading zero', () => {
    const version = candidateVersion({ lastRelease: '1.0.0', runNumber: 3, sha: '0123456789' });
    expect(semver.valid(version)).toBe(version);
  });

  it('sorts after the last release, by run number, and before the release it leads to', () => {
    const versions = [58, 9, 57].map((runNumber) => candidateVersion({ lastRelease: '1.4.0', runNumber, sha: 'f'.repeat(40) }));
    expect([...versions, '1.4.1', '1.4.0'].sort(semver.compare)).toEqual([
      '1.4.0',
      '1.4.1-rc.9.gfffffff',
      '1.4.1-rc.57.gfffffff',
      '1.4.1-rc.58.gfffffff',
      '1.4.1',
    ]);
  });

  it('makes a valid git tag', () => {
    const tag = tagOf(candidateVersion({ lastRelease: '2.0.0', runNumber: 12, sha: 'deadbeef' }));
    expect(execFileSync('git', ['check-ref-format', `refs/tags/${tag}`]).toString()).toBe('');
  });

  it('refuses a bad run number or sha', () => {
    expect(() => candidateVersion({ lastRelease: undefined, runNumber: 0, sha: 'abcdef0' })).toThrow(/run number/);
    expect(() => candidateVersion({ lastRelease: undefined, runNumber: 1, sha: 'xyz' })).toThrow(/not a commit sha/);
  });
});

describe('lastReleased', () => {
  it('takes the highest plain v tag, ignoring pre-releases and other tags', () => {
    expect(lastReleased(['v1.2.0', 'v1.10.0', 'v1.9.3', 'v2.0.0-rc.1.gabcdef0', 'release-3', 'v4'])).toBe('1.10.0');
    expect(lastReleased([])).toBeUndefined();
  });

  it('counts a promoted candidate (a published release with an rc tag) by its core version', () => {
    const releases = [
      { tag: 'v1.4.1-rc.57.g1a2b3c4', prerelease: false, draft: false },
      { tag: 'v1.4.2-rc.60.gaaaaaaa', prerelease: true, draft: false },
      { tag: 'v9.0.0', prerelease: false, draft: true },
    ];
    expect(lastReleased(['v1.4.0', 'v1.4.1-rc.57.g1a2b3c4'], releases)).toBe('1.4.1');
  });
});

describe('parseVersionInput', () => {
  it('accepts SemVer with or without v and names the input otherwise', () => {
    expect(parseVersionInput(' v1.2.3-rc.4 ', 'version')).toBe('1.2.3-rc.4');
    expect(parseVersionInput('', 'version')).toBeUndefined();
    expect(() => parseVersionInput('1.2', 'promote')).toThrow(/^promote: "1.2" is not a SemVer version/);
  });
});
