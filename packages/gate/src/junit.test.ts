import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JUnitError, parseJUnit } from './junit.js';
import { totals } from './report.js';

const fixture = (name: string) => parseJUnit(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'), name);
const byName = (cases: ReturnType<typeof parseJUnit>, name: string) => cases.find((c) => c.name === name)!;

describe('parseJUnit', () => {
  it('reads Vitest: classname is the file, the location is the ❯ frame', () => {
    const cases = fixture('vitest.xml');
    expect(totals(cases)).toMatchObject({ total: 3, passed: 1, failed: 1, skipped: 1 });
    const failed = byName(cases, 'math > subtracts');
    expect(failed).toMatchObject({
      status: 'failed',
      classname: 'src/math.test.ts',
      suite: 'src/math.test.ts',
      message: 'expected 2 to be 1 // Object.is equality',
      location: { path: 'src/math.test.ts', line: 6, exact: true },
      report: 'vitest.xml',
    });
    expect(failed.details).toContain('AssertionError: expected 2 to be 1');
    expect(failed.time).toBeCloseTo(0.004081534);
  });

  it('reads pytest xunit2: no file attribute, the location comes from the traceback', () => {
    const cases = fixture('pytest.xml');
    expect(totals(cases)).toMatchObject({ total: 3, passed: 1, failed: 1, skipped: 1 });
    expect(byName(cases, 'test_fails').location).toEqual({ path: 'tests/test_sample.py', line: 8, exact: true });
    expect(byName(cases, 'test_skipped')).toMatchObject({ status: 'skipped', message: 'not yet' });
  });

  it('reads pytest xunit1: file attribute, 0-based line attribute; the traceback line wins', () => {
    const cases = fixture('pytest-xunit1.xml');
    expect(byName(cases, 'test_fails').location).toEqual({ path: 'tests/test_sample.py', line: 8, exact: true });
  });

  it('reads Maven Surefire: a root testsuite, errors, CDATA, thousands separators, JVM frames', () => {
    const cases = fixture('surefire.xml');
    expect(totals(cases)).toMatchObject({ total: 4, passed: 1, failed: 2, skipped: 1 });
    const divides = byName(cases, 'divides');
    expect(divides.time).toBe(1200.25);
    expect(divides.message).toBe('expected: <2> but was: <3>');
    expect(divides.location).toEqual({ path: 'com/example/CalculatorTest.java', line: 27, exact: false });
    const connects = byName(cases, 'connects');
    expect(connects.status).toBe('error');
    // A frame of a nested class lies in the outer class's file.
    expect(connects.location).toEqual({ path: 'com/example/CalculatorTest.java', line: 41, exact: false });
    expect(byName(cases, 'later').message).toBe('disabled until #12');
  });

  it('reads Jest: the failure is a bare text; the first frame outside node_modules is the test', () => {
    const cases = fixture('jest.xml');
    expect(totals(cases)).toMatchObject({ total: 3, passed: 1, failed: 1, skipped: 1 });
    const failed = byName(cases, 'sum handles negatives');
    expect(failed.message).toBeUndefined();
    expect(failed.details).toMatch(/^Error: expect\(received\)/);
    expect(failed.location).toEqual({ path: '/home/runner/work/app/app/src/sum.test.js', line: 9, exact: true });
  });

  it('walks nested suites, inheriting the suite file; a failure with no clue has no location', () => {
    const cases = fixture('nested.xml');
    expect(cases.map((c) => `${c.suite}/${c.name}`)).toEqual(['inner/works', 'inner/breaks', 'second/plain', 'second/no place']);
    expect(byName(cases, 'breaks').location).toEqual({ path: 'spec/outer_spec.rb', line: 14, exact: true });
    expect(byName(cases, 'no place')).toMatchObject({ status: 'error' });
    expect(byName(cases, 'no place').location).toBeUndefined();
  });

  it('counts a report with no test cases as zero tests', () => {
    expect(parseJUnit('<testsuites name="vitest tests" tests="0"></testsuites>', 'empty.xml')).toEqual([]);
  });

  it.each([
    ['empty.xml', '', /empty\.xml: the file is empty/],
    ['bad.xml', '<testsuites><testsuite>', /bad\.xml: not well-formed XML at line 1/],
    ['other.xml', '<html><body/></html>', /other\.xml: not a JUnit report/],
  ])('refuses %s naming it', (name, xml, error) => {
    expect(() => parseJUnit(xml, name)).toThrow(JUnitError);
    expect(() => parseJUnit(xml, name)).toThrow(error);
  });
});
