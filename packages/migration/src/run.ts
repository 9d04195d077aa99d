/**
 * migration-check from inputs to verdict: the migrations added since the live release, judged
 * by the static rules and proven on a real engine against the live version's statements; then
 * the report, the annotations, the check run and the summary.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import * as core from '@actions/core';
import * as glob from '@actions/glob';
import { errorMessage, InputError } from '@cutover/config';
import { createCheckRun, createGitHubClient, repoContext, type Annotation, type GitHubClient, type RepoRef } from '@cutover/github';
import { openPglite, openPostgres } from './engine.js';
import { filesAtCommit, filesInCheckout, migrationChanges, repositoryRoot, resolveBase } from './git.js';
import type { MigrationInputs } from './inputs.js';
import { safeLine } from './log.js';
import { applyBase, liveQueries, proveMigrations, runQueries, type Proof } from './proof.js';
import { liveReads, type QueryFile } from './reads.js';
import { annotationsOf, renderReport, reportTitle, type MigrationReport } from './report.js';
import { checkMigrations, fileFinding, type Finding, type Migration } from './rules.js';
import { parseSql, SqlSyntaxError } from './sql.js';
import { conclusionOf, fails, verdictOf, type Verdict } from './verdict.js';

export interface MigrationEdges {
  /** The checkout (GITHUB_WORKSPACE); `queries` globs are relative to it. */
  workspace: string;
  /** Where `<name>/report.json` goes (a job may run the check twice, under two names). */
  outputDir: string;
  /** Without one, annotations go to the log as workflow commands and no check run is written. */
  client?: GitHubClient;
  repo: RepoRef;
  /** The commit the check run is for: a pull request's head, else GITHUB_SHA. */
  headSha: string;
  runUrl: string;
}

export interface MigrationResult {
  verdict: Verdict;
  reportPath: string;
  report: MigrationReport;
  /** Markdown for the job summary. */
  summary: string;
  /** Set when the step must fail. */
  failure?: string;
  checkRunUrl?: string;
}

/** The runner's context as migration-check's edges. */
export function edgesFromRunner(inputs: MigrationInputs, env: NodeJS.ProcessEnv = process.env): MigrationEdges {
  const context = repoContext(env);
  const pull = context.payload.pull_request as { head?: { sha?: string } } | undefined;
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    outputDir: join(env.RUNNER_TEMP || join(env.GITHUB_WORKSPACE || process.cwd(), '.cutover'), 'migration-check'),
    client: createGitHubClient(inputs.token),
    repo: { owner: context.owner, repo: context.repo },
    headSha: pull?.head?.sha ?? context.sha,
    runUrl: context.runUrl,
  };
}

/** `queries` globs, relative to the workspace or absolute; `!` excludes. */
async function findQueries(patterns: string[], workspace: string): Promise<string[]> {
  const anchored = patterns.map((pattern) => {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    return `${negated ? '!' : ''}${isAbsolute(body) ? body : join(workspace, body)}`;
  });
  const globber = await glob.create(anchored.join('\n'), { matchDirectories: false });
  return (await globber.glob()).sort();
}

/** A path as the report shows it: relative to the repository when inside it. */
function shown(path: string, root: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function readQueries(patterns: string[], workspace: string, root: string): Promise<QueryFile[]> {
  if (patterns.length === 0) return [];
  const paths = await findQueries(patterns, workspace);
  if (paths.length === 0) throw new InputError(`queries: no file matches ${patterns.join(', ')}`);
  const files: QueryFile[] = [];
  for (const path of paths) {
    const file = shown(path, root);
    try {
      files.push({ file, statements: await parseSql(await readFile(path, 'utf8'), file) });
    } catch (error) {
      if (error instanceof SqlSyntaxError) throw new InputError(`queries: ${error.message}`);
      throw error;
    }
  }
  return files;
}

/** Rules, then the proof: everything but the edges' writes. */
export async function checkChanges(inputs: MigrationInputs, workspace: string): Promise<MigrationReport> {
  const started = Date.now();
  const root = await repositoryRoot(workspace);
  const base = await resolveBase(root, inputs.base);
  const [atBase, inCheckout] = await Promise.all([filesAtCommit(root, base.commit, inputs.path), filesInCheckout(root, inputs.path)]);
  const changes = migrationChanges(atBase, inCheckout);
  const queryFiles = await readQueries(inputs.queries, workspace, root);

  const baseMigrations: Migration[] = [];
  for (const file of changes.base) {
    try {
      baseMigrations.push({ file, statements: await parseSql(atBase.get(file)!, file) });
    } catch (error) {
      if (error instanceof SqlSyntaxError) throw new Error(`the live schema (${base.ref}): ${error.message}`, { cause: error });
      throw error;
    }
  }
  const added: Migration[] = [];
  const fileFindings: Finding[] = changes.edited.map((file) => fileFinding('edited-migration', file, 1, `${file} differs from the live release ${base.ref}`));
  for (const file of changes.added) {
    try {
      added.push({ file, statements: await parseSql(inCheckout.get(file)!, file) });
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      added.push({ file, statements: [], syntaxError: { line: error.line, reason: error.reason } });
      fileFindings.push(fileFinding('syntax-error', file, error.line, error.reason));
    }
  }
  const findings = [...checkMigrations(added, inputs.queries.length > 0 ? liveReads(queryFiles) : undefined), ...fileFindings];

  const db = inputs.databaseUrl ? await openPostgres(inputs.databaseUrl) : await openPglite();
  let proof: Proof;
  try {
    await applyBase(db, baseMigrations);
    const queries = liveQueries(queryFiles);
    const [failing] = await runQueries(db, queries);
    if (failing) {
      throw new InputError(
        `queries: ${failing.query.file}:${failing.query.line} fails on the live schema (${base.ref}) before any new migration: ${failing.error}. Every statement must work on the live release for the proof to mean anything.`,
      );
    }
    proof = await proveMigrations(db, added, queries);
  } finally {
    await db.close();
  }
  return {
    verdict: verdictOf(findings, proof),
    failOn: inputs.failOn,
    base,
    migrations: changes,
    queries: { files: queryFiles.map((file) => file.file), statements: proof.queries },
    findings,
    proof,
    durationMs: Date.now() - started,
  };
}

function annotateInLog(annotations: Annotation[]): void {
  for (const annotation of annotations) {
    const properties = { file: annotation.path, startLine: annotation.start_line, title: annotation.title };
    if (annotation.annotation_level === 'failure') core.error(annotation.message, properties);
    else if (annotation.annotation_level === 'warning') core.warning(annotation.message, properties);
    else core.notice(annotation.message, properties);
  }
}

/** The whole action: check, write report.json, annotate, record the check run. */
export async function run(inputs: MigrationInputs, edges: MigrationEdges): Promise<MigrationResult> {
  if (inputs.databaseUrl) core.setSecret(inputs.databaseUrl);
  const report = await checkChanges(inputs, edges.workspace);
  const reportDir = join(edges.outputDir, inputs.name.replace(/[^A-Za-z0-9._-]+/g, '-'));
  await mkdir(reportDir, { recursive: true });
  const reportPath = join(reportDir, 'report.json');
  await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n');

  const title = reportTitle(report);
  const summary = renderReport(report);
  core.info(safeLine(`${inputs.name}: ${title}`));
  for (const finding of report.findings)
    core.info(safeLine(`${finding.file}:${finding.line} ${finding.rule} (${finding.ignored ? 'ignored' : finding.severity}): ${finding.message}`));
  for (const failure of report.proof.failures)
    core.info(safeLine(`${failure.query.file}:${failure.query.line} fails after ${failure.migration}: ${failure.error}`));

  const annotations = annotationsOf(report);
  let checkRunUrl: string | undefined;
  if (edges.client && edges.headSha) {
    try {
      const checkRun = await createCheckRun(edges.client, edges.repo, {
        name: inputs.name,
        headSha: edges.headSha,
        conclusion: conclusionOf(report.verdict, inputs.failOn),
        title,
        summary,
        annotations,
        detailsUrl: edges.runUrl,
      });
      checkRunUrl = checkRun.htmlUrl;
    } catch (error) {
      core.warning(safeLine(`check run ${inputs.name} not written (${errorMessage(error)}): the annotations follow in the log`));
      annotateInLog(annotations);
    }
  } else {
    annotateInLog(annotations);
  }
  const failure = fails(report.verdict, inputs.failOn) ? `${inputs.name}: ${title}` : undefined;
  return {
    verdict: report.verdict,
    reportPath,
    report,
    summary: `## ${inputs.name}\n\n${summary}${checkRunUrl ? `\n[Check run](${checkRunUrl})\n` : ''}`,
    failure,
    checkRunUrl,
  };
}
