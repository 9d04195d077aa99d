import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failures } from './report.js';
import { readResults, resolveInexactLocations } from './results.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gate-results-'));
  await mkdir(join(dir, 'test-results', 'unit'), { recursive: true });
  await mkdir(join(dir, 'target', 'surefire-reports'), { recursive: true });
  await mkdir(join(dir, 'src', 'test', 'java', 'com', 'example'), { recursive: true });
  await copyFile(fixture('vitest.xml'), join(dir, 'test-results', 'unit', 'vitest.xml'));
  await copyFile(fixture('pytest.xml'), join(dir, 'test-results', 'pytest.xml'));
  await writeFile(join(dir, 'test-results', 'broken.xml'), '<testsuites><testsuite name="x">');
  await copyFile(fixture('surefire.xml'), join(dir, 'target', 'surefire-reports', 'TEST-com.example.CalculatorTest.xml'));
  await writeFile(join(dir, 'src', 'test', 'java', 'com', 'example', 'CalculatorTest.java'), 'class CalculatorTest {}\n');
  await mkdir(join(dir, 'mixed'), { recursive: true });
  await copyFile(fixture('vitest.xml'), join(dir, 'mixed', 'a-vitest.xml'));
  await writeFile(
    join(dir, 'mixed', 'b-xxe.xml'),
    '<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n<testsuites><testsuite name="&x;"/></testsuites>\n',
  );
  await writeFile(join(dir, 'mixed', 'c-deep.xml'), `<testsuites>\n${'<testsuite>\n'.repeat(150)}${'</testsuite>\n'.repeat(150)}</testsuites>\n`);
  await writeFile(
    join(dir, 'mixed', 'd-latin1.xml'),
    Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite name="s"><testcase name="d\u00e9j\u00e0 vu"/></testsuite>\n', 'latin1'),
  );
  await mkdir(join(dir, 'mixed', 'e-directory.xml'));
  await copyFile(fixture('pytest.xml'), join(dir, 'mixed', 'f-pytest.xml'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readResults', () => {
  it('reads every report the globs match, relative to the directory, and names the unreadable ones', async () => {
    const results = await readResults(['test-results/**/*.xml'], dir);
    expect(results.reports).toEqual(['broken.xml', 'pytest.xml', 'unit/vitest.xml'].map((name) => join(dir, 'test-results', name)));
    expect(results.cases).toHaveLength(6);
    expect(results.problems).toEqual([expect.stringMatching(/^test-results\/broken\.xml: not well-formed XML/)]);
  });

  it('leaves out what a ! glob excludes, and finds nothing without failing', async () => {
    const results = await readResults(['test-results/**/*.xml', '!**/broken.xml'], dir);
    expect(results.problems).toEqual([]);
    expect(results.reports).toHaveLength(2);
    expect(await readResults(['nothing/*.xml'], dir)).toEqual({ reports: [], cases: [], problems: [] });
  });
});

describe('readResults with bad reports among good ones', () => {
  it('names each bad report (and its line) and still reads every other', async () => {
    const results = await readResults(['mixed/*.xml'], dir);
    expect(results.reports.map((report) => report.slice(dir.length + 1))).toEqual([
      'mixed/a-vitest.xml',
      'mixed/b-xxe.xml',
      'mixed/c-deep.xml',
      'mixed/d-latin1.xml',
      'mixed/f-pytest.xml',
    ]);
    expect(results.problems).toEqual([
      'mixed/b-xxe.xml: refused at line 3: an external entity (<!ENTITY … SYSTEM or PUBLIC>), which could read files or URLs; a test report needs none',
      'mixed/c-deep.xml: refused at line 102: elements nested more than 101 deep',
    ]);
    expect(results.cases.map((c) => `${c.report}: ${c.name}`)).toEqual([
      'mixed/a-vitest.xml: math > adds',
      'mixed/a-vitest.xml: math > subtracts',
      'mixed/a-vitest.xml: math > divides',
      'mixed/d-latin1.xml: déjà vu',
      'mixed/f-pytest.xml: test_passes',
      'mixed/f-pytest.xml: test_fails',
      'mixed/f-pytest.xml: test_skipped',
    ]);
  });
});

describe('resolveInexactLocations', () => {
  it('finds the file a JVM frame names by the end of its path', async () => {
    const { cases } = await readResults(['target/surefire-reports/*.xml'], dir);
    const failed = failures(cases);
    await resolveInexactLocations(failed, dir);
    expect(failed.map((c) => c.location)).toEqual([
      { path: join(dir, 'src/test/java/com/example/CalculatorTest.java'), line: 27, exact: true },
      { path: join(dir, 'src/test/java/com/example/CalculatorTest.java'), line: 41, exact: true },
    ]);
  });

  it('drops a location it cannot find', async () => {
    const { cases } = await readResults(['target/surefire-reports/*.xml'], join(dir));
    const [failed] = failures(cases);
    failed!.location = { path: 'com/example/Missing.java', line: 3, exact: false };
    await resolveInexactLocations([failed!], dir);
    expect(failed!.location).toBeUndefined();
  });
});
