// Hostile archives and manifests (issue #14): each one is refused naming the archive or the field,
// within bounded memory. The archives are built here, byte by byte where a writer would refuse to
// write them; the gzip bombs are generated streaming, never stored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { digestOf, packEntries } from './archive.js';
import { CandidateError, manifestFiles, parseManifest, serializeManifest, type CandidateManifest } from './manifest.js';
import { DEFAULT_TAR_LIMITS, readTar, writeTar, type TarLimits } from './tar.js';
import { checkArchive, extractCandidate, verifyCandidate } from './verify.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A ustar header block as a hostile writer would make it: any name, size field and type. */
function header(name: string, options: { size?: number; sizeField?: Buffer; type?: string; linkname?: string } = {}): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (options.sizeField) options.sizeField.copy(block, 124);
  else block.write(`${(options.size ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(' '.repeat(8), 148);
  block.write(options.type ?? '0', 156);
  if (options.linkname) block.write(options.linkname, 157, 100);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function pad(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** A PAX extended header carrying `records` (key=value), then the entry's own header. */
function paxed(records: Record<string, string>, entry: Buffer): Buffer {
  const body = Object.entries(records)
    .map(([key, value]) => {
      const text = ` ${key}=${value}\n`;
      let length = text.length + 1;
      while (`${length}${text}`.length !== length) length = `${length}${text}`.length;
      return `${length}${text}`;
    })
    .join('');
  return Buffer.concat([header('PaxHeader', { size: body.length, type: 'x' }), pad(Buffer.from(body)), entry]);
}

const END = Buffer.alloc(1024);
const tarOf = (...blocks: Buffer[]) => Buffer.concat([...blocks, END]);

/** gzip of what `chunks` yields, streamed (a 1 GiB bomb never exists uncompressed). */
async function gzipStreamed(chunks: Iterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), createGzip({ level: 9 }), async (gz: AsyncIterable<Buffer>) => {
    for await (const chunk of gz) out.push(chunk);
  });
  return Buffer.concat(out);
}

function* zeros(bytes: number): Generator<Buffer> {
  const chunk = Buffer.alloc(MiB);
  for (let left = bytes; left > 0; left -= MiB) yield left >= MiB ? chunk : chunk.subarray(0, left);
}

/** A manifest that names `archive` exactly (digest and size) and lists `file.txt`: only reading can refuse it. */
function manifestFor(archive: Buffer): CandidateManifest {
  return {
    schema: 'cutover/candidate@1',
    name: 'app',
    version: '1.0.0',
    commit: 'a'.repeat(40),
    commitTime: '2023-11-14T22:13:20.000Z',
    ref: 'refs/heads/main',
    runUrl: 'https://github.com/o/app/actions/runs/1',
    archive: { file: 'app-1.0.0.tar.gz', digest: digestOf(archive), size: archive.length, tarDigest: digestOf(archive) },
    files: [{ path: 'file.txt', size: 1, sha256: '0'.repeat(64), mode: '0644' }],
    gate: null,
  };
}

/**
 * Runs `refuse` and returns its error with the process's peak memory growth: the peak RSS after
 * (the kernel's high-water mark, which only grows) less the RSS before. An upper bound: the
 * high-water mark may come from before the call, never less than what the call used.
 */
async function refusedWithin(refuse: () => Promise<unknown>): Promise<{ error: Error; growth: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const error = await refuse().then(
    () => new Error('not refused'),
    (thrown: Error) => thrown,
  );
  return { error, growth: process.resourceUsage().maxRSS * 1024 - before };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function onDisk(archive: Buffer, manifest: CandidateManifest = manifestFor(archive)): { archive: string; manifest: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-hostile-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'app-1.0.0.tar.gz'), archive);
  writeFileSync(join(dir, 'candidate.json'), serializeManifest(manifest));
  return { archive: join(dir, 'app-1.0.0.tar.gz'), manifest: join(dir, 'candidate.json'), dir };
}

describe('hostile archives', () => {
  // The bombs run first, in a fresh worker, so that the high-water mark is theirs.
  it('refuses a 1 GiB gzip bomb at its header, in bounded memory (defaults)', { timeout: 60_000 }, async () => {
    const size = GiB + 1;
    const bomb = await gzipStreamed([header('zeros.bin', { size }), ...zeros(size), Buffer.alloc(511), END]);
    expect(bomb.length).toBeLessThan(1.1 * MiB);
    const files = onDisk(bomb);
    const { error, growth } = await refusedWithin(() => verifyCandidate(files.archive, files.manifest));
    expect(error).toBeInstanceOf(CandidateError);
    expect(error.message).toBe(
      `${files.archive}: cannot be read as a .tar.gz (tar: "zeros.bin" declares ${size} bytes, more than 1 GiB, the limit for one entry; refused)`,
    );
    expect(growth).toBeLessThan(200 * MiB);
  });

  it('refuses a bomb of zeros that is no tar at all once it unpacks past the total limit, in bounded memory', { timeout: 60_000 }, async () => {
    const bomb = await gzipStreamed(zeros(GiB));
    const limits: TarLimits = { ...DEFAULT_TAR_LIMITS, maxTotalSize: 256 * MiB };
    const { error, growth } = await refusedWithin(() => checkArchive(bomb, manifestFor(bomb), 'zeros.tar.gz', limits));
    expect(error.message).toBe('zeros.tar.gz: cannot be read as a .tar.gz (tar: unpacks to more than 256 MiB, the limit for a whole archive; refused)');
    expect(growth).toBeLessThan(200 * MiB);
  });

  it('refuses entries that together declare more than the total limit, before reading the one that passes it', { timeout: 60_000 }, async () => {
    const limits: TarLimits = { maxEntries: 100, maxEntrySize: 64 * MiB, maxTotalSize: 100 * MiB };
    const entry = (name: string) => [header(name, { size: 40 * MiB }), ...zeros(40 * MiB)];
    const archive = await gzipStreamed([...entry('a'), ...entry('b'), ...entry('c'), END]);
    await expect(checkArchive(archive, manifestFor(archive), 'many.tar.gz', limits)).rejects.toThrow(
      'many.tar.gz: cannot be read as a .tar.gz (tar: entries up to "c" declare more than 100 MiB, the limit for a whole archive; refused)',
    );
  });

  it('refuses a PAX header of negative size (the ~108-byte archive that kept the old reader busy until killed)', async () => {
    // The old reader went back one block for a size of -512 and read the same header forever.
    const tar = Buffer.concat([
      header('PaxHeader', { sizeField: Buffer.from('-0000001000\0'), type: 'x' }),
      header('file.txt', { size: 1 }),
      pad(Buffer.from('x')),
      END,
    ]);
    const archive = gzipSync(tar, { level: 9 });
    expect(archive.length).toBeLessThan(128);
    const files = onDisk(archive);
    const { error, growth } = await refusedWithin(() => verifyCandidate(files.archive, files.manifest));
    expect(error.message).toBe(
      `${files.archive}: cannot be read as a .tar.gz (tar: the archive ends inside an entry: truncated, or a header declares a wrong (even negative) size)`,
    );
    expect(growth).toBeLessThan(200 * MiB);
  });

  it('refuses a negative size a PAX record gives an entry', async () => {
    const archive = gzipSync(tarOf(paxed({ size: '-512' }, header('file.txt'))), { level: 9 });
    const files = onDisk(archive);
    await expect(verifyCandidate(files.archive, files.manifest)).rejects.toThrow(
      `${files.archive}: cannot be read as a .tar.gz (tar: an entry header declares a negative or unreadable size; refused)`,
    );
  });

  it.each([
    [
      'a negative base-256 size field',
      tarOf(header('file.txt', { sizeField: Buffer.from([...Array<number>(11).fill(0xff), 0x00]) })),
      /negative or unreadable size/,
    ],
    [
      'a PAX size past 2^53',
      tarOf(paxed({ size: '99999999999999999999' }, header('file.txt'))),
      /"file\.txt" declares an absurd size \(100000000000000000000\)/,
    ],
    ['a PAX size over the entry limit', tarOf(paxed({ size: String(8 * GiB) }, header('file.txt'))), /"file\.txt" declares 8589934592 bytes, more than 1 GiB/],
    [
      'a PAX header over 4 MiB',
      tarOf(header('PaxHeader', { size: 5 * MiB, type: 'x' }), ...zeros(5 * MiB), header('file.txt')),
      /a PAX or long-name header is larger than 4 MiB/,
    ],
    ['a path with ..', tarOf(header('../../etc/cron.d/x')), /unsafe entry path "\.\.\/\.\.\/etc\/cron\.d\/x"/],
    ['an absolute path', tarOf(header('/etc/passwd')), /unsafe entry path "\/etc\/passwd"/],
    ['.. inside a path', tarOf(header('dist/../../x')), /unsafe entry path "dist\/\.\.\/\.\.\/x"/],
    ['a PAX path with ..', tarOf(paxed({ path: '../x' }, header('innocent.txt'))), /unsafe entry path "\.\.\/x"/],
    ['a directory outside', tarOf(header('../up/', { type: '5' })), /unsafe entry path "\.\.\/up"/],
    ['a symbolic link', tarOf(header('file.txt', { type: '2', linkname: '/etc/passwd' })), /"file\.txt" is not a regular file \(symlink\)/],
    ['a hard link', tarOf(header('file.txt', { type: '1', linkname: 'other' })), /"file\.txt" is not a regular file \(link\)/],
    ['a device', tarOf(header('dev', { type: '3' })), /"dev" is not a regular file \(character-device\)/],
    ['the same path twice', tarOf(header('file.txt'), header('file.txt')), /"file\.txt" appears twice/],
    [
      'a truncated entry',
      header('file.txt', { size: 100 }),
      /the archive ends inside an entry: truncated, or a header declares a wrong \(even negative\) size/,
    ],
    ['a missing end', header('file.txt'), /truncated: the archive ends without its end-of-archive blocks/],
  ])('refuses %s, naming the archive', async (_name, tar, message) => {
    const archive = gzipSync(tar);
    const error = await checkArchive(archive, manifestFor(archive), 'hostile.tar.gz').catch((thrown: Error) => thrown);
    expect(error).toBeInstanceOf(CandidateError);
    expect((error as Error).message).toMatch(/^hostile\.tar\.gz: cannot be read as a \.tar\.gz \(tar: /);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a truncated gzip and a gzip of something else', async () => {
    const good = gzipSync(tarOf(header('file.txt')));
    const cut = good.subarray(0, good.length - 10);
    await expect(checkArchive(cut, manifestFor(cut), 'cut.tar.gz')).rejects.toThrow(/^cut\.tar\.gz: cannot be read as a \.tar\.gz \(unexpected end of file\)/);
    const text = gzipSync(Buffer.from('hello world\n'.repeat(100)));
    await expect(checkArchive(text, manifestFor(text), 'text.tar.gz')).rejects.toThrow(
      /^text\.tar\.gz: cannot be read as a \.tar\.gz \(tar: bad header checksum/,
    );
  });

  it('refuses more entries than the limit, and reads as many as it allows', async () => {
    const entries = Array.from({ length: 11 }, (_, index) => ({ path: `f${String(index).padStart(2, '0')}`, mode: 0o644, data: Buffer.from('x') }));
    const tar = await writeTar(entries, 0);
    const limits: TarLimits = { ...DEFAULT_TAR_LIMITS, maxEntries: 10 };
    await expect(readTar(tar, limits)).rejects.toThrow('tar: more than 10 entries, the limit for one archive; refused');
    await expect(readTar(tar, { ...limits, maxEntries: 11 })).resolves.toHaveLength(11);
  });

  it('refuses 100,001 empty files with the default limits', { timeout: 60_000 }, async () => {
    const headers = Array.from({ length: DEFAULT_TAR_LIMITS.maxEntries + 1 }, (_, index) => header(`f${index}`));
    const archive = gzipSync(tarOf(...headers));
    await expect(checkArchive(archive, manifestFor(archive), 'many.tar.gz')).rejects.toThrow(
      'many.tar.gz: cannot be read as a .tar.gz (tar: more than 100000 entries, the limit for one archive; refused)',
    );
  });

  it('refuses an entry over the size limit a caller sets, before reading its data', async () => {
    const tar = await writeTar([{ path: 'big', mode: 0o644, data: Buffer.alloc(2 * MiB) }], 0);
    await expect(readTar(tar, { ...DEFAULT_TAR_LIMITS, maxEntrySize: MiB })).rejects.toThrow(
      'tar: "big" declares 2097152 bytes, more than 1 MiB, the limit for one entry; refused',
    );
  });

  it('writes nothing when an archive is refused', async () => {
    const files = onDisk(gzipSync(tarOf(header('file.txt', { size: 1 }), pad(Buffer.from('x')), header('../escape'))));
    await expect(extractCandidate(files.archive, files.manifest, join(files.dir, 'out'))).rejects.toThrow(/unsafe entry path "\.\.\/escape"/);
    await expect(import('node:fs/promises').then((fs) => fs.readdir(files.dir))).resolves.toEqual(['app-1.0.0.tar.gz', 'candidate.json']);
  });
});

describe('hostile manifests', () => {
  it.each(['/etc/passwd', '../app.tar.gz', 'sub/app.tar.gz', '..\\app.tar.gz', 'C:app.tar.gz', '..', '.', '', 'app\n.tar.gz'])(
    'refuses archive.file %j, naming the field',
    async (file) => {
      const packed = await packEntries([{ path: 'file.txt', mode: 0o644, data: Buffer.from('x') }], 0);
      const manifest = { ...manifestFor(packed.archive), files: manifestFiles(packed.entries), archive: { ...manifestFor(packed.archive).archive, file } };
      expect(() => parseManifest(JSON.stringify(manifest), 'candidate.json')).toThrow(
        `candidate.json: archive.file must be a plain file name beside the manifest (no "/", "\\", ":" or control character, not "." or ".."), got ${JSON.stringify(file)}`,
      );
      const files = onDisk(packed.archive, manifest);
      await expect(verifyCandidate(files.archive, files.manifest)).rejects.toThrow(/archive\.file must be a plain file name/);
    },
  );

  it('accepts the names build-candidate writes', () => {
    const manifest = manifestFor(Buffer.from('x'));
    for (const file of ['app-1.4.1-rc.7.gabcdef0.tar.gz', 'my_app.v2-1.0.0+build.5.tar.gz', 'app..tar.gz']) {
      expect(parseManifest(JSON.stringify({ ...manifest, archive: { ...manifest.archive, file } }), 'm.json').archive.file).toBe(file);
    }
  });

  it('refuses a negative or fractional archive size', () => {
    const manifest = manifestFor(Buffer.from('x'));
    for (const size of [-1, 1.5, 1e300]) {
      expect(() => parseManifest(JSON.stringify({ ...manifest, archive: { ...manifest.archive, size } }), 'm.json')).toThrow(
        'm.json: archive.size must be a whole number of bytes',
      );
    }
  });
});
