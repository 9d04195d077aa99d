/**
 * Reproducible tar archives, written and read with tar-stream (pinned in package.json).
 *
 * Why tar-stream: it is "a streaming tar parser and generator and nothing else": it never touches
 * the file system, so verification reads entries as streams and nothing is written until the whole
 * archive has been checked; its packer takes every header field from us (mtime, owner, mode),
 * which reproducibility needs. node-tar packs from and extracts to the disk (stat gives modes and
 * times; filters and `portable` would have to undo that). tar-stream refuses a negative or
 * unreadable size and caps PAX/long-name headers at 4 MiB; the limits below bound the rest.
 * It was already in the tree (through @actions/artifact's archiver).
 *
 * Written archives are POSIX ustar (PAX headers when ustar cannot hold a path): entries sorted by
 * the bytes of their paths, every mtime the same, owner 0:0, no user or group name, modes 0644 or
 * 0755. Only regular files are written: directories are implied by the paths.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import tarStream, { type Pack } from 'tar-stream';

export interface TarEntry {
  /** Relative path with `/` separators. */
  path: string;
  /** 0o644 or 0o755. */
  mode: number;
  data: Buffer;
}

/**
 * What reading an archive may cost. Memory does not grow with these (entries are streamed: peak
 * RSS stayed under 210 MB, the process included, for every bomb tried); time and, when extracting,
 * disk do. Gunzip alone ran at 250–420 MB/s on the 2-core machine; gunzip, tar and sha256 of a
 * 1 GiB entry took 4–5 s of CPU. The worst case the defaults let through before refusing (five
 * entries of 1000 MiB of zeros, a 5 MB .tar.gz) was refused after 14.6 s user CPU, 186 MB peak RSS.
 */
export interface TarLimits {
  /** Entries of any kind (files, directories, the links that are then refused). */
  maxEntries: number;
  /** Bytes of one entry, as its header declares them (checked before its data is read). */
  maxEntrySize: number;
  /** Bytes of the tar itself once gunzipped: headers, data and padding. */
  maxTotalSize: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Defaults for deployable candidates: a large Node.js service with its node_modules is about
 * 30–60 thousand files and a few hundred MB; a single file over 1 GiB (a GitHub release asset
 * stops at 2 GiB compressed) or a candidate over 4 GiB unpacked is not what a deploy step ships.
 * Callers pass other limits to `readTarEntries`, `checkArchive`, `verifyCandidate`.
 */
export const DEFAULT_TAR_LIMITS: Readonly<TarLimits> = Object.freeze({
  maxEntries: 100_000,
  maxEntrySize: 1 * GiB,
  maxTotalSize: 4 * GiB,
});

export class TarError extends Error {
  constructor(message: string) {
    super(`tar: ${message}`);
    this.name = 'TarError';
  }
}

/** 1536 B, 12 MiB, 1 GiB: for messages. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}

/** Byte order of the UTF-8 paths: the same in every locale. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** 0755 when any execute bit is set, else 0644: the one permission bit worth keeping. */
export function normalizeMode(mode: number): number {
  return mode & 0o111 ? 0o755 : 0o644;
}

/** Refuses what an extractor could turn against its user: absolute paths, `..`, empty parts. */
export function checkEntryPath(path: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..') || path.includes('\0')) {
    throw new TarError(`unsafe entry path ${JSON.stringify(path)}`);
  }
  return path;
}

/** tar-stream writes mtime as a signed 32-bit number of seconds: 2038-01-19 is its last second. */
const MAX_MTIME = 2 ** 31 - 1;

/** Sorted, checked entries: refuses unsafe and repeated paths and an mtime tar-stream cannot write. */
function sortedEntries(entries: readonly TarEntry[], mtime: number): TarEntry[] {
  if (!Number.isInteger(mtime) || mtime < 0 || mtime > MAX_MTIME) {
    throw new TarError(`mtime must be whole seconds since 1970, up to ${MAX_MTIME} (2038-01-19), got ${mtime}`);
  }
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  sorted.forEach((entry, index) => {
    checkEntryPath(entry.path);
    if (index > 0 && sorted[index - 1]!.path === entry.path) throw new TarError(`"${entry.path}" appears twice`);
  });
  return sorted;
}

/**
 * The tar stream of `entries`, sorted by path, every mtime set to `mtime` (seconds since 1970).
 * Refuses duplicate or unsafe paths before anything is written.
 *
 * The entries go to the packer one at a time: tar-stream queues pending entries in an array it
 * shifts, so handing it 100,000 at once took 7.2 s (quadratic), one at a time 1.3 s. The stream is
 * tar-stream's own (a streamx Readable): wrapped in Readable.from(async generator), 100,000
 * entries took 6.2 s instead.
 */
export function tarStreamOf(entries: readonly TarEntry[], mtime: number): AsyncIterable<Buffer> {
  const sorted = sortedEntries(entries, mtime);
  const pack: Pack = tarStream.pack();
  const date = new Date(mtime * 1000);
  const feed = async () => {
    for (const entry of sorted) {
      const header = { name: entry.path, type: 'file', mode: normalizeMode(entry.mode), mtime: date, uid: 0, gid: 0, uname: '', gname: '' } as const;
      await new Promise<void>((resolve, reject) => pack.entry(header, entry.data, (error) => (error ? reject(error) : resolve())));
    }
    pack.finalize();
  };
  feed().catch((error: unknown) => pack.destroy(error as Error));
  return pack as AsyncIterable<Buffer>;
}

/** The tar bytes of `entries` (see `tarStreamOf`). Same entries and mtime, same bytes. */
export async function writeTar(entries: readonly TarEntry[], mtime: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStreamOf(entries, mtime)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** One entry's header, as read. */
export interface TarEntryInfo {
  path: string;
  mode: number;
  size: number;
  mtime: number;
  uid: number;
  gid: number;
}

export interface ReadEntry extends TarEntry {
  mtime: number;
  uid: number;
  gid: number;
}

/** tar-stream's terse messages, said for a person. */
function explain(error: unknown): Error {
  if (error instanceof TarError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'Invalid header') return new TarError('an entry header declares a negative or unreadable size; refused');
  if (message === 'Header exceeds max size') return new TarError('a PAX or long-name header is larger than 4 MiB; refused');
  // Also where a PAX or long-name header declares a negative size: tar-stream reads past it (every
  // header costs a block, so it cannot loop) and the archive then ends out of step.
  if (message === 'Unexpected end of data')
    return new TarError('the archive ends inside an entry: truncated, or a header declares a wrong (even negative) size');
  if (message.startsWith('Invalid tar header. Maybe')) return new TarError('bad header checksum (not a tar, or a corrupted one)');
  if (message === 'Invalid tar header: unknown format.') return new TarError('a header is neither ustar nor GNU tar');
  // zlib's own errors ("incorrect header check", "unexpected end of file") say enough.
  return error instanceof Error ? error : new Error(message);
}

const END_OF_ARCHIVE = 1024;

interface Count {
  total: number;
  /** The last bytes seen, up to END_OF_ARCHIVE. */
  tail: Buffer;
}

/** Counts the tar's bytes as they pass, refusing more than `limit`. */
async function* counted(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limit: number, count: Count): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    count.total += buffer.length;
    if (count.total > limit) throw new TarError(`unpacks to more than ${formatBytes(limit)}, the limit for a whole archive; refused`);
    count.tail = Buffer.concat([count.tail, buffer.subarray(-END_OF_ARCHIVE)]).subarray(-END_OF_ARCHIVE);
    yield buffer;
  }
}

/** tar-stream accepts an archive cut between two entries; a whole one ends with two zero blocks. */
function checkEnd(count: Count): void {
  if (count.total % 512 !== 0 || count.tail.length < END_OF_ARCHIVE || count.tail.some((byte) => byte !== 0)) {
    throw new TarError('truncated: the archive ends without its end-of-archive blocks');
  }
}

function checkLimits(limits: TarLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`tar limits: ${name} must be a positive whole number, got ${value}`);
  }
}

/**
 * Reads a tar (the bytes after gunzip) as a stream, calling `visit` for each regular file with a
 * stream of its data, which `visit` must read to its end. Directories are skipped (a candidate's
 * paths imply them); links, devices and unsafe or repeated paths are refused rather than skipped:
 * a candidate holds files only. Refuses, before reading its data, an entry over
 * `limits.maxEntrySize` or one that would pass `maxEntries` or `maxTotalSize`.
 */
export async function readTarEntries(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  visit: (entry: TarEntryInfo, data: AsyncIterable<Buffer>) => Promise<void>,
  limits: TarLimits = DEFAULT_TAR_LIMITS,
): Promise<void> {
  checkLimits(limits);
  const extract = tarStream.extract();
  let failure: Error | undefined;
  // The feeding side fails first when gunzip or the byte count does; the entry loop then sees the same error.
  const count: Count = { total: 0, tail: Buffer.alloc(0) };
  const fed = pipeline(counted(source, limits.maxTotalSize, count), extract).catch((error: unknown) => {
    failure ??= explain(error);
  });
  const seen = new Set<string>();
  let declared = 0;
  try {
    for await (const stream of extract) {
      const header = stream.header;
      if (seen.size >= limits.maxEntries) throw new TarError(`more than ${limits.maxEntries} entries, the limit for one archive; refused`);
      const path = header.name;
      if (!Number.isSafeInteger(header.size) || header.size < 0) throw new TarError(`"${path}" declares an absurd size (${header.size}); refused`);
      if (header.size > limits.maxEntrySize) {
        throw new TarError(`"${path}" declares ${header.size} bytes, more than ${formatBytes(limits.maxEntrySize)}, the limit for one entry; refused`);
      }
      declared += header.size;
      if (declared > limits.maxTotalSize)
        throw new TarError(`entries up to "${path}" declare more than ${formatBytes(limits.maxTotalSize)}, the limit for a whole archive; refused`);
      const key = path.replace(/\/+$/, '');
      if (seen.has(key)) throw new TarError(`"${path}" appears twice`);
      seen.add(key);
      if (header.type === 'directory') {
        checkEntryPath(key);
        stream.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        throw new TarError(`"${path}" is not a regular file (${header.type ?? 'unknown type'})`);
      }
      checkEntryPath(path);
      const info: TarEntryInfo = {
        path,
        mode: header.mode,
        size: header.size,
        mtime: Math.round(header.mtime.getTime() / 1000),
        uid: header.uid,
        gid: header.gid,
      };
      await visit(info, stream as AsyncIterable<Buffer>);
    }
  } catch (error) {
    failure ??= explain(error);
    extract.destroy();
  }
  await fed;
  if (failure) throw failure;
  checkEnd(count);
}

/** Reads a whole tar into memory (within `limits`): for small archives and tests. */
export async function readTar(tar: Buffer | AsyncIterable<Uint8Array>, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  await readTarEntries(
    Buffer.isBuffer(tar) ? [tar] : tar,
    async (info, data) => {
      const chunks: Buffer[] = [];
      for await (const chunk of data) chunks.push(chunk);
      entries.push({ path: info.path, mode: info.mode, uid: info.uid, gid: info.gid, mtime: info.mtime, data: Buffer.concat(chunks) });
    },
    limits,
  );
  return entries;
}

/** sha256 and size of a stream, read to its end. */
export async function hashStream(data: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of data) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
