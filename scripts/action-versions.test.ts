// One version of each third-party action wherever a user copies from: README.md, the action pages
// it is generated from (docs/actions/*.md) and examples/workflows. An action pinned by commit SHA
// carries its tag in a trailing comment (`actions/checkout@<sha> # v7.0.1`): the SHA and the tag
// must both agree, and a SHA without its tag is refused (nobody could tell what it is).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(new URL('.', import.meta.url).pathname, '..');

interface Use {
  /** owner/repo: two paths of one repository (github/codeql-action/init, /analyze) are one action. */
  action: string;
  /** The version as written: the ref, or `<sha> # <tag>` when pinned by SHA. */
  version: string;
  where: string;
}

/** Every third-party `uses: owner/repo[/path]@ref [# tag]` of a file (ours, local and docker ones left out). */
export function thirdPartyUses(file: string, text: string): { uses: Use[]; problems: string[] } {
  const uses: Use[] = [];
  const problems: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const match = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'@]+)@([^\s"'#]+)["']?(?:\s+#\s*(\S+))?/.exec(line);
    if (!match) continue;
    const [, name, ref, comment] = match;
    const action = name!.split('/').slice(0, 2).join('/');
    if (/^(cutover|OWNER)\/cutover$/.test(action) || name!.startsWith('./') || name!.startsWith('docker:')) continue;
    const where = `${file}:${index + 1}`;
    const pinned = /^[0-9a-f]{40}$/.test(ref!);
    if (pinned && !comment) problems.push(`${where}: ${action} is pinned by SHA without its tag in a comment (# vX.Y.Z)`);
    uses.push({ action, version: pinned ? `${ref} # ${comment ?? '?'}` : ref!, where });
  }
  return { uses, problems };
}

/** Each action named with more than one version, and where. */
export function versionProblems(files: { file: string; text: string }[]): string[] {
  const problems: string[] = [];
  const byAction = new Map<string, Map<string, string[]>>();
  for (const { file, text } of files) {
    const found = thirdPartyUses(file, text);
    problems.push(...found.problems);
    for (const use of found.uses) {
      const versions = byAction.get(use.action) ?? new Map<string, string[]>();
      versions.set(use.version, [...(versions.get(use.version) ?? []), use.where]);
      byAction.set(use.action, versions);
    }
  }
  for (const [action, versions] of [...byAction].sort(([a], [b]) => a.localeCompare(b))) {
    if (versions.size > 1) problems.push(`${action}: ${[...versions].map(([version, where]) => `@${version} (${where.join(', ')})`).join(' vs ')}`);
  }
  return problems;
}

function files(): { file: string; text: string }[] {
  const read = (file: string) => ({ file, text: readFileSync(join(root, file), 'utf8') });
  const listed = (dir: string, pattern: RegExp) =>
    readdirSync(join(root, dir))
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => read(`${dir}/${name}`));
  return [read('README.md'), ...listed('docs/actions', /\.md$/), ...listed('examples/workflows', /\.ya?ml$/)];
}

describe('third-party action versions', () => {
  it('are one per action across README.md, docs/actions and examples/workflows', () => {
    const all = files();
    // Something to compare: the README and the examples check out the repository.
    expect(all.flatMap(({ file, text }) => thirdPartyUses(file, text).uses).filter((use) => use.action === 'actions/checkout').length).toBeGreaterThan(5);
    expect(versionProblems(all)).toEqual([]);
  });

  it('tell a tag from another tag, a SHA from another SHA, and a SHA from a tag', () => {
    const sha = 'a'.repeat(40);
    const other = 'b'.repeat(40);
    const file = (name: string, ...lines: string[]) => ({ file: name, text: lines.join('\n') });
    expect(
      versionProblems([
        file('a.yml', '  - uses: actions/checkout@v5'),
        file('b.md', '      - uses: actions/checkout@v5', '    uses: cutover/cutover/actions/rollback@v1'),
      ]),
    ).toEqual([]);
    expect(versionProblems([file('a.yml', '  - uses: actions/checkout@v4'), file('b.md', 'x', '  - uses: actions/checkout@v5')])).toEqual([
      'actions/checkout: @v4 (a.yml:1) vs @v5 (b.md:2)',
    ]);
    expect(versionProblems([file('a.yml', `  - uses: actions/checkout@${sha} # v5.0.0`, `  - uses: actions/checkout@${sha} # v5.0.0`)])).toEqual([]);
    expect(versionProblems([file('a.yml', `  - uses: actions/checkout@${sha} # v5.0.0`, `  - uses: actions/checkout@${other} # v5.0.0`)])).toEqual([
      `actions/checkout: @${sha} # v5.0.0 (a.yml:1) vs @${other} # v5.0.0 (a.yml:2)`,
    ]);
    expect(versionProblems([file('a.yml', `  - uses: actions/checkout@${sha} # v5.0.0`, '  - uses: actions/checkout@v5')])).toHaveLength(1);
    expect(
      versionProblems([file('a.yml', `  - uses: github/codeql-action/init@${sha} # v4.1.0`, `  - uses: github/codeql-action/analyze@${sha} # v4.2.0`)]),
    ).toHaveLength(1);
    expect(versionProblems([file('a.yml', `  - uses: actions/checkout@${sha}`)])).toEqual([
      'a.yml:1: actions/checkout is pinned by SHA without its tag in a comment (# vX.Y.Z)',
    ]);
  });
});
