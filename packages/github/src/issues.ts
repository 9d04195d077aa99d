/**
 * Issues as records: open one, or comment on the open one that carries the same hidden marker,
 * so that running a step again adds to the issue it already opened instead of opening another.
 */
import type { GitHubClient } from './client.js';

export interface IssueRepo {
  owner: string;
  repo: string;
}

export interface IssueRecord {
  number: number;
  url: string;
  /** True when this call opened the issue; false when it commented on an open one. */
  created: boolean;
  /** The comment's URL, when it commented. */
  commentUrl?: string;
}

export interface OpenOrCommentOptions {
  title: string;
  body: string;
  /** The first label is the one searched; all are set on a new issue. */
  labels: [string, ...string[]];
  /** Text that only this kind of issue's body holds (an HTML comment is invisible to readers). */
  marker: string;
  /** Posted on the open issue when one with the marker exists. */
  comment: string;
}

/** The newest open issue with `label` whose body holds `marker`. Pull requests are not issues here. */
export async function findOpenIssue(
  client: GitHubClient,
  repo: IssueRepo,
  label: string,
  marker: string,
): Promise<{ number: number; url: string } | undefined> {
  // The label filter is consistent at once, unlike the search API, so an issue opened seconds ago is found.
  const issues = await client.paginate(client.rest.issues.listForRepo, { ...repo, state: 'open', labels: label, per_page: 100 });
  const found = issues.find((issue) => !issue.pull_request && (issue.body ?? '').includes(marker));
  return found ? { number: found.number, url: found.html_url } : undefined;
}

export async function openOrComment(client: GitHubClient, repo: IssueRepo, options: OpenOrCommentOptions): Promise<IssueRecord> {
  const open = await findOpenIssue(client, repo, options.labels[0], options.marker);
  if (open) {
    const { data } = await client.rest.issues.createComment({ ...repo, issue_number: open.number, body: options.comment });
    return { number: open.number, url: open.url, created: false, commentUrl: data.html_url };
  }
  const body = options.body.includes(options.marker) ? options.body : `${options.marker}\n${options.body}`;
  const { data } = await client.rest.issues.create({ ...repo, title: options.title, body, labels: options.labels });
  return { number: data.number, url: data.html_url, created: true };
}
