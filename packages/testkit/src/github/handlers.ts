/**
 * What the stand-in does for each operation, by operationId: GitHub's behaviour as its docs
 * describe it (defaults, 404s, 409s and 422s included), over the in-memory store.
 */
import { createHash } from 'node:crypto';
import { actionsApp, commit, label, nodeId, repoApi, repoHtml, repository, timestamp, user, type Body } from './shapes.js';
import { fakeSha, type FileSeed, type GitHubStore, type PullSeed } from './store.js';

export interface HandlerRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body ({} when none). */
  body: Body;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  store: GitHubStore;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  /** The answer is a list to page through: the whole body, or the array under this key. */
  paginate?: true | string;
}

export type Handler = (request: HandlerRequest) => HandlerResult;

/** An answer GitHub gives with `{ message, documentation_url }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Body[],
  ) {
    super(message);
  }
}

const notFound = (): ApiError => new ApiError(404, 'Not Found');

function byNumber<T extends Body>(items: readonly T[], key: string, value: string): T {
  const found = items.find((item) => String(item[key]) === value);
  if (!found) throw notFound();
  return found;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

// --- check runs -------------------------------------------------------------------------------

function applyCheckRunChanges(store: GitHubStore, run: Body, body: Body): void {
  for (const key of ['name', 'details_url', 'external_id', 'started_at'] as const) if (typeof body[key] === 'string') run[key] = body[key];
  if (typeof body.conclusion === 'string') {
    // GitHub: giving a conclusion completes the run.
    run.conclusion = body.conclusion;
    run.status = 'completed';
    run.completed_at = str(body.completed_at) || timestamp();
  } else if (typeof body.status === 'string') {
    if (body.status === 'completed') throw new ApiError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
    run.status = body.status;
  }
  const output = body.output as Body | undefined;
  if (output) {
    const current = run.output as Body;
    current.title = output.title ?? current.title;
    current.summary = output.summary ?? current.summary;
    current.text = output.text ?? current.text;
    // Annotations accumulate across updates: that is how more than 50 are sent.
    const stored = store.annotations.get(run.id as number) ?? [];
    for (const annotation of (output.annotations as Body[] | undefined) ?? []) {
      stored.push({
        path: annotation.path,
        blob_href: `${repoHtml(store.site)}/blob/${String(run.head_sha)}/${String(annotation.path)}`,
        start_line: annotation.start_line,
        end_line: annotation.end_line,
        start_column: annotation.start_column ?? null,
        end_column: annotation.end_column ?? null,
        annotation_level: annotation.annotation_level,
        title: annotation.title ?? null,
        message: annotation.message,
        raw_details: annotation.raw_details ?? null,
      });
    }
    store.annotations.set(run.id as number, stored);
    current.annotations_count = stored.length;
  }
}

function pullRequestMinimal(store: GitHubStore, pull: PullSeed): Body {
  const repo = { id: store.site.repoId, url: repoApi(store.site), name: store.site.repo };
  return {
    id: pull.number * 1000,
    number: pull.number,
    url: `${repoApi(store.site)}/pulls/${pull.number}`,
    head: { ref: pull.head.ref, sha: pull.head.sha, repo },
    base: { ref: pull.base.ref, sha: pull.base.sha ?? store.resolveSha(pull.base.ref) ?? fakeSha(pull.base.ref), repo },
  };
}

const createCheckRun: Handler = ({ body, store }) => {
  const id = store.id();
  const run: Body = {
    id,
    node_id: nodeId('CheckRun', id),
    head_sha: body.head_sha,
    external_id: '',
    url: `${repoApi(store.site)}/check-runs/${id}`,
    html_url: `${repoHtml(store.site)}/runs/${id}`,
    details_url: `${repoHtml(store.site)}/runs/${id}`,
    status: 'queued',
    conclusion: null,
    started_at: timestamp(),
    completed_at: null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${repoApi(store.site)}/check-runs/${id}/annotations` },
    name: body.name,
    check_suite: { id: 1 },
    app: actionsApp(store.site),
    pull_requests: store.pulls.filter((pull) => pull.head.sha === body.head_sha && (pull.state ?? 'open') === 'open').map((pull) => pullRequestMinimal(store, pull)),
  };
  applyCheckRunChanges(store, run, body);
  store.checkRuns.push(run);
  return { status: 201, body: run };
};

const updateCheckRun: Handler = ({ params, body, store }) => {
  const run = byNumber(store.checkRuns, 'id', params.check_run_id ?? '');
  applyCheckRunChanges(store, run, body);
  return { status: 200, body: run };
};

const getCheckRun: Handler = ({ params, store }) => ({ status: 200, body: byNumber(store.checkRuns, 'id', params.check_run_id ?? '') });

const listCheckRunAnnotations: Handler = ({ params, store }) => {
  const run = byNumber(store.checkRuns, 'id', params.check_run_id ?? '');
  return { status: 200, body: store.annotations.get(run.id as number) ?? [], paginate: true };
};

const listCheckRunsForRef: Handler = ({ params, query, store }) => {
  const sha = store.resolveSha(params.ref ?? '');
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${params.ref}`);
  let runs = store.checkRunsFor(sha).reverse();
  if (query.check_name) runs = runs.filter((run) => run.name === query.check_name);
  if (query.status) runs = runs.filter((run) => run.status === query.status);
  if ((query.filter ?? 'latest') === 'latest') {
    const seen = new Set<unknown>();
    runs = runs.filter((run) => !seen.has(run.name) && seen.add(run.name));
  }
  return { status: 200, body: { total_count: runs.length, check_runs: runs }, paginate: 'check_runs' };
};

// --- commit statuses --------------------------------------------------------------------------

const createCommitStatus: Handler = ({ params, body, store }) => {
  const id = store.id();
  const now = timestamp();
  const status: Body = {
    url: `${repoApi(store.site)}/statuses/${params.sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    id,
    node_id: nodeId('StatusContext', id),
    state: body.state,
    description: body.description ?? null,
    target_url: body.target_url ?? null,
    context: str(body.context, 'default'),
    created_at: now,
    updated_at: now,
    creator: user(store.site),
    sha: params.sha,
  };
  store.statuses.push(status);
  return { status: 201, body: withoutSha(status) };
};

function withoutSha(status: Body): Body {
  const { sha: _sha, ...rest } = status;
  return rest;
}

function statusesForRef(store: GitHubStore, ref: string): Body[] {
  const sha = store.resolveSha(ref);
  if (!sha) throw notFound();
  return store.statuses.filter((status) => status.sha === sha).reverse();
}

const listCommitStatuses: Handler = ({ params, store }) => ({ status: 200, body: statusesForRef(store, params.ref ?? '').map(withoutSha), paginate: true });

/** GitHub's combined state: failure beats pending beats success; no statuses is pending. */
export function combinedState(states: readonly string[]): 'failure' | 'pending' | 'success' {
  if (states.some((state) => state === 'failure' || state === 'error')) return 'failure';
  if (states.length === 0 || states.some((state) => state === 'pending')) return 'pending';
  return 'success';
}

const getCombinedStatus: Handler = ({ params, store }) => {
  const ref = params.ref ?? '';
  const sha = store.resolveSha(ref) ?? '';
  const latest = new Map<unknown, Body>();
  for (const status of statusesForRef(store, ref)) if (!latest.has(status.context)) latest.set(status.context, status);
  const statuses = [...latest.values()].map(({ creator: _creator, sha: _sha, ...rest }) => rest);
  const { owner: _owner, ...repo } = repository(store.site);
  return {
    status: 200,
    body: {
      state: combinedState(statuses.map((status) => String(status.state))),
      statuses,
      sha,
      total_count: statuses.length,
      repository: { ...repo, owner: user(store.site, store.site.owner, 1000) },
      commit_url: `${repoApi(store.site)}/commits/${sha}`,
      url: `${repoApi(store.site)}/commits/${sha}/status`,
    },
    paginate: 'statuses',
  };
};

// --- deployments -------------------------------------------------------------------------------

/** Contexts that are not green on a sha: commit statuses and check runs, latest of each name. */
function unmetContexts(store: GitHubStore, sha: string, required: string[] | undefined): string[] {
  const state = new Map<string, boolean>();
  for (const status of store.statuses.filter((s) => s.sha === sha)) state.set(String(status.context), status.state === 'success');
  for (const run of store.checkRunsFor(sha)) state.set(String(run.name), ['success', 'neutral', 'skipped'].includes(String(run.conclusion)));
  const contexts = required ?? [...state.keys()];
  return contexts.filter((context) => state.get(context) !== true);
}

const createDeployment: Handler = ({ body, store }) => {
  const ref = String(body.ref);
  const sha = store.resolveSha(ref);
  if (!sha) throw new ApiError(422, `No ref found for: ${ref}`);
  // GitHub refuses to deploy a ref whose status checks are not green, unless told which to verify.
  const unmet = unmetContexts(store, sha, body.required_contexts as string[] | undefined);
  if (unmet.length > 0) {
    throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, [
      { contexts: unmet.map((context) => ({ context, state: 'pending' })), resource: 'Deployment', field: 'required_contexts', code: 'invalid' },
    ]);
  }
  const id = store.id();
  const now = timestamp();
  const environment = str(body.environment, 'production');
  const deployment: Body = {
    url: `${repoApi(store.site)}/deployments/${id}`,
    id,
    node_id: nodeId('Deployment', id),
    sha,
    ref,
    task: str(body.task, 'deploy'),
    payload: body.payload ?? {},
    original_environment: environment,
    environment,
    description: body.description ?? '',
    creator: user(store.site),
    created_at: now,
    updated_at: now,
    statuses_url: `${repoApi(store.site)}/deployments/${id}/statuses`,
    repository_url: repoApi(store.site),
    transient_environment: body.transient_environment === true,
    production_environment: typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
    performed_via_github_app: null,
  };
  if (typeof deployment.payload === 'string' && deployment.payload !== '') {
    try {
      deployment.payload = JSON.parse(deployment.payload);
    } catch {
      throw new ApiError(422, 'Invalid request.\n\nFor \'properties/payload\', it is not valid JSON.');
    }
  }
  store.deployments.push(deployment);
  store.deploymentStatuses.set(id, []);
  return { status: 201, body: deployment };
};

const listDeployments: Handler = ({ query, store }) => {
  const deployments = [...store.deployments]
    .reverse()
    .filter((d) => ['sha', 'ref', 'task', 'environment'].every((key) => query[key] === undefined || query[key] === 'none' || String(d[key]) === query[key]));
  return { status: 200, body: deployments, paginate: true };
};

const getDeployment: Handler = ({ params, store }) => ({ status: 200, body: byNumber(store.deployments, 'id', params.deployment_id ?? '') });

const deleteDeployment: Handler = ({ params, store }) => {
  const deployment = byNumber(store.deployments, 'id', params.deployment_id ?? '');
  const latest = store.statusesOf(deployment.id as number)[0];
  if (store.deployments.length > 1 && latest?.state !== 'inactive') {
    throw new ApiError(422, 'We cannot delete an active deployment unless it is the only deployment in a given environment.');
  }
  store.deployments.splice(store.deployments.indexOf(deployment), 1);
  store.deploymentStatuses.delete(deployment.id as number);
  return { status: 204 };
};

function deploymentStatus(store: GitHubStore, deployment: Body, fields: Body): Body {
  const id = store.id();
  const now = timestamp();
  const logUrl = str(fields.log_url) || str(fields.target_url);
  return {
    url: `${String(deployment.url)}/statuses/${id}`,
    id,
    node_id: nodeId('DeploymentStatus', id),
    state: fields.state,
    creator: user(store.site),
    description: str(fields.description),
    environment: deployment.environment,
    target_url: logUrl,
    created_at: now,
    updated_at: now,
    deployment_url: deployment.url,
    repository_url: repoApi(store.site),
    environment_url: str(fields.environment_url),
    log_url: logUrl,
    performed_via_github_app: null,
  };
}

const createDeploymentStatus: Handler = ({ params, body, store }) => {
  const deployment = byNumber(store.deployments, 'id', params.deployment_id ?? '');
  if (typeof body.environment === 'string') deployment.environment = body.environment;
  const status = deploymentStatus(store, deployment, body);
  store.deploymentStatuses.get(deployment.id as number)?.push(status);
  deployment.updated_at = status.created_at;
  // auto_inactive (default true): earlier successful deployments of the environment become inactive.
  if (body.state === 'success' && body.auto_inactive !== false) {
    for (const earlier of store.deployments) {
      if (earlier === deployment || earlier.environment !== deployment.environment || earlier.transient_environment) continue;
      if (store.statusesOf(earlier.id as number)[0]?.state !== 'success') continue;
      store.deploymentStatuses.get(earlier.id as number)?.push(deploymentStatus(store, earlier, { state: 'inactive' }));
    }
  }
  return { status: 201, body: status };
};

const listDeploymentStatuses: Handler = ({ params, store }) => {
  const deployment = byNumber(store.deployments, 'id', params.deployment_id ?? '');
  return { status: 200, body: store.statusesOf(deployment.id as number), paginate: true };
};

const getDeploymentStatus: Handler = ({ params, store }) => {
  const deployment = byNumber(store.deployments, 'id', params.deployment_id ?? '');
  return { status: 200, body: byNumber(store.statusesOf(deployment.id as number), 'id', params.status_id ?? '') };
};

// --- issues ------------------------------------------------------------------------------------

function labelFor(store: GitHubStore, name: string): Body {
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

const createIssue: Handler = ({ body, store }) => {
  const number = store.issueNumber();
  const id = store.id();
  const now = timestamp();
  const api = `${repoApi(store.site)}/issues/${number}`;
  const issue: Body = {
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
    title: String(body.title),
    body: body.body ?? null,
    user: user(store.site),
    labels: labelNames(body.labels).map((name) => labelFor(store, name)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    closed_at: null,
    created_at: now,
    updated_at: now,
    author_association: 'NONE',
  };
  store.issues.push(issue);
  return { status: 201, body: issue };
};

function issueByNumber(store: GitHubStore, number: string): Body {
  return byNumber(store.issues, 'number', number);
}

const getIssue: Handler = ({ params, store }) => ({ status: 200, body: issueByNumber(store, params.issue_number ?? '') });

const updateIssue: Handler = ({ params, body, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
  if (body.body !== undefined) issue.body = body.body;
  if (body.labels !== undefined) issue.labels = labelNames(body.labels).map((name) => labelFor(store, name));
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

const listIssues: Handler = ({ query, store }) => {
  const state = query.state ?? 'open';
  const wanted = query.labels ? query.labels.split(',').map((name) => name.trim()) : [];
  let issues = store.issues.filter((issue) => state === 'all' || issue.state === state);
  issues = issues.filter((issue) => wanted.every((name) => labelNames(issue.labels).includes(name)));
  if (query.creator) issues = issues.filter((issue) => (issue.user as Body).login === query.creator);
  if (query.since) issues = issues.filter((issue) => String(issue.updated_at) >= String(query.since));
  const sort = query.sort ?? 'created';
  const key = sort === 'comments' ? 'comments' : sort === 'updated' ? 'updated_at' : 'id';
  issues = [...issues].sort((a, b) => (a[key] as number) - (b[key] as number) || String(a[key]).localeCompare(String(b[key])));
  if ((query.direction ?? 'desc') === 'desc') issues.reverse();
  return { status: 200, body: issues, paginate: true };
};

const createComment: Handler = ({ params, body, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
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

const listComments: Handler = ({ params, query, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  const comments = store.comments.filter((comment) => comment.issue_url === issue.url && (!query.since || String(comment.updated_at) >= query.since));
  return { status: 200, body: comments, paginate: true };
};

const addLabels: Handler = ({ params, body, store }) => {
  const issue = issueByNumber(store, params.issue_number ?? '');
  const names = new Set([...labelNames(issue.labels), ...labelNames(body.labels)]);
  issue.labels = [...names].map((name) => labelFor(store, name));
  return { status: 200, body: issue.labels };
};

// --- pull requests and commits -----------------------------------------------------------------

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
      Object.entries({ self: api, html, issue: issueApi, comments: `${issueApi}/comments`, review_comments: `${api}/comments`, review_comment: `${repoApi(store.site)}/pulls/comments{/number}`, commits: `${api}/commits`, statuses: `${repoApi(store.site)}/statuses/${pull.head.sha}` }).map(([key, href]) => [key, { href }]),
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

const listPulls: Handler = ({ query, store }) => {
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

const getPull: Handler = ({ params, store }) => ({ status: 200, body: pullRequest(store, pullByNumber(store, params.pull_number ?? ''), true) });

const listPullFiles: Handler = ({ params, store }) => {
  const pull = pullByNumber(store, params.pull_number ?? '');
  return { status: 200, body: (pull.files ?? []).map((file) => diffEntry(store, file, pull.head.sha)), paginate: true };
};

const listPullsForCommit: Handler = ({ params, store }) => {
  const sha = params.commit_sha ?? '';
  const pulls = store.pulls.filter((pull) => pull.head.sha === sha || pull.merge_commit_sha === sha);
  return { status: 200, body: pulls.map((pull) => pullRequest(store, pull, false)), paginate: true };
};

const compareCommits: Handler = ({ params, store }) => {
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

const getBranchRules: Handler = ({ params, store }) => {
  const rules = (store.branchRules.get(params.branch ?? '') ?? []).map((rule) => ({
    ruleset_source_type: rule.ruleset_source_type ?? 'Repository',
    ruleset_source: rule.ruleset_source ?? `${store.site.owner}/${store.site.repo}`,
    ruleset_id: rule.ruleset_id ?? 1,
    type: rule.type,
    ...(rule.parameters === undefined ? {} : { parameters: rule.parameters }),
  }));
  return { status: 200, body: rules, paginate: true };
};

// --- git --------------------------------------------------------------------------------------

function gitRef(store: GitHubStore, ref: string): Body {
  const sha = store.refs.get(ref);
  if (!sha) throw notFound();
  return {
    ref: `refs/${ref}`,
    node_id: nodeId('Ref', ref.length),
    url: `${repoApi(store.site)}/git/refs/${ref}`,
    object: { type: store.gitTags.some((tag) => tag.sha === sha) ? 'tag' : 'commit', sha, url: `${repoApi(store.site)}/git/commits/${sha}` },
  };
}

const getRef: Handler = ({ params, store }) => ({ status: 200, body: gitRef(store, (params.ref ?? '').replace(/^refs\//, '')) });

const createRef: Handler = ({ body, store }) => {
  const ref = String(body.ref);
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw new ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.");
  const short = ref.slice('refs/'.length);
  if (store.refs.has(short)) throw new ApiError(422, 'Reference already exists');
  store.refs.set(short, String(body.sha));
  return { status: 201, body: gitRef(store, short) };
};

const updateRef: Handler = ({ params, body, store }) => {
  const short = (params.ref ?? '').replace(/^refs\//, '');
  if (!store.refs.has(short)) throw new ApiError(422, 'Reference does not exist');
  store.refs.set(short, String(body.sha));
  return { status: 200, body: gitRef(store, short) };
};

const createTag: Handler = ({ body, store }) => {
  const object = String(body.object);
  const sha = fakeSha(`tag:${String(body.tag)}:${object}`);
  const tagger = (body.tagger as Body | undefined) ?? { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
  const tag: Body = {
    node_id: nodeId('Tag', store.id()),
    tag: body.tag,
    sha,
    url: `${repoApi(store.site)}/git/tags/${sha}`,
    message: body.message,
    tagger: { name: tagger.name, email: tagger.email, date: str(tagger.date) || timestamp() },
    object: { type: body.type, sha: object, url: `${repoApi(store.site)}/git/commits/${object}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
  store.gitTags.push(tag);
  return { status: 201, body: tag };
};

// --- releases ----------------------------------------------------------------------------------

function releaseAssets(store: GitHubStore, releaseId: number): Body[] {
  return store.assets
    .filter((asset) => asset.releaseId === releaseId)
    .map((asset) => ({
      url: `${repoApi(store.site)}/releases/assets/${asset.id}`,
      browser_download_url: `${repoHtml(store.site)}/releases/download/${encodeURIComponent(String(store.releases.find((r) => r.id === releaseId)?.tag_name))}/${encodeURIComponent(asset.name)}`,
      id: asset.id,
      node_id: nodeId('ReleaseAsset', asset.id),
      name: asset.name,
      label: asset.label,
      state: 'uploaded',
      content_type: asset.contentType,
      size: asset.bytes.length,
      digest: `sha256:${createHash('sha256').update(asset.bytes).digest('hex')}`,
      download_count: 0,
      created_at: asset.createdAt,
      updated_at: asset.createdAt,
      uploader: user(store.site),
    }));
}


function releaseView(store: GitHubStore, release: Body): Body {
  return { ...release, assets: releaseAssets(store, release.id as number) };
}

function releaseById(store: GitHubStore, id: string): Body {
  return byNumber(store.releases, 'id', id);
}

const createRelease: Handler = ({ body, store }) => {
  const tag = String(body.tag_name);
  if (store.releases.some((release) => release.tag_name === tag)) {
    throw new ApiError(422, 'Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
  }
  const id = store.id();
  const now = timestamp();
  const draft = body.draft === true;
  const target = str(body.target_commitish, store.site.defaultBranch);
  // Publishing a release creates its tag at the target when the tag does not exist yet.
  if (!draft && !store.refs.has(`tags/${tag}`)) {
    const sha = store.resolveSha(target);
    if (!sha) throw new ApiError(422, 'Validation Failed', [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
    store.refs.set(`tags/${tag}`, sha);
  }
  const api = `${repoApi(store.site)}/releases/${id}`;
  const release: Body = {
    url: api,
    html_url: `${repoHtml(store.site)}/releases/tag/${encodeURIComponent(tag)}`,
    assets_url: `${api}/assets`,
    // Uploads go to uploads.github.com on GitHub: here the stand-in serves both.
    upload_url: `${store.site.apiUrl}/repos/${store.site.owner}/${store.site.repo}/releases/${id}/assets{?name,label}`,
    tarball_url: `${repoApi(store.site)}/tarball/${tag}`,
    zipball_url: `${repoApi(store.site)}/zipball/${tag}`,
    id,
    node_id: nodeId('Release', id),
    tag_name: tag,
    target_commitish: target,
    name: body.name ?? tag,
    body: body.body ?? null,
    draft,
    prerelease: body.prerelease === true,
    immutable: false,
    created_at: now,
    updated_at: now,
    published_at: draft ? null : now,
    author: user(store.site),
  };
  store.releases.push(release);
  return { status: 201, body: releaseView(store, release) };
};

const getRelease: Handler = ({ params, store }) => ({ status: 200, body: releaseView(store, releaseById(store, params.release_id ?? '')) });

const getReleaseByTag: Handler = ({ params, store }) => {
  // Drafts have no tag yet: GitHub does not find them by tag.
  const release = store.releases.find((candidate) => candidate.tag_name === params.tag && candidate.draft !== true);
  if (!release) throw notFound();
  return { status: 200, body: releaseView(store, release) };
};

const updateRelease: Handler = ({ params, body, store }) => {
  const release = releaseById(store, params.release_id ?? '');
  for (const key of ['tag_name', 'target_commitish', 'name', 'body', 'prerelease'] as const) if (body[key] !== undefined) release[key] = body[key];
  if (body.draft === false && release.draft === true) {
    release.draft = false;
    release.published_at = timestamp();
  } else if (body.draft === true) release.draft = true;
  release.updated_at = timestamp();
  return { status: 200, body: releaseView(store, release) };
};

const listReleases: Handler = ({ store }) => ({ status: 200, body: [...store.releases].reverse().map((release) => releaseView(store, release)), paginate: true });

const listReleaseAssets: Handler = ({ params, store }) => {
  const release = releaseById(store, params.release_id ?? '');
  return { status: 200, body: releaseAssets(store, release.id as number), paginate: true };
};

const uploadReleaseAsset: Handler = ({ params, query, rawBody, headers, store }) => {
  const release = releaseById(store, params.release_id ?? '');
  const name = query.name ?? '';
  if (store.assets.some((asset) => asset.releaseId === release.id && asset.name === name)) {
    throw new ApiError(422, 'Validation Failed', [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }]);
  }
  const id = store.id();
  store.assets.push({
    id,
    releaseId: release.id as number,
    name,
    label: query.label ?? null,
    contentType: String(headers['content-type'] ?? 'application/octet-stream'),
    bytes: rawBody,
    createdAt: timestamp(),
  });
  return { status: 201, body: releaseAssets(store, release.id as number).find((asset) => asset.id === id) };
};

// --- the rest -----------------------------------------------------------------------------------

const createWorkflowDispatch: Handler = ({ params, body, store }) => {
  store.dispatches.push({ workflowId: params.workflow_id ?? '', ref: String(body.ref), inputs: (body.inputs as Record<string, unknown> | undefined) ?? {} });
  if (body.return_run_details !== true) return { status: 204 };
  const runId = store.id();
  return {
    status: 200,
    body: { workflow_run_id: runId, run_url: `${repoApi(store.site)}/actions/runs/${runId}`, html_url: `${repoHtml(store.site)}/actions/runs/${runId}` },
  };
};

const getRepository: Handler = ({ store }) => ({ status: 200, body: repository(store.site) });

const getRateLimit: Handler = () => {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  const core = { limit: 5000, used: 0, remaining: 5000, reset };
  const search = { limit: 30, used: 0, remaining: 30, reset };
  return { status: 200, body: { resources: { core, search, graphql: core }, rate: core } };
};

export const HANDLERS: Record<string, Handler> = {
  'rate-limit/get': getRateLimit,
  'repos/get': getRepository,
  'checks/create': createCheckRun,
  'checks/update': updateCheckRun,
  'checks/get': getCheckRun,
  'checks/list-for-ref': listCheckRunsForRef,
  'checks/list-annotations': listCheckRunAnnotations,
  'repos/create-commit-status': createCommitStatus,
  'repos/list-commit-statuses-for-ref': listCommitStatuses,
  'repos/get-combined-status-for-ref': getCombinedStatus,
  'repos/create-deployment': createDeployment,
  'repos/list-deployments': listDeployments,
  'repos/get-deployment': getDeployment,
  'repos/delete-deployment': deleteDeployment,
  'repos/create-deployment-status': createDeploymentStatus,
  'repos/list-deployment-statuses': listDeploymentStatuses,
  'repos/get-deployment-status': getDeploymentStatus,
  'issues/create': createIssue,
  'issues/get': getIssue,
  'issues/update': updateIssue,
  'issues/list-for-repo': listIssues,
  'issues/create-comment': createComment,
  'issues/list-comments': listComments,
  'issues/add-labels': addLabels,
  'pulls/list': listPulls,
  'pulls/get': getPull,
  'pulls/list-files': listPullFiles,
  'repos/compare-commits': compareCommits,
  'repos/list-pull-requests-associated-with-commit': listPullsForCommit,
  'repos/get-branch-rules': getBranchRules,
  'git/get-ref': getRef,
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
  'git/create-tag': createTag,
  'repos/create-release': createRelease,
  'repos/get-release': getRelease,
  'repos/get-release-by-tag': getReleaseByTag,
  'repos/update-release': updateRelease,
  'repos/list-releases': listReleases,
  'repos/list-release-assets': listReleaseAssets,
  'repos/upload-release-asset': uploadReleaseAsset,
  'actions/create-workflow-dispatch': createWorkflowDispatch,
};
