/**
 * Builders of GitHub's response objects: every field GitHub's schema requires, with URLs that
 * point at the stand-in (API) or at the web site (html_url), as GitHub's responses do.
 */

export type Body = Record<string, unknown>;

export interface Site {
  /** The stand-in's origin, e.g. http://127.0.0.1:40123: GitHub's api.github.com and uploads.github.com. */
  apiUrl: string;
  /** Where html_url fields point, https://github.com like GitHub.com. */
  htmlUrl: string;
  owner: string;
  repo: string;
  defaultBranch: string;
  repoId: number;
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

export function repoApi(site: Site): string {
  return `${site.apiUrl}/repos/${site.owner}/${site.repo}`;
}

export function repoHtml(site: Site): string {
  return `${site.htmlUrl}/${site.owner}/${site.repo}`;
}

/** The user whose token the stand-in serves: GITHUB_TOKEN acts as github-actions[bot]. */
export function user(site: Site, login = 'github-actions[bot]', id = 41898282): Body {
  const api = `${site.apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: `https://avatars.githubusercontent.com/in/15368?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${site.htmlUrl}/apps/github-actions`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The GitHub Actions app, which owns check runs and deployments made with GITHUB_TOKEN. */
export function actionsApp(site: Site): Body {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: nodeId('App', 15368),
    client_id: 'Iv1.05c79e9ad1f6bdfa',
    owner: user(site, 'github', 9919),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${site.htmlUrl}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: { checks: 'write', contents: 'write', deployments: 'write', issues: 'write', metadata: 'read', statuses: 'write' },
    events: ['check_run', 'check_suite', 'deployment', 'deployment_status', 'issues', 'push', 'status'],
  };
}

/** A repository with every field of GitHub's `full-repository` (a superset of `repository`). */
export function repository(site: Site): Body {
  const api = repoApi(site);
  const html = repoHtml(site);
  const created = '2024-01-02T03:04:05Z';
  return {
    id: site.repoId,
    node_id: nodeId('Repository', site.repoId),
    name: site.repo,
    full_name: `${site.owner}/${site.repo}`,
    owner: user(site, site.owner, 1000),
    private: false,
    html_url: html,
    description: 'Deployed by Cutover',
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${site.owner}/${site.repo}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${site.owner}/${site.repo}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 108,
    default_branch: site.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: created,
    created_at: created,
    updated_at: created,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 1,
  };
}

export function label(site: Site, name: string, id: number): Body {
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${repoApi(site)}/labels/${encodeURIComponent(name)}`,
    name,
    // '' rather than null: pull request schemas type a label's description as a plain string.
    description: '',
    color: 'ededed',
    default: false,
  };
}

export interface CommitSeed {
  sha: string;
  message: string;
  /** Defaults to the `octocat` author. */
  author?: { name: string; email: string; date?: string };
  parents?: string[];
}

export function commit(site: Site, seed: CommitSeed): Body {
  const api = repoApi(site);
  const author = {
    name: seed.author?.name ?? 'The Octocat',
    email: seed.author?.email ?? 'octocat@github.com',
    date: seed.author?.date ?? timestamp(),
  };
  return {
    url: `${api}/commits/${seed.sha}`,
    sha: seed.sha,
    node_id: nodeId('Commit', parseInt(seed.sha.slice(0, 8), 16) || 0),
    html_url: `${repoHtml(site)}/commit/${seed.sha}`,
    comments_url: `${api}/commits/${seed.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${seed.sha}`,
      author,
      committer: author,
      message: seed.message,
      tree: { sha: seed.sha.split('').reverse().join(''), url: `${api}/git/trees/${seed.sha.split('').reverse().join('')}` },
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: {},
    committer: {},
    parents: (seed.parents ?? []).map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${repoHtml(site)}/commit/${sha}` })),
  };
}
