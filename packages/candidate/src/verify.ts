/**
 * Verifying a candidate before it is deployed: the archive's size and digest, then every file in
 * it, against candidate.json. A deploying action calls `verifyCandidate` (or `extractCandidate`)
 * with its `candidate` input and refuses to go on when it throws.
 *
 * The archive's bytes are read once; entries are streamed from them (hashed, or written when
 * extracting), so memory holds the .tar.gz and never what it unpacks to. The unpacking stays within
 * `TarLimits` (DEFAULT_TAR_LIMITS unless a caller passes others).
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { digestOf, readArchiveEntries } from './archive.js';
import { CandidateError, parseManifest, type CandidateManifest } from './manifest.js';
import { DEFAULT_TAR_LIMITS, formatBytes, hashStream, type TarLimits } from './tar.js';

// What blue-green-switch imports (as @cutover/candidate/verify) to check a `candidate` input: the
// package's index would bring build-candidate's run, whose lazy imports (releases, @actions/artifact,
// attestations) made 2.2 MB of chunks reachable from the switch and their licences part of its own.
export { parseManifest };

const SHOWN = 5;

/** One file of a verified archive. */
export interface CheckedEntry {
  path: string;
  mode: number;
  size: number;
  /** Hex, without a prefix. */
  sha256: string;
}

/**
 * The files of `archive` when it matches `manifest` byte for byte and file for file; otherwise a
 * CandidateError listing what differs (`label` names the archive in the message). An archive that
 * cannot be read, or passes `limits`, is refused naming `label` and why.
 */
export async function checkArchive(
  archive: Buffer,
  manifest: CandidateManifest,
  label: string,
  limits: TarLimits = DEFAULT_TAR_LIMITS,
): Promise<CheckedEntry[]> {
  const digest = digestOf(archive);
  if (digest !== manifest.archive.digest) {
    throw new CandidateError(
      `${label}: digest ${digest} does not match the manifest's ${manifest.archive.digest} (${manifest.name} ${manifest.version}); refusing a candidate that is not the one built`,
    );
  }
  const entries: CheckedEntry[] = [];
  try {
    await readArchiveEntries(
      archive,
      async (entry, data) => {
        entries.push({ path: entry.path, mode: entry.mode, ...(await hashStream(data)) });
      },
      limits,
    );
  } catch (error) {
    throw new CandidateError(`${label}: cannot be read as a .tar.gz (${(error as Error).message})`);
  }
  const expected = new Map(manifest.files.map((file) => [file.path, file]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const file = expected.get(entry.path);
    seen.add(entry.path);
    if (!file) problems.push(`${entry.path} is not in the manifest`);
    else if (entry.size !== file.size) problems.push(`${entry.path} has ${entry.size} bytes, the manifest says ${file.size}`);
    else if (entry.sha256 !== file.sha256) problems.push(`${entry.path} has sha256 ${entry.sha256}, the manifest says ${file.sha256}`);
    else if ((entry.mode & 0o777).toString(8).padStart(4, '0') !== file.mode)
      problems.push(`${entry.path} has mode ${(entry.mode & 0o777).toString(8)}, the manifest says ${file.mode}`);
  }
  for (const path of expected.keys()) if (!seen.has(path)) problems.push(`${path} is missing from the archive`);
  if (problems.length > 0) {
    const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : '';
    throw new CandidateError(`${label}: does not match its manifest: ${problems.slice(0, SHOWN).join('; ')}${more}`);
  }
  return entries;
}

/**
 * Verifies a candidate archive against its manifest (candidate.json): the archive's size and sha256
 * must be the manifest's `archive.size` and `archive.digest`, and every entry's path, size, sha256
 * and mode must be listed, with nothing missing and nothing extra. Returns the manifest; throws a
 * CandidateError saying what differs otherwise.
 */
export async function verifyCandidate(archivePath: string, manifestPath: string, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<CandidateManifest> {
  const manifest = parseManifest(await readText(manifestPath), manifestPath);
  await checkArchive(await readArchive(archivePath, manifest, limits), manifest, archivePath, limits);
  return manifest;
}

/**
 * Verifies (as `verifyCandidate`) and then writes the candidate's files under `destination`
 * (created if needed), with their modes. Nothing is written when verification fails: the files are
 * streamed a second time from the same bytes, whose digest was checked.
 */
export async function extractCandidate(
  archivePath: string,
  manifestPath: string,
  destination: string,
  limits: TarLimits = DEFAULT_TAR_LIMITS,
): Promise<CandidateManifest> {
  const manifest = parseManifest(await readText(manifestPath), manifestPath);
  const archive = await readArchive(archivePath, manifest, limits);
  await checkArchive(archive, manifest, archivePath, limits);
  await readArchiveEntries(
    archive,
    async (entry, data) => {
      const target = join(destination, entry.path);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(data, createWriteStream(target));
      await chmod(target, entry.mode & 0o777);
    },
    limits,
  );
  return manifest;
}

/**
 * The archive's bytes, after checking its size on disk against the manifest (a file of another size
 * is not the candidate, and is not read) and against what `limits` lets it unpack to.
 */
async function readArchive(path: string, manifest: CandidateManifest, limits: TarLimits): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new CandidateError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (size !== manifest.archive.size) {
    throw new CandidateError(
      `${path}: has ${size} bytes, the manifest says ${manifest.archive.size} (${manifest.name} ${manifest.version}); refusing a candidate that is not the one built`,
    );
  }
  if (size > limits.maxTotalSize) {
    throw new CandidateError(`${path}: ${formatBytes(size)} is more than the ${formatBytes(limits.maxTotalSize)} a candidate may unpack to; refused`);
  }
  return readBytes(path);
}

async function readText(path: string): Promise<string> {
  return (await readBytes(path)).toString('utf8');
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CandidateError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
