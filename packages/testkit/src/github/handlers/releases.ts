/** Releases and their assets (uploaded to the upload_url the stand-in gives). */
import { createHash } from 'node:crypto';
import { nodeId, repoApi, repoHtml, timestamp, user, type Body } from '../shapes.js';
import type { GitHubStore } from '../store.js';
import { ApiError, byNumber, notFound, str, type Handler } from './api.js';

function releaseAssets(store: GitHubStore, releaseId: number): Body[] {
  return store.assets
    .filter((asset) => asset.releaseId === releaseId)
    .map((asset) => ({
      url: `${repoApi(store.site)}/releases/assets/${asset.id}`,
      browser_download_url: `${repoHtml(store.site)}/releases/download/${encodeURIComponent(String(store.releases.find((r) => r.id === releaseId)?.tag_name))}/${encodeURIComponent(asset.name)}`,
      id: asset.id,
      node_id: nodeId('ReleaseAsset', asset.id),
      name: asset.name,
      label: asset.label,
      state: 'uploaded',
      content_type: asset.contentType,
      size: asset.bytes.length,
      digest: `sha256:${createHash('sha256').update(asset.bytes).digest('hex')}`,
      download_count: 0,
      created_at: asset.createdAt,
      updated_at: asset.createdAt,
      uploader: user(store.site),
    }));
}

function releaseView(store: GitHubStore, release: Body): Body {
  return { ...release, assets: releaseAssets(store, release.id as number) };
}

function releaseById(store: GitHubStore, id: string): Body {
  return byNumber(store.releases, 'id', id);
}

export const createRelease: Handler = ({ body, store }) => {
  const tag = String(body.tag_name);
  if (store.releases.some((release) => release.tag_name === tag)) {
    throw new ApiError(422, 'Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
  }
  const id = store.id();
  const now = timestamp();
  const draft = body.draft === true;
  const target = str(body.target_commitish, store.site.defaultBranch);
  // Publishing a release creates its tag at the target when the tag does not exist yet.
  if (!draft && !store.refs.has(`tags/${tag}`)) {
    const sha = store.resolveSha(target);
    if (!sha) throw new ApiError(422, 'Validation Failed', [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
    store.refs.set(`tags/${tag}`, sha);
  }
  const api = `${repoApi(store.site)}/releases/${id}`;
  const release: Body = {
    url: api,
    html_url: `${repoHtml(store.site)}/releases/tag/${encodeURIComponent(tag)}`,
    assets_url: `${api}/assets`,
    // Uploads go to uploads.github.com on GitHub: here the stand-in serves both.
    upload_url: `${store.site.apiUrl}/repos/${store.site.owner}/${store.site.repo}/releases/${id}/assets{?name,label}`,
    tarball_url: `${repoApi(store.site)}/tarball/${tag}`,
    zipball_url: `${repoApi(store.site)}/zipball/${tag}`,
    id,
    node_id: nodeId('Release', id),
    tag_name: tag,
    target_commitish: target,
    name: body.name ?? tag,
    body: body.body ?? null,
    draft,
    prerelease: body.prerelease === true,
    immutable: false,
    created_at: now,
    updated_at: now,
    published_at: draft ? null : now,
    author: user(store.site),
  };
  store.releases.push(release);
  return { status: 201, body: releaseView(store, release) };
};

export const getRelease: Handler = ({ params, store }) => ({ status: 200, body: releaseView(store, releaseById(store, params.release_id ?? '')) });

export const getReleaseByTag: Handler = ({ params, store }) => {
  // Drafts have no tag yet: GitHub does not find them by tag.
  const release = store.releases.find((candidate) => candidate.tag_name === params.tag && candidate.draft !== true);
  if (!release) throw notFound();
  return { status: 200, body: releaseView(store, release) };
};

export const updateRelease: Handler = ({ params, body, store }) => {
  const release = releaseById(store, params.release_id ?? '');
  for (const key of ['tag_name', 'target_commitish', 'name', 'body', 'prerelease'] as const) if (body[key] !== undefined) release[key] = body[key];
  if (body.draft === false && release.draft === true) {
    release.draft = false;
    release.published_at = timestamp();
  } else if (body.draft === true) release.draft = true;
  release.updated_at = timestamp();
  return { status: 200, body: releaseView(store, release) };
};

export const listReleases: Handler = ({ store }) => ({
  status: 200,
  body: [...store.releases].reverse().map((release) => releaseView(store, release)),
  paginate: true,
});

export const listReleaseAssets: Handler = ({ params, store }) => {
  const release = releaseById(store, params.release_id ?? '');
  return { status: 200, body: releaseAssets(store, release.id as number), paginate: true };
};

/** Where the stand-in serves an asset's bytes, as GitHub's storage does behind its redirect. */
export const ASSET_DOWNLOAD_PATH = '/__release-assets/';

/** JSON by default; with `accept: application/octet-stream`, a 302 to the bytes, as GitHub answers. */
export const getReleaseAsset: Handler = ({ params, headers, store }) => {
  const id = Number(params.asset_id);
  const asset = store.assets.find((candidate) => candidate.id === id);
  if (!asset) throw notFound();
  if (String(headers.accept ?? '').includes('application/octet-stream')) {
    return { status: 302, headers: { location: `${store.site.apiUrl}${ASSET_DOWNLOAD_PATH}${id}` } };
  }
  return { status: 200, body: releaseAssets(store, asset.releaseId).find((candidate) => candidate.id === id) };
};

export const uploadReleaseAsset: Handler = ({ params, query, rawBody, headers, store }) => {
  const release = releaseById(store, params.release_id ?? '');
  const name = query.name ?? '';
  if (store.assets.some((asset) => asset.releaseId === release.id && asset.name === name)) {
    throw new ApiError(422, 'Validation Failed', [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }]);
  }
  const id = store.id();
  store.assets.push({
    id,
    releaseId: release.id as number,
    name,
    label: query.label ?? null,
    contentType: String(headers['content-type'] ?? 'application/octet-stream'),
    bytes: rawBody,
    createdAt: timestamp(),
  });
  return { status: 201, body: releaseAssets(store, release.id as number).find((asset) => asset.id === id) };
};
