import { startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGitHubClient, recordsSkipped, shouldRetryRateLimit, spacesWrites, type GitHubClient } from './client.js';

let standIn: GitHubStandIn;
const repo = { owner: 'octo-org', repo: 'app' };

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(async () => {
  await standIn.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  standIn.violations.length = 0;
  standIn.requests.length = 0;
});

function stdoutLines(run: () => void): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** A client of the stand-in, through GITHUB_API_URL set after @actions/github was imported. */
function client(options: Parameters<typeof createGitHubClient>[1] = {}): GitHubClient {
  vi.stubEnv('GITHUB_API_URL', standIn.apiUrl);
  const created = createGitHubClient(standIn.token, { retryBaseMs: 5, rateLimitSecondMs: 5, ...options });
  if (!created) throw new Error('no client');
  return created;
}

describe('createGitHubClient', () => {
  it('gives no client without a token, and says once what is skipped', () => {
    expect(createGitHubClient(undefined)).toBeUndefined();
    expect(createGitHubClient('')).toBeUndefined();
    expect(createGitHubClient('   ')).toBeUndefined();
    const lines = stdoutLines(() => recordsSkipped('deployment record'));
    expect(lines).toEqual(['::notice::No GitHub token: deployment record skipped; traffic changes still happen.']);
  });

  it('masks the token', () => {
    const lines = stdoutLines(() => createGitHubClient('ghs_secretvalue'));
    expect(lines).toContain('::add-mask::ghs_secretvalue');
  });

  it('talks to GITHUB_API_URL read when the client is made, with the token', async () => {
    const { data } = await client().rest.repos.get(repo);
    expect(data.full_name).toBe('octo-org/app');
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]?.headers.authorization).toBe('token test-token');
    standIn.assertNoViolations();
  });

  it('uploads a release asset to the upload_url GitHub gives', async () => {
    const github = client();
    const { data: release } = await github.rest.repos.createRelease({ ...repo, tag_name: 'v3.0.0' });
    // uploadReleaseAsset defaults to uploads.github.com; the release's upload_url says where to upload.
    const { data: asset } = await github.rest.repos.uploadReleaseAsset({
      ...repo,
      release_id: release.id,
      url: release.upload_url,
      name: 'candidate.tar.gz',
      data: Buffer.from('bytes') as unknown as string,
      headers: { 'content-type': 'application/gzip' },
    });
    expect(asset).toMatchObject({ name: 'candidate.tar.gz', size: 5 });
    expect(standIn.store.assetBytes('v3.0.0', 'candidate.tar.gz')?.toString()).toBe('bytes');
    standIn.assertNoViolations();
  });

  it('retries a 502 and succeeds', async () => {
    standIn.failNext('GET', '/repos/{owner}/{repo}', 502);
    const { data } = await client().rest.repos.get(repo);
    expect(data.name).toBe('app');
    expect(standIn.requests.map((request) => request.status)).toEqual([502, 200]);
  });

  it('gives up after two retries of a 5xx', async () => {
    standIn.failNext('GET', '/repos/{owner}/{repo}', 503, { times: 5 });
    await expect(client().rest.repos.get(repo)).rejects.toMatchObject({ status: 503 });
    expect(standIn.requests.map((request) => request.status)).toEqual([503, 503, 503]);
  });

  it('does not retry a 4xx', async () => {
    await expect(client().rest.repos.getDeployment({ ...repo, deployment_id: 424242 })).rejects.toMatchObject({ status: 404 });
    expect(standIn.requests).toHaveLength(1);
  });

  it('waits out a rate limit twice, then gives up with a warning', async () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) };
    standIn.failNext('GET', '/rate_limit', 403, { times: 1, headers });
    await expect(client().rest.rateLimit.get()).resolves.toMatchObject({ status: 200 });
    expect(standIn.requests.map((request) => request.status)).toEqual([403, 200]);

    standIn.requests.length = 0;
    standIn.failNext('GET', '/rate_limit', 429, { times: 3, headers });
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    await expect(client().rest.rateLimit.get()).rejects.toMatchObject({ status: 429 });
    expect(standIn.requests.map((request) => request.status)).toEqual([429, 429, 429]);
    expect(writes.join('')).toMatch(/::warning::GitHub rate limit on GET \/rate_limit: giving up after 2 retries/);
  });
});

describe('pure decisions', () => {
  it('retries a rate limit at most twice, and not when asked to wait past a minute', () => {
    expect(shouldRetryRateLimit(1, 0)).toBe(true);
    expect(shouldRetryRateLimit(1, 1)).toBe(true);
    expect(shouldRetryRateLimit(1, 2)).toBe(false);
    expect(shouldRetryRateLimit(3600, 0)).toBe(false);
  });

  it('spaces writes to GitHub, not to an API on this machine', () => {
    expect(spacesWrites('https://api.github.com')).toBe(true);
    expect(spacesWrites('https://ghe.example.com/api/v3')).toBe(true);
    expect(spacesWrites('http://127.0.0.1:4567')).toBe(false);
    expect(spacesWrites('http://localhost:4567')).toBe(false);
    expect(spacesWrites('http://[::1]:4567')).toBe(false);
  });
});
