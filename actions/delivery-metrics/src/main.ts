/** delivery-metrics: the four DORA figures from what Cutover recorded on GitHub. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { createGitHubClient, repoContext } from '@cutover/github';
import { parseMetricsInputs, runDeliveryMetrics } from '@cutover/metrics';
import { input, runMain } from '@cutover/runtime';

await runMain(async () => {
  const now = Date.now();
  const inputs = parseMetricsInputs(input, now);
  const client = createGitHubClient(inputs.token);
  if (!client) throw new Error('token: delivery-metrics reads deployments and issues from GitHub and needs a token (default github.token)');
  const context = repoContext();
  const result = await runDeliveryMetrics({
    client,
    repo: { owner: context.owner, repo: context.repo },
    inputs,
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    defaultDirectory: join(process.env.RUNNER_TEMP || tmpdir(), 'delivery-metrics'),
    now,
    log: (line) => core.info(line),
  });
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
  await core.summary.addRaw(result.summary).write();
});
