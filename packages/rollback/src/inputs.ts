/** Rollback's inputs, all read and checked before anything changes. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, parseBoolean, parseEnvironmentNames } from '@cutover/config';
import { input } from '@cutover/runtime';

export interface RollbackInputs {
  /**
   * The environments to roll back, in the order given (waves give the newest first): one, as
   * always, or several, each a whole rollback of its own (see each.ts).
   */
  environments: string[];
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

/**
 * Several environments go each to its own last good deployment, which only its deployment history
 * knows. A `to` cannot say that: a deployment id belongs to one environment, and a pool or version
 * named the same in several would be read first as a pool in one and as a version in another.
 */
function checkSeveral(environments: string[], to: string | undefined, token: string | undefined): void {
  const list = environments.join(', ');
  if (to !== undefined) {
    throw new InputError(
      `to: "${to}" names one target, and environment names ${environments.length} (${list}); leave \`to\` empty to roll each back to its own last good deployment, or roll back one environment at a time with \`to\``,
    );
  }
  if (token === undefined) {
    throw new InputError(
      `token: rolling back several environments (${list}) needs a token, to read each one's last good deployment from its deployment history; without one, roll back one environment at a time with \`to\``,
    );
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
  const environments = parseEnvironmentNames(input('environment'), 'environment');
  if (environments.length > 1) checkSeveral(environments, to, token);
  return {
    environments,
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
