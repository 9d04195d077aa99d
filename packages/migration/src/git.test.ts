import { describe, expect, it } from 'vitest';
import { lastReleaseTag, matchesGlobs, migrationChanges, migrationOrder } from './git.js';

describe('lastReleaseTag', () => {
  it('is the highest v<semver> tag without a pre-release part', () => {
    expect(lastReleaseTag(['v1.2.0', 'v1.10.0', 'v1.9.9', 'v1.11.0-rc.3.gabc1234', 'release-2', 'v2'])).toBe('v1.10.0');
    expect(lastReleaseTag(['v1.0.0-rc.1', 'latest'])).toBeUndefined();
  });
});

describe('matchesGlobs', () => {
  it('matches any plain glob and no ! one, with or without ./', () => {
    const globs = ['./db/migrations/**/*.sql', '!db/migrations/seeds/**'];
    expect(matchesGlobs('db/migrations/001_init.sql', globs)).toBe(true);
    expect(matchesGlobs('db/migrations/2026/002_x.sql', globs)).toBe(true);
    expect(matchesGlobs('db/migrations/seeds/dev.sql', globs)).toBe(false);
    expect(matchesGlobs('db/migrations/001_init.sql.bak', globs)).toBe(false);
  });
});

describe('migrationOrder', () => {
  it('sorts by path with numbers compared as numbers', () => {
    expect(migrationOrder(['db/V10__c.sql', 'db/V2__b.sql', 'db/V1__a.sql', 'db/20260102_x.sql', 'db/20251231_y.sql'])).toEqual([
      'db/20251231_y.sql',
      'db/20260102_x.sql',
      'db/V1__a.sql',
      'db/V2__b.sql',
      'db/V10__c.sql',
    ]);
  });
});

describe('migrationChanges', () => {
  it('tells the live migrations, the added, the edited and the removed apart', () => {
    const base = new Map([
      ['m/1.sql', 'a'],
      ['m/2.sql', 'b'],
      ['m/3.sql', 'c'],
    ]);
    const head = new Map([
      ['m/1.sql', 'a'],
      ['m/2.sql', 'b changed'],
      ['m/10.sql', 'd'],
      ['m/4.sql', 'e'],
    ]);
    expect(migrationChanges(base, head)).toEqual({
      base: ['m/1.sql', 'm/2.sql', 'm/3.sql'],
      added: ['m/4.sql', 'm/10.sql'],
      edited: ['m/2.sql'],
      removed: ['m/3.sql'],
    });
  });
});
