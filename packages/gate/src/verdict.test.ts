import { describe, expect, it } from 'vitest';
import { enforcementWarnings, gateEvent, gateVerdict, testFailures, type GateContext, type TestOutcome } from './verdict.js';

const outcome = (overrides: Partial<TestOutcome> = {}): TestOutcome => ({
  exitCode: 0,
  patterns: ['test-results/**/*.xml'],
  reports: 1,
  problems: [],
  totals: { total: 3, passed: 2, failed: 0, skipped: 1, time: 1 },
  ...overrides,
});

describe('testFailures', () => {
  it('is empty when tests ran and none failed', () => {
    expect(testFailures(outcome())).toEqual([]);
    expect(testFailures(outcome({ exitCode: undefined }))).toEqual([]);
  });

  it('counts failed tests', () => {
    expect(testFailures(outcome({ exitCode: 1, totals: { total: 3, passed: 1, failed: 2, skipped: 0, time: 0 } }))).toEqual(['2 tests failed']);
  });

  it('"no tests ran" is a failure, with or without results files', () => {
    expect(testFailures(outcome({ totals: { total: 0, passed: 0, failed: 0, skipped: 0, time: 0 } }))).toEqual(['the results count no tests: no tests ran']);
    expect(testFailures(outcome({ reports: 0 }))).toEqual(['no results matched test-results/**/*.xml: no tests ran']);
    // pytest exits 5 when it collects nothing: one reason is enough.
    expect(testFailures(outcome({ exitCode: 5, totals: { total: 0, passed: 0, failed: 0, skipped: 0, time: 0 } }))).toEqual([
      'the results count no tests: no tests ran',
    ]);
  });

  it('a failing command without results is a failure', () => {
    expect(testFailures(outcome({ reports: 0, exitCode: 127 }))).toEqual([
      'the command failed with exit code 127 and wrote no results matching test-results/**/*.xml',
    ]);
  });

  it('a failing command with green results is still a failure (coverage, type errors...)', () => {
    expect(testFailures(outcome({ exitCode: 2 }))).toEqual(['the command failed with exit code 2, though its results count no failed test']);
  });

  it('an unreadable report is a failure', () => {
    expect(testFailures(outcome({ problems: ['r.xml: the file is empty'] }))).toEqual(['r.xml: the file is empty']);
  });
});

describe('gateEvent', () => {
  it.each([
    ['push', 'push'],
    ['pull_request', 'pull_request'],
    ['pull_request_target', 'pull_request'],
    ['merge_group', 'merge_group'],
    ['workflow_dispatch', 'other'],
  ])('%s -> %s', (name, event) => expect(gateEvent(name)).toBe(event));
});

describe('gateVerdict', () => {
  const red = { state: 'red' as const, sha: 'b'.repeat(40), since: 'a'.repeat(40) };
  const context = (overrides: Partial<GateContext> = {}): GateContext => ({
    event: 'pull_request',
    defaultBranch: 'main',
    stopTheLine: true,
    line: red,
    labels: [],
    fixLabel: 'fix-the-line',
    ...overrides,
  });

  it('fails a pull request while the default branch is red', () => {
    expect(gateVerdict([], context())).toEqual({
      conclusion: 'failure',
      reasons: ['main is broken since aaaaaaa: fix main first, or label the fix fix-the-line'],
      notes: [],
      letThrough: false,
    });
    expect(gateVerdict([], context({ event: 'merge_group' })).conclusion).toBe('failure');
  });

  it('lets the fix through with the fix label, and says so', () => {
    const verdict = gateVerdict([], context({ labels: ['fix-the-line'] }));
    expect(verdict).toMatchObject({ conclusion: 'success', letThrough: true });
    expect(verdict.notes).toEqual(['main is broken since aaaaaaa; this pull request carries fix-the-line, so the line lets it through']);
  });

  it('the fix label does not hide the fix’s own failing tests', () => {
    expect(gateVerdict(['1 test failed'], context({ labels: ['fix-the-line'] })).reasons).toEqual(['1 test failed']);
  });

  it('does not stop the line when stop-the-line is false, on a push, or while the line is green or unknown', () => {
    expect(gateVerdict([], context({ stopTheLine: false })).conclusion).toBe('success');
    expect(gateVerdict([], context({ event: 'push' })).conclusion).toBe('success');
    expect(gateVerdict([], context({ line: { state: 'green', sha: 'c'.repeat(40) } })).conclusion).toBe('success');
    expect(gateVerdict([], context({ line: { state: 'unknown' } }))).toMatchObject({
      conclusion: 'success',
      notes: ['no gate verdict on main yet: the line is not stopped'],
    });
  });

  it('fails a bug fix without a test, and notes the tests of one that has them', () => {
    const failing = { applies: true, ok: false, tests: [], reason: 'labelled bug but changes no test' };
    expect(gateVerdict([], context({ line: undefined, bug: failing })).reasons).toEqual(['labelled bug but changes no test']);
    const passing = { applies: true, ok: true, tests: ['a.test.ts'] };
    expect(gateVerdict([], context({ line: undefined, bug: passing }))).toMatchObject({ conclusion: 'success', notes: ['bug fix with tests: a.test.ts'] });
  });
});

describe('enforcementWarnings', () => {
  it('says the gate is not enforced when its check is not required, and what cutover/line missing means', () => {
    expect(enforcementWarnings(['test-gate', 'cutover/line'], 'test-gate', 'main')).toEqual([
      'the gate is not enforced: no rule of main requires the check test-gate (apply examples/rulesets/protect-default-branch.json)',
      'no rule of main requires cutover/line: a red main does not hold pull requests back',
    ]);
    expect(enforcementWarnings([], 'test-gate', 'main')).toEqual([]);
  });
});
