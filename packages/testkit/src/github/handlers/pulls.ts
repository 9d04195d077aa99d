/** Seeded pull requests, compares and branch rules, served in GitHub's shapes. */
import { commit, nodeId, repoApi, repoHtml, repository, user, type Body } from '../shapes.js';
import { fakeSha, type FileSeed, type GitHubStore, type PullSeed } from '../store.js';
import { notFound, type Handler } from './api.js';
import { labelFor } from './issues.js';

function pullRequest(store: GitHubStore, pull: PullSeed, full: boolean): Body {
  const api = `${repoApi(store.site)}/pulls/${pull.number}`;
  const html = `${repoHtml(store.site)}/pull/${pull.number}`;
  const issueApi = `${repoApi(store.site)}/issues/${pull.number}`;
  const repo = repository(store.site);
  const owner = user(store.site, store.site.owner, 1000);
  const side = (ref: string, sha: string): Body => ({ label: `${store.site.owner}:${ref}`, ref, sha, user: owner, repo });
  const merged = pull.merged === true;
  const created = '2024-05-06T07:08:09Z';
  const body: Body = {
    url: api,
    id: pull.number * 1000,
    node_id: nodeId('PullRequest', pull.number),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(store.site)}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${repoApi(store.site)}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state ?? (merged ? 'closed' : 'open'),
    locked: false,
    title: pull.title ?? `Pull request #${pull.number}`,
    user: user(store.site, pull.user ?? 'octocat', 583231),
    body: pull.body ?? null,
    labels: (pull.labels ?? []).map((name) => labelFor(store, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: created,
    updated_at: created,
    closed_at: merged || pull.state === 'closed' ? created : null,
    merged_at: merged ? created : null,
    merge_commit_sha: pull.merge_commit_sha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head.ref, pull.head.sha),
    base: side(pull.base.ref, pull.base.sha ?? store.resolveSha(pull.base.ref) ?? fakeSha(pull.base.ref)),
    _links: Object.fromEntries(
      Object.entries({
        self: api,
        html,
        issue: issueApi,
        comments: `${issueApi}/comments`,
        review_comments: `${api}/comments`,
        review_comment: `${repoApi(store.site)}/pulls/comments{/number}`,
        commits: `${api}/commits`,
        statuses: `${repoApi(store.site)}/statuses/${pull.head.sha}`,
      }).map(([key, href]) => [key, { href }]),
    ),
    author_association: 'CONTRIBUTOR',
    auto_merge: null,
    draft: false,
  };
  if (!full) return body;
  const files = pull.files ?? [];
  return {
    ...body,
    merged,
    mergeable: merged ? null : true,
    rebaseable: merged ? null : true,
    mergeable_state: merged ? 'unknown' : 'clean',
    merged_by: merged ? user(store.site, 'octocat', 583231) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: files.reduce((sum, file) => sum + (file.additions ?? 0), 0),
    deletions: files.reduce((sum, file) => sum + (file.deletions ?? 0), 0),
    changed_files: files.length,
  };
}

function diffEntry(store: GitHubStore, file: FileSeed, ref: string): Body {
  const additions = file.additions ?? 1;
  const deletions = file.deletions ?? 0;
  const path = file.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: fakeSha(`${ref}:${file.filename}`),
    filename: file.filename,
    status: file.status ?? 'modified',
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${repoHtml(store.site)}/blob/${ref}/${path}`,
    raw_url: `${repoHtml(store.site)}/raw/${ref}/${path}`,
    contents_url: `${repoApi(store.site)}/contents/${path}?ref=${ref}`,
    ...(file.patch === undefined ? {} : { patch: file.patch }),
    ...(file.previous_filename === undefined ? {} : { previous_filename: file.previous_filename }),
  };
}

export const listPulls: Handler = ({ query, store }) => {
  const state = query.state ?? 'open';
  let pulls = store.pulls.filter((pull) => state === 'all' || (pull.state ?? (pull.merged ? 'closed' : 'open')) === state);
  if (query.head) pulls = pulls.filter((pull) => `${store.site.owner}:${pull.head.ref}` === query.head || pull.head.ref === query.head);
  if (query.base) pulls = pulls.filter((pull) => pull.base.ref === query.base);
  pulls = [...pulls].sort((a, b) => a.number - b.number);
  if ((query.direction ?? ((query.sort ?? 'created') === 'created' ? 'desc' : 'asc')) === 'desc') pulls.reverse();
  return { status: 200, body: pulls.map((pull) => pullRequest(store, pull, false)), paginate: true };
};

function pullByNumber(store: GitHubStore, number: string): PullSeed {
  const pull = store.pulls.find((candidate) => String(candidate.number) === number);
  if (!pull) throw notFound();
  return pull;
}

export const getPull: Handler = ({ params, store }) => ({ status: 200, body: pullRequest(store, pullByNumber(store, params.pull_number ?? ''), true) });

export const listPullFiles: Handler = ({ params, store }) => {
  const pull = pullByNumber(store, params.pull_number ?? '');
  return { status: 200, body: (pull.files ?? []).map((file) => diffEntry(store, file, pull.head.sha)), paginate: true };
};

export const listPullsForCommit: Handler = ({ params, store }) => {
  const sha = params.commit_sha ?? '';
  const pulls = store.pulls.filter((pull) => pull.head.sha === sha || pull.merge_commit_sha === sha);
  return { status: 200, body: pulls.map((pull) => pullRequest(store, pull, false)), paginate: true };
};

export const compareCommits: Handler = ({ params, store }) => {
  const base = params.base ?? '';
  const head = params.head ?? '';
  const seed = store.compare(base, head);
  const baseSha = store.resolveSha(base) ?? fakeSha(base);
  const aheadBy = seed.commits.length;
  const behindBy = seed.behindBy ?? 0;
  const status = aheadBy && behindBy ? 'diverged' : aheadBy ? 'ahead' : behindBy ? 'behind' : 'identical';
  const baseCommit = commit(store.site, { sha: baseSha, message: `Base ${base}` });
  return {
    status: 200,
    body: {
      url: `${repoApi(store.site)}/compare/${base}...${head}`,
      html_url: `${repoHtml(store.site)}/compare/${base}...${head}`,
      permalink_url: `${repoHtml(store.site)}/compare/${store.site.owner}:${baseSha.slice(0, 7)}...${store.site.owner}:${head}`,
      diff_url: `${repoHtml(store.site)}/compare/${base}...${head}.diff`,
      patch_url: `${repoHtml(store.site)}/compare/${base}...${head}.patch`,
      base_commit: baseCommit,
      merge_base_commit: baseCommit,
      status,
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      commits: seed.commits.map((seedCommit) => commit(store.site, seedCommit)),
      files: (seed.files ?? []).map((file) => diffEntry(store, file, head)),
    },
    paginate: 'commits',
  };
};

export const getBranchRules: Handler = ({ params, store }) => {
  const rules = (store.branchRules.get(params.branch ?? '') ?? []).map((rule) => ({
    ruleset_source_type: rule.ruleset_source_type ?? 'Repository',
    ruleset_source: rule.ruleset_source ?? `${store.site.owner}/${store.site.repo}`,
    ruleset_id: rule.ruleset_id ?? 1,
    type: rule.type,
    ...(rule.parameters === undefined ? {} : { parameters: rule.parameters }),
  }));
  return { status: 200, body: rules, paginate: true };
};
