/** Commit statuses and the combined status of a ref. */
import { nodeId, repoApi, repository, timestamp, user, type Body } from '../shapes.js';
import type { GitHubStore } from '../store.js';
import { notFound, str, type Handler } from './api.js';

export const createCommitStatus: Handler = ({ params, body, store }) => {
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

export const listCommitStatuses: Handler = ({ params, store }) => ({
  status: 200,
  body: statusesForRef(store, params.ref ?? '').map(withoutSha),
  paginate: true,
});

/** GitHub's combined state: failure beats pending beats success; no statuses is pending. */
export function combinedState(states: readonly string[]): 'failure' | 'pending' | 'success' {
  if (states.some((state) => state === 'failure' || state === 'error')) return 'failure';
  if (states.length === 0 || states.some((state) => state === 'pending')) return 'pending';
  return 'success';
}

export const getCombinedStatus: Handler = ({ params, store }) => {
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
