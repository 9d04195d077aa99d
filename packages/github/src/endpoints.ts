/**
 * The REST methods Cutover calls, as `client.rest.<scope>.<method>()`, each with GitHub's route.
 *
 * Not @octokit/plugin-rest-endpoint-methods: it carries every route of GitHub's API, 81.5 KiB of the
 * bundle that every action read when it started (with bottleneck, the biggest part of the chunk
 * that took 42 ms of blue-green-switch's start, farm-bench against `node -e 0`, Node 24, 2 cores).
 * These are the 34 that Cutover calls: 30 in the actions, 4 more in its tests. The routes and types here are the plugin's own: its types are imported
 * (erased from the bundle), and endpoints.test.ts holds each route to the plugin's. A method
 * missing here does not type-check: add its route in the plugin's words.
 */
import type { Octokit } from '@octokit/core';
import type { Api } from '@octokit/plugin-rest-endpoint-methods';

type RestEndpointMethods = Api['rest'];

/** Scope -> method -> "METHOD /route", or [route, defaults] when the plugin gives defaults. */
export const ROUTES = {
  actions: { createWorkflowDispatch: 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' },
  checks: {
    create: 'POST /repos/{owner}/{repo}/check-runs',
    get: 'GET /repos/{owner}/{repo}/check-runs/{check_run_id}',
    listAnnotations: 'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
    listForRef: 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
    update: 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
  },
  git: {
    createRef: 'POST /repos/{owner}/{repo}/git/refs',
    deleteRef: 'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
  },
  issues: {
    create: 'POST /repos/{owner}/{repo}/issues',
    createComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    listComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    listForRepo: 'GET /repos/{owner}/{repo}/issues',
    updateComment: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  },
  pulls: {
    get: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    list: 'GET /repos/{owner}/{repo}/pulls',
    listFiles: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
  },
  rateLimit: { get: 'GET /rate_limit' },
  repos: {
    compareCommitsWithBasehead: 'GET /repos/{owner}/{repo}/compare/{basehead}',
    createCommitStatus: 'POST /repos/{owner}/{repo}/statuses/{sha}',
    createDeployment: 'POST /repos/{owner}/{repo}/deployments',
    createDeploymentStatus: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    createOrUpdateFileContents: 'PUT /repos/{owner}/{repo}/contents/{path}',
    createRelease: 'POST /repos/{owner}/{repo}/releases',
    get: 'GET /repos/{owner}/{repo}',
    getBranchRules: 'GET /repos/{owner}/{repo}/rules/branches/{branch}',
    getContent: 'GET /repos/{owner}/{repo}/contents/{path}',
    getDeployment: 'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
    getReleaseByTag: 'GET /repos/{owner}/{repo}/releases/tags/{tag}',
    listDeploymentStatuses: 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    listDeployments: 'GET /repos/{owner}/{repo}/deployments',
    listPullRequestsAssociatedWithCommit: 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    listReleases: 'GET /repos/{owner}/{repo}/releases',
    updateRelease: 'PATCH /repos/{owner}/{repo}/releases/{release_id}',
    // The release's upload_url says where to upload; without it, github.com's upload host.
    uploadReleaseAsset: ['POST /repos/{owner}/{repo}/releases/{release_id}/assets{?name,label}', { baseUrl: 'https://uploads.github.com' }],
  },
} as const;

type Routes = typeof ROUTES;
/** The plugin's methods, those listed in ROUTES only. */
export type RestMethods = { [Scope in keyof Routes]: Pick<RestEndpointMethods[Scope], keyof Routes[Scope] & keyof RestEndpointMethods[Scope]> };

/** An Octokit plugin: `rest` with the methods of ROUTES, each a request with its route's defaults (as the plugin makes them). */
export function restEndpoints(octokit: Octokit): { rest: RestMethods } {
  const rest: Record<string, Record<string, unknown>> = {};
  for (const [scope, methods] of Object.entries(ROUTES)) {
    rest[scope] = {};
    for (const [name, entry] of Object.entries(methods)) {
      const [route, defaults] = typeof entry === 'string' ? [entry, {}] : entry;
      const [method, url] = route.split(' ') as [string, string];
      rest[scope][name] = octokit.request.defaults({ method, url, ...defaults });
    }
  }
  return { rest: rest as unknown as RestMethods };
}
