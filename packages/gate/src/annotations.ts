/** Check-run annotations for failed tests, with paths relative to the repository. Pure. */
import { isAbsolute, posix, relative, sep } from 'node:path';
import type { Annotation } from '@cutover/github';
import { displayName } from './report.js';
import type { TestCase } from './types.js';

const MAX_TEXT = 60_000;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A path from a report, made relative to the repository: absolute paths must lie in the
 * workspace; relative ones are relative to where the command ran. Undefined when outside.
 */
export function repositoryPath(path: string, workspace: string, workingDirectory: string): string | undefined {
  const absolute = isAbsolute(path) ? path : posix.join(workingDirectory, path);
  const inside = isAbsolute(absolute) ? relative(workspace, absolute).split(sep).join('/') : posix.normalize(absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return inside.replace(/^\.\//, '');
}

/** One failure annotation per failed test that has a place in the repository. */
export function annotationsFor(failed: readonly TestCase[], pathOf: (testCase: TestCase) => string | undefined): Annotation[] {
  const annotations: Annotation[] = [];
  for (const testCase of failed) {
    const path = pathOf(testCase);
    if (!path) continue;
    const line = testCase.location?.line ?? 1;
    const message = testCase.message || testCase.details?.split('\n').find((text) => text.trim() !== '') || `${testCase.status === 'error' ? 'Error' : 'Failed'}`;
    const annotation: Annotation = {
      path,
      start_line: line,
      end_line: line,
      annotation_level: 'failure',
      message: truncate(message, MAX_TEXT),
      title: truncate(displayName(testCase), 255),
    };
    if (testCase.details && testCase.details !== message) annotation.raw_details = truncate(testCase.details, MAX_TEXT);
    annotations.push(annotation);
  }
  return annotations;
}
