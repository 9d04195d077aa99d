import { describe, expect, it } from 'vitest';
import { framesIn, locate, samePath } from './location.js';

describe('framesIn', () => {
  it('finds path:line and path:line:column after the usual markers', () => {
    const text = [
      ' ❯ src/a.test.ts:6:19',
      '    at fn (/abs/b.test.js:5:15)',
      'tests/test_c.py:8: AssertionError',
      '    at file:///abs/d.mjs:3:1',
      'see http://example.com:80/x for help',
      'version 1.2:3 is not a path',
    ].join('\n');
    expect(framesIn(text)).toEqual([
      { path: 'src/a.test.ts', line: 6 },
      { path: '/abs/b.test.js', line: 5 },
      { path: 'tests/test_c.py', line: 8 },
      { path: '/abs/d.mjs', line: 3 },
    ]);
  });
});

describe('samePath', () => {
  it('matches an absolute path with one relative to where the runner ran', () => {
    expect(samePath('/w/app/src/a.ts', 'src/a.ts')).toBe(true);
    expect(samePath('./src/a.ts', 'src/a.ts')).toBe(true);
    expect(samePath('/w/app/src/xa.ts', 'a.ts')).toBe(false);
  });
});

describe('locate', () => {
  it("prefers the frame inside the test's own file over its declared line", () => {
    const text = 'Error\n at helper (src/util.ts:3:1)\n at test (/w/src/a.test.ts:12:5)';
    expect(locate({ file: 'src/a.test.ts', line: 9, classname: '', text })).toEqual({ path: 'src/a.test.ts', line: 12, exact: true });
  });

  it('keeps the declared file and line when the text names neither', () => {
    expect(locate({ file: 'a_spec.rb', line: 4, classname: '', text: 'boom' })).toEqual({ path: 'a_spec.rb', line: 4, exact: true });
  });

  it('takes the innermost Python frame in the test file (Python prints it last)', () => {
    const text = 'tests/test_a.py:3: in test_x\n    helper()\ntests/test_a.py:9: in helper\n/usr/lib/python3/dist-packages/x.py:1: Error';
    expect(locate({ classname: 'tests.test_a', text })).toEqual({ path: 'tests/test_a.py', line: 9, exact: true });
  });

  it('skips frames in node_modules and node internals', () => {
    const text = 'at x (node:internal/process:1:1)\nat y (/w/node_modules/lib/i.js:2:2)\nat z (/w/src/z.test.js:7:3)';
    expect(locate({ classname: 'z works', text })).toEqual({ path: '/w/src/z.test.js', line: 7, exact: true });
  });

  it('gives only the end of the path for a JVM frame of the test class', () => {
    const text = 'at org.junit.Assert.fail(Assert.java:89)\n\tat com.x.FooTest.bar(FooTest.java:12)';
    expect(locate({ classname: 'com.x.FooTest', text })).toEqual({ path: 'com/x/FooTest.java', line: 12, exact: false });
  });

  it('has nothing to say without a clue', () => {
    expect(locate({ classname: 'Some suite', text: 'expected true' })).toBeUndefined();
  });
});
