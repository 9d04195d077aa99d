/** Deployments and their statuses, with GitHub's refusals (unknown ref, unmet contexts). */
import { nodeId, repoApi, timestamp, user, type Body } from '../shapes.js';
import type { GitHubStore } from '../store.js';
import { ApiError, byNumber, str, type Handler } from './api.js';

/** Contexts that are not green on a sha: commit statuses and check runs, latest of each name. */
function unmetContexts(store: GitHubStore, sha: string, required: string[] | undefined): string[] {
  const state = new Map<string, boolean>();
  for (const status of store.statuses.filter((s) => s.sha === sha)) state.set(String(status.context), status.state === 'success');
  for (const run of store.checkRunsFor(sha)) state.set(String(run.name), ['success', 'neutral', 'skipped'].includes(String(run.conclusion)));
  const contexts = required ?? [...state.keys()];
  return contexts.filter((context) => state.get(context) !== true);
}

export const createDeployment: Handler = ({ body, store }) => {
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
      throw new ApiError(422, "Invalid request.\n\nFor 'properties/payload', it is not valid JSON.");
    }
  }
  store.deployments.push(deployment);
  store.deploymentStatuses.set(id, []);
  return { status: 201, body: deployment };
};

export const listDeployments: Handler = ({ query, store }) => {
  const deployments = [...store.deployments]
    .reverse()
    .filter((d) => ['sha', 'ref', 'task', 'environment'].every((key) => query[key] === undefined || query[key] === 'none' || String(d[key]) === query[key]));
  return { status: 200, body: deployments, paginate: true };
};

export const getDeployment: Handler = ({ params, store }) => ({ status: 200, body: byNumber(store.deployments, 'id', params.deployment_id ?? '') });

export const deleteDeployment: Handler = ({ params, store }) => {
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

export const createDeploymentStatus: Handler = ({ params, body, store }) => {
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

export const listDeploymentStatuses: Handler = ({ params, store }) => {
  const deployment = byNumber(store.deployments, 'id', params.deployment_id ?? '');
  return { status: 200, body: store.statusesOf(deployment.id as number), paginate: true };
};

export const getDeploymentStatus: Handler = ({ params, store }) => {
  const deployment = byNumber(store.deployments, 'id', params.deployment_id ?? '');
  return { status: 200, body: byNumber(store.statusesOf(deployment.id as number), 'id', params.status_id ?? '') };
};
