/**
 * Collecting the files of a candidate and packing them into a reproducible .tar.gz.
 * The archive holds regular files only, with paths relative to the workspace.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as glob from '@actions/glob';
import { InputError } from '@cutover/config';
import { comparePaths, normalizeMode, writeTar, type TarEntry } from './tar.js';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>`, the form of every digest Cutover prints. */
export function digestOf(data: Buffer): string {
  return `sha256:${sha256(data)}`;
}

/**
 * gzip without a time in its header and with a fixed OS byte, so that the bytes depend on
 * the tar alone. zlib already writes MTIME 0 and, on Unix, OS 3; other platforms' zlib builds
 * write another OS byte, which the header's CRC does not cover, so it is set here.
 */
export function gzipReproducible(tar: Buffer): Buffer {
  const gz = gzipSync(tar, { level: 9 });
  gz.writeUInt32LE(0, 4); // MTIME
  gz[9] = 3; // OS: Unix
  return gz;
}

export function gunzip(archive: Buffer): Buffer {
  return gunzipSync(archive);
}

function insideRoot(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Globs relative to the workspace (a leading `!` excludes), made absolute for @actions/glob. */
function rootedPatterns(root: string, patterns: readonly string[]): string {
  return patterns
    .map((pattern) => {
      const negate = pattern.startsWith('!');
      const body = negate ? pattern.slice(1) : pattern;
      return `${negate ? '!' : ''}${isAbsolute(body) ? body : join(root, body)}`;
    })
    .join('\n');
}

export interface CollectedFile {
  /** Path in the archive: relative to the workspace, `/` separators. */
  path: string;
  /** Where the bytes are read from (a link's target, for a symbolic link inside the workspace). */
  source: string;
  mode: number;
}

/**
 * The regular files the `path` globs match under `workspace`, sorted. A symbolic link is packed
 * as the file it points to when that file is inside the workspace; a link that leads outside,
 * to a directory, or nowhere is refused, as is any match outside the workspace.
 */
export async function collectFiles(workspace: string, patterns: readonly string[]): Promise<CollectedFile[]> {
  const root = await realpath(workspace);
  const globber = await glob.create(rootedPatterns(root, patterns), {
    followSymbolicLinks: false,
    matchDirectories: false,
    implicitDescendants: true,
    omitBrokenSymbolicLinks: false,
  });
  const files = new Map<string, CollectedFile>();
  for await (const match of globber.globGenerator()) {
    const path = insideRoot(root, match);
    if (path === undefined) throw new InputError(`path: ${match} is outside the workspace ${root}`);
    const info = await lstat(match);
    if (info.isFile()) {
      files.set(path, { path, source: match, mode: normalizeMode(info.mode) });
      continue;
    }
    if (!info.isSymbolicLink()) throw new InputError(`path: ${path} is not a regular file`);
    let target: string;
    try {
      target = await realpath(match);
    } catch {
      throw new InputError(`path: ${path} is a broken symbolic link`);
    }
    if (insideRoot(root, target) === undefined) {
      throw new InputError(`path: ${path} is a symbolic link to ${target}, outside the workspace; a candidate holds the workspace's files only`);
    }
    const targetInfo = await stat(target);
    if (!targetInfo.isFile()) throw new InputError(`path: ${path} is a symbolic link to a directory or special file; match the files themselves`);
    files.set(path, { path, source: target, mode: normalizeMode(targetInfo.mode) });
  }
  if (files.size === 0) throw new InputError(`path: no files match ${patterns.join(', ')} in ${root}`);
  return [...files.values()].sort((a, b) => comparePaths(a.path, b.path));
}

export interface PackedArchive {
  /** The .tar.gz bytes. */
  archive: Buffer;
  /** `sha256:<hex>` of the .tar.gz. */
  digest: string;
  /** `sha256:<hex>` of the uncompressed tar: the same across zlib builds. */
  tarDigest: string;
  entries: TarEntry[];
}

/** Packs entries (pure): same entries and mtime, same bytes. */
export function packEntries(entries: readonly TarEntry[], mtime: number): PackedArchive {
  const tar = writeTar(entries, mtime);
  const archive = gzipReproducible(tar);
  return { archive, digest: digestOf(archive), tarDigest: digestOf(tar), entries: [...entries] };
}

/** Reads the collected files and packs them with every mtime set to `mtime`. */
export async function packFiles(files: readonly CollectedFile[], mtime: number): Promise<PackedArchive> {
  const entries: TarEntry[] = [];
  for (const file of files) entries.push({ path: file.path, mode: file.mode, data: await readFile(file.source) });
  return packEntries(entries, mtime);
}
