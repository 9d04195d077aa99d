/** Totals and rankings over test cases. Pure. */
import type { TestCase, Totals } from './types.js';

export function totals(cases: readonly TestCase[]): Totals {
  const count = (test: (c: TestCase) => boolean) => cases.filter(test).length;
  const failed = count((c) => c.status === 'failed' || c.status === 'error');
  const skipped = count((c) => c.status === 'skipped');
  return {
    total: cases.length,
    passed: cases.length - failed - skipped,
    failed,
    skipped,
    time: cases.reduce((sum, c) => sum + c.time, 0),
  };
}

export function failures(cases: readonly TestCase[]): TestCase[] {
  return cases.filter((c) => c.status === 'failed' || c.status === 'error');
}

/** The `count` slowest cases that ran (skipped ones take no time worth showing). */
export function slowest(cases: readonly TestCase[], count = 5): TestCase[] {
  return cases
    .filter((c) => c.status !== 'skipped' && c.time > 0)
    .sort((a, b) => b.time - a.time)
    .slice(0, count);
}

/** `Suite › name`, or the name alone when the suite repeats it or is the file. */
export function displayName(testCase: TestCase): string {
  const prefix = testCase.classname && testCase.classname !== testCase.name ? testCase.classname : '';
  return prefix ? `${prefix} › ${testCase.name}` : testCase.name;
}
