import { describe, expect, it } from 'vitest';
import { chooseTarget, previousPool } from './target.js';
import { summaryMarkdown } from './summary.js';

describe('chooseTarget', () => {
  it('defaults to the one idle pool', () => {
    expect(chooseTarget({ blue: 100, green: 0 }, ['blue', 'green'], undefined)).toBe('green');
    expect(chooseTarget({ blue: 0, green: 100 }, ['blue', 'green'], undefined)).toBe('blue');
  });

  it('takes `to` when it is a pool, and names the input otherwise', () => {
    expect(chooseTarget({ blue: 100, green: 0 }, ['blue', 'green'], 'blue')).toBe('blue');
    expect(() => chooseTarget({ blue: 100 }, ['blue', 'green'], 'purple')).toThrow('to: pool "purple" is not in the environment\'s pools (blue, green)');
  });

  it('asks for `to` when no pool or several pools are idle', () => {
    expect(() => chooseTarget({ blue: 50, green: 50 }, ['blue', 'green'], undefined)).toThrow('to: no pool is idle in the current split {blue: 50, green: 50}');
    expect(() => chooseTarget({ blue: 100 }, ['blue', 'green', 'red'], undefined)).toThrow('to: 2 pools are idle (green, red)');
  });
});

describe('chooseTarget for symlink releases', () => {
  it('takes the named release', () => {
    expect(chooseTarget({ v1: 0, v2: 100, v3: 0 }, ['v1', 'v2', 'v3'], 'v3', 'symlink')).toBe('v3');
  });

  it('refuses to pick an idle release, which may be an older one, naming the inputs', () => {
    expect(() => chooseTarget({ v1: 0, v2: 100 }, ['v1', 'v2'], undefined, 'symlink')).toThrow(
      /^to: a symlink router switches to a named release: set `to` or `version`/,
    );
  });
});

describe('previousPool', () => {
  it('is the pool with the traffic, or the heaviest one', () => {
    expect(previousPool({ blue: 100, green: 0 })).toBe('blue');
    expect(previousPool({ stable: 25, canary: 75 })).toBe('canary');
    expect(previousPool({})).toBeUndefined();
  });
});

describe('summaryMarkdown', () => {
  const base = {
    environment: 'production',
    router: 'nginx upstream app',
    target: 'green',
    previous: 'blue',
    before: { blue: 100, green: 0 },
    smoke: '1 check passed',
    deployment: '#7 success',
  };

  it('shows before and after per pool, and how to switch back', () => {
    const text = summaryMarkdown({ ...base, version: '1.2.0', after: { blue: 0, green: 100 }, changed: true });
    expect(text).toContain('### ✅ blue-green-switch: production now on green');
    expect(text).toContain('| green (target) | 0% | 100% |');
    expect(text).toContain('| blue (previous) | 100% | 0% |');
    expect(text).toContain('- Version: `1.2.0`');
    expect(text).toContain('switching back is one run with `to: blue`');
  });

  it('says the environment stayed as it was on failure, with the error', () => {
    const text = summaryMarkdown({ ...base, changed: false, error: 'smoke check of pool green failed' });
    expect(text).toContain('### ❌ blue-green-switch: production stays as it was');
    expect(text).toContain('smoke check of pool green failed');
    expect(text).toContain('| green (target) | 0% | 0% |');
    expect(text).not.toContain('switching back');
  });
});
