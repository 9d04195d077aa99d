/**
 * Verifying a candidate before it is deployed: the archive's digest, then every file in it,
 * against candidate.json. A deploying action calls `verifyCandidate` (or `extractCandidate`)
 * with its `candidate` input and refuses to go on when it throws.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { digestOf, gunzip, sha256 } from './archive.js';
import { CandidateError, parseManifest, type CandidateManifest } from './manifest.js';
import { readTar, type ReadEntry } from './tar.js';

const SHOWN = 5;

/**
 * Pure: the entries of `archive` when it matches `manifest` byte for byte and file for file;
 * otherwise a CandidateError listing what differs (`label` names the archive in the message).
 */
export function checkArchive(archive: Buffer, manifest: CandidateManifest, label: string): ReadEntry[] {
  const digest = digestOf(archive);
  if (digest !== manifest.archive.digest) {
    throw new CandidateError(
      `${label}: digest ${digest} does not match the manifest's ${manifest.archive.digest} (${manifest.name} ${manifest.version}); refusing a candidate that is not the one built`,
    );
  }
  let entries: ReadEntry[];
  try {
    entries = readTar(gunzip(archive));
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
    else if (entry.data.length !== file.size) problems.push(`${entry.path} has ${entry.data.length} bytes, the manifest says ${file.size}`);
    else if (sha256(entry.data) !== file.sha256) problems.push(`${entry.path} has sha256 ${sha256(entry.data)}, the manifest says ${file.sha256}`);
    else if ((entry.mode & 0o777).toString(8).padStart(4, '0') !== file.mode) problems.push(`${entry.path} has mode ${(entry.mode & 0o777).toString(8)}, the manifest says ${file.mode}`);
  }
  for (const path of expected.keys()) if (!seen.has(path)) problems.push(`${path} is missing from the archive`);
  if (problems.length > 0) {
    const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : '';
    throw new CandidateError(`${label}: does not match its manifest: ${problems.slice(0, SHOWN).join('; ')}${more}`);
  }
  return entries;
}

/**
 * Verifies a candidate archive against its manifest (candidate.json): the archive's sha256 must be
 * the manifest's `archive.digest`, and every entry's path, size, sha256 and mode must be listed,
 * with nothing missing and nothing extra. Returns the manifest; throws a CandidateError saying what
 * differs otherwise. Reads both files whole.
 */
export async function verifyCandidate(archivePath: string, manifestPath: string): Promise<CandidateManifest> {
  const manifest = parseManifest(await readText(manifestPath), manifestPath);
  checkArchive(await readBytes(archivePath), manifest, archivePath);
  return manifest;
}

/**
 * Verifies (as `verifyCandidate`) and then writes the candidate's files under `destination`
 * (created if needed), with their modes. Nothing is written when verification fails.
 */
export async function extractCandidate(archivePath: string, manifestPath: string, destination: string): Promise<CandidateManifest> {
  const manifest = parseManifest(await readText(manifestPath), manifestPath);
  const entries = checkArchive(await readBytes(archivePath), manifest, archivePath);
  for (const entry of entries) {
    const target = join(destination, entry.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.data);
    await chmod(target, entry.mode & 0o777);
  }
  return manifest;
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
