/**
 * The migrations of the live release and of the checkout, read with git (argv arrays, and an
 * environment without the action's inputs: git never sees the token or the database URL).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
// semver's functions one by one: its index loads every range and comparator (build-candidate's version.ts).
import prerelease from 'semver/functions/prerelease.js';
import rcompare from 'semver/functions/rcompare.js';
import valid from 'semver/functions/valid.js';
import { errorMessage, InputError } from '@cutover/config';
import { childEnvironment, readCommand } from '@cutover/runtime';

const git = (cwd: string, args: string[]): Promise<string> => readCommand('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });

/** The top of the work tree that holds `workspace`. */
export async function repositoryRoot(workspace: string): Promise<string> {
  try {
    return (await git(workspace, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    throw new Error(
      `${workspace} is not a git checkout (${errorMessage(error).split('\n')[0]}): check the repository out first (actions/checkout with fetch-depth: 0)`,
      { cause: error },
    );
  }
}

export interface BaseRef {
  /** As given, or the release tag found. */
  ref: string;
  commit: string;
}

/**
 * The highest release tag: `v<semver>` without a pre-release part (build-candidate's
 * `v1.4.1-rc.57.g…` candidates are not releases). @cutover/candidate's lastReleased() says the
 * same from versions, but importing it brought @actions/artifact and @actions/attest into this
 * bundle (4.9 MB more in dist/migration-check/, measured): the rule is restated here.
 */
export function lastReleaseTag(tags: readonly string[]): string | undefined {
  const releases = tags.filter((tag) => {
    const version = tag.startsWith('v') ? valid(tag.slice(1)) : null;
    return version !== null && prerelease(version) === null;
  });
  return releases.sort((a, b) => rcompare(a.slice(1), b.slice(1)))[0];
}

/**
 * The live release: `base` when given, else the highest release tag (`v<semver>`, no
 * pre-release) reachable from HEAD and not on HEAD itself (checking a release tag against itself
 * would find nothing new).
 */
export async function resolveBase(root: string, base: string | undefined): Promise<BaseRef> {
  if (base) {
    try {
      return { ref: base, commit: (await git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`])).trim() };
    } catch {
      throw new InputError(`base: ${base} is not a commit of this checkout; fetch it (actions/checkout with fetch-depth: 0 brings every tag and branch)`);
    }
  }
  const tags = (await git(root, ['tag', '--merged', 'HEAD', '--no-contains', 'HEAD', '--list', 'v*'])).split('\n').filter(Boolean);
  const ref = lastReleaseTag(tags);
  if (!ref) {
    throw new InputError(
      'base: no release tag (v1.2.3) is reachable from HEAD; set base to the ref of the live release, or fetch tags (actions/checkout with fetch-depth: 0)',
    );
  }
  return { ref, commit: (await git(root, ['rev-parse', '--verify', `${ref}^{commit}`])).trim() };
}

/** Whether a repository path matches the globs: any plain one, and no `!` one. */
export function matchesGlobs(path: string, globs: string[]): boolean {
  const options = { dot: true };
  const include = globs.filter((glob) => !glob.startsWith('!'));
  const exclude = globs.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1));
  return (
    include.some((glob) => minimatch(path, glob.replace(/^\.\//, ''), options)) && !exclude.some((glob) => minimatch(path, glob.replace(/^\.\//, ''), options))
  );
}

// Made on first use: a Collator loads ICU's collation data, 5-6 ms of migration-check's start when
// it was made as the module loaded (CPU profile, #15), before the action's first check.
let collator: Intl.Collator | undefined;

/** The order migrations run in: by path, numbers compared as numbers (V2 before V10). */
export function migrationOrder(paths: Iterable<string>): string[] {
  collator ??= new Intl.Collator('en', { numeric: true });
  return [...paths].sort(collator.compare);
}

/** The matching files of a commit, with their text, read in one `git cat-file --batch`. */
export async function filesAtCommit(root: string, commit: string, globs: string[]): Promise<Map<string, string>> {
  const paths = (await git(root, ['ls-tree', '-r', '-z', '--name-only', commit])).split('\0').filter((path) => path && matchesGlobs(path, globs));
  const files = new Map<string, string>();
  if (paths.length === 0) return files;
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, env: childEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git cat-file --batch exited ${code}: ${stderr}`))));
    child.stdin.end(paths.map((path) => `${commit}:${path}\n`).join(''));
  });
  // Each answer: "<sha> blob <size>\n<size bytes>\n".
  let offset = 0;
  for (const path of paths) {
    const headerEnd = output.indexOf(0x0a, offset);
    const size = Number(output.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    files.set(path, output.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

/** The matching files of the checkout (tracked or new, not ignored), with their text. */
export async function filesInCheckout(root: string, globs: string[]): Promise<Map<string, string>> {
  const paths = (await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']))
    .split('\0')
    .filter((path) => path && matchesGlobs(path, globs));
  const files = new Map<string, string>();
  for (const path of new Set(paths)) {
    const text = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (text !== undefined) files.set(path, text);
  }
  return files;
}

export interface MigrationChanges {
  /** The live release's migrations, in order. */
  base: string[];
  /** New since the live release, in order. */
  added: string[];
  /** Present in both with other contents. */
  edited: string[];
  /** Gone from the checkout. */
  removed: string[];
}

/** What changed between the live release's migrations and the checkout's. */
export function migrationChanges(base: Map<string, string>, head: Map<string, string>): MigrationChanges {
  return {
    base: migrationOrder(base.keys()),
    added: migrationOrder([...head.keys()].filter((path) => !base.has(path))),
    edited: migrationOrder([...head.keys()].filter((path) => base.has(path) && base.get(path) !== head.get(path))),
    removed: migrationOrder([...base.keys()].filter((path) => !head.has(path))),
  };
}
