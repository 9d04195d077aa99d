/**
 * The workflow run an action is part of, read from the runner's environment when asked
 * (@actions/github's `context` is read once at import, before tests or callers set anything).
 */
import { existsSync, readFileSync } from 'node:fs';
import { errorMessage } from '@cutover/config';

export interface RepoContext {
  owner: string;
  repo: string;
  /**
   * Commit the run is for: GITHUB_SHA, except on a `workflow_run` event, where GITHUB_SHA is the
   * default branch's head when the run started and the commit acted on is the triggering run's
   * (`workflow_run.head_sha`): a delivery started by the gate's workflow records, checks and
   * deploys the commit that was gated, not whatever was pushed since.
   */
  sha: string;
  /** Full ref, e.g. refs/heads/main (GITHUB_REF). */
  ref: string;
  runId: number;
  runAttempt: number;
  /** https://github.com unless GITHUB_SERVER_URL says otherwise (GitHub Enterprise Server). */
  serverUrl: string;
  /** The run's page: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`. */
  runUrl: string;
  eventName: string;
  /** The webhook payload of GITHUB_EVENT_PATH; {} when there is none. */
  payload: Record<string, unknown>;
  workflow: string;
  actor: string;
}

function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path || !existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH ${path}: not valid JSON (${errorMessage(error)})`, { cause: error });
  }
}

export function repoContext(env: NodeJS.ProcessEnv = process.env): RepoContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/', 2);
  const runId = Number(env.GITHUB_RUN_ID ?? 0) || 0;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const triggering = env.GITHUB_EVENT_NAME === 'workflow_run' ? (payload.workflow_run as { head_sha?: unknown } | undefined)?.head_sha : undefined;
  return {
    owner,
    repo,
    sha: typeof triggering === 'string' && /^[0-9a-f]{40}$/.test(triggering) ? triggering : (env.GITHUB_SHA ?? ''),
    ref: env.GITHUB_REF ?? '',
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1) || 1,
    serverUrl,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    workflow: env.GITHUB_WORKFLOW ?? '',
    actor: env.GITHUB_ACTOR ?? '',
  };
}
