/**
 * The GitHub side of a candidate: the gate's check runs, the pre-release that carries the archive
 * and its manifest, and promotion of that pre-release to a release without rebuilding.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitHubClient, RepoRef } from '@cutover/github';
import { digestOf } from './archive.js';
import type { CheckRunSummary } from './gate.js';
import { CandidateError, MANIFEST_FILE, parseManifest, type CandidateManifest } from './manifest.js';
import { tagOf, type PublishedRelease } from './version.js';
import { verifyCandidate } from './verify.js';

/** GET /repos/{owner}/{repo}/commits/{ref}/check-runs?check_name=<gate>, every page. */
export async function gateCheckRuns(client: GitHubClient, repo: RepoRef, commit: string, gateName: string): Promise<CheckRunSummary[]> {
  return (await client.paginate(client.rest.checks.listForRef, {
    ...repo,
    ref: commit,
    check_name: gateName,
    filter: 'all',
    per_page: 100,
  })) as CheckRunSummary[];
}

/** Published releases, for the version of the next candidate when the checkout has no tags. */
export async function listPublishedReleases(client: GitHubClient, repo: RepoRef): Promise<PublishedRelease[]> {
  const releases = await client.paginate(client.rest.repos.listReleases, { ...repo, per_page: 100 });
  return releases.map((release) => ({ tag: release.tag_name, prerelease: release.prerelease, draft: release.draft }));
}

export interface ReleaseFile {
  path: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface PublishedCandidate {
  id: number;
  htmlUrl: string;
  tag: string;
}

/** Pure: for a release that already exists, the files still to upload, or why it is not this candidate. */
export function resumeRelease(
  tag: string,
  release: { prerelease: boolean; html_url: string; assets: { name: string; digest?: string | null }[] },
  files: readonly { name: string; digest: string }[],
): { upload: string[] } | { refuse: string } {
  if (!release.prerelease) return { refuse: `publish: release ${tag} already exists and is no longer a pre-release: ${release.html_url}` };
  const upload: string[] = [];
  for (const file of files) {
    const asset = release.assets.find((candidate) => candidate.name === file.name);
    if (!asset) upload.push(file.name);
    else if (asset.digest !== file.digest) {
      return {
        refuse: `publish: release ${tag} already exists with another ${file.name} (${asset.digest ?? 'no digest'}, this build made ${file.digest}); a candidate is built once: set another version`,
      };
    }
  }
  return { upload };
}

/**
 * A pre-release tagged `v<version>` at the commit, not marked latest, with the files as assets.
 * A re-run of the same job finds its release: reproducible bytes make the same digests, so it
 * uploads what is missing; different bytes under the same version are refused.
 */
export async function publishPrerelease(
  client: GitHubClient,
  repo: RepoRef,
  manifest: CandidateManifest,
  body: string,
  files: readonly ReleaseFile[],
): Promise<PublishedCandidate> {
  const tag = tagOf(manifest.version);
  let release;
  let upload = files.map((file) => file.name);
  try {
    release = (
      await client.rest.repos.createRelease({
        ...repo,
        tag_name: tag,
        target_commitish: manifest.commit,
        name: `${manifest.name} ${manifest.version}`,
        body,
        prerelease: true,
        make_latest: 'false',
      })
    ).data;
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
    release = (await client.rest.repos.getReleaseByTag({ ...repo, tag })).data;
    const resumed = resumeRelease(
      tag,
      release,
      files.map((file) => ({ name: file.name, digest: digestOf(file.data) })),
    );
    if ('refuse' in resumed) throw new CandidateError(resumed.refuse);
    upload = resumed.upload;
  }
  for (const file of files.filter((candidate) => upload.includes(candidate.name))) {
    // upload_url is a URI template on uploads.github.com (or GitHub Enterprise's upload host).
    await client.request({
      method: 'POST',
      url: release.upload_url,
      name: file.name,
      data: file.data,
      headers: { 'content-type': file.contentType, 'content-length': file.data.length },
    });
  }
  return { id: release.id, htmlUrl: release.html_url, tag };
}

async function downloadAsset(client: GitHubClient, repo: RepoRef, assetId: number): Promise<Buffer> {
  const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    ...repo,
    asset_id: assetId,
    headers: { accept: 'application/octet-stream' },
  });
  const data = response.data as unknown;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // A JSON manifest may come back parsed when the server labels it application/json.
  return Buffer.from(JSON.stringify(data));
}

export interface PromotedCandidate {
  manifest: CandidateManifest;
  archivePath: string;
  manifestPath: string;
  htmlUrl: string;
  /** False when the release was already promoted (nothing changed). */
  changed: boolean;
}

/**
 * Turns the pre-release of `version` into a release marked latest, after downloading its
 * candidate.json and archive into `directory` and verifying them (`verifyCandidate`): what is
 * released is exactly what was built and tested. Nothing changes when verification fails.
 */
export async function promoteRelease(client: GitHubClient, repo: RepoRef, version: string, directory: string): Promise<PromotedCandidate> {
  const tag = tagOf(version);
  let release;
  try {
    release = (await client.rest.repos.getReleaseByTag({ ...repo, tag })).data;
  } catch (error) {
    if ((error as { status?: number }).status === 404)
      throw new CandidateError(`promote: no release ${tag} in ${repo.owner}/${repo.repo}; build the candidate with publish: release first`);
    throw error;
  }
  const manifestAsset = release.assets.find((asset) => asset.name === MANIFEST_FILE);
  if (!manifestAsset) throw new CandidateError(`promote: release ${tag} has no ${MANIFEST_FILE} asset: ${release.html_url}`);
  await mkdir(directory, { recursive: true });
  const manifestPath = join(directory, MANIFEST_FILE);
  const manifestBytes = await downloadAsset(client, repo, manifestAsset.id);
  const manifest = parseManifest(manifestBytes.toString('utf8'), `${tag}/${MANIFEST_FILE}`);
  if (manifest.version !== version) throw new CandidateError(`promote: ${tag}/${MANIFEST_FILE} is for version ${manifest.version}, not ${version}`);
  const archiveAsset = release.assets.find((asset) => asset.name === manifest.archive.file);
  if (!archiveAsset) throw new CandidateError(`promote: release ${tag} has no ${manifest.archive.file} asset: ${release.html_url}`);
  // GitHub lists each asset's digest: a mismatch is known before downloading anything large.
  const listed = (archiveAsset as { digest?: string | null }).digest;
  if (listed && listed !== manifest.archive.digest) {
    throw new CandidateError(
      `promote: asset ${archiveAsset.name} of ${tag} has digest ${listed}, its manifest says ${manifest.archive.digest}; refusing to release it`,
    );
  }
  const archivePath = join(directory, manifest.archive.file);
  await writeFile(manifestPath, manifestBytes);
  await writeFile(archivePath, await downloadAsset(client, repo, archiveAsset.id));
  await verifyCandidate(archivePath, manifestPath);
  if (release.draft) throw new CandidateError(`promote: release ${tag} is a draft, not a pre-release: ${release.html_url}`);
  if (!release.prerelease) return { manifest, archivePath, manifestPath, htmlUrl: release.html_url, changed: false };
  const updated = await client.rest.repos.updateRelease({ ...repo, release_id: release.id, prerelease: false, make_latest: 'true' });
  return { manifest, archivePath, manifestPath, htmlUrl: updated.data.html_url, changed: true };
}
