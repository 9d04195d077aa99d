/**
 * Comments on issues and pull requests (GitHub's issue comments API: a pull request is an issue):
 * find one by its content, page by page, then create or edit it. Every call goes through the
 * client, so each has its timeouts (client.ts).
 */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './checks.js';

export interface IssueComment {
  id: number;
  body: string;
  url: string;
  /** Written by someone trusted with the repository (see trustedComment). */
  trusted: boolean;
}

/** Comments per page, GitHub's most. */
export const COMMENTS_PER_PAGE = 100;
/** Pages read looking for a comment: 1,000 comments. */
export const MAX_COMMENT_PAGES = 10;

/** Who may have written a comment Cutover edits: the fields GitHub gives every comment. */
export interface CommentAuthor {
  user?: { type?: string } | null;
  author_association?: string;
}

const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * A comment Cutover may take for its own: written by an app (GITHUB_TOKEN comments as
 * github-actions[bot]) or by someone with write access (a personal token). Anyone can comment on
 * a public repository's pull request, and a comment copying the marker must not be edited into
 * Cutover's: its text would be shown as if Cutover wrote it.
 */
export function trustedComment(comment: CommentAuthor): boolean {
  return comment.user?.type === 'Bot' || TRUSTED_ASSOCIATIONS.has(comment.author_association ?? '');
}

export interface FoundComment {
  /** The oldest trusted comment that matched. */
  comment?: IssueComment;
  /** Pages read. */
  pages: number;
  /** False when more comments were left unread (past maxPages): a missing match is then not proof. */
  complete: boolean;
}

/**
 * The oldest trusted comment of `issue` whose body `matches`, reading pages oldest first (as
 * GitHub lists them) and stopping at the first page that has one. `beforeCall` runs before each
 * request (to count them, or stop on a deadline).
 */
export async function findIssueComment(
  client: GitHubClient,
  repo: RepoRef,
  issue: number,
  matches: (body: string) => boolean,
  options: { maxPages?: number; beforeCall?: (what: string) => void } = {},
): Promise<FoundComment> {
  const maxPages = options.maxPages ?? MAX_COMMENT_PAGES;
  for (let page = 1; page <= maxPages; page++) {
    options.beforeCall?.(`comments of #${issue}, page ${page}`);
    const { data } = await client.rest.issues.listComments({ ...repo, issue_number: issue, per_page: COMMENTS_PER_PAGE, page });
    const found = data.find((comment) => trustedComment(comment) && matches(comment.body ?? ''));
    if (found) return { comment: { id: found.id, body: found.body ?? '', url: found.html_url, trusted: true }, pages: page, complete: true };
    if (data.length < COMMENTS_PER_PAGE) return { pages: page, complete: true };
  }
  return { pages: maxPages, complete: false };
}

export async function createIssueComment(client: GitHubClient, repo: RepoRef, issue: number, body: string): Promise<IssueComment> {
  const { data } = await client.rest.issues.createComment({ ...repo, issue_number: issue, body });
  return { id: data.id, body: data.body ?? body, url: data.html_url, trusted: true };
}

export async function updateIssueComment(client: GitHubClient, repo: RepoRef, commentId: number, body: string): Promise<IssueComment> {
  const { data } = await client.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
  return { id: data.id, body: data.body ?? body, url: data.html_url, trusted: true };
}
