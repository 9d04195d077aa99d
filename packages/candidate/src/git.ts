/** What build-candidate reads from the checked-out repository, with git run by argv. */
import { readCommand } from '@cutover/runtime';

async function git(workspace: string, args: string[]): Promise<string> {
  return (await readCommand('git', args, { cwd: workspace, maxBuffer: 16 * 1024 * 1024 })).trim();
}

/** The commit checked out in `workspace`, or undefined when it is not a git work tree. */
export async function headCommit(workspace: string): Promise<string | undefined> {
  try {
    return await git(workspace, ['rev-parse', '--verify', 'HEAD^{commit}']);
  } catch {
    return undefined;
  }
}

/**
 * The committer time of `commit` in seconds since 1970: the mtime of every archive entry, so that
 * a rebuild of the same commit gives the same bytes. SOURCE_DATE_EPOCH stands in when the commit
 * cannot be read (no checkout); otherwise this fails and says how to fix it.
 */
export async function commitTime(workspace: string, commit: string, sourceDateEpoch?: string): Promise<number> {
  try {
    const text = await git(workspace, ['show', '-s', '--format=%ct', `${commit}^{commit}`]);
    if (/^\d+$/.test(text)) return Number(text);
  } catch {
    // fall through to SOURCE_DATE_EPOCH
  }
  if (sourceDateEpoch !== undefined && /^\d+$/.test(sourceDateEpoch.trim())) return Number(sourceDateEpoch.trim());
  throw new Error(`cannot read the time of commit ${commit} in ${workspace}: check the repository out first (actions/checkout), or set SOURCE_DATE_EPOCH`);
}

/** The workspace's `v*` tags (none when it is not a repository, or a shallow clone without tags). */
export async function versionTags(workspace: string): Promise<string[]> {
  try {
    const text = await git(workspace, ['tag', '--list', 'v*']);
    return text === '' ? [] : text.split('\n');
  } catch {
    return [];
  }
}
