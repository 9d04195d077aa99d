import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ATTEMPT_TIMEOUT_MS,
  attemptTimeoutMs,
  callTimeoutMs,
  createGitHubClient,
  GitHubTimeoutError,
  recordsSkipped,
  shouldRetryRateLimit,
  spacesWrites,
  type GitHubClient,
} from './client.js';

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

/** A real HTTP server on 127.0.0.1 that answers as `handle` says (or never); counts the requests. */
async function hostileApi(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

describe('timeouts: an API that accepts and never answers fails the call, naming it', () => {
  it('one attempt waits attemptTimeoutMs, and a timed-out attempt is not retried', async () => {
    const api = await hostileApi(() => {}); // reads the request, never answers
    try {
      const github = createGitHubClient('t', { baseUrl: api.url, retryBaseMs: 5, attemptTimeoutMs: 200 })!;
      const error = await failure(github.rest.repos.createDeployment({ ...repo, ref: 'main' }));
      expect(error).toBeInstanceOf(GitHubTimeoutError);
      expect(error.message).toBe('GitHub POST /repos/{owner}/{repo}/deployments: no answer within 0.2 s');
      // A write may have been done although its answer never came: never sent twice.
      expect(api.seen).toEqual(['POST /repos/octo-org/app/deployments']);
    } finally {
      await api.stop();
    }
  });

  it('an answer whose body never ends is a timeout too, not an empty answer', async () => {
    const api = await hostileApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": 1, ');
    });
    try {
      const github = createGitHubClient('t', { baseUrl: api.url, attemptTimeoutMs: 200 })!;
      const error = await failure(github.rest.repos.get(repo));
      expect(error.message).toBe('GitHub GET /repos/{owner}/{repo}: no answer within 0.2 s');
    } finally {
      await api.stop();
    }
  });

  it('the whole call has a deadline, retries and their waits included', async () => {
    const api = await hostileApi((_req, res) => res.writeHead(502).end('bad gateway'));
    try {
      // 5xx are retried after a wait (here 1 s, then 4 s): the deadline ends the call in the first wait.
      const github = createGitHubClient('t', { baseUrl: api.url, retryBaseMs: 1000, callTimeoutMs: 300 })!;
      const error = await failure(github.rest.repos.get(repo));
      expect(error).toBeInstanceOf(GitHubTimeoutError);
      expect(error.message).toBe('GitHub GET /repos/{owner}/{repo}: not done within 0.3 s (retries and waits included)');
      expect(api.seen).toEqual(['GET /repos/octo-org/app']);
    } finally {
      await api.stop();
    }
  });

  it('does not wait for a rate limit that would outlast the call', async () => {
    // GitHub says: wait until the reset, 30 s from now (30 x 5 ms here), longer than the call may take.
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30) };
    standIn.failNext('GET', '/rate_limit', 429, { times: 1, headers });
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    await expect(client({ callTimeoutMs: 100 }).rest.rateLimit.get()).rejects.toMatchObject({ status: 429 });
    expect(standIn.requests.map((request) => request.status)).toEqual([429]);
    expect(writes.join('')).toMatch(
      /::warning::GitHub rate limit on GET \/rate_limit: giving up after 0 retries \(GitHub asks to wait 3\d s, past the call's deadline\)/,
    );
  });
});

describe('pure decisions', () => {
  it('retries a rate limit at most twice, and not when asked to wait past a minute or past the deadline', () => {
    expect(shouldRetryRateLimit(1, 0)).toBe(true);
    expect(shouldRetryRateLimit(1, 1)).toBe(true);
    expect(shouldRetryRateLimit(1, 2)).toBe(false);
    expect(shouldRetryRateLimit(3600, 0)).toBe(false);
    expect(shouldRetryRateLimit(30, 0, 31)).toBe(true);
    expect(shouldRetryRateLimit(30, 0, 29)).toBe(false);
  });

  it('bounds each attempt (more for an upload) and the whole call', () => {
    expect(ATTEMPT_TIMEOUT_MS).toBe(20_000);
    expect(attemptTimeoutMs(0)).toBe(20_000);
    expect(attemptTimeoutMs(100 * 1024 * 1024)).toBe(20_000 + 400_000);
    // Three attempts, two retry waits (0.5 s + 2 s), two rate-limit waits of at most a minute.
    expect(callTimeoutMs(20_000)).toBe(182_500);
  });

  it('spaces writes to GitHub, not to an API on this machine', () => {
    expect(spacesWrites('https://api.github.com')).toBe(true);
    expect(spacesWrites('https://ghe.example.com/api/v3')).toBe(true);
    expect(spacesWrites('http://127.0.0.1:4567')).toBe(false);
    expect(spacesWrites('http://localhost:4567')).toBe(false);
    expect(spacesWrites('http://[::1]:4567')).toBe(false);
  });
});
