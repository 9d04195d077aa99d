/** Finding and reading the results files: the file-system edge of the gate. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import * as glob from '@actions/glob';
import { errorMessage } from '@cutover/config';
import { JUnitError, parseJUnit } from './junit.js';
import type { TestCase } from './types.js';

export interface Results {
  /** Reports read, absolute paths, sorted. */
  reports: string[];
  cases: TestCase[];
  /** Reports that could not be read, one message each. */
  problems: string[];
}

/** Globs relative to `base` (the working directory); `!` excludes, as in @actions/glob. */
function anchored(pattern: string, base: string): string {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  return `${negated ? '!' : ''}${isAbsolute(body) ? body : join(base, body)}`;
}

async function find(patterns: readonly string[], base: string): Promise<string[]> {
  const globber = await glob.create(patterns.map((pattern) => anchored(pattern, base)).join('\n'), { matchDirectories: false });
  return (await globber.glob()).sort();
}

/**
 * Reads every report the globs match. A report that cannot be read or parsed is a problem naming
 * it (and the line, where the parser can tell); it never stops the others from being read.
 */
export async function readResults(patterns: readonly string[], base: string): Promise<Results> {
  const reports = await find(patterns, base);
  const cases: TestCase[] = [];
  const problems: string[] = [];
  for (const report of reports) {
    const name = report.startsWith(`${base}/`) ? report.slice(base.length + 1) : report;
    let bytes: Buffer;
    try {
      bytes = await readFile(report);
    } catch (error) {
      problems.push(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
      continue;
    }
    try {
      cases.push(...parseJUnit(bytes, name));
    } catch (error) {
      problems.push(error instanceof JUnitError ? error.message : `${name}: cannot be read as JUnit XML (${errorMessage(error)})`);
    }
  }
  return { reports, cases, problems };
}

/**
 * JVM failures know only the end of their file's path (com/x/FooTest.java): find the file under
 * `base` that ends with it. A name found nowhere, or in several places, keeps no location.
 */
export async function resolveInexactLocations(cases: TestCase[], base: string): Promise<void> {
  const found = new Map<string, string | undefined>();
  for (const testCase of cases) {
    const location = testCase.location;
    if (!location || location.exact) continue;
    if (!found.has(location.path)) {
      const matches = await find([`**/${location.path}`, '!**/node_modules/**', '!**/.git/**'], base);
      found.set(location.path, matches.length === 1 ? matches[0] : undefined);
    }
    const path = found.get(location.path);
    testCase.location = path ? { path, line: location.line, exact: true } : undefined;
  }
}
