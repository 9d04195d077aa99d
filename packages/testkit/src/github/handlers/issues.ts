/** Issues, their comments and labels. */
import { label, nodeId, repoApi, repoHtml, timestamp, user, type Body } from '../shapes.js';
import type { GitHubStore } from '../store.js';
import { ApiError, byNumber, str, type Handler } from './api.js';

/** GitHub refuses a comment body longer than this (422 "Body is too long"). */
export const COMMENT_BODY_LIMIT = 65_536;

function checkCommentBody(body: unknown): void {
  if (typeof body === 'string' && body.length > COMMENT_BODY_LIMIT) {
    throw new ApiError(422, 'Validation Failed', [
      { resource: 'IssueComment', code: 'custom', field: 'body', message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)` },
    ]);
  }
}

export function labelFor(store: GitHubStore, name: string): Body {
  // GitHub creates a label the first time an issue is given it.
  let found = store.labels.get(name);
  if (!found) {
    found = label(store.site, name, store.id());
    store.labels.set(name, found);
  }
  return found;
}

function labelNames(value: unknown): string[] {
  return ((value as unknown[] | undefined) ?? []).map((item) => (typeof item === 'string' ? item : str((item as Body).name)));
}

function issueRecord(store: GitHubStore, number: number, fields: { title: string; body: unknown; labels: string[]; now: string }): Body {
  const id = store.id();
  const api = `${repoApi(store.site)}/issues/${number}`;
  return {
    id,
    node_id: nodeId('Issue', id),
    url: api,
    repository_url: repoApi(store.site),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${repoHtml(store.site)}/issues/${number}`,
    number,
    state: 'open',
    state_reason: null,
    title: fields.title,
    body: fields.body ?? null,
    user: user(store.site),
    labels: fields.labels.map((name) => labelFor(store, name)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    closed_at: null,
    created_at: fields.now,
    updated_at: fields.now,
    author_association: 'NONE',
  };
}

export const createIssue: Handler = ({ body, store }) => {
  const issue = issueRecord(store, store.issueNumber(), { title: String(body.title), body: body.body, labels: labelNames(body.labels), now: timestamp() });
  store.issues.push(issue);
  return { status: 201, body: issue };
};

/**
 * On GitHub every pull request is also an issue: that is how it gets comments and labels, and
 * why issue lists include pull requests. Seeded pulls get their issue the first time one is asked for.
 */
function ensurePullIssues(store: GitHubStore): void {
  for (const pull of store.pulls) {
    if (store.issues.some((issue) => issue.number === pull.number)) continue;
    const issue = issueRecord(store, pull.number, {
      title: pull.title ?? `Pull request #${pull.number}`,
      body: pull.body,
      labels: pull.labels ?? [],
      now: timestamp(),
    });
    const html = `${repoHtml(store.site)}/pull/${pull.number}`;
    issue.html_url = html;
    issue.state = pull.state ?? (pull.merged ? 'closed' : 'open');
    issue.pull_request = {
      url: `${repoApi(store.site)}/pulls/${pull.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
    store.issues.push(issue);
  }
}

/** Labels set through the issues API show on the pull request too. */
function syncPullLabels(store: GitHubStore, issue: Body): void {
  const pull = store.pulls.find((candidate) => candidate.number === issue.number);
  if (pull) pull.labels = labelNames(issue.labels);
}

function issueByNumber(store: GitHubStore, number: string): Body {
  ensurePullIssues(store);
  return byNumber(store.issues, 'number', number);
}

export const getIssue: Handler = ({ params, store }) => ({ status: 200, body: issueByNumber(store, params.issue_number ?? '') });

export const updateIssue: Handler = ({ params, body, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
  if (body.body !== undefined) issue.body = body.body;
  if (body.labels !== undefined) issue.labels = labelNames(body.labels).map((name) => labelFor(store, name));
  syncPullLabels(store, issue);
  if (body.state === 'closed' && issue.state !== 'closed') {
    issue.state = 'closed';
    issue.closed_at = timestamp();
    issue.state_reason = body.state_reason ?? 'completed';
  } else if (body.state === 'open' && issue.state !== 'open') {
    issue.state = 'open';
    issue.closed_at = null;
    issue.state_reason = 'reopened';
  }
  issue.updated_at = timestamp();
  return { status: 200, body: issue };
};

export const listIssues: Handler = ({ query, store }) => {
  const state = query.state ?? 'open';
  const wanted = query.labels ? query.labels.split(',').map((name) => name.trim()) : [];
  ensurePullIssues(store);
  let issues = store.issues.filter((issue) => state === 'all' || issue.state === state);
  issues = issues.filter((issue) => wanted.every((name) => labelNames(issue.labels).includes(name)));
  if (query.creator) issues = issues.filter((issue) => (issue.user as Body).login === query.creator);
  if (query.since) issues = issues.filter((issue) => String(issue.updated_at) >= String(query.since));
  const sort = query.sort ?? 'created';
  const key = sort === 'comments' ? 'comments' : sort === 'updated' ? 'updated_at' : 'number';
  issues = [...issues].sort((a, b) => (a[key] as number) - (b[key] as number) || String(a[key]).localeCompare(String(b[key])));
  if ((query.direction ?? 'desc') === 'desc') issues.reverse();
  return { status: 200, body: issues, paginate: true };
};

export const createComment: Handler = ({ params, body, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  checkCommentBody(body.body);
  const id = store.id();
  const now = timestamp();
  const comment: Body = {
    id,
    node_id: nodeId('IssueComment', id),
    url: `${repoApi(store.site)}/issues/comments/${id}`,
    html_url: `${String(issue.html_url)}#issuecomment-${id}`,
    issue_url: issue.url,
    body: body.body,
    user: user(store.site),
    created_at: now,
    updated_at: now,
    author_association: 'NONE',
  };
  store.comments.push(comment);
  issue.comments = (issue.comments as number) + 1;
  return { status: 201, body: comment };
};

/** Edits a comment of any issue of the repository (GitHub finds it by id alone). */
export const updateComment: Handler = ({ params, body, store }) => {
  const comment = byNumber(store.comments, 'id', params.comment_id ?? '');
  checkCommentBody(body.body);
  comment.body = body.body;
  comment.updated_at = timestamp();
  return { status: 200, body: comment };
};

export const listComments: Handler = ({ params, query, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  const comments = store.comments.filter((comment) => comment.issue_url === issue.url && (!query.since || String(comment.updated_at) >= query.since));
  return { status: 200, body: comments, paginate: true };
};

export const addLabels: Handler = ({ params, body, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  const names = new Set([...labelNames(issue.labels), ...labelNames(body.labels)]);
  issue.labels = [...names].map((name) => labelFor(store, name));
  syncPullLabels(store, issue);
  return { status: 200, body: issue.labels };
};
