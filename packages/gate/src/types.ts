/** What test-gate reads from JUnit XML, whatever runner wrote it. */

export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** Where a test failed: a path as the report gives it (relative to where the runner ran, or absolute). */
export interface SourceLocation {
  path: string;
  line?: number;
  /**
   * False when only the end of the path is known (a Java stack frame names `FooTest.java`,
   * the classname gives `com/example/FooTest.java`): the caller looks the file up.
   */
  exact: boolean;
}

export interface TestCase {
  name: string;
  classname: string;
  suite: string;
  /** Seconds, 0 when the report gives none. */
  time: number;
  status: TestStatus;
  /** The failure's or error's message attribute, or the skip reason. */
  message?: string;
  /** The failure's body: usually the stack or the assertion diff. */
  details?: string;
  location?: SourceLocation;
  /** The results file the case came from. */
  report: string;
}

export interface Totals {
  total: number;
  passed: number;
  /** Failures and errors. */
  failed: number;
  skipped: number;
  /** Sum of the cases' times, in seconds. */
  time: number;
}
