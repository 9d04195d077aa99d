/** Git refs and annotated tags. */
import { nodeId, repoApi, timestamp, type Body } from '../shapes.js';
import { fakeSha, type GitHubStore } from '../store.js';
import { ApiError, notFound, str, type Handler } from './api.js';

function gitRef(store: GitHubStore, ref: string): Body {
  const sha = store.refs.get(ref);
  if (!sha) throw notFound();
  return {
    ref: `refs/${ref}`,
    node_id: nodeId('Ref', ref.length),
    url: `${repoApi(store.site)}/git/refs/${ref}`,
    object: { type: store.gitTags.some((tag) => tag.sha === sha) ? 'tag' : 'commit', sha, url: `${repoApi(store.site)}/git/commits/${sha}` },
  };
}

export const getRef: Handler = ({ params, store }) => ({ status: 200, body: gitRef(store, (params.ref ?? '').replace(/^refs\//, '')) });

export const createRef: Handler = ({ body, store }) => {
  const ref = String(body.ref);
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw new ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.");
  const short = ref.slice('refs/'.length);
  if (store.refs.has(short)) throw new ApiError(422, 'Reference already exists');
  store.refs.set(short, String(body.sha));
  return { status: 201, body: gitRef(store, short) };
};

export const updateRef: Handler = ({ params, body, store }) => {
  const short = (params.ref ?? '').replace(/^refs\//, '');
  if (!store.refs.has(short)) throw new ApiError(422, 'Reference does not exist');
  store.refs.set(short, String(body.sha));
  return { status: 200, body: gitRef(store, short) };
};

export const deleteRef: Handler = ({ params, store }) => {
  const short = (params.ref ?? '').replace(/^refs\//, '');
  if (!store.refs.has(short)) throw new ApiError(422, 'Reference does not exist');
  store.refs.delete(short);
  return { status: 204 };
};

export const createTag: Handler = ({ body, store }) => {
  const object = String(body.object);
  const sha = fakeSha(`tag:${String(body.tag)}:${object}`);
  const tagger = (body.tagger as Body | undefined) ?? { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
  const tag: Body = {
    node_id: nodeId('Tag', store.id()),
    tag: body.tag,
    sha,
    url: `${repoApi(store.site)}/git/tags/${sha}`,
    message: body.message,
    tagger: { name: tagger.name, email: tagger.email, date: str(tagger.date) || timestamp() },
    object: { type: body.type, sha: object, url: `${repoApi(store.site)}/git/commits/${object}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
  store.gitTags.push(tag);
  return { status: 201, body: tag };
};
