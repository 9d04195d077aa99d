import { describe, expect, it } from 'vitest';
import { safeLine } from './log.js';

describe('safeLine', () => {
  it('keeps text from outside from starting a workflow command, on any line', () => {
    expect(safeLine('ERROR: x\n::error::pwned\n  ::set-output name=a::b\n##[warning]old style\nfine :: here')).toBe(
      'ERROR: x\n› ::error::pwned\n›   ::set-output name=a::b\n# #[warning]old style\nfine :: here',
    );
  });
});
