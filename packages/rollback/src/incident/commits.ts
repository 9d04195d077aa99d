/** Suspect commits from GitHub's compare and commit-pulls responses. Pure. */
import type { SuspectCommit, SuspectPull } from './body.js';

export interface CompareCommit {
  sha: string;
  html_url?: string;
  commit: { message: string; author?: { name?: string } | null };
  author?: { login?: string } | null;
}

export interface CommitPull {
  number: number;
  title: string;
  html_url: string;
  user?: { login?: string } | null;
  merged_at?: string | null;
}

/** How many commits the incident lists (compare returns up to 250); the rest are counted. */
export const MAX_SUSPECTS = 30;

/** Newest first, as a reader starts from the most recent change. */
export function suspectCommits(commits: readonly CompareCommit[], pullsBySha: ReadonlyMap<string, readonly CommitPull[]>): SuspectCommit[] {
  return [...commits].reverse().map((entry) => {
    const pulls: SuspectPull[] = (pullsBySha.get(entry.sha) ?? []).map((pull) => ({
      number: pull.number,
      title: pull.title,
      url: pull.html_url,
      ...(pull.user?.login ? { author: pull.user.login } : {}),
    }));
    // A GitHub login is mentioned (@login); a bare git author name is not a user to notify.
    const author = entry.author?.login ? `@${entry.author.login}` : (entry.commit.author?.name ?? undefined);
    return {
      sha: entry.sha,
      title: entry.commit.message.split('\n')[0] ?? '',
      ...(author ? { author } : {}),
      ...(entry.html_url ? { url: entry.html_url } : {}),
      pulls,
    };
  });
}

/** The commits whose pull requests are looked up: the newest MAX_SUSPECTS. */
export function commitsToExamine<T>(commits: readonly T[]): T[] {
  return commits.slice(-MAX_SUSPECTS);
}
