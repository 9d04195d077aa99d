/** Check runs: a stage's verdict on the commit, with annotations sent in GitHub's batches of 50. */
import type { GitHubClient } from './client.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
  start_column?: number;
  end_column?: number;
}

export type CheckConclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'timed_out';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: Annotation[];
}

export interface CheckRunInput extends CheckRunOutput {
  name: string;
  headSha: string;
  /** Omit with a conclusion: giving a conclusion completes the run. */
  status?: 'queued' | 'in_progress';
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  externalId?: string;
}

export interface CheckRunUpdate extends Partial<CheckRunOutput> {
  status?: 'queued' | 'in_progress';
  conclusion?: CheckConclusion;
}

/** GitHub takes at most 50 annotations per request; more are sent by updating the run. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on output.summary and output.text. */
export const OUTPUT_TEXT_LIMIT = 65535;

export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** Text cut to GitHub's limit, saying so, rather than a 422 that loses the whole report. */
export function fitOutputText(text: string, limit = OUTPUT_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const note = "\n\n… (cut to fit GitHub's limit; the job summary has it all)";
  return text.slice(0, limit - note.length) + note;
}

function output(title: string, summary: string, text: string | undefined, annotations: Annotation[] | undefined) {
  return {
    title,
    summary: fitOutputText(summary),
    ...(text === undefined ? {} : { text: fitOutputText(text) }),
    ...(annotations === undefined || annotations.length === 0 ? {} : { annotations }),
  };
}

async function sendRemainingAnnotations(
  client: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  title: string,
  summary: string,
  batches: Annotation[][],
): Promise<void> {
  for (const batch of batches) {
    await client.rest.checks.update({ ...repo, check_run_id: checkRunId, output: output(title, summary, undefined, batch) });
  }
}

/** Creates a check run; annotations past the first 50 follow in updates. Returns its id and page. */
export async function createCheckRun(client: GitHubClient, repo: RepoRef, input: CheckRunInput): Promise<{ id: number; htmlUrl: string }> {
  const [first, ...rest] = inBatches(input.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  const { data } = await client.rest.checks.create({
    ...repo,
    name: input.name,
    head_sha: input.headSha,
    ...(input.conclusion ? { conclusion: input.conclusion } : { status: input.status ?? 'in_progress' }),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    ...(input.externalId ? { external_id: input.externalId } : {}),
    output: output(input.title, input.summary, input.text, first),
  });
  await sendRemainingAnnotations(client, repo, data.id, input.title, input.summary, rest);
  return { id: data.id, htmlUrl: data.html_url ?? '' };
}

/** Updates a check run (its verdict, its output); annotations are added to those it has. */
export async function updateCheckRun(client: GitHubClient, repo: RepoRef, checkRunId: number, update: CheckRunUpdate): Promise<void> {
  const [first, ...rest] = inBatches(update.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  const hasOutput = update.title !== undefined && update.summary !== undefined;
  if (!hasOutput && first) throw new Error('updateCheckRun: annotations need a title and a summary (GitHub requires them in output)');
  await client.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    ...(update.conclusion ? { conclusion: update.conclusion } : update.status ? { status: update.status } : {}),
    ...(hasOutput ? { output: output(update.title!, update.summary!, update.text, first) } : {}),
  });
  if (hasOutput) await sendRemainingAnnotations(client, repo, checkRunId, update.title!, update.summary!, rest);
}
