/** Rollback's inputs, all read and checked before anything changes. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, parseBoolean } from '@cutover/config';
import { input } from '@cutover/runtime';

export interface RollbackInputs {
  to?: string;
  reason?: string;
  incident: boolean;
  /** Mark "rolled back" on the "shipped in" comments of the pull requests the rollback took away. */
  commentPullRequests: boolean;
  /** The health-watch report's parsed JSON and its path. */
  report?: { path: string; json: unknown };
  redeployWorkflow?: string;
  /** Plan only: resolve the target and the split, print them; change and record nothing. */
  dryRun: boolean;
  /** Undefined without a token: traffic is still restored when `to` says where (see local-target). */
  token?: string;
}

// A workflow file name (deploy.yml) or its numeric id, as the dispatch endpoint takes it.
const WORKFLOW = /^(?:[A-Za-z0-9_.-]+\.ya?ml|\d+)$/;

function optional(name: string): string | undefined {
  const value = input(name).trim();
  return value === '' ? undefined : value;
}

function readReport(path: string): { path: string; json: unknown } {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const full = isAbsolute(path) ? path : resolve(workspace, path);
  if (!existsSync(full)) throw new InputError(`report: ${path} does not exist (looked in ${full})`);
  try {
    return { path, json: JSON.parse(readFileSync(full, 'utf8')) };
  } catch (error) {
    throw new InputError(`report: ${path} is not a JSON health-watch report (${(error as Error).message})`);
  }
}

export function readRollbackInputs(): RollbackInputs {
  const to = optional('to');
  if (to !== undefined && /\s/.test(to)) throw new InputError(`to: expected one deployment id or version, got "${to}"`);
  const redeployWorkflow = optional('redeploy-workflow');
  if (redeployWorkflow !== undefined && !WORKFLOW.test(redeployWorkflow)) {
    throw new InputError(`redeploy-workflow: expected a workflow file name such as deploy.yml (in .github/workflows) or its id, got "${redeployWorkflow}"`);
  }
  const reportPath = optional('report');
  const token = optional('token');
  const reason = optional('reason');
  return {
    incident: parseBoolean(input('incident'), 'incident', true),
    commentPullRequests: parseBoolean(input('comment-pull-requests'), 'comment-pull-requests', false),
    dryRun: parseBoolean(input('dry-run'), 'dry-run', false),
    ...(token === undefined ? {} : { token }),
    ...(to === undefined ? {} : { to }),
    ...(reason === undefined ? {} : { reason }),
    ...(reportPath === undefined ? {} : { report: readReport(reportPath) }),
    ...(redeployWorkflow === undefined ? {} : { redeployWorkflow }),
  };
}
