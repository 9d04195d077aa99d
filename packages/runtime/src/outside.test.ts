import { describe, expect, it } from 'vitest';
import { parseWorkflowCommands } from '@cutover/testkit';
import { outside } from './outside.js';

/** Lines the runner would take as commands: `::` after leading blanks, or `##[` anywhere. */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['));
}

describe('outside', () => {
  it('marks lines that would start a workflow command, on any line, after any blanks', () => {
    expect(outside('ERROR: x\n::error::pwned\n  ::set-output name=a::b\n\t::warning::t')).toBe(
      'ERROR: x\n› ::error::pwned\n›   ::set-output name=a::b\n› \t::warning::t',
    );
    expect(outside('::stop-commands::abc')).toBe('› ::stop-commands::abc');
  });

  it('breaks the older ##[command] form wherever it is in a line', () => {
    expect(outside('fine ##[error]pwned and ##[stop-commands]t')).toBe('fine # #[error]pwned and # #[stop-commands]t');
  });

  it('takes \\r and \\r\\n as line ends, as the runner does', () => {
    expect(outside('a\r::warning::x\r\n::error::y')).toBe('a\r› ::warning::x\r\n› ::error::y');
  });

  it('leaves other text alone', () => {
    for (const text of ['', 'plain', 'a :: b', 'http://host:80/x::y', 'status: 500', '# heading']) expect(outside(text)).toBe(text);
  });

  it('leaves no line the runner would read, whatever the text', () => {
    const hostile = '\n::warning::pwned\n::set-output name=x::y\r::add-mask::z\u00a0\u2003::error::w\n##[group]g\n\ufeff::notice::n';
    expect(commandLines(outside(hostile))).toEqual([]);
    expect(parseWorkflowCommands(outside(hostile))).toEqual([]);
  });
});
