/**
 * migration-check: the migrations added since the live release, judged by static rules and
 * proven on a real PostgreSQL (PGlite, or database-url) against the live version's statements.
 */
import * as core from '@actions/core';
import { edgesFromRunner, parseMigrationInputs, run } from '@cutover/migration';
import { input, runMain } from '@cutover/runtime';

await runMain(async () => {
  const inputs = parseMigrationInputs(input);
  const result = await run(inputs, edgesFromRunner(inputs));
  core.setOutput('verdict', result.verdict);
  core.setOutput('report', result.reportPath);
  await core.summary.addRaw(result.summary, true).write();
  if (result.failure) core.setFailed(result.failure);
});
