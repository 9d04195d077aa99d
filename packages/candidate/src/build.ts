/**
 * build-candidate end to end: gate, command, pack, manifest, self-check, publish, attest.
 * Every precondition (inputs, runner services, the gate) is checked before the command runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import { formatDuration } from '@cutover/config';
import type { GitHubClient, RepoRef } from '@cutover/github';
import { runShellCommand } from '@cutover/runtime';
import { collectFiles, packFiles } from './archive.js';
import { commitTime, headCommit, versionTags } from './git.js';
import type { BuildInputs } from './inputs.js';
import { MANIFEST_FILE, MANIFEST_SCHEMA, manifestFiles, serializeManifest, type CandidateManifest, type GateRecord } from './manifest.js';
import { attestArchive, checkPublishPrerequisites, uploadArtifact } from './publish.js';
import { waitForGate } from './gate-wait.js';
import { listPublishedReleases, publishPrerelease } from './releases.js';
import { candidateVersion, lastReleased } from './version.js';
import { verifyCandidate } from './verify.js';

export interface BuildContext {
  workspace: string;
  /** Where the archive and candidate.json are written (a directory per candidate is made inside). */
  outputRoot: string;
  repo: RepoRef;
  /** GITHUB_SHA: the commit when the workspace is not a git checkout. */
  sha: string;
  ref: string;
  runUrl: string;
  runNumber: number;
  env: Record<string, string | undefined>;
  client: GitHubClient | undefined;
}

export interface BuiltCandidate {
  manifest: CandidateManifest;
  archivePath: string;
  manifestPath: string;
  release?: { htmlUrl: string; tag: string };
  artifactId?: number;
  attestationId?: string;
}

/** The user's own build command, through bash as a workflow `run:` step runs it. */
export async function runBuildCommand(command: string, workspace: string): Promise<void> {
  core.info(`Running command: ${command}`);
  const code = await runShellCommand(command, { cwd: workspace });
  if (code !== 0) throw new Error(`command: exited with code ${code}; nothing was packed`);
}

function requireClient(client: GitHubClient | undefined, what: string): GitHubClient {
  // parseCandidateInputs refuses these cases without a token; this keeps the types honest.
  if (!client) throw new Error(`${what} needs a token`);
  return client;
}

export async function buildCandidate(inputs: BuildInputs, context: BuildContext): Promise<BuiltCandidate> {
  checkPublishPrerequisites(context.env, inputs);
  const head = await headCommit(context.workspace);
  const commit = head ?? context.sha;
  if (head && context.sha && head !== context.sha) {
    core.warning(
      `The workspace has ${head.slice(0, 7)} checked out, not GITHUB_SHA ${context.sha.slice(0, 7)}: the candidate is built from ${head.slice(0, 7)}.`,
    );
  }

  let gate: GateRecord | null = null;
  if (inputs.requireGate) {
    const waited = await waitForGate(requireClient(context.client, 'require-gate'), context.repo, commit, inputs.gateName, inputs.gateTimeoutMs);
    gate = waited.gate;
    const after = waited.waitedMs >= 1000 ? ` (waited ${formatDuration(waited.waitedMs)})` : '';
    core.info(`Gate "${gate.name}" succeeded on ${commit.slice(0, 7)}${after}: ${gate.url}`);
  } else {
    core.notice('require-gate is false: this candidate was built without checking the gate.');
  }

  if (inputs.command) await runBuildCommand(inputs.command, context.workspace);

  let version = inputs.version;
  if (!version) {
    const releases = context.client ? await listPublishedReleases(context.client, context.repo) : [];
    version = candidateVersion({ lastRelease: lastReleased(await versionTags(context.workspace), releases), runNumber: context.runNumber, sha: commit });
  }

  const mtime = await commitTime(context.workspace, commit, context.env.SOURCE_DATE_EPOCH);
  const packed = await packFiles(await collectFiles(context.workspace, inputs.paths), mtime);
  const archiveFile = `${inputs.name}-${version}.tar.gz`;
  const manifest: CandidateManifest = {
    schema: MANIFEST_SCHEMA,
    name: inputs.name,
    version,
    commit,
    commitTime: new Date(mtime * 1000).toISOString(),
    ref: context.ref,
    runUrl: context.runUrl,
    archive: { file: archiveFile, digest: packed.digest, size: packed.archive.length, tarDigest: packed.tarDigest },
    files: manifestFiles(packed.entries),
    gate,
  };
  const directory = join(context.outputRoot, `${inputs.name}-${version}`);
  await mkdir(directory, { recursive: true });
  const archivePath = join(directory, archiveFile);
  const manifestPath = join(directory, MANIFEST_FILE);
  const manifestText = serializeManifest(manifest);
  await writeFile(archivePath, packed.archive);
  await writeFile(manifestPath, manifestText);
  // What was written is what will be published: read it back before anything leaves the runner.
  await verifyCandidate(archivePath, manifestPath);
  const built: BuiltCandidate = { manifest, archivePath, manifestPath };

  if (inputs.publish === 'release') {
    const release = await publishPrerelease(requireClient(context.client, 'publish: release'), context.repo, manifest, releaseBody(manifest), [
      { path: archivePath, name: archiveFile, contentType: 'application/gzip', data: packed.archive },
      { path: manifestPath, name: MANIFEST_FILE, contentType: 'application/json', data: Buffer.from(manifestText) },
    ]);
    built.release = { htmlUrl: release.htmlUrl, tag: release.tag };
  } else if (inputs.publish === 'artifact') {
    built.artifactId = await uploadArtifact(`${inputs.name}-${version}`, archivePath, manifestPath);
  }
  if (inputs.attest) built.attestationId = await attestArchive(archiveFile, packed.digest, inputs.token ?? '');
  return built;
}

/** The pre-release's description: what it is and how to check it. */
export function releaseBody(manifest: CandidateManifest): string {
  const gate = manifest.gate ? `[${manifest.gate.name}](${manifest.gate.url}) ${manifest.gate.conclusion}` : 'not required';
  return [
    `Release candidate **${manifest.version}** of ${manifest.name}, built once by [this run](${manifest.runUrl}) from ${manifest.commit}.`,
    '',
    `- Archive: \`${manifest.archive.file}\`, ${manifest.files.length} files, digest \`${manifest.archive.digest}\``,
    `- Gate: ${gate}`,
    '',
    `Verify: \`sha256sum ${manifest.archive.file}\` gives the digest above; \`${MANIFEST_FILE}\` lists every file's sha256.`,
  ].join('\n');
}
