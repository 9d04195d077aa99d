import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import { annotationCommands, annotationsFor, repositoryPath } from './annotations.js';
import type { TestCase } from './types.js';

const failed = (overrides: Partial<TestCase>): TestCase => ({
  name: 'adds',
  classname: 'math',
  suite: 'math',
  time: 0.1,
  status: 'failed',
  report: 'r.xml',
  ...overrides,
});

describe('repositoryPath', () => {
  it('joins a relative path to the working directory', () => {
    expect(repositoryPath('src/a.ts', '/w', 'web')).toBe('web/src/a.ts');
    expect(repositoryPath('./src/a.ts', '/w', '.')).toBe('src/a.ts');
  });
  it('makes an absolute path inside the workspace relative', () => {
    expect(repositoryPath('/w/web/src/a.ts', '/w', 'web')).toBe('web/src/a.ts');
  });
  it('gives nothing for a path outside the workspace', () => {
    expect(repositoryPath('/elsewhere/a.ts', '/w', '.')).toBeUndefined();
    expect(repositoryPath('../../a.ts', '/w', 'web')).toBeUndefined();
  });
});

describe('annotationsFor', () => {
  it('puts one failure annotation per failed test at its line, with the message and details', () => {
    const cases = [
      failed({ location: { path: 'a.ts', line: 6, exact: true }, message: 'expected 2 to be 1', details: 'AssertionError: expected 2 to be 1\n ❯ a.ts:6:1' }),
      failed({ name: 'no line', status: 'error', location: { path: 'b.py', exact: true } }),
      failed({ name: 'nowhere' }),
    ];
    const annotations = annotationsFor(cases, (c) => c.location?.path);
    expect(annotations).toEqual([
      {
        path: 'a.ts',
        start_line: 6,
        end_line: 6,
        annotation_level: 'failure',
        message: 'expected 2 to be 1',
        title: 'math › adds',
        raw_details: 'AssertionError: expected 2 to be 1\n ❯ a.ts:6:1',
      },
      { path: 'b.py', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'Error', title: 'math › no line' },
    ]);
  });

  it('uses the first line of the details when there is no message', () => {
    const [annotation] = annotationsFor([failed({ details: '\nError: boom\n at x' })], () => 'a.ts');
    expect(annotation!.message).toBe('Error: boom');
  });
});

describe('repositoryPath with the paths other platforms and runners write', () => {
  it('reads file:// URIs', () => {
    expect(repositoryPath('file:///w/web/src/a%20b.ts', '/w', 'web')).toBe('web/src/a b.ts');
    expect(repositoryPath('file:///elsewhere/a.ts', '/w', '.')).toBeUndefined();
  });
  it('reads Windows paths against a Windows workspace, whatever the case and the slashes', () => {
    const workspace = 'D:\\a\\app\\app';
    expect(repositoryPath('D:\\a\\app\\app\\src\\x.ts', workspace, '.')).toBe('src/x.ts');
    expect(repositoryPath('d:/a/app/app/web/src/x.ts', workspace, 'web')).toBe('web/src/x.ts');
    expect(repositoryPath('file:///D:/a/app/app/src/x.ts', workspace, '.')).toBe('src/x.ts');
    expect(repositoryPath('src\\x.ts', workspace, 'web')).toBe('web/src/x.ts');
    expect(repositoryPath('C:\\other\\x.ts', workspace, '.')).toBeUndefined();
    expect(repositoryPath('..\\..\\x.ts', workspace, 'web')).toBeUndefined();
  });
  it('reads a relative path with backslashes on Linux, and gives nothing for a Windows absolute path there', () => {
    expect(repositoryPath('src\\x.ts', '/w', '.')).toBe('src/x.ts');
    expect(repositoryPath('C:\\work\\repo\\src\\x.ts', '/w', '.')).toBeUndefined();
  });
});

describe('annotationCommands: failures as workflow commands when no check run carries them', () => {
  it('keeps file, lines, title and message, and @actions/core escapes them into one command line', () => {
    const commands = annotationCommands([
      {
        path: 'src/app.test.ts',
        start_line: 12,
        end_line: 12,
        annotation_level: 'failure',
        title: 'app > adds, then: subtracts',
        message: 'expected 2\n::warning::pwned\r\n100% wrong',
      },
    ]);
    expect(commands).toEqual([
      {
        message: 'expected 2\n::warning::pwned\r\n100% wrong',
        properties: { title: 'app > adds, then: subtracts', file: 'src/app.test.ts', startLine: 12, endLine: 12 },
      },
    ]);
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      for (const command of commands) core.error(command.message, command.properties);
    } finally {
      process.stdout.write = write;
    }
    expect(written.join('')).toBe(
      '::error title=app > adds%2C then%3A subtracts,file=src/app.test.ts,line=12,endLine=12::expected 2%0A::warning::pwned%0D%0A100%25 wrong\n',
    );
  });
});
