import { describe, expect, it } from 'vitest';
import { localExecutor, readRemoteFile, runChecked, runLocal, shellQuote, sshArgv, sshExecutor, writeFileAtomic } from './exec.js';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('ssh argv', () => {
  it('is batch mode with a connect timeout, then -- and the destination', () => {
    expect(
      sshArgv({ host: 'lb1', user: 'deploy', port: 2222, 'identity-file': '/k', 'known-hosts-file': '/kh', options: ['StrictHostKeyChecking=yes'] }),
    ).toEqual([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-p',
      '2222',
      '-i',
      '/k',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'UserKnownHostsFile=/kh',
      '-o',
      'StrictHostKeyChecking=yes',
      '--',
      'deploy@lb1',
    ]);
    expect(sshArgv({ host: 'lb1' })).toEqual(['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '--', 'lb1']);
  });

  it('refuses a host or user that ssh would read as an option, before anything runs', () => {
    expect(() => sshArgv({ host: '-oProxyCommand=touch /tmp/pwned' })).toThrow('ssh host "-oProxyCommand=touch /tmp/pwned" begins with "-"');
    expect(() => sshArgv({ host: 'lb1', user: '-oProxyCommand=id' })).toThrow('ssh user "-oProxyCommand=id" begins with "-"');
    expect(() => sshExecutor({ host: '-F/tmp/evil' })).toThrow('ssh host "-F/tmp/evil"');
  });

  it('quotes every word so the remote shell splits it back exactly', () => {
    expect(shellQuote(['ln', '-s', '/srv/a b', "it's", '$(rm -rf /)'])).toBe(`ln -s '/srv/a b' 'it'\\''s' '$(rm -rf /)'`);
  });
});

describe('local files through the executor', () => {
  it('replaces a file atomically, leaving no temp file, and reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'routers-exec-'));
    try {
      const file = join(dir, "up stream's.conf");
      expect(await readRemoteFile(localExecutor, file)).toBeUndefined();
      await writeFileAtomic(localExecutor, file, 'one\n');
      await writeFileAtomic(localExecutor, file, 'two\n');
      expect(await readFile(file, 'utf8')).toBe('two\n');
      expect(await readRemoteFile(localExecutor, file)).toBe('two\n');
      expect(await readdir(dir)).toEqual(["up stream's.conf"]);
      await expect(writeFileAtomic(localExecutor, join(dir, 'missing', 'x.conf'), 'x')).rejects.toThrow(/exited 1/);
      await expect(runChecked(localExecutor, ['sh', '-c', 'echo broken >&2; exit 2'])).rejects.toThrow('sh -c echo broken >&2; exit 2 exited 2: broken');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('running a program locally', () => {
  /** True while a process with this id exists. */
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  // A restart or reload that leaves a daemon behind: the daemon keeps the output pipes open.
  it('returns when the program exits, with its output, though a process it left behind holds the pipes', async () => {
    const result = await runLocal(['sh', '-c', 'sleep 6 & echo $!; echo started >&2; exit 0'], { timeoutMs: 30_000 });
    const leftBehind = Number(result.stdout.trim());
    try {
      expect(result).toEqual({ code: 0, stdout: `${leftBehind}\n`, stderr: 'started\n' });
      // Returned while the 6 s sleep still runs: the wait did not follow it.
      expect(alive(leftBehind)).toBe(true);
    } finally {
      process.kill(leftBehind, 'SIGKILL');
    }
  });

  it('kills the program at the timeout and stops waiting for whoever else holds its pipes', async () => {
    const result = await runLocal(['sh', '-c', 'sleep 6 & echo $!; exec sleep 5'], { timeoutMs: 300 });
    const leftBehind = Number(result.stdout.trim());
    try {
      expect(result.code).toBe(128);
      expect(result.stderr).toBe('killed after 300 ms\n');
      expect(alive(leftBehind)).toBe(true);
    } finally {
      process.kill(leftBehind, 'SIGKILL');
    }
  });
});
