/** delivery-metrics end to end: read GitHub, compute, write report.json and index.html, give the summary and outputs. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GitHubClient, RepoRef } from '@cutover/github';
import { errorMessage } from '@cutover/config';
import { outside } from '@cutover/runtime';
import { figureOutputs, type FigureKey } from './describe.js';
import { plural } from './format.js';
import { GitHubReader, type ReaderOptions } from './github.js';
import { deploymentFacts } from '@cutover/github';
import { incidentFacts } from './incidents.js';
import type { MetricsInputs } from './inputs.js';
import { leadTimePlan, needsCompare, type Compared } from './lead-time.js';
import { renderPage } from './page.js';
import { buildReport, type MetricsReport } from './report.js';
import { summaryMarkdown } from './summary.js';

export interface RunOptions {
  client: GitHubClient;
  repo: RepoRef;
  inputs: MetricsInputs;
  /** A relative `directory` input is read from here (GITHUB_WORKSPACE). */
  workspace: string;
  /** Used when inputs.directory is not set. */
  defaultDirectory: string;
  now: number;
  log?: (line: string) => void;
  reader?: ReaderOptions;
}

export interface RunResult {
  report: MetricsReport;
  reportPath: string;
  pagePath: string;
  summary: string;
  outputs: Record<FigureKey | 'report' | 'page', string>;
}

/** Text from GitHub in the log can never start a workflow command. */
export function safeLine(text: string): string {
  return outside(text);
}

export async function runDeliveryMetrics(options: RunOptions): Promise<RunResult> {
  const { inputs, client, repo } = options;
  const log = (line: string) => options.log?.(safeLine(line));
  const reader = new GitHubReader(client, repo, { log, ...options.reader });
  const notes: string[] = [];
  const { window, environment } = inputs;
  try {
    const records = await reader.deployments(environment, window);
    const facts = records.map(deploymentFacts);
    log(`Read ${records.length} deployment(s)${environment ? ` of ${environment}` : ''} with their statuses (${reader.calls} requests).`);
    if (records.length === 0) notes.push(`No deployment${environment ? ` of the environment "${environment}"` : ''} was found in the window or before it.`);

    const compared = new Map<number, Compared>();
    const byRange = new Map<string, Compared>();
    for (const planned of leadTimePlan(facts, window).filter(needsCompare)) {
      const range = `${planned.base.sha}...${planned.deployment.sha}`;
      try {
        const result = byRange.get(range) ?? (await reader.compare(planned.base.sha, planned.deployment.sha));
        byRange.set(range, result);
        compared.set(planned.deployment.id, result);
      } catch (error) {
        notes.push(`The commits of deployment ${planned.deployment.id} are not counted: ${errorMessage(error)}`);
      }
    }
    log(`Read ${reader.compares} compare(s).`);

    const incidents = (await reader.incidents(inputs.incidentLabel, window.since)).map(incidentFacts).filter((incident) => incident.openedAt <= window.until);
    log(`Read ${incidents.length} incident(s) labelled ${inputs.incidentLabel}; ${reader.calls} GitHub requests in all.`);

    const report = buildReport({
      repository: `${repo.owner}/${repo.repo}`,
      window,
      ...(environment ? { environment } : {}),
      deployments: facts,
      incidents,
      compared,
      github: { calls: reader.calls, deploymentsRead: records.length, compares: reader.compares, incidentsRead: incidents.length },
      notes,
      now: options.now,
    });
    const directory = inputs.directory ? resolve(options.workspace, inputs.directory) : options.defaultDirectory;
    await mkdir(directory, { recursive: true });
    const reportPath = join(directory, 'report.json');
    const pagePath = join(directory, 'index.html');
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(pagePath, renderPage(report));
    return { report, reportPath, pagePath, summary: summaryMarkdown(report), outputs: { ...figureOutputs(report), report: reportPath, page: pagePath } };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const limited =
      status === 403 || status === 429
        ? ` (after ${plural(reader.calls, 'request')}: a token with a higher rate limit, such as a GitHub App's, or a shorter since helps)`
        : '';
    throw new Error(`${errorMessage(error)}${limited}`, { cause: error });
  }
}
