import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { createGitHubClient, repoContext } from '@cutover/github';
import { buildCandidate } from './build.js';
import type { CandidateInputs } from './inputs.js';
import { promoteRelease } from './releases.js';
import { candidateSummary } from './summary.js';

/** build-candidate: builds and publishes one release candidate, or promotes one to a release. */
export async function run(inputs: CandidateInputs): Promise<void> {
  const context = repoContext();
  const repo = { owner: context.owner, repo: context.repo };
  const client = createGitHubClient(inputs.token);
  const outputRoot = join(process.env.RUNNER_TEMP || tmpdir(), 'build-candidate');

  if (inputs.mode === 'promote') {
    if (!client) throw new Error('promote: needs a token');
    const promoted = await promoteRelease(client, repo, inputs.version, join(outputRoot, 'promote', inputs.version));
    const manifest = promoted.manifest;
    if (!promoted.changed) core.notice(`${manifest.name} ${manifest.version} was already a release: nothing changed.`);
    core.setOutput('version', manifest.version);
    core.setOutput('archive', promoted.archivePath);
    core.setOutput('digest', manifest.archive.digest);
    core.setOutput('manifest', promoted.manifestPath);
    core.setOutput('release-url', promoted.htmlUrl);
    await core.summary.addRaw(candidateSummary({ manifest, action: promoted.changed ? 'promoted' : 'already released', published: promoted.htmlUrl })).write();
    return;
  }

  const built = await buildCandidate(inputs, {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    outputRoot,
    repo,
    sha: context.sha,
    ref: context.ref,
    runUrl: context.runUrl,
    runNumber: Number(process.env.GITHUB_RUN_NUMBER) || 1,
    env: process.env,
    client,
  });
  const { manifest } = built;
  core.setOutput('version', manifest.version);
  core.setOutput('archive', built.archivePath);
  core.setOutput('digest', manifest.archive.digest);
  core.setOutput('manifest', built.manifestPath);
  if (built.release) core.setOutput('release-url', built.release.htmlUrl);
  core.info(`${manifest.archive.file}: ${manifest.archive.digest}, ${manifest.files.length} files`);
  const published = built.release
    ? `[release ${built.release.tag}](${built.release.htmlUrl})`
    : built.artifactId !== undefined
      ? `artifact ${manifest.name}-${manifest.version} (id ${built.artifactId})`
      : undefined;
  await core.summary.addRaw(candidateSummary({ manifest, action: 'built', published, attestationId: built.attestationId })).write();
}
