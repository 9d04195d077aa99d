/**
 * test-gate: runs the tests, reads their JUnit XML, reports a check run with annotations, and
 * stops the line while the default branch is red.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { InputError, parseBoolean, parseGlobs } from '@cutover/config';
import { createGitHubClient, repoContext } from '@cutover/github';
import { input, runShellCommand } from '@cutover/runtime';
import { annotationCommands, annotationsFor, repositoryPath } from './annotations.js';
import { bugRule } from './bug-rule.js';
import { eventFacts } from './event.js';
import { LINE_CONTEXT } from './line.js';
import { planRecords } from './plan.js';
import { readGateContext, writeGateRecords, type GateReads } from './records.js';
import { renderSummary, title } from './render.js';
import { failures, totals } from './report.js';
import { readResults, resolveInexactLocations } from './results.js';
import type { TestCase } from './types.js';
import { enforcementWarnings, gateVerdict, testFailures } from './verdict.js';

export interface GateInputs {
  command: string;
  directory: string;
  /** `working-directory` relative to the workspace, for annotation paths. */
  relativeDirectory: string;
  results: string[];
  name: string;
  stopTheLine: boolean;
  fixLabel: string;
  bugLabel: string;
  testPaths: string[];
  token: string;
}

export function readGateInputs(workspace = process.env.GITHUB_WORKSPACE || process.cwd()): GateInputs {
  const relativeDirectory = input('working-directory').trim() || '.';
  const directory = resolve(workspace, relativeDirectory);
  if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`working-directory: ${relativeDirectory} is not a directory of the workspace`);
  }
  const results = parseGlobs(input('results'));
  if (results.length === 0) throw new InputError('results: expected at least one glob of JUnit XML files');
  const name = input('name').trim();
  if (name === '') throw new InputError('name: expected the name of the check run, such as test-gate');
  const bugLabel = input('bug-label').trim();
  const testPaths = parseGlobs(input('test-paths'));
  if (bugLabel !== '' && testPaths.length === 0) throw new InputError('test-paths: expected at least one glob while bug-label is set');
  return {
    command: input('command').trim(),
    directory,
    relativeDirectory,
    results,
    name,
    stopTheLine: parseBoolean(input('stop-the-line'), 'stop-the-line', true),
    fixLabel: input('fix-label').trim(),
    bugLabel,
    testPaths,
    token: input('token'),
  };
}

export async function run(inputs: GateInputs, workspace = process.env.GITHUB_WORKSPACE || process.cwd()): Promise<void> {
  const run = repoContext();
  const facts = eventFacts(run.eventName, run.payload, run.sha, run.ref);

  if (inputs.command) core.info(`Running command: ${inputs.command}`);
  const exitCode = inputs.command ? await runShellCommand(inputs.command, { cwd: inputs.directory }) : undefined;
  const results = await readResults(inputs.results, inputs.directory);
  await resolveInexactLocations(failures(results.cases), inputs.directory);
  const counts = totals(results.cases);
  core.info(`${results.reports.length} results file(s): ${counts.total} tests, ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped.`);
  const testReasons = testFailures({ exitCode, patterns: inputs.results, reports: results.reports.length, problems: results.problems, totals: counts });

  const client = createGitHubClient(inputs.token);
  const repo = { owner: run.owner, repo: run.repo };
  const extra: string[] = [];
  let reads: GateReads | undefined;
  if (client) {
    reads = await readGateContext(client, repo, facts, inputs);
    for (const message of [...reads.problems, ...enforcementWarnings(reads.unrequired, inputs.name, reads.defaultBranch)]) {
      core.warning(message);
      extra.push(message);
    }
  } else {
    const skipped = `No GitHub token: the check run, the ${LINE_CONTEXT} statuses and the state of the default branch were skipped`;
    extra.push(skipped);
    core.notice(`${skipped}; the tests still decide the gate.`);
  }
  const defaultBranch = reads?.defaultBranch ?? facts.defaultBranch ?? 'main';
  const labels = reads?.labels ?? facts.labels;
  const bug = facts.event === 'pull_request' && reads?.files ? bugRule(labels, inputs.bugLabel, reads.files, inputs.testPaths) : undefined;
  if (facts.event === 'pull_request' && !reads?.files && inputs.bugLabel && labels.includes(inputs.bugLabel)) {
    extra.push(`the ${inputs.bugLabel} rule was not checked: the changed files could not be read`);
  }
  const verdict = gateVerdict(testReasons, {
    event: facts.event,
    defaultBranch,
    stopTheLine: inputs.stopTheLine,
    line: facts.branch === defaultBranch && facts.event !== 'push' ? reads?.line : undefined,
    labels,
    fixLabel: inputs.fixLabel,
    bug,
  });

  const pathOf = (testCase: TestCase) => (testCase.location ? repositoryPath(testCase.location.path, workspace, inputs.relativeDirectory) : undefined);
  const annotations = annotationsFor(failures(results.cases), pathOf);
  const summary = renderSummary({ verdict, totals: counts, cases: results.cases, pathOf, extra });
  let checkRunId = '';
  let checkRunUrl = '';
  const writeProblems: string[] = [];
  if (client && reads) {
    const records = planRecords({
      facts,
      defaultBranch,
      stopTheLine: inputs.stopTheLine,
      verdict,
      line: reads.line,
      fixLabel: inputs.fixLabel,
      runUrl: run.runUrl,
      checkRun: {
        name: inputs.name,
        headSha: facts.headSha,
        conclusion: verdict.conclusion,
        title: title(verdict, counts),
        summary,
        annotations,
        detailsUrl: run.runUrl,
      },
    });
    const written = await writeGateRecords(client, repo, records);
    written.problems.forEach((problem) => core.warning(problem));
    writeProblems.push(...written.problems);
    if (written.marked.length > 0)
      core.info(`${LINE_CONTEXT}: ${records.openPulls!.status.state} on pull requests ${written.marked.map((n) => `#${n}`).join(', ')}.`);
    checkRunId = written.checkRunId ? String(written.checkRunId) : '';
    checkRunUrl = written.checkRunUrl ?? '';
  }

  if (!checkRunId && annotations.length > 0) {
    // No check run to carry them (a fork's read-only token, no token): the job's own check run
    // does, through workflow commands. GitHub shows 10 of each level per step, 50 per job.
    for (const command of annotationCommands(annotations)) core.error(command.message, command.properties);
    const line = `${annotations.length} failure annotation${annotations.length === 1 ? '' : 's'} written as workflow commands on the job instead of the check run${annotations.length > 10 ? ' (GitHub shows the first 10 of a step)' : ''}`;
    core.info(line);
    writeProblems.push(line);
  }

  core.setOutput('conclusion', verdict.conclusion);
  core.setOutput('total', counts.total);
  core.setOutput('passed', counts.passed);
  core.setOutput('failed', counts.failed);
  core.setOutput('skipped', counts.skipped);
  core.setOutput('check-run-id', checkRunId);
  await core.summary
    .addHeading(inputs.name, 2)
    .addRaw(summary, true)
    .addRaw(writeProblems.map((problem) => `\n- ⚠️ ${problem}`).join(''))
    .addRaw(checkRunUrl ? `\n\n[Check run](${checkRunUrl})\n` : '')
    .write();
  if (verdict.conclusion === 'failure') core.setFailed(`${inputs.name}: ${verdict.reasons.join('; ')}`);
}
