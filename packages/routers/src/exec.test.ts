import { describe, expect, it } from 'vitest';
import { localExecutor, readRemoteFile, runChecked, shellQuote, sshArgv, writeFileAtomic } from './exec.js';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('ssh argv', () => {
  it('is batch mode with a connect timeout, then the destination and --', () => {
    expect(sshArgv({ host: 'lb1', user: 'deploy', port: 2222, 'identity-file': '/k', 'known-hosts-file': '/kh', options: ['StrictHostKeyChecking=yes'] })).toEqual([
      'ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-p', '2222', '-i', '/k', '-o', 'IdentitiesOnly=yes',
      '-o', 'UserKnownHostsFile=/kh', '-o', 'StrictHostKeyChecking=yes', 'deploy@lb1', '--',
    ]);
    expect(sshArgv({ host: 'lb1' })).toEqual(['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', 'lb1', '--']);
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
