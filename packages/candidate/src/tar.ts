/**
 * A reproducible tar (POSIX ustar, PAX headers only when ustar cannot hold a path or a size).
 * Pure: the same entries give the same bytes. Every header carries the same mtime, owner 0:0,
 * no user or group name, and a mode of 0644 or 0755. Only regular files are written: directories
 * are implied by the paths (extractors create them), so empty directories are not kept.
 */
const BLOCK = 512;
const USTAR_NAME = 100;
const USTAR_PREFIX = 155;
const MAX_USTAR_SIZE = 0o77777777777; // 11 octal digits

export interface TarEntry {
  /** Relative path with `/` separators. */
  path: string;
  /** 0o644 or 0o755. */
  mode: number;
  data: Buffer;
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
    throw new Error(`tar: unsafe entry path "${path}"`);
  }
  return path;
}

function octal(value: number, width: number): string {
  // width - 1 digits, then NUL.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** Splits a long path at a `/` into ustar's prefix (155 bytes) and name (100 bytes), if it fits. */
function splitUstar(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= USTAR_NAME) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= USTAR_PREFIX && Buffer.byteLength(name) <= USTAR_NAME) return { name, prefix };
  }
  return undefined;
}

interface Header {
  name: string;
  prefix: string;
  mode: number;
  size: number;
  mtime: number;
  type: '0' | 'x';
}

function header(fields: Header): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, USTAR_NAME, 'utf8');
  block.write(octal(fields.mode, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii'); // uid
  block.write(octal(0, 8), 116, 'ascii'); // gid
  block.write(octal(fields.size, 12), 124, 'ascii');
  block.write(octal(fields.mtime, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii'); // checksum is computed with spaces here
  block.write(fields.type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  // uname, gname stay empty; devmajor/devminor are zero.
  block.write(octal(0, 8), 329, 'ascii');
  block.write(octal(0, 8), 337, 'ascii');
  block.write(fields.prefix, 345, USTAR_PREFIX, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** One PAX record: "<length> <key>=<value>\n", where length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + 1;
  while (bodyLength + String(length).length !== length) length = bodyLength + String(length).length;
  return `${length}${body}`;
}

function paxHeader(path: string, size: number, mtime: number): Buffer[] {
  const records: string[] = [];
  if (!splitUstar(path)) records.push(paxRecord('path', path));
  if (size > MAX_USTAR_SIZE) records.push(paxRecord('size', String(size)));
  if (records.length === 0) return [];
  const body = Buffer.from(records.join(''), 'utf8');
  // The header's own name is fixed, so it is the same whatever the entry.
  return [header({ name: 'PaxHeader', prefix: '', mode: 0o644, size: body.length, mtime, type: 'x' }), body, padding(body.length)];
}

/**
 * The tar bytes of `entries`, sorted by path, every mtime set to `mtime` (seconds since 1970).
 * Refuses duplicate or unsafe paths.
 */
export function writeTar(entries: readonly TarEntry[], mtime: number): Buffer {
  if (!Number.isInteger(mtime) || mtime < 0) throw new Error(`tar: mtime must be whole seconds since 1970, got ${mtime}`);
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  const chunks: Buffer[] = [];
  sorted.forEach((entry, index) => {
    checkEntryPath(entry.path);
    if (index > 0 && sorted[index - 1]!.path === entry.path) throw new Error(`tar: "${entry.path}" appears twice`);
    const size = entry.data.length;
    const split = splitUstar(entry.path);
    chunks.push(...paxHeader(entry.path, size, mtime));
    chunks.push(
      header({
        // When PAX carries the path, the ustar name is a truncated stand-in that readers ignore.
        name: split ? split.name : entry.path.slice(-USTAR_NAME).replace(/^[^/]*\//, ''),
        prefix: split ? split.prefix : '',
        mode: normalizeMode(entry.mode),
        size: size > MAX_USTAR_SIZE ? 0 : size,
        mtime,
        type: '0',
      }),
      entry.data,
      padding(size),
    );
  });
  chunks.push(Buffer.alloc(BLOCK * 2)); // end of archive: two zero blocks
  return Buffer.concat(chunks);
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function number(block: Buffer, start: number, length: number): number {
  const value = text(block, start, length).trim();
  return value === '' ? 0 : parseInt(value, 8);
}

function parsePax(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    const length = parseInt(body.subarray(offset, space).toString('ascii'), 10);
    if (space === -1 || !Number.isInteger(length) || length <= 0) throw new Error('tar: malformed PAX header');
    const record = body.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

export interface ReadEntry extends TarEntry {
  mtime: number;
  uid: number;
  gid: number;
}

/**
 * Reads a tar written by `writeTar` (or any ustar/PAX tar of regular files). Refuses links,
 * devices and unsafe paths rather than skipping them: a candidate holds files only.
 */
export function readTar(tar: Buffer): ReadEntry[] {
  const entries: ReadEntry[] = [];
  let pax: Record<string, string> = {};
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return entries;
    const stored = number(block, 148, 8);
    let sum = 0;
    block.forEach((byte, index) => (sum += index >= 148 && index < 156 ? 0x20 : byte));
    if (sum !== stored) throw new Error(`tar: bad header checksum at byte ${offset}`);
    const type = String.fromCharCode(block[156]!);
    const size = pax.size !== undefined ? Number(pax.size) : number(block, 124, 12);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new Error(`tar: truncated at byte ${offset}`);
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + size + padding(size).length;
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    const prefix = text(block, 345, USTAR_PREFIX);
    const name = text(block, 0, USTAR_NAME);
    const path = pax.path ?? (prefix ? `${prefix}/${name}` : name);
    pax = {};
    if (type === '5') continue; // directories carry nothing a candidate needs
    if (type !== '0' && type !== '\0') throw new Error(`tar: "${path}" is not a regular file (type ${JSON.stringify(type)})`);
    entries.push({
      path: checkEntryPath(path),
      mode: number(block, 100, 8),
      uid: number(block, 108, 8),
      gid: number(block, 116, 8),
      mtime: number(block, 136, 12),
      data: Buffer.from(data),
    });
  }
  throw new Error('tar: archive ends without its end-of-archive blocks');
}
