/** A test for every bug: a pull request labelled as a bug fix must change a test. Pure. */
import { minimatch } from 'minimatch';

export interface ChangedFile {
  filename: string;
  /** GitHub's file status: added, modified, removed, renamed... */
  status?: string;
}

export interface BugRuleResult {
  applies: boolean;
  ok: boolean;
  /** Changed files that count as tests. */
  tests: string[];
  reason?: string;
}

export function isTestPath(path: string, testPaths: readonly string[]): boolean {
  return testPaths.some((glob) => minimatch(path, glob, { dot: true }));
}

export function bugRule(labels: readonly string[], bugLabel: string, changed: readonly ChangedFile[], testPaths: readonly string[]): BugRuleResult {
  if (!bugLabel || !labels.includes(bugLabel)) return { applies: false, ok: true, tests: [] };
  // Deleting a test adds no test for the bug.
  const tests = changed.filter((file) => file.status !== 'removed' && isTestPath(file.filename, testPaths)).map((file) => file.filename);
  if (tests.length > 0) return { applies: true, ok: true, tests };
  return {
    applies: true,
    ok: false,
    tests,
    reason:
      `this pull request is labelled ${bugLabel} but changes no test (${changed.length} changed file${changed.length === 1 ? '' : 's'}, ` +
      `none matching test-paths: ${testPaths.join(', ')}): add a test that fails without the fix`,
  };
}
