import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { collectFiles, gunzip, gzipReproducible, packFiles } from './archive.js';
import { readTar } from './tar.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-archive-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('gzip header', () => {
  it('zlib writes no time and OS 3 (Unix) here, and gzipReproducible fixes both anyway', async () => {
    const raw = gzipSync(Buffer.from('x'), { level: 9 });
    expect([...raw.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]); // magic, deflate, no flags (no name, no comment)
    expect(raw.readUInt32LE(4)).toBe(0);
    expect(raw[9]).toBe(3);
    const ours = await gzipReproducible(Buffer.from('x'));
    expect(ours.readUInt32LE(4)).toBe(0);
    expect(ours[9]).toBe(3);
    expect((await gunzip(ours)).toString()).toBe('x');
    // Streamed, it gives the bytes zlib gives in one call.
    const big = Buffer.from('console.log(1);\n'.repeat(100_000));
    expect((await gzipReproducible(big)).equals(gzipSync(big, { level: 9 }))).toBe(true);
    // gzip itself accepts it (the header is not covered by the CRC).
    expect(execFileSync('gzip', ['-dc'], { input: ours }).toString()).toBe('x');
  });
});

describe('collectFiles and packFiles', () => {
  it('gives the same digest for the same files whatever their mtimes or creation order', async () => {
    const one = tempDir();
    const two = tempDir();
    write(one, 'dist/a.js', 'a');
    write(one, 'dist/sub/b.js', 'b');
    write(one, 'README.md', 'r');
    write(two, 'README.md', 'r');
    write(two, 'dist/sub/b.js', 'b');
    write(two, 'dist/a.js', 'a');
    utimesSync(join(two, 'dist/a.js'), 1, 1);
    const first = await packFiles(await collectFiles(one, ['dist', 'README.md']), 1_700_000_000);
    const second = await packFiles(await collectFiles(two, ['README.md', 'dist/**']), 1_700_000_000);
    expect(second.digest).toBe(first.digest);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await readTar(await gunzip(first.archive))).map((entry) => entry.path)).toEqual(['README.md', 'dist/a.js', 'dist/sub/b.js']);
    // A changed byte is a changed digest.
    write(two, 'dist/a.js', 'A');
    expect((await packFiles(await collectFiles(two, ['README.md', 'dist']), 1_700_000_000)).digest).not.toBe(first.digest);
  });

  it('keeps the executable bit and drops the rest of the mode', async () => {
    const root = tempDir();
    write(root, 'bin/run', '#!/bin/sh');
    write(root, 'bin/secret', 's');
    chmodSync(join(root, 'bin/run'), 0o700);
    chmodSync(join(root, 'bin/secret'), 0o600);
    const files = await collectFiles(root, ['bin']);
    expect(files.map((file) => [file.path, file.mode])).toEqual([
      ['bin/run', 0o755],
      ['bin/secret', 0o644],
    ]);
  });

  it('honours exclusions', async () => {
    const root = tempDir();
    write(root, 'dist/a.js', 'a');
    write(root, 'dist/a.js.map', 'm');
    expect((await collectFiles(root, ['dist', '!dist/**/*.map'])).map((file) => file.path)).toEqual(['dist/a.js']);
  });

  it('packs a link inside the workspace as its file, and refuses one leading outside', async () => {
    const root = tempDir();
    const outside = tempDir();
    write(root, 'dist/real.txt', 'real');
    symlinkSync('real.txt', join(root, 'dist/alias.txt'));
    const files = await collectFiles(root, ['dist']);
    expect(files.map((file) => file.path)).toEqual(['dist/alias.txt', 'dist/real.txt']);
    const packed = await packFiles(files, 0);
    expect((await readTar(await gunzip(packed.archive))).map((entry) => entry.data.toString())).toEqual(['real', 'real']);

    write(outside, 'secret', 's');
    symlinkSync(join(outside, 'secret'), join(root, 'dist/escape'));
    await expect(collectFiles(root, ['dist'])).rejects.toThrow(/path: dist\/escape is a symbolic link to .*outside the workspace/);
  });

  it('refuses broken links, matches outside the workspace, and globs that match nothing', async () => {
    const root = tempDir();
    write(root, 'dist/a', 'a');
    await expect(collectFiles(root, ['nothing/**'])).rejects.toThrow(/path: no files match nothing\/\*\*/);
    write(root, 'other/x', 'x');
    await expect(collectFiles(join(root, 'dist'), ['../other/x'])).rejects.toThrow(/path: .* is outside the workspace/);
    symlinkSync('missing', join(root, 'dist/broken'));
    await expect(collectFiles(root, ['dist'])).rejects.toThrow(/path: dist\/broken is a broken symbolic link/);
  });
});
