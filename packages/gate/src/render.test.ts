import { describe, expect, it } from 'vitest';
import { formatSeconds, renderSummary, title } from './render.js';
import { totals } from './report.js';
import type { TestCase } from './types.js';

const testCase = (name: string, overrides: Partial<TestCase> = {}): TestCase => ({
  name,
  classname: 'suite',
  suite: 'suite',
  time: 0.5,
  status: 'passed',
  report: 'r.xml',
  ...overrides,
});
const green = { conclusion: 'success' as const, reasons: [], notes: [], letThrough: false };

describe('formatSeconds', () => {
  it.each([
    [0.0123, '12 ms'],
    [1.5, '1.50 s'],
    [12.34, '12.3 s'],
    [125, '2 min 5 s'],
  ])('%s -> %s', (seconds, text) => expect(formatSeconds(seconds)).toBe(text));
});

describe('title', () => {
  it('counts on success and leads with the first reason on failure', () => {
    const counts = { total: 3, passed: 1, failed: 1, skipped: 1, time: 0 };
    expect(title(green, counts)).toBe('1 passed, 1 failed, 1 skipped');
    expect(title({ ...green, conclusion: 'failure', reasons: ['1 test failed'] }, counts)).toBe('1 test failed (1 passed, 1 failed, 1 skipped)');
    expect(title({ ...green, conclusion: 'failure', reasons: ['no tests ran'] }, { ...counts, total: 0 })).toBe('no tests ran (no tests ran)');
  });
});

describe('renderSummary', () => {
  it('shows the verdict, the totals, the failures with their place and the slowest tests', () => {
    const cases = [
      testCase('fast', { time: 0.01 }),
      testCase('slow', { time: 3 }),
      testCase('breaks', {
        status: 'failed',
        message: 'expected 1',
        details: 'AssertionError: expected 1\n at x',
        location: { path: 'a.test.ts', line: 4, exact: true },
      }),
      testCase('later', { status: 'skipped' }),
    ];
    const summary = renderSummary({
      verdict: { conclusion: 'failure', reasons: ['1 test failed'], notes: ['a note'], letThrough: false },
      totals: totals(cases),
      cases,
      pathOf: (c) => (c.location ? `web/${c.location.path}` : undefined),
      extra: ['records skipped'],
    });
    expect(summary).toContain('**❌ The gate is red.**\n\n- ❌ 1 test failed\n- ℹ️ a note\n- ⚠️ records skipped');
    expect(summary).toContain('| 4 | 2 | 1 | 1 | 4.01 s |');
    expect(summary).toContain('### Failures (1)\n- **suite › breaks** — `web/a.test.ts:4`\n\n  ```\n  AssertionError: expected 1\n   at x\n  ```');
    expect(summary).toMatch(
      /### Slowest tests\n\n\| Test \| Time \|\n\| :-- \| --: \|\n\| suite › slow \| 3.00 s \|\n\| suite › breaks \| 500 ms \|\n\| suite › fast \| 10 ms \|$/,
    );
  });

  it('stays under the size GitHub accepts, saying how many failures were left out', () => {
    const cases = Array.from({ length: 2000 }, (_, index) => testCase(`t${index}`, { status: 'failed', details: 'x'.repeat(200) }));
    const summary = renderSummary({
      verdict: { ...green, conclusion: 'failure', reasons: ['2000 tests failed'] },
      totals: totals(cases),
      cases,
      pathOf: () => undefined,
    });
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(summary).toContain('### Slowest tests');
    expect(summary).toMatch(/- … and \d+ more failures \(see the annotations and the job log\)/);
  });
});
