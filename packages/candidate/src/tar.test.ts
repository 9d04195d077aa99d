import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEntryPath, normalizeMode, readTar, writeTar, type TarEntry } from './tar.js';

const MTIME = 1_700_000_000;
const file = (path: string, text: string, mode = 0o644): TarEntry => ({ path, mode, data: Buffer.from(text) });

/** GNU tar reads what writeTar wrote: the archive is a real tar, not just one readTar accepts. */
function gnuTar(tar: Buffer, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-tar-'));
  try {
    writeFileSync(join(dir, 'a.tar'), tar);
    return execFileSync('tar', [...args, '-f', join(dir, 'a.tar')], { cwd: dir, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('writeTar', () => {
  it('gives the same bytes whatever the order of the entries', async () => {
    const a = [file('b.txt', 'b'), file('a/z.txt', 'z'), file('a/y.txt', 'y', 0o755)];
    expect((await writeTar(a, MTIME)).equals(await writeTar([...a].reverse(), MTIME))).toBe(true);
  });

  it('writes sorted entries with one mtime, owner 0:0, no names, and normalized modes', async () => {
    const tar = await writeTar([file('run.sh', '#!/bin/sh\n', 0o775), file('a.txt', 'a', 0o600)], MTIME);
    const listing = gnuTar(tar, '--numeric-owner', '--full-time', '-tv').trim().split('\n');
    expect(listing).toHaveLength(2);
    expect(listing[0]).toMatch(/^-rw-r--r-- 0\/0 +1 2023-11-14 22:13:20 a\.txt$/);
    expect(listing[1]).toMatch(/^-rwxr-xr-x 0\/0 +10 2023-11-14 22:13:20 run\.sh$/);
    const read = await readTar(tar);
    expect(read.map((entry) => [entry.path, entry.mode, entry.uid, entry.gid, entry.mtime])).toEqual([
      ['a.txt', 0o644, 0, 0, MTIME],
      ['run.sh', 0o755, 0, 0, MTIME],
    ]);
    expect(tar.subarray(512 + 265, 512 + 329).every((byte) => byte === 0)).toBe(true); // uname, gname
  });

  it('keeps long paths: the ustar prefix when it fits, a PAX header when it does not', async () => {
    const deep = `${'d'.repeat(120)}/${'f'.repeat(90)}.txt`;
    const long = `${'x'.repeat(60)}/${'y'.repeat(150)}.txt`;
    const tar = await writeTar([file(deep, 'deep'), file(long, 'long'), file('ünï/çødé.txt', 'utf8')], MTIME);
    expect((await readTar(tar)).map((entry) => entry.path)).toEqual([deep, long, 'ünï/çødé.txt']);
    const dir = mkdtempSync(join(tmpdir(), 'cutover-tar-x-'));
    try {
      writeFileSync(join(dir, 'a.tar'), tar);
      execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
      expect(readFileSync(join(dir, deep), 'utf8')).toBe('deep');
      expect(readFileSync(join(dir, long), 'utf8')).toBe('long');
      expect(readFileSync(join(dir, 'ünï/çødé.txt'), 'utf8')).toBe('utf8');
      expect(statSync(join(dir, long)).mtimeMs).toBe(MTIME * 1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends with two zero blocks and pads data to 512 bytes', async () => {
    const tar = await writeTar([file('a', 'x'.repeat(513))], MTIME);
    expect(tar.length).toBe(512 + 1024 + 1024);
    expect(tar.subarray(-1024).every((byte) => byte === 0)).toBe(true);
  });

  it('refuses unsafe and duplicate paths, and an mtime it cannot write', async () => {
    for (const path of ['/etc/passwd', '../up', 'a/../b', 'a//b', 'a/', '']) {
      await expect(writeTar([file(path, '')], MTIME), path).rejects.toThrow(/unsafe entry path/);
    }
    await expect(writeTar([file('a', '1'), file('a', '2')], MTIME)).rejects.toThrow(/"a" appears twice/);
    await expect(writeTar([], -1)).rejects.toThrow(/mtime/);
    await expect(writeTar([], 2 ** 31)).rejects.toThrow(/mtime .* up to 2147483647 \(2038-01-19\)/);
  });
});

describe('readTar', () => {
  it('refuses a corrupted header, a truncated archive and links', async () => {
    const tar = await writeTar([file('a.txt', 'hello')], MTIME);
    const corrupt = Buffer.from(tar);
    corrupt[0] = 'b'.charCodeAt(0);
    await expect(readTar(corrupt)).rejects.toThrow(/bad header checksum/);
    await expect(readTar(tar.subarray(0, 512))).rejects.toThrow(
      /the archive ends inside an entry: truncated, or a header declares a wrong \(even negative\) size/,
    );
    await expect(readTar(tar.subarray(0, 1024))).rejects.toThrow(/truncated: the archive ends without its end-of-archive blocks/);
    const dir = mkdtempSync(join(tmpdir(), 'cutover-tar-l-'));
    try {
      execFileSync('ln', ['-s', '/etc/passwd', join(dir, 'link')]);
      execFileSync('tar', ['--format=ustar', '-cf', 'l.tar', 'link'], { cwd: dir });
      await expect(readTar(readFileSync(join(dir, 'l.tar')))).rejects.toThrow(/"link" is not a regular file \(symlink\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads what GNU tar writes in PAX format, skipping directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-tar-g-'));
    try {
      execFileSync('mkdir', ['-p', join(dir, 'src', 'sub')]);
      writeFileSync(join(dir, 'src', 'sub', 'f.txt'), 'gnu');
      execFileSync('tar', ['--format=pax', '-cf', 'g.tar', 'src'], { cwd: dir });
      expect((await readTar(readFileSync(join(dir, 'g.tar')))).map((entry) => [entry.path, entry.data.toString()])).toEqual([['src/sub/f.txt', 'gnu']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('modes and paths', () => {
  it('keeps only the executable bit', () => {
    expect(normalizeMode(0o100600)).toBe(0o644);
    expect(normalizeMode(0o100700)).toBe(0o755);
    expect(normalizeMode(0o100001)).toBe(0o755);
  });

  it('accepts plain relative paths', () => {
    expect(checkEntryPath('dist/app.js')).toBe('dist/app.js');
    expect(checkEntryPath('.env.example')).toBe('.env.example');
  });
});
