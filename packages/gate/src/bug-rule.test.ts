import { describe, expect, it } from 'vitest';
import { bugRule, isTestPath } from './bug-rule.js';

const testPaths = ['**/*.test.*', '**/*.spec.*', '**/test/**', '**/tests/**', '**/__tests__/**', '**/test_*.py', '**/*_test.*'];

describe('isTestPath', () => {
  it.each([
    ['src/a.test.ts', true],
    ['a.spec.js', true],
    ['test/e2e.ts', true],
    ['pkg/tests/helpers.py', true],
    ['app/__tests__/x.js', true],
    ['test_thing.py', true],
    ['pkg/server_test.go', true],
    ['.github/test/x.yml', true],
    ['src/contest.ts', false],
    ['src/testing.ts', false],
    ['README.md', false],
  ])('%s -> %s', (path, expected) => {
    expect(isTestPath(path, testPaths)).toBe(expected);
  });
});

describe('bugRule', () => {
  it('does not apply without the bug label', () => {
    expect(bugRule(['enhancement'], 'bug', [{ filename: 'src/a.ts' }], testPaths)).toEqual({ applies: false, ok: true, tests: [] });
  });

  it('passes a bug fix that changes a test, naming the tests', () => {
    const result = bugRule(
      ['bug'],
      'bug',
      [
        { filename: 'src/a.ts', status: 'modified' },
        { filename: 'src/a.test.ts', status: 'added' },
      ],
      testPaths,
    );
    expect(result).toEqual({ applies: true, ok: true, tests: ['src/a.test.ts'] });
  });

  it('fails a bug fix that changes no test, or only deletes one, and says why', () => {
    const result = bugRule(
      ['bug'],
      'bug',
      [
        { filename: 'src/a.ts', status: 'modified' },
        { filename: 'src/old.test.ts', status: 'removed' },
      ],
      testPaths,
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(
      /^this pull request is labelled bug but changes no test \(2 changed files, none matching test-paths: \*\*\/\*\.test\.\*, .*add a test that fails without the fix$/,
    );
  });
});
