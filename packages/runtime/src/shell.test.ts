import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShellCommand, shellArgv } from './shell.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runShellCommand', () => {
  it('runs like a workflow run: step: bash --noprofile --norc -eo pipefail on a script file', async () => {
    expect(shellArgv('/t/s.sh')).toEqual(['--noprofile', '--norc', '-eo', 'pipefail', '/t/s.sh']);
    // A failing command in a pipeline fails the script (pipefail), and -e stops at the first failure.
    expect(await runShellCommand('false | true\necho reached > reached', { cwd: dir })).toBe(1);
    expect(readdirSync(dir)).not.toContain('reached');
    expect(await runShellCommand('exit 7', { cwd: dir })).toBe(7);
    // $0 is the script file, as in a step; a multi-line command is one script, run in cwd.
    expect(await runShellCommand('echo "$0" > zero\nx=1\necho "$x $(pwd)" > where', { cwd: dir })).toBe(0);
    expect(readFileSync(join(dir, 'zero'), 'utf8')).toMatch(/cutover-command-[^/]+\/command\.sh\n$/);
    expect(readFileSync(join(dir, 'where'), 'utf8')).toBe(`1 ${dir}\n`);
  });

  it('removes its script file, and reports a signal as a shell does (128 + its number)', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'cutover-shell-temp-'));
    const runnerTemp = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = temp;
    try {
      expect(await runShellCommand('ls "$(dirname "$0")" > listed; kill -TERM $$', { cwd: dir })).toBe(143);
      expect(readFileSync(join(dir, 'listed'), 'utf8')).toBe('command.sh\n'); // it was there, in RUNNER_TEMP
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      if (runnerTemp === undefined) delete process.env.RUNNER_TEMP;
      else process.env.RUNNER_TEMP = runnerTemp;
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it('passes the environment it is given', async () => {
    expect(await runShellCommand('test "$ONLY" = here && test -z "${HOME_SECRET:-}"', { cwd: dir, env: { PATH: process.env.PATH, ONLY: 'here' } })).toBe(0);
  });
});
