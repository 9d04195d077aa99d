// CHANGELOG.md at release time: the Unreleased section becomes `## [X.Y.Z] - YYYY-MM-DD`, a new
// empty Unreleased section goes above it, and the compare links at the bottom follow.
//
//   node scripts/changelog.ts check <version>                      refuses what release would refuse
//   node scripts/changelog.ts release <version> [--date YYYY-MM-DD] [--notes <file>] [--file <path>]
//
// Run by the release workflow with plain Node 24 (which strips the types itself): the check before
// CI, the release after it. Only erasable TypeScript here, and no import but Node's own.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export class ChangelogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangelogError';
  }
}

const UNRELEASED = /^## \[?unreleased\]?\s*$/i;
const LINK = /^\[([^\]]+)\]:\s*(\S+)\s*$/;

interface Sections {
  lines: string[];
  /** Index of the `## [Unreleased]` line. */
  heading: number;
  /** First line after the section (the next `## `, the link definitions, or the end). */
  end: number;
}

function findUnreleased(text: string): Sections {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const heading = lines.findIndex((line) => UNRELEASED.test(line));
  if (heading < 0) throw new ChangelogError('CHANGELOG.md: no "## [Unreleased]" section');
  let end = heading + 1;
  while (end < lines.length && !/^## /.test(lines[end]!) && !LINK.test(lines[end]!)) end++;
  return { lines, heading, end };
}

/** Drops `### Kind` headings with nothing under them, and blank lines at either end. */
function tidy(body: string[]): string[] {
  const kept = body.filter((line, index) => {
    if (!/^### /.test(line)) return true;
    const next = body.slice(index + 1).find((after) => after.trim() !== '');
    return next !== undefined && !/^#{2,3} /.test(next);
  });
  const text = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? text.split('\n') : [];
}

/** What `release` would refuse, thrown before anything is written. */
export function checkRelease(text: string, version: string, date?: string): void {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new ChangelogError(`version: expected X.Y.Z, got "${version}"`);
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ChangelogError(`date: expected YYYY-MM-DD, got "${date}"`);
  const { lines, heading, end } = findUnreleased(text);
  if (lines.some((line) => new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`).test(line))) {
    throw new ChangelogError(`CHANGELOG.md: ${version} already has a section`);
  }
  if (!tidy(lines.slice(heading + 1, end)).some((line) => /^\s*[-*] \S/.test(line))) {
    throw new ChangelogError('CHANGELOG.md: the Unreleased section lists no change; write what this release changes there first');
  }
}

/**
 * The changelog with the Unreleased section released as `version` on `date`, and that section's
 * text (the release notes). Pure.
 */
export function releaseChangelog(text: string, version: string, date: string): { changelog: string; notes: string } {
  checkRelease(text, version, date);
  const { lines, heading, end } = findUnreleased(text);
  const body = tidy(lines.slice(heading + 1, end));
  const before = lines.slice(0, heading + 1);
  const after = lines.slice(end);

  // Links: [Unreleased] compares the new tag with HEAD; the version compares with the previous
  // tag, or is the release page when there was none.
  const links = after.map((line) => LINK.exec(line));
  const at = links.findIndex((match) => match?.[1]?.toLowerCase() === 'unreleased');
  if (at >= 0) {
    const url = links[at]![2]!;
    const base = /^(https?:\/\/[^/]+\/[^/]+\/[^/]+)\//.exec(url)?.[1];
    if (base) {
      const previous = /\/compare\/(.+)\.\.\.HEAD$/.exec(url)?.[1];
      after.splice(
        at,
        1,
        `[Unreleased]: ${base}/compare/v${version}...HEAD`,
        `[${version}]: ${previous ? `${base}/compare/${previous}...v${version}` : `${base}/releases/tag/v${version}`}`,
      );
    }
  }

  const released = [...before, '', `## [${version}] - ${date}`, '', ...body, '', ...after];
  const changelog = `${released
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
  return { changelog, notes: `${body.join('\n')}\n` };
}

function main(argv: string[]): void {
  const [command, version, ...rest] = argv;
  const option = (name: string) => {
    const index = rest.indexOf(name);
    return index >= 0 ? rest[index + 1] : undefined;
  };
  const file = resolve(option('--file') ?? 'CHANGELOG.md');
  const text = readFileSync(file, 'utf8');
  if (command === 'check' && version) {
    checkRelease(text, version);
    console.log(`CHANGELOG.md: ready to release ${version}`);
    return;
  }
  if (command !== 'release' || !version)
    throw new ChangelogError('usage: changelog.ts check <version> | release <version> [--date YYYY-MM-DD] [--notes <file>] [--file <path>]');
  const date = option('--date') ?? new Date().toISOString().slice(0, 10);
  const { changelog, notes } = releaseChangelog(text, version, date);
  writeFileSync(file, changelog);
  const notesFile = option('--notes');
  if (notesFile) writeFileSync(notesFile, notes);
  console.log(`CHANGELOG.md: released ${version} on ${date}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ChangelogError)) throw error;
    console.error(`::error::${error.message}`);
    process.exitCode = 1;
  }
}
