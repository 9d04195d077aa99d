/**
 * Repository contents: reading a file at a ref, and creating or updating one with a commit on a
 * branch, as GitHub does it. The blob's sha is git's, so that `sha` in an update is a real
 * compare-and-swap: a stale one is refused with 409, a missing one (the file exists) with 422.
 */
import { createHash } from 'node:crypto';
import { nodeId, repoApi, repoHtml, timestamp, type Body, type Site } from '../shapes.js';
import { fakeSha, type GitHubStore } from '../store.js';
import { ApiError, notFound, str, type Handler } from './api.js';

/** git's blob id: sha1 of "blob <size>\0<bytes>". */
export function blobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function fileLinks(site: Site, path: string, ref: string, sha: string) {
  const api = repoApi(site);
  return {
    url: `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`,
    html_url: `${repoHtml(site)}/blob/${ref}/${path}`,
    git_url: `${api}/git/blobs/${sha}`,
    download_url: `https://raw.githubusercontent.com/${site.owner}/${site.repo}/${ref}/${path}`,
  };
}

function fileBody(site: Site, path: string, ref: string, bytes: Buffer): Body {
  const sha = blobSha(bytes);
  const links = fileLinks(site, path, ref, sha);
  return {
    type: 'file',
    encoding: 'base64',
    size: bytes.length,
    name: path.split('/').at(-1),
    path,
    // GitHub wraps the base64 text at 60 characters.
    content: (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
    sha,
    ...links,
    _links: { self: links.url, git: links.git_url, html: links.html_url },
  };
}

function decodedPath(raw: string | undefined): string {
  return (raw ?? '').replace(/^\/+/, '');
}

export const getContent: Handler = ({ params, query, store }) => {
  const path = decodedPath(params.path);
  const ref = query.ref || store.site.defaultBranch;
  const sha = store.resolveSha(ref);
  if (!sha) throw new ApiError(404, `No commit found for the ref ${ref}`);
  const bytes = store.commitFiles.get(sha)?.get(path);
  if (!bytes) throw notFound();
  return { status: 200, body: fileBody(store.site, path, ref, bytes) };
};

export const createOrUpdateFile: Handler = ({ params, body, store }) => {
  const path = decodedPath(params.path);
  const branch = str(body.branch) || store.site.defaultBranch;
  const head = store.refs.get(`heads/${branch}`);
  if (!head) throw new ApiError(404, `Branch ${branch} not found`);
  const files = new Map(store.commitFiles.get(head) ?? []);
  const current = files.get(path);
  const given = str(body.sha);
  if (current && !given) throw new ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  if (current && given !== blobSha(current)) throw new ApiError(409, `${path} does not match ${given}`);
  if (!current && given) throw new ApiError(422, `Invalid request.\n\n"sha" is for a file ${path} does not have.`);
  const bytes = Buffer.from(str(body.content), 'base64');
  files.set(path, bytes);
  const commitSha = commitOn(store, branch, head, files, str(body.message));
  const links = fileLinks(store.site, path, branch, blobSha(bytes));
  const api = repoApi(store.site);
  const date = timestamp();
  const author = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com', date };
  return {
    status: current ? 200 : 201,
    body: {
      content: {
        name: path.split('/').at(-1),
        path,
        sha: blobSha(bytes),
        size: bytes.length,
        ...links,
        type: 'file',
        _links: { self: links.url, git: links.git_url, html: links.html_url },
      },
      commit: {
        sha: commitSha,
        node_id: nodeId('Commit', parseInt(commitSha.slice(0, 8), 16)),
        url: `${api}/git/commits/${commitSha}`,
        html_url: `${repoHtml(store.site)}/commit/${commitSha}`,
        author,
        committer: author,
        message: str(body.message),
        tree: { sha: fakeSha(`tree:${commitSha}`), url: `${api}/git/trees/${fakeSha(`tree:${commitSha}`)}` },
        parents: [{ sha: head, url: `${api}/git/commits/${head}`, html_url: `${repoHtml(store.site)}/commit/${head}` }],
        verification: { verified: true, reason: 'valid', signature: null, payload: null, verified_at: date },
      },
    },
  };
};

/** A new commit on `branch` with `files`; the branch moves to it. */
function commitOn(store: GitHubStore, branch: string, parent: string, files: Map<string, Buffer>, message: string): string {
  const sha = fakeSha(`commit:${parent}:${store.id()}:${message}`);
  store.commitFiles.set(sha, files);
  store.refs.set(`heads/${branch}`, sha);
  return sha;
}
