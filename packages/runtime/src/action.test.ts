import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { isPostStep, saveState } from './action.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

/** A fresh state file, as the runner gives each step (`text`: what is already in it). */
function stateFile(name: string, text = ''): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  vi.stubEnv('GITHUB_STATE', file);
  return file;
}

describe('saveState', () => {
  it('writes a value on one line as name=value: no heredoc, so no random delimiter to make', () => {
    const file = stateFile('one-line');
    saveState('split', JSON.stringify({ blue: 0, green: 100 }));
    saveState('finished', 'true');
    expect(readFileSync(file, 'utf8')).toBe('split={"blue":0,"green":100}\nfinished=true\n');
  });

  it('starts a line of its own after text that did not end one', () => {
    const file = stateFile('unterminated', 'other=1');
    saveState('finished', 'true');
    expect(readFileSync(file, 'utf8')).toBe('other=1\nfinished=true\n');
  });

  it('writes a value over several lines as @actions/core does, between delimiters', () => {
    const file = stateFile('several');
    saveState('note', 'one\ntwo');
    expect(readFileSync(file, 'utf8')).toMatch(/^note<<(ghadelimiter_[0-9a-f-]+)\none\ntwo\n\1\n$/);
  });

  it('is the main step that marks itself started; the post step finds the mark', () => {
    const file = stateFile('started');
    vi.stubEnv('STATE_started', '');
    expect(isPostStep()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('started=true\n');
    // The runner hands the post step the saved state as STATE_<name>.
    vi.stubEnv('STATE_started', 'true');
    expect(isPostStep()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('started=true\n');
  });
});
