// The release workflow's CHANGELOG step: Unreleased becomes the version with its date.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRelease, releaseChangelog } from './changelog.js';

const script = fileURLToPath(new URL('./changelog.ts', import.meta.url));
const repoChangelog = fileURLToPath(new URL('../CHANGELOG.md', import.meta.url));

const first = `# Changelog

Intro.

## [Unreleased]

### Added

- One thing.
- Another, on
  two lines.

### Removed

[Unreleased]: https://github.com/cutover/cutover/commits/HEAD
`;

describe('releaseChangelog', () => {
  it('makes the first release: the section gets the version and date, a new Unreleased above, links follow', () => {
    const { changelog, notes } = releaseChangelog(first, '1.0.0', '2026-12-03');
    expect(changelog).toBe(`# Changelog

Intro.

## [Unreleased]

## [1.0.0] - 2026-12-03

### Added

- One thing.
- Another, on
  two lines.

[Unreleased]: https://github.com/cutover/cutover/compare/v1.0.0...HEAD
[1.0.0]: https://github.com/cutover/cutover/releases/tag/v1.0.0
`);
    expect(notes).toBe('### Added\n\n- One thing.\n- Another, on\n  two lines.\n');
  });

  it('makes the next release, comparing with the previous tag, and keeps older sections as they were', () => {
    const once = releaseChangelog(first, '1.0.0', '2026-12-03').changelog;
    const written = once.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- A bug.\n');
    const { changelog } = releaseChangelog(written, '1.0.1', '2026-12-10');
    expect(changelog).toContain('## [Unreleased]\n\n## [1.0.1] - 2026-12-10\n\n### Fixed\n\n- A bug.\n\n## [1.0.0] - 2026-12-03\n\n### Added\n\n- One thing.');
    expect(changelog).toContain(
      '[Unreleased]: https://github.com/cutover/cutover/compare/v1.0.1...HEAD\n[1.0.1]: https://github.com/cutover/cutover/compare/v1.0.0...v1.0.1\n[1.0.0]: https://github.com/cutover/cutover/releases/tag/v1.0.0\n',
    );
  });

  it('refuses, naming why: a bad version or date, no section, nothing listed, a version released before', () => {
    expect(() => releaseChangelog(first, 'v1.0', '2026-12-03')).toThrow('version: expected X.Y.Z, got "v1.0"');
    expect(() => releaseChangelog(first, '1.0.0', '3 Dec')).toThrow('date: expected YYYY-MM-DD, got "3 Dec"');
    expect(() => releaseChangelog('# Changelog\n', '1.0.0', '2026-12-03')).toThrow('CHANGELOG.md: no "## [Unreleased]" section');
    expect(() => releaseChangelog('## [Unreleased]\n\n### Added\n\n## [0.9.0] - 2026-01-01\n\n- Old.\n', '1.0.0', '2026-12-03')).toThrow(
      /the Unreleased section lists no change/,
    );
    const released = releaseChangelog(first, '1.0.0', '2026-12-03').changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n- More.\n');
    expect(() => releaseChangelog(released, '1.0.0', '2026-12-04')).toThrow('CHANGELOG.md: 1.0.0 already has a section');
  });

  it("accepts the repository's own CHANGELOG.md", () => {
    expect(() => checkRelease(readFileSync(repoChangelog, 'utf8'), '1.0.0')).not.toThrow();
  });
});

describe('changelog.ts as the release workflow runs it (plain node)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'changelog-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks, then writes CHANGELOG.md and the notes', async () => {
    const file = join(scratch, 'CHANGELOG.md');
    const notes = join(scratch, 'notes.md');
    writeFileSync(file, first);
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [script, ...args, '--file', file]);
    expect((await run('check', '1.0.0')).stdout).toContain('ready to release 1.0.0');
    await run('release', '1.0.0', '--date', '2026-12-03', '--notes', notes);
    expect(readFileSync(file, 'utf8')).toBe(releaseChangelog(first, '1.0.0', '2026-12-03').changelog);
    expect(readFileSync(notes, 'utf8')).toBe(releaseChangelog(first, '1.0.0', '2026-12-03').notes);
    const refused = await run('check', '1.0.0').catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('::error::CHANGELOG.md: 1.0.0 already has a section') });
  }, 30_000);
});
