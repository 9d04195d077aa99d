/**
 * What the stand-in does for each operation, by operationId: GitHub's behaviour as its docs
 * describe it (defaults, 404s, 409s and 422s included), over the in-memory store.
 */
import { repoApi, repoHtml, repository } from '../shapes.js';
import type { Handler } from './api.js';
import { createCheckRun, getCheckRun, listCheckRunAnnotations, listCheckRunsForRef, updateCheckRun } from './checks.js';
import {
  createDeployment,
  createDeploymentStatus,
  deleteDeployment,
  getDeployment,
  getDeploymentStatus,
  listDeploymentStatuses,
  listDeployments,
} from './deployments.js';
import { createOrUpdateFile, getContent } from './contents.js';
import { createRef, createTag, deleteRef, getRef, updateRef } from './git.js';
import { addLabels, createComment, createIssue, getIssue, listComments, listIssues, updateComment, updateIssue } from './issues.js';
import { compareCommits, getBranchRules, getPull, listPullFiles, listPulls, listPullsForCommit } from './pulls.js';
import { createRelease, getRelease, getReleaseAsset, getReleaseByTag, listReleaseAssets, listReleases, updateRelease, uploadReleaseAsset } from './releases.js';
import { createCommitStatus, getCombinedStatus, listCommitStatuses } from './statuses.js';

export { ApiError, type Handler, type HandlerRequest, type HandlerResult } from './api.js';

const createWorkflowDispatch: Handler = ({ params, body, store }) => {
  const dispatch = { workflowId: params.workflow_id ?? '', ref: String(body.ref), inputs: (body.inputs as Record<string, unknown> | undefined) ?? {} };
  store.dispatches.push(dispatch);
  for (const listener of store.dispatchListeners) listener(dispatch);
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
  'issues/update-comment': updateComment,
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
  'git/delete-ref': deleteRef,
  'git/create-tag': createTag,
  'repos/get-content': getContent,
  'repos/create-or-update-file-contents': createOrUpdateFile,
  'repos/create-release': createRelease,
  'repos/get-release': getRelease,
  'repos/get-release-by-tag': getReleaseByTag,
  'repos/update-release': updateRelease,
  'repos/list-releases': listReleases,
  'repos/list-release-assets': listReleaseAssets,
  'repos/get-release-asset': getReleaseAsset,
  'repos/upload-release-asset': uploadReleaseAsset,
  'actions/create-workflow-dispatch': createWorkflowDispatch,
};
