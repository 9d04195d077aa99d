/** Check-run annotations for failed tests, with paths relative to the repository. Pure. */
import { posix, win32 } from 'node:path';
import type { Annotation } from '@cutover/github';
import { isWindowsPath, pathFromReport } from './location.js';
import { displayName } from './report.js';
import type { TestCase } from './types.js';

const MAX_TEXT = 60_000;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A path from a report, made relative to the repository: absolute paths (and `file://` URIs) must
 * lie in the workspace; relative ones are relative to where the command ran. Undefined when outside.
 * Paths are read the way the runner's platform reads them, told by the workspace (`D:\a\app\app`
 * on Windows: drive letters, backslashes, any case), whatever platform runs this.
 */
export function repositoryPath(path: string, workspace: string, workingDirectory: string): string | undefined {
  const file = pathFromReport(path);
  const platform = isWindowsPath(workspace) ? win32 : posix;
  const local = platform === posix ? file.replace(/\\/g, '/') : file;
  if (platform === posix && isWindowsPath(local)) return undefined; // written on Windows, read elsewhere: no way to map it
  const absolute = platform.isAbsolute(local) ? local : platform.join(workspace, workingDirectory, local);
  const inside = platform.relative(workspace, absolute).split(platform.sep).join('/');
  if (inside === '' || inside === '..' || inside.startsWith('../') || platform.isAbsolute(inside) || isWindowsPath(inside)) return undefined;
  return inside;
}

/** An annotation as a workflow command carries it: `::error file=…,line=…,endLine=…,title=…::message`. */
export interface AnnotationCommand {
  message: string;
  properties: { title?: string; file: string; startLine: number; endLine: number };
}

/**
 * The annotations as workflow commands, for when no check run can carry them: a pull request from
 * a fork gets a read-only token (403 on creating a check run), or there is no token. The runner
 * attaches them to the job's own check run, so they still show on the pull request's files.
 * @actions/core escapes both the properties and the message (`%`, `\r`, `\n`, and `:` `,` in
 * properties): a test name or a message from a report cannot end the command early or start another.
 */
export function annotationCommands(annotations: readonly Annotation[]): AnnotationCommand[] {
  return annotations.map((annotation) => ({
    message: annotation.message,
    properties: {
      ...(annotation.title ? { title: annotation.title } : {}),
      file: annotation.path,
      startLine: annotation.start_line,
      endLine: annotation.end_line,
    },
  }));
}

/** One failure annotation per failed test that has a place in the repository. */
export function annotationsFor(failed: readonly TestCase[], pathOf: (testCase: TestCase) => string | undefined): Annotation[] {
  const annotations: Annotation[] = [];
  for (const testCase of failed) {
    const path = pathOf(testCase);
    if (!path) continue;
    const line = testCase.location?.line ?? 1;
    const message =
      testCase.message || testCase.details?.split('\n').find((text) => text.trim() !== '') || `${testCase.status === 'error' ? 'Error' : 'Failed'}`;
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
