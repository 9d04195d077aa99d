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
