// build-candidate as the runner runs it: a temp git repository as the workspace, the GitHub
// stand-in for check runs and releases, GNU tar to read the archive it writes.
import { execFileSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCheckRun, createGitHubClient, updateCheckRun, type CheckConclusion } from '@cutover/github';
import { verifyCandidate, type CandidateManifest } from '@cutover/candidate';
import { gitWith, makeTempDir, runAction, startGitHubStandIn, type ActionRun, type GitHubStandIn } from '@cutover/testkit';

const COMMIT_DATE = '2026-03-01T12:00:00Z';
const COMMIT_EPOCH = Date.parse(COMMIT_DATE) / 1000;

interface RepoFile {
  path: string;
  text: string;
  executable?: boolean;
}

const FILES: RepoFile[] = [
  { path: 'dist/app.js', text: 'console.log("app");\n' },
  { path: 'dist/lib/util.js', text: 'export const one = 1;\n' },
  { path: 'bin/start', text: '#!/bin/sh\nexec node dist/app.js\n', executable: true },
  { path: 'README.md', text: '# app\n' },
];

const temps: string[] = [];

/** Commits dated COMMIT_DATE: the same bytes on every run. */
const git = gitWith({ GIT_AUTHOR_DATE: COMMIT_DATE, GIT_COMMITTER_DATE: COMMIT_DATE });

/**
 * A repository holding `files`, created in the order given, each file's mtime set from `mtime`,
 * committed at COMMIT_DATE (so equal contents give the same commit), tagged with `tags`.
 */
async function makeRepo(files: RepoFile[], options: { mtime?: (index: number) => number; tags?: string[] } = {}): Promise<{ dir: string; sha: string }> {
  const dir = await makeTempDir('cutover-candidate-repo-');
  temps.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  files.forEach((file, index) => {
    const path = join(dir, file.path);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, file.text);
    chmodSync(path, file.executable ? 0o775 : 0o664);
    const mtime = options.mtime?.(index);
    if (mtime !== undefined) utimesSync(path, mtime, mtime);
  });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'candidate');
  for (const tag of options.tags ?? []) git(dir, 'tag', tag);
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

async function seedGate(gh: GitHubStandIn, sha: string, conclusion: CheckConclusion, name = 'test-gate'): Promise<{ id: number; htmlUrl: string }> {
  const client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl })!;
  return createCheckRun(client, { owner: gh.owner, repo: gh.repo }, { name, headSha: sha, conclusion, title: `tests: ${conclusion}`, summary: conclusion });
}

function build(
  gh: GitHubStandIn | undefined,
  repo: { dir: string; sha: string },
  inputs: Record<string, string | boolean>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction('build-candidate', {
    workspace: repo.dir,
    sha: repo.sha,
    apiUrl: gh?.apiUrl,
    token: gh?.token,
    inputs: { path: 'dist\nbin\nREADME.md', publish: 'none', ...inputs },
    env,
  });
}

function manifestOf(run: ActionRun): CandidateManifest {
  return JSON.parse(readFileSync(run.outputs.manifest!, 'utf8')) as CandidateManifest;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('build-candidate', () => {
  let gh: GitHubStandIn;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
  });
  afterEach(() => gh.assertNoViolations());
  afterAll(async () => {
    await gh?.stop();
  });

  it('gives the same digest for the same tree whatever the mtimes and the order files were created in', async () => {
    const first = await makeRepo(FILES, { tags: ['v1.3.9', 'v1.4.0', 'v1.5.0-rc.1.gaaaaaaa'], mtime: () => 1_000_000_000 });
    const second = await makeRepo([...FILES].reverse(), { tags: ['v1.4.0'], mtime: (index) => 1_500_000_000 + index * 7919 });
    expect(second.sha).toBe(first.sha);
    const gate = await seedGate(gh, first.sha, 'success');

    const one = await build(gh, first, {});
    const two = await build(gh, second, {});
    expect(one.errors).toEqual([]);
    expect(one.exitCode).toBe(0);
    expect(two.exitCode).toBe(0);
    expect(one.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(two.outputs.digest).toBe(one.outputs.digest);
    expect(readFileSync(two.outputs.archive!).equals(readFileSync(one.outputs.archive!))).toBe(true);

    // The next patch after the last release tag, the run number, the short sha.
    const version = `1.4.1-rc.7.g${first.sha.slice(0, 7)}`;
    expect(one.outputs.version).toBe(version);
    expect(one.outputs.archive).toMatch(new RegExp(`/app-${version.replace(/\./g, '\\.')}\\.tar\\.gz$`));
    const manifest = manifestOf(one);
    expect(manifest).toMatchObject({
      name: 'app',
      version,
      commit: first.sha,
      commitTime: new Date(COMMIT_EPOCH * 1000).toISOString(),
      ref: 'refs/heads/main',
      runUrl: 'https://github.com/octo-org/app/actions/runs/1001',
      archive: { file: `app-${version}.tar.gz`, digest: one.outputs.digest },
      gate: { name: 'test-gate', checkRunId: gate.id, url: gate.htmlUrl, conclusion: 'success' },
    });
    expect(manifest.files.map((file) => [file.path, file.size, file.mode])).toEqual([
      ['README.md', 6, '0644'],
      ['bin/start', 32, '0755'],
      ['dist/app.js', 20, '0644'],
      ['dist/lib/util.js', 22, '0644'],
    ]);
    await expect(verifyCandidate(one.outputs.archive!, one.outputs.manifest!)).resolves.toEqual(manifest);

    // GNU tar reads it: sorted regular files, owner 0:0, the commit's time, normalized modes.
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', one.outputs.archive!], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    expect(
      listing
        .trim()
        .split('\n')
        .map((line) => line.replace(/ +/g, ' ')),
    ).toEqual([
      '-rw-r--r-- 0/0 6 2026-03-01 12:00:00 README.md',
      '-rwxr-xr-x 0/0 32 2026-03-01 12:00:00 bin/start',
      '-rw-r--r-- 0/0 20 2026-03-01 12:00:00 dist/app.js',
      '-rw-r--r-- 0/0 22 2026-03-01 12:00:00 dist/lib/util.js',
    ]);
    expect(one.summary).toContain(`| Digest | \`${one.outputs.digest}\` |`);
    expect(one.summary).toContain('| Files | 4 |');
    expect(one.summary).toContain(`[test-gate: success](${gate.htmlUrl})`);
    expect(gh.calls('checks/list-for-ref').at(-1)?.query).toMatchObject({ check_name: 'test-gate' });
  });

  it('refuses a tampered archive', async () => {
    const repo = await makeRepo(FILES.slice(0, 2));
    const run = await build(undefined, repo, { 'require-gate': false });
    expect(run.exitCode).toBe(0);
    expect(run.notices).toEqual([expect.stringContaining('require-gate is false')]);
    const archive = readFileSync(run.outputs.archive!);
    archive[archive.length - 12]! ^= 0x01;
    writeFileSync(run.outputs.archive!, archive);
    await expect(verifyCandidate(run.outputs.archive!, run.outputs.manifest!)).rejects.toThrow(
      /digest sha256:[0-9a-f]{64} does not match the manifest's sha256:/,
    );
  });

  it('refuses a commit whose gate failed, naming and linking the check run', async () => {
    const repo = await makeRepo([{ path: 'dist/red.js', text: 'red\n' }]);
    await seedGate(gh, repo.sha, 'success');
    const red = await seedGate(gh, repo.sha, 'failure');
    const run = await build(gh, repo, { path: 'dist' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `require-gate: the newest "test-gate" check run of ${repo.sha.slice(0, 7)} concluded failure, not success: ${red.htmlUrl}; only a green commit becomes a candidate`,
    ]);
    expect(run.outputs).toEqual({});
  });

  it('a gate that never appears is refused at gate-timeout, naming the check; a gate of another name is found', async () => {
    const repo = await makeRepo([{ path: 'dist/none.js', text: 'none\n' }]);
    await seedGate(gh, repo.sha, 'success', 'lint');
    // gate-timeout lowered from 10m so that the refusal comes in seconds; the default waits the same way
    // (next test).
    const run = await build(gh, repo, { path: 'dist', command: 'touch built-marker', 'gate-timeout': '3s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `require-gate: commit ${repo.sha.slice(0, 7)} has no "test-gate" check run after 3s (gate-timeout); run the gate on this commit first (or name another with gate-name, or set require-gate: false)`,
    ]);
    expect(run.stdout).toContain(`Waiting for the "test-gate" check run of ${repo.sha.slice(0, 7)} (none yet): `);
    // Looked more than once: at 0, 2 s and the deadline.
    expect(gh.calls('checks/list-for-ref').filter((call) => call.path.includes(repo.sha)).length).toBeGreaterThanOrEqual(3);
    // Refused before the command ran.
    expect(() => readFileSync(join(repo.dir, 'built-marker'))).toThrow(/ENOENT/);
    const other = await build(gh, repo, { path: 'dist', 'gate-name': 'lint' });
    expect(other.exitCode).toBe(0);
    expect(manifestOf(other).gate?.name).toBe('lint');
  });

  it('at the defaults, waits for a gate that is not there yet and then in progress, and builds the commit once it passes', async () => {
    const repo = await makeRepo([{ path: 'dist/slow.js', text: 'slow\n' }]);
    const client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl })!;
    const repoRef = { owner: gh.owner, repo: gh.repo };
    const building = build(gh, repo, { path: 'dist' });
    // The gate's workflow starts its check run a few seconds after the push, and finishes later.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const gate = await createCheckRun(client, repoRef, { name: 'test-gate', headSha: repo.sha, status: 'in_progress', title: 'running', summary: 'running' });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await updateCheckRun(client, repoRef, gate.id, { conclusion: 'success', title: 'passed', summary: 'passed' });
    const run = await building;
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(manifestOf(run).gate).toEqual({ name: 'test-gate', checkRunId: gate.id, url: gate.htmlUrl, conclusion: 'success' });
    const short = repo.sha.slice(0, 7);
    const waits = run.stdout.split('\n').filter((line) => line.startsWith('Waiting for'));
    expect(waits).toEqual([
      expect.stringMatching(new RegExp(`^Waiting for the "test-gate" check run of ${short} \\(none yet\\): [0-9.]+m?s of gate-timeout 10m\\.$`)),
      expect.stringMatching(
        new RegExp(
          `^Waiting for the "test-gate" check run of ${short} \\(in_progress: ${gate.htmlUrl.replace(/[.]/g, '\\.')}\\): [0-9.]+s of gate-timeout 10m\\.$`,
        ),
      ),
    ]);
    expect(run.stdout).toMatch(new RegExp(`Gate "test-gate" succeeded on ${short} \\(waited [0-9.]+s\\)`));
  }, 30_000);

  it('refuses a failed gate at once, without waiting', async () => {
    const repo = await makeRepo([{ path: 'dist/failed.js', text: 'failed\n' }]);
    const red = await seedGate(gh, repo.sha, 'failure');
    const before = gh.calls('checks/list-for-ref').length;
    const run = await build(gh, repo, { path: 'dist' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `require-gate: the newest "test-gate" check run of ${repo.sha.slice(0, 7)} concluded failure, not success: ${red.htmlUrl}; only a green commit becomes a candidate`,
    ]);
    expect(gh.calls('checks/list-for-ref').length - before).toBe(1);
    expect(run.stdout).not.toContain('Waiting for');
  });

  it('without a token, refuses require-gate and says how to fix it', async () => {
    const repo = await makeRepo([{ path: 'dist/a.js', text: 'a\n' }]);
    const run = await build(undefined, repo, { path: 'dist' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^require-gate: .*pass token: \$\{\{ github\.token \}\}.*or set require-gate: false/)]);
  });

  it('runs the command before packing, and fails when it fails', async () => {
    const repo = await makeRepo([{ path: 'src/main.ts', text: 'x\n' }]);
    const ok = await build(undefined, repo, { path: 'out', 'require-gate': false, command: 'mkdir -p out && printf built > out/app.js' });
    expect(ok.exitCode).toBe(0);
    expect(manifestOf(ok).files.map((file) => file.path)).toEqual(['out/app.js']);
    const failing = await build(undefined, repo, { path: 'out', 'require-gate': false, command: 'false; echo never' });
    expect(failing.exitCode).toBe(1);
    expect(failing.errors).toEqual(['command: exited with code 1; nothing was packed']);
  });

  it('fails clearly, before building, when artifact or attest need a runner that is not there', async () => {
    const repo = await makeRepo([{ path: 'dist/a.js', text: 'a\n' }]);
    const artifact = await build(undefined, repo, { path: 'dist', 'require-gate': false, publish: 'artifact' });
    expect(artifact.exitCode).toBe(1);
    expect(artifact.errors).toEqual([
      expect.stringContaining('publish: artifact needs a GitHub Actions runner (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set)'),
    ]);
    expect(artifact.outputs).toEqual({});
    const attest = await build(gh, repo, { path: 'dist', 'require-gate': false, attest: true });
    expect(attest.exitCode).toBe(1);
    expect(attest.errors).toEqual([expect.stringContaining('attest: true needs the job permissions id-token: write and attestations: write')]);
  });

  it("asks the runner for the job's OIDC token when attesting (the bundle loads @actions/core's token client only then)", async () => {
    // The runner's token service, on loopback: it notes each request and hands out a token that is
    // not a real JWT, so the attestation stops at reading it, after the request this test is about.
    const asked: { url: string; authorization: string | undefined }[] = [];
    const tokens = createServer((request, response) => {
      asked.push({ url: request.url ?? '', authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: 'not-a-jwt' }));
    });
    tokens.listen(0, '127.0.0.1');
    await once(tokens, 'listening');
    try {
      const repo = await makeRepo([{ path: 'dist/a.js', text: 'a\n' }]);
      const url = `http://127.0.0.1:${(tokens.address() as AddressInfo).port}/idtoken?api-version=2.0`;
      const run = await build(
        gh,
        repo,
        { path: 'dist', 'require-gate': false, attest: true },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: url,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
        },
      );
      expect(asked.length, run.stdout).toBeGreaterThan(0);
      expect(asked[0]).toEqual({ url: expect.stringMatching(/^\/idtoken\?api-version=2\.0&audience=/), authorization: 'Bearer oidc-request-token' });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).not.toMatch(/is not defined|is not a function/);
    } finally {
      tokens.closeAllConnections();
      await new Promise((resolve) => tokens.close(resolve));
    }
  });

  it('publishes a pre-release, then promotes the same bytes to a release', async () => {
    const repo = await makeRepo(FILES, { tags: ['v2.0.0'] });
    await seedGate(gh, repo.sha, 'success');
    const built = await build(gh, repo, { publish: 'release' }, { GITHUB_RUN_NUMBER: '41' });
    expect(built.errors).toEqual([]);
    const version = `2.0.1-rc.41.g${repo.sha.slice(0, 7)}`;
    expect(built.outputs.version).toBe(version);
    const tag = `v${version}`;
    const archiveName = `app-${version}.tar.gz`;

    const [create] = gh.calls('repos/create-release');
    expect(create?.body).toMatchObject({ tag_name: tag, target_commitish: repo.sha, prerelease: true, make_latest: 'false', name: `app ${version}` });
    expect(String((create?.body as { body: string }).body)).toContain(built.outputs.digest);
    expect(gh.calls('repos/upload-release-asset').map((call) => call.query.name)).toEqual([archiveName, 'candidate.json']);
    expect(gh.store.assetBytes(tag, archiveName)?.equals(readFileSync(built.outputs.archive!))).toBe(true);
    expect(gh.store.assetBytes(tag, 'candidate.json')?.equals(readFileSync(built.outputs.manifest!))).toBe(true);
    const release = gh.store.releases.find((candidate) => candidate.tag_name === tag)!;
    expect(release.prerelease).toBe(true);
    expect(gh.store.refs.get(`tags/${tag}`)).toBe(repo.sha);
    expect(built.outputs['release-url']).toBe(`https://github.com/octo-org/app/releases/tag/${tag}`);
    expect(built.summary).toContain(`[release ${tag}](${built.outputs['release-url']})`);

    // A re-run of the job rebuilds the same bytes: it finds its release and uploads nothing again.
    const rerun = await build(gh, repo, { publish: 'release' }, { GITHUB_RUN_NUMBER: '41' });
    expect(rerun.errors).toEqual([]);
    expect(rerun.outputs.digest).toBe(built.outputs.digest);
    expect(gh.calls('repos/upload-release-asset')).toHaveLength(2);
    // Other bytes under the same version are refused: a candidate is built once.
    const other = await makeRepo([{ path: 'dist/other.js', text: 'other\n' }]);
    const again = await build(gh, other, { path: 'dist', 'require-gate': false, publish: 'release', version });
    expect(again.exitCode).toBe(1);
    expect(again.errors).toEqual([expect.stringContaining(`publish: release ${tag} already exists with another ${archiveName}`)]);

    const before = gh.requests.length;
    const promoted = await runAction('build-candidate', { apiUrl: gh.apiUrl, token: gh.token, inputs: { promote: tag } });
    expect(promoted.errors).toEqual([]);
    expect(promoted.exitCode).toBe(0);
    expect(promoted.outputs).toMatchObject({ version, digest: built.outputs.digest, 'release-url': built.outputs['release-url'] });
    expect(readFileSync(promoted.outputs.archive!).equals(readFileSync(built.outputs.archive!))).toBe(true);
    const calls = gh.requests.slice(before).map((request) => `${request.method} ${request.operationId ?? request.path.replace(/\d+$/, ':id')}`);
    expect(calls).toEqual([
      'GET repos/get-release-by-tag',
      'GET repos/get-release-asset',
      'GET /__release-assets/:id',
      'GET repos/get-release-asset',
      'GET /__release-assets/:id',
      'PATCH repos/update-release',
    ]);
    expect(gh.calls('repos/update-release').at(-1)?.body).toEqual({ prerelease: false, make_latest: 'true' });
    expect(release.prerelease).toBe(false);
    expect(gh.calls('repos/create-release')).toHaveLength(3); // the first build, the re-run, the refused one
    expect(promoted.summary).toContain(`Release candidate app ${version} promoted`);

    // After the promotion, the next candidate counts from the released version.
    const next = await build(gh, repo, {}, { GITHUB_RUN_NUMBER: '42' });
    expect(next.outputs.version).toBe(`2.0.2-rc.42.g${repo.sha.slice(0, 7)}`);
  });

  it('refuses to promote a release whose archive no longer matches its manifest, changing nothing', async () => {
    const repo = await makeRepo([{ path: 'dist/t.js', text: 'tamper\n' }]);
    const built = await build(gh, repo, { path: 'dist', 'require-gate': false, publish: 'release', version: '3.0.0-rc.1' });
    expect(built.exitCode).toBe(0);
    const asset = gh.store.assets.find((candidate) => candidate.name === 'app-3.0.0-rc.1.tar.gz')!;
    asset.bytes = Buffer.concat([asset.bytes, Buffer.from([0])]);
    const promoted = await runAction('build-candidate', { apiUrl: gh.apiUrl, token: gh.token, inputs: { promote: '3.0.0-rc.1' } });
    expect(promoted.exitCode).toBe(1);
    expect(promoted.errors).toEqual([
      expect.stringMatching(/^promote: asset app-3\.0\.0-rc\.1\.tar\.gz of v3\.0\.0-rc\.1 has digest sha256:[0-9a-f]{64}, its manifest says sha256:/),
    ]);
    expect(gh.store.releases.find((release) => release.tag_name === 'v3.0.0-rc.1')?.prerelease).toBe(true);
    const missing = await runAction('build-candidate', { apiUrl: gh.apiUrl, token: gh.token, inputs: { promote: '9.9.9' } });
    expect(missing.errors).toEqual(['promote: no release v9.9.9 in octo-org/app; build the candidate with publish: release first']);
  });

  it('on GitHub Enterprise Server publishes a pre-release when publish is unset, and refuses publish: artifact', async () => {
    const ghes = { GITHUB_SERVER_URL: 'https://git.example.com' };
    const repo = await makeRepo([{ path: 'dist/a.js', text: 'ghes\n' }]);
    const refused = await build(gh, repo, { path: 'dist', 'require-gate': false, publish: 'artifact' }, ghes);
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([expect.stringContaining('publish: artifact is not available on GitHub Enterprise Server (https://git.example.com)')]);
    const built = await build(gh, repo, { path: 'dist', 'require-gate': false, publish: '', version: '7.0.0-rc.1' }, ghes);
    expect(built.errors).toEqual([]);
    expect(gh.calls('repos/create-release').map((call) => call.body)).toContainEqual(expect.objectContaining({ tag_name: 'v7.0.0-rc.1', prerelease: true }));
    expect(built.outputs['release-url']).toMatch(/\/releases\/tag\/v7\.0\.0-rc\.1$/);
  });
});
