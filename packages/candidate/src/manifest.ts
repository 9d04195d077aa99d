/** candidate.json: what was built, from which commit, by which run, after which gate. */
import type { TarEntry } from './tar.js';
import { sha256 } from './archive.js';

export const MANIFEST_FILE = 'candidate.json';
export const MANIFEST_SCHEMA = 'cutover/candidate@1';

/** The check run that let this commit through (`null` when require-gate was false). */
export interface GateRecord {
  name: string;
  checkRunId: number;
  url: string;
  conclusion: string;
}

export interface ManifestFile {
  path: string;
  size: number;
  /** Hex, without a prefix. */
  sha256: string;
  mode: '0644' | '0755';
}

export interface CandidateManifest {
  schema: typeof MANIFEST_SCHEMA;
  name: string;
  version: string;
  commit: string;
  /** The commit's time, ISO 8601: the mtime of every entry of the archive. */
  commitTime: string;
  ref: string;
  runUrl: string;
  archive: {
    file: string;
    /** `sha256:<hex>` of the .tar.gz. */
    digest: string;
    size: number;
    /** `sha256:<hex>` of the tar inside. */
    tarDigest: string;
  };
  files: ManifestFile[];
  gate: GateRecord | null;
}

export class CandidateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CandidateError';
  }
}

export function manifestFiles(entries: readonly TarEntry[]): ManifestFile[] {
  return entries.map((entry) => ({
    path: entry.path,
    size: entry.data.length,
    sha256: sha256(entry.data),
    mode: entry.mode & 0o111 ? '0755' : '0644',
  }));
}

/** Stable text: same manifest, same bytes (keys in declaration order, two-space indent). */
export function serializeManifest(manifest: CandidateManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * A name that stays beside the manifest whatever joins it to a directory: no separator of any
 * platform (`/`, `\\`), no drive (`C:name` is relative to drive C's current directory on Windows),
 * no control character, and not `.` or `..`. Without a separator, `..` inside a name
 * (`app..tar.gz`) leads nowhere, so only the whole names are refused.
 */
export function isPlainFileName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name !== '' && name !== '.' && name !== '..' && !/[/\\:\u0000-\u001f\u007f]/.test(name);
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HEX = /^[0-9a-f]{64}$/;

/** Parses and checks the shape of a manifest; errors name `source` and the field. */
export function parseManifest(text: string, source: string): CandidateManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CandidateError(`${source}: not JSON (${(error as Error).message})`);
  }
  const bad = (field: string, expected: string): never => {
    throw new CandidateError(`${source}: ${field} must be ${expected}`);
  };
  const record = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(field, 'an object');
  const manifest = record(value, 'the manifest');
  if (manifest.schema !== MANIFEST_SCHEMA) bad('schema', `"${MANIFEST_SCHEMA}"`);
  for (const field of ['name', 'version', 'commit', 'commitTime', 'ref', 'runUrl'] as const) {
    if (typeof manifest[field] !== 'string') bad(field, 'a string');
  }
  const archive = record(manifest.archive, 'archive');
  if (typeof archive.file !== 'string' || !isPlainFileName(archive.file)) {
    throw new CandidateError(
      `${source}: archive.file must be a plain file name beside the manifest (no "/", "\\", ":" or control character, not "." or ".."), got ${JSON.stringify(archive.file)}`,
    );
  }
  if (typeof archive.digest !== 'string' || !DIGEST.test(archive.digest)) bad('archive.digest', 'sha256:<64 hex digits>');
  if (typeof archive.tarDigest !== 'string' || !DIGEST.test(archive.tarDigest)) bad('archive.tarDigest', 'sha256:<64 hex digits>');
  if (!Number.isSafeInteger(archive.size) || (archive.size as number) < 0) bad('archive.size', 'a whole number of bytes');
  if (!Array.isArray(manifest.files)) bad('files', 'a list');
  (manifest.files as unknown[]).forEach((item, index) => {
    const file = record(item, `files[${index}]`);
    if (typeof file.path !== 'string' || file.path === '') bad(`files[${index}].path`, 'a path');
    if (!Number.isSafeInteger(file.size) || (file.size as number) < 0) bad(`files[${index}].size`, 'a whole number');
    if (typeof file.sha256 !== 'string' || !HEX.test(file.sha256)) bad(`files[${index}].sha256`, '64 hex digits');
    if (file.mode !== '0644' && file.mode !== '0755') bad(`files[${index}].mode`, '"0644" or "0755"');
  });
  if (manifest.gate !== null) {
    const gate = record(manifest.gate, 'gate');
    if (typeof gate.name !== 'string' || !Number.isInteger(gate.checkRunId) || typeof gate.url !== 'string' || typeof gate.conclusion !== 'string') {
      bad('gate', 'null or { name, checkRunId, url, conclusion }');
    }
  }
  return manifest as unknown as CandidateManifest;
}
