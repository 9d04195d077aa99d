import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell.js';

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote(['ls', '-la', '/tmp/x.y'])).toBe('ls -la /tmp/x.y');
    expect(shellQuote(['echo', 'a b', ''])).toBe("echo 'a b' ''");
    expect(shellQuote(["it's"])).toBe("'it'\\''s'");
  });

  it('round-trips hostile words through a real shell', () => {
    const words = ["it's", 'a b', '$HOME', '`id`', '"q"', '; rm -rf /', '*', 'new\nline', '\\', ''];
    const printed = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${shellQuote(words)}`], { encoding: 'utf8' });
    expect(printed.stdout.split('\0').slice(0, -1)).toEqual(words);
  });
});
