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

// Patterns seen in peer projects' fixture sets (dorny/test-reporter, EnricoMi/publish-unit-test-result-action),
// written anew here: what each report does, not their files.
describe('parseJUnit on hostile and unusual reports', () => {
  const suite = (cases: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="s">\n${cases}\n  </testsuite>\n</testsuites>\n`;

  it('counts status="disabled" (tst) and status="notrun" (GoogleTest) as skipped', () => {
    const cases = parseJUnit(
      suite(
        [
          `    <testcase name="runs" status="passed" time="0"/>`,
          `    <testcase name="off" status="disabled" time="0"/>`,
          `    <testcase name="DISABLED_later" status="notrun" result="suppressed" time="0" classname="Calc"/>`,
          `    <testcase name="breaks" status="failed" time="0"><failure message="main.cpp:72: check_eq(1, 2)"/></testcase>`,
        ].join('\n'),
      ),
      'tst.xml',
    );
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ['runs', 'passed'],
      ['off', 'skipped'],
      ['DISABLED_later', 'skipped'],
      ['breaks', 'failed'],
    ]);
    expect(totals(cases)).toMatchObject({ total: 4, passed: 1, failed: 1, skipped: 2 });
  });

  it('refuses an external entity, naming the file and the line of its declaration', () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<testsuites><testsuite name="a"><testcase name="&xxe;"/></testsuite></testsuites>\n`;
    expect(() => parseJUnit(xml, 'results/xxe.xml')).toThrow(
      new JUnitError(
        'results/xxe.xml: refused at line 3: an external entity (<!ENTITY … SYSTEM or PUBLIC>), which could read files or URLs; a test report needs none',
      ),
    );
    const parameter = `<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n  <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n  %remote;\n]>\n<testsuites/>\n`;
    expect(() => parseJUnit(parameter, 'param.xml')).toThrow(/^param\.xml: refused at line 3: an external entity/);
  });

  it('refuses entity expansion past the parser limits, naming the file and the entity', () => {
    const big = `<?xml version="1.0"?>\n<!DOCTYPE t [\n<!ENTITY small "x">\n<!ENTITY big "${'a'.repeat(20_000)}">\n]>\n<testsuites><testsuite name="&big;"/></testsuites>\n`;
    expect(() => parseJUnit(big, 'big.xml')).toThrow(
      /^big\.xml: refused at line 4 \(the entity's declaration\): entity expansion past the parser's limits \(Entity "big" size \(20000\) exceeds/,
    );
    const many = `<?xml version="1.0"?>\n<!DOCTYPE t [\n<!ENTITY a "${'a'.repeat(9_000)}">\n]>\n<testsuites>\n<testsuite name="${'&a;'.repeat(20)}"/>\n</testsuites>\n`;
    expect(() => parseJUnit(many, 'many.xml')).toThrow(
      /^many\.xml: refused at line 3 \(the entity's declaration\): entity expansion past the parser's limits \(.*Expanded content length limit exceeded/,
    );
  });

  it('reads 101 nested elements and refuses the 102nd level, naming its line', () => {
    const nested = (suites: number) =>
      `<testsuites>\n${'<testsuite name="s">\n'.repeat(suites)}<testcase name="deep"/>\n${'</testsuite>\n'.repeat(suites)}</testsuites>\n`;
    expect(parseJUnit(nested(100), 'ok.xml').map((c) => c.name)).toEqual(['deep']);
    expect(() => parseJUnit(nested(101), 'deep.xml')).toThrow(new JUnitError('deep.xml: refused at line 102: elements nested more than 101 deep'));
    expect(() => parseJUnit(nested(150), 'deeper.xml')).toThrow(new JUnitError('deeper.xml: refused at line 102: elements nested more than 101 deep'));
  });

  it('names the line where a truncated file ends, and what was left open', () => {
    const whole = suite(
      `    <testcase name="one"/>\n    <testcase name="two">\n      <failure message="x"><![CDATA[at a.test.ts:3\n  at b.ts:4]]></failure>\n    </testcase>`,
    );
    expect(() => parseJUnit(whole.slice(0, whole.indexOf('at b.ts')), 'cut.xml')).toThrow(
      new JUnitError(
        'cut.xml: not well-formed XML at line 7: the file ends with <testsuites>, <testsuite>, <testcase>, <failure> still open (truncated? did the test runner stop before finishing it?)',
      ),
    );
    expect(() => parseJUnit(whole.slice(0, whole.indexOf('  </testsuite>')), 'cut2.xml')).toThrow(
      /^cut2\.xml: not well-formed XML at line 8: the file ends with <testsuites>, <testsuite> still open/,
    );
  });

  const named = '<?xml version="1.0" encoding="%s"?>\n<testsuites><testsuite name="Größe"><testcase name="café: €5 ü"/></testsuite></testsuites>\n';
  it.each([
    ['ISO-8859-1 (the Euro sign read as Windows-1252, as browsers do)', Buffer.from(named.replace('%s', 'ISO-8859-1').replace('€', '\x80'), 'latin1')],
    ['Windows-1252', Buffer.from(named.replace('%s', 'windows-1252').replace('€', '\x80'), 'latin1')],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(named.replace('%s', 'UTF-8'))])],
    ['UTF-16 LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(named.replace('%s', 'UTF-16'), 'utf16le')])],
    ['UTF-16 BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(named.replace('%s', 'UTF-16'), 'utf16le').swap16()])],
    ['UTF-16 LE without a byte order mark', Buffer.from(named.replace('%s', 'UTF-16'), 'utf16le')],
    ['UTF-8 declared UTF-16 (the bytes win)', Buffer.from(named.replace('%s', 'UTF-16'))],
    ['no declaration (UTF-8)', Buffer.from(named.replace(/^<\?xml[^>]*>\n/, ''))],
  ])('reads %s', (_name, bytes) => {
    const [testCase] = parseJUnit(bytes, 'encoded.xml');
    expect([testCase!.suite, testCase!.name]).toEqual(['Größe', 'café: €5 ü']);
  });

  it('refuses an encoding it cannot read, naming it', () => {
    expect(() => parseJUnit(Buffer.from(named.replace('%s', 'X-EBCDIC-WHAT')), 'odd.xml')).toThrow(
      new JUnitError(
        'odd.xml: declares encoding "X-EBCDIC-WHAT" at line 1, which is not one test-gate can read (UTF-8, UTF-16, ISO-8859-1, Windows-1252 and the other WHATWG encodings are)',
      ),
    );
  });

  it('reads file:// URIs and Windows paths in file attributes and frames', () => {
    const cases = parseJUnit(
      suite(
        [
          `    <testcase name="uri" classname="a" file="file:///home/runner/work/app/app/src/my%20dir/a.test.ts"><failure message="boom">at file:///home/runner/work/app/app/src/my%20dir/a.test.ts:7:3</failure></testcase>`,
          `    <testcase name="win" classname="b" file="C:\\work\\repo\\src\\b.test.ts"><failure>at C:\\work\\repo\\src\\b.test.ts:12:5</failure></testcase>`,
          `    <testcase name="dotnet" classname="Calc.Tests"><failure>   at Calc.Tests.Divides() in C:\\work\\repo\\tests\\CalcTests.cs:line 33</failure></testcase>`,
          `    <testcase name="esm-win" classname="c"><failure>at file:///C:/work/repo/src/c.test.mjs:4:9</failure></testcase>`,
        ].join('\n'),
      ),
      'paths.xml',
    );
    expect(cases.map((c) => c.location)).toEqual([
      { path: '/home/runner/work/app/app/src/my dir/a.test.ts', line: 7, exact: true },
      { path: 'C:\\work\\repo\\src\\b.test.ts', line: 12, exact: true },
      { path: 'C:\\work\\repo\\tests\\CalcTests.cs', line: 33, exact: true },
      { path: 'C:/work/repo/src/c.test.mjs', line: 4, exact: true },
    ]);
  });
});
