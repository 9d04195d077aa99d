/** Check runs: created and updated by head sha, annotations accumulated across updates. */
import { actionsApp, nodeId, repoApi, repoHtml, timestamp, type Body } from '../shapes.js';
import { fakeSha, type GitHubStore, type PullSeed } from '../store.js';
import { ApiError, byNumber, str, type Handler } from './api.js';

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

export const createCheckRun: Handler = ({ body, store }) => {
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
    pull_requests: store.pulls
      .filter((pull) => pull.head.sha === body.head_sha && (pull.state ?? 'open') === 'open')
      .map((pull) => pullRequestMinimal(store, pull)),
  };
  applyCheckRunChanges(store, run, body);
  store.checkRuns.push(run);
  return { status: 201, body: run };
};

export const updateCheckRun: Handler = ({ params, body, store }) => {
  const run = byNumber(store.checkRuns, 'id', params.check_run_id ?? '');
  applyCheckRunChanges(store, run, body);
  return { status: 200, body: run };
};

export const getCheckRun: Handler = ({ params, store }) => ({ status: 200, body: byNumber(store.checkRuns, 'id', params.check_run_id ?? '') });

export const listCheckRunAnnotations: Handler = ({ params, store }) => {
  const run = byNumber(store.checkRuns, 'id', params.check_run_id ?? '');
  return { status: 200, body: store.annotations.get(run.id as number) ?? [], paginate: true };
};

export const listCheckRunsForRef: Handler = ({ params, query, store }) => {
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
