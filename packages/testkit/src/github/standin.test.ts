import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from './index.js';

let standIn: GitHubStandIn;
const repoPath = '/repos/octo-org/app';

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(async () => {
  await standIn.stop();
});
afterEach(() => {
  standIn.violations.length = 0;
});

/** GitHub's JSON, read field by field in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers: {
      authorization: `token ${standIn.token}`,
      accept: 'application/vnd.github+json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

describe('requests GitHub would refuse (the issue\'s "Shown by")', () => {
  it('answers a deployment whose body does not match the schema with 422, and records it', async () => {
    const wrongType = await call('POST', `${repoPath}/deployments`, { ref: 'main', required_contexts: 'nope' });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors).toContain('body/required_contexts must be array');
    const missingRef = await call('POST', `${repoPath}/deployments`, { environment: 'production' });
    expect(missingRef.status).toBe(422);
    expect(missingRef.body.errors).toContain("body must have required property 'ref'");
    expect(standIn.violations).toHaveLength(2);
    expect(standIn.violations[0]).toMatch(/^POST \/repos\/octo-org\/app\/deployments: .*required_contexts must be array/);
    expect(standIn.store.deployments).toHaveLength(0);
    expect(() => standIn.assertNoViolations()).toThrow(/2 violation/);
  });

  it('answers an unknown route with 404, and records it', async () => {
    const response = await call('GET', `${repoPath}/deployments/1/not-a-thing`);
    expect(response.status).toBe(404);
    expect(standIn.violations).toEqual([expect.stringMatching(/^GET \/repos\/octo-org\/app\/deployments\/1\/not-a-thing: Not Found/)]);
  });

  it('refuses a request without authorization (401), and a wrong token', async () => {
    const anonymous = await fetch(`${standIn.url}${repoPath}`);
    expect(anonymous.status).toBe(401);
    expect(standIn.violations).toHaveLength(1);
    const wrong = await call('GET', repoPath, undefined, { authorization: 'token nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Bad credentials');
  });

  it('records each request under the caller whose token it carried; a read-only one cannot write', async () => {
    const canary = standIn.tokenFor('deliver#1/production.canary');
    const watch = standIn.tokenFor('deliver#1/production.watch', { readOnly: true });
    expect(new Set([canary, watch, standIn.token, standIn.readOnlyToken]).size).toBe(4);
    const before = standIn.requests.length;
    const deployments = standIn.store.deployments.length;
    expect((await call('GET', `${repoPath}/deployments`, undefined, { authorization: `token ${canary}` })).status).toBe(200);
    expect((await call('POST', `${repoPath}/deployments`, { ref: 'main', required_contexts: [] }, { authorization: `bearer ${canary}` })).status).toBe(201);
    expect((await call('GET', `${repoPath}/deployments`, undefined, { authorization: `token ${watch}` })).status).toBe(200);
    const refused = await call('POST', `${repoPath}/deployments`, { ref: 'main', required_contexts: [] }, { authorization: `token ${watch}` });
    expect(refused.status).toBe(403);
    expect((await call('GET', `${repoPath}/deployments`)).status).toBe(200);
    // An injected failure is recorded under its caller too: it was that caller's request.
    standIn.failNext('GET', `${repoPath}/deployments`, 502);
    expect((await call('GET', `${repoPath}/deployments`, undefined, { authorization: `token ${canary}` })).status).toBe(502);
    expect(standIn.requests.slice(before).map((request) => [request.caller, request.method, request.operationId, request.status])).toEqual([
      ['deliver#1/production.canary', 'GET', 'repos/list-deployments', 200],
      ['deliver#1/production.canary', 'POST', 'repos/create-deployment', 201],
      ['deliver#1/production.watch', 'GET', 'repos/list-deployments', 200],
      ['deliver#1/production.watch', 'POST', 'repos/create-deployment', 403],
      [undefined, 'GET', 'repos/list-deployments', 200],
      ['deliver#1/production.canary', 'GET', 'repos/list-deployments', 502],
    ]);
    expect(standIn.store.deployments).toHaveLength(deployments + 1);
  });

  it('refuses more than 50 annotations in one request, as GitHub does', async () => {
    const annotations = Array.from({ length: 51 }, (_, line) => ({
      path: 'a.ts',
      start_line: line + 1,
      end_line: line + 1,
      annotation_level: 'warning',
      message: 'x',
    }));
    const response = await call('POST', `${repoPath}/check-runs`, { name: 'c', head_sha: 'a'.repeat(40), output: { title: 't', summary: 's', annotations } });
    expect(response.status).toBe(422);
    expect(response.body.errors).toContain('body/output/annotations must NOT have more than 50 items');
  });

  it('refuses a bad enum in a query parameter and records an unknown one', async () => {
    const badEnum = await call('GET', `${repoPath}/issues?state=maybe`);
    expect(badEnum.status).toBe(422);
    expect(badEnum.body.errors[0]).toMatch(/parameters\/state must be equal to one of the allowed values \(open, closed, all\)/);
    const unknown = await call('GET', `${repoPath}/deployments?enviroment=production`);
    expect(unknown.status).toBe(200);
    expect(standIn.violations.at(-1)).toMatch(/query parameters GitHub does not define for repos\/list-deployments: enviroment/);
  });

  it('answers another repository 404 (what the token cannot see)', async () => {
    expect((await call('GET', '/repos/someone-else/app')).status).toBe(404);
    expect(standIn.violations).toEqual([]);
  });
});

describe('GitHub behaviour', () => {
  it('refuses to deploy an unknown ref (422) or a ref whose checks are not green (409)', async () => {
    const unknown = await call('POST', `${repoPath}/deployments`, { ref: 'no-such-branch', required_contexts: [] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe('No ref found for: no-such-branch');

    const sha = 'c'.repeat(40);
    expect((await call('POST', `${repoPath}/statuses/${sha}`, { state: 'failure', context: 'ci/test' })).status).toBe(201);
    const conflict = await call('POST', `${repoPath}/deployments`, { ref: sha, environment: 'production' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toMatch(/Commit status checks failed/);
    const bypassed = await call('POST', `${repoPath}/deployments`, { ref: sha, environment: 'production', required_contexts: [] });
    expect(bypassed.status).toBe(201);
    expect(bypassed.body.sha).toBe(sha);
    standIn.assertNoViolations();
  });

  it('pages lists with per_page and page, and links the pages', async () => {
    const sha = 'd'.repeat(40);
    for (let index = 0; index < 25; index += 1) await call('POST', `${repoPath}/statuses/${sha}`, { state: 'success', context: `ctx-${index}` });
    const second = await call('GET', `${repoPath}/commits/${sha}/statuses?per_page=10&page=2`);
    expect(second.body.map((status: { context: string }) => status.context)).toEqual(Array.from({ length: 10 }, (_, i) => `ctx-${14 - i}`));
    const link = second.headers.get('link') ?? '';
    expect(link).toContain('page=3>; rel="next"');
    expect(link).toContain('page=1>; rel="prev"');
    expect(link).toContain('page=3>; rel="last"');
    const last = await call('GET', `${repoPath}/commits/${sha}/statuses?per_page=10&page=3`);
    expect(last.body).toHaveLength(5);
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const combined = await call('GET', `${repoPath}/commits/${sha}/status`);
    expect(combined.body).toMatchObject({ state: 'success', total_count: 25, sha });
    standIn.assertNoViolations();
  });

  it('resolves refs, creates and moves them, and refuses a duplicate', async () => {
    const main = await call('GET', `${repoPath}/git/ref/heads/main`);
    expect(main.body).toMatchObject({ ref: 'refs/heads/main', object: { type: 'commit' } });
    const sha = 'e'.repeat(40);
    expect((await call('POST', `${repoPath}/git/refs`, { ref: 'refs/tags/v1.0.0', sha })).status).toBe(201);
    expect((await call('POST', `${repoPath}/git/refs`, { ref: 'refs/tags/v1.0.0', sha })).body.message).toBe('Reference already exists');
    expect((await call('PATCH', `${repoPath}/git/refs/${encodeURIComponent('heads/main')}`, { sha, force: true })).body.object.sha).toBe(sha);
    expect((await call('GET', `${repoPath}/git/ref/tags%2Fv1.0.0`)).body.object.sha).toBe(sha);
    expect((await call('GET', `${repoPath}/git/ref/tags/v9`)).status).toBe(404);
    standIn.assertNoViolations();
  });

  it("serves seeded pull requests, compares and branch rules in GitHub's shapes", async () => {
    const head = 'f'.repeat(40);
    standIn.store.addPull({
      number: 7,
      head: { sha: head, ref: 'feature' },
      base: { ref: 'main' },
      labels: ['canary'],
      files: [{ filename: 'src/app.ts', additions: 3 }],
    });
    standIn.store.setCompare('v1.0.0', 'v1.1.0', [{ sha: head, message: 'Fix checkout (#7)' }]);
    standIn.store.setBranchRules('main', [{ type: 'required_deployments', parameters: { required_deployment_environments: ['staging'] } }]);

    expect((await call('GET', `${repoPath}/pulls/7`)).body).toMatchObject({
      number: 7,
      head: { sha: head, ref: 'feature' },
      labels: [{ name: 'canary' }],
      changed_files: 1,
    });
    expect((await call('GET', `${repoPath}/pulls`)).body.map((pull: { number: number }) => pull.number)).toEqual([7]);
    expect((await call('GET', `${repoPath}/pulls/7/files`)).body).toMatchObject([{ filename: 'src/app.ts', additions: 3, changes: 3 }]);
    expect((await call('GET', `${repoPath}/commits/${head}/pulls`)).body.map((pull: { number: number }) => pull.number)).toEqual([7]);
    expect((await call('GET', `${repoPath}/compare/v1.0.0...v1.1.0`)).body).toMatchObject({
      status: 'ahead',
      ahead_by: 1,
      commits: [{ sha: head, commit: { message: 'Fix checkout (#7)' } }],
    });
    expect((await call('GET', `${repoPath}/compare/v1.1.0...v1.1.0`)).body).toMatchObject({ status: 'identical', commits: [] });
    expect((await call('GET', `${repoPath}/rules/branches/main`)).body).toMatchObject([{ type: 'required_deployments', ruleset_source_type: 'Repository' }]);
    expect((await call('GET', `${repoPath}/rules/branches/other`)).body).toEqual([]);
    // An issue created after the seeded #7 takes the next number, as issues and pulls share them.
    expect((await call('POST', `${repoPath}/issues`, { title: 'after seeding' })).body.number).toBe(8);
    standIn.assertNoViolations();
  });

  it('takes release assets at the upload_url it gives, and keeps their bytes', async () => {
    const release = (await call('POST', `${repoPath}/releases`, { tag_name: 'v2.0.0', name: 'v2.0.0' })).body;
    expect(release.upload_url).toBe(`${standIn.url}${repoPath}/releases/${release.id}/assets{?name,label}`);
    const upload = await fetch(`${release.upload_url.replace(/\{.*\}$/, '')}?name=app.tar.gz`, {
      method: 'POST',
      headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/gzip' },
      body: Buffer.from([1, 2, 3, 4]),
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({ name: 'app.tar.gz', size: 4, content_type: 'application/gzip', state: 'uploaded' });
    expect([...(standIn.store.assetBytes('v2.0.0', 'app.tar.gz') ?? [])]).toEqual([1, 2, 3, 4]);
    expect((await call('GET', `${repoPath}/releases/tags/v2.0.0`)).body.assets).toHaveLength(1);
    expect(standIn.store.refs.get('tags/v2.0.0')).toBe(standIn.store.resolveSha('main'));
    expect((await call('POST', `${repoPath}/releases`, { tag_name: 'v2.0.0' })).status).toBe(422);
    standIn.assertNoViolations();
  });

  it('keeps issues, labels and comments; a pull request is an issue too', async () => {
    standIn.store.addPull({ number: 20, head: { sha: '2'.repeat(40), ref: 'fix' }, base: { ref: 'main' }, title: 'Fix' });
    const incident = (await call('POST', `${repoPath}/issues`, { title: 'Rollback of production', body: 'timeline', labels: ['incident'] })).body;
    expect(incident).toMatchObject({ number: 21, state: 'open', html_url: 'https://github.com/octo-org/app/issues/21', labels: [{ name: 'incident' }] });
    const comment = (await call('POST', `${repoPath}/issues/20/comments`, { body: 'Canary report' })).body;
    expect(comment.html_url).toMatch(/^https:\/\/github.com\/octo-org\/app\/pull\/20#issuecomment-\d+$/);
    expect((await call('POST', `${repoPath}/issues/20/labels`, { labels: ['canary-failed'] })).body.map((label: { name: string }) => label.name)).toEqual([
      'canary-failed',
    ]);
    expect((await call('GET', `${repoPath}/pulls/20`)).body.labels.map((label: { name: string }) => label.name)).toEqual(['canary-failed']);
    expect((await call('GET', `${repoPath}/issues?labels=incident`)).body.map((issue: { number: number }) => issue.number)).toEqual([21]);
    const open = (await call('GET', `${repoPath}/issues?state=open`)).body;
    expect(
      open
        .filter((issue: { number: number }) => issue.number >= 20)
        .map((issue: { number: number; pull_request?: object }) => [issue.number, Boolean(issue.pull_request)]),
    ).toEqual([
      [21, false],
      [20, true],
    ]);
    await call('PATCH', `${repoPath}/issues/21`, { state: 'closed' });
    expect((await call('GET', `${repoPath}/issues/21`)).body).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect((await call('GET', `${repoPath}/issues/20/comments`)).body.map((c: { body: string }) => c.body)).toEqual(['Canary report']);
    standIn.assertNoViolations();
  });

  it('edits a comment by its id, pages comments oldest first, and refuses a body over 65,536 characters', async () => {
    standIn.store.addPull({ number: 30, head: { sha: '3'.repeat(40), ref: 'feature' }, base: { ref: 'main' }, merged: true });
    for (let index = 1; index <= 101; index++) await call('POST', `${repoPath}/issues/30/comments`, { body: `comment ${index}` });
    const secondPage = (await call('GET', `${repoPath}/issues/30/comments?per_page=100&page=2`)).body;
    expect(secondPage.map((c: { body: string }) => c.body)).toEqual(['comment 101']);
    const edited = await call('PATCH', `${repoPath}/issues/comments/${secondPage[0].id}`, { body: 'edited' });
    expect(edited).toMatchObject({ status: 200, body: { id: secondPage[0].id, body: 'edited' } });
    expect((await call('GET', `${repoPath}/issues/30/comments?per_page=100&page=2`)).body[0].body).toBe('edited');
    expect((await call('PATCH', `${repoPath}/issues/comments/999999`, { body: 'x' })).status).toBe(404);
    const tooLong = await call('PATCH', `${repoPath}/issues/comments/${secondPage[0].id}`, { body: 'x'.repeat(65_537) });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.body)).toContain('Body is too long');
    expect((await call('POST', `${repoPath}/issues/30/comments`, { body: 'x'.repeat(65_537) })).status).toBe(422);
    standIn.assertNoViolations();
  });

  it('records workflow dispatches', async () => {
    const response = await call('POST', `${repoPath}/actions/workflows/deploy.yml/dispatches`, { ref: 'main', inputs: { environment: 'production' } });
    expect(response.status).toBe(204);
    expect(standIn.store.dispatches.at(-1)).toEqual({ workflowId: 'deploy.yml', ref: 'main', inputs: { environment: 'production' } });
    standIn.assertNoViolations();
  });
});

describe('contents and refs, as the deployment lock uses them', () => {
  it('creates a branch, writes a file on it with compare-and-swap on its sha, reads it back, deletes the branch', async () => {
    const base = standIn.store.refs.get('heads/main')!;
    expect((await call('POST', `${repoPath}/git/refs`, { ref: 'refs/heads/cutover-lock/production', sha: base })).status).toBe(201);
    expect((await call('POST', `${repoPath}/git/refs`, { ref: 'refs/heads/cutover-lock/production', sha: base })).body.message).toBe(
      'Reference already exists',
    );
    const path = `${repoPath}/contents/cutover-lock.json`;
    const first = await call('PUT', path, { message: 'lock', content: Buffer.from('{"a":1}').toString('base64'), branch: 'cutover-lock/production' });
    expect(first.status).toBe(201);
    const read = await call('GET', `${path}?ref=cutover-lock/production`);
    expect(read.status).toBe(200);
    expect(Buffer.from(read.body.content, 'base64').toString()).toBe('{"a":1}');
    expect(read.body.sha).toBe(first.body.content.sha);
    // Without the sha of the file there, or with an old one: refused, nothing written.
    expect((await call('PUT', path, { message: 'x', content: Buffer.from('{}').toString('base64'), branch: 'cutover-lock/production' })).status).toBe(422);
    expect(
      (await call('PUT', path, { message: 'x', content: Buffer.from('{}').toString('base64'), branch: 'cutover-lock/production', sha: 'f'.repeat(40) })).status,
    ).toBe(409);
    const second = await call('PUT', path, {
      message: 'lock',
      content: Buffer.from('{"a":2}').toString('base64'),
      branch: 'cutover-lock/production',
      sha: read.body.sha,
    });
    expect(second.status).toBe(200);
    expect(standIn.store.fileAt('cutover-lock/production', 'cutover-lock.json')?.toString()).toBe('{"a":2}');
    // The default branch never had the file; a branch that is not there has no commit.
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('PUT', path, { message: 'x', content: '', branch: 'nowhere' })).body.message).toBe('Branch nowhere not found');
    expect((await call('DELETE', `${repoPath}/git/refs/heads/cutover-lock/production`)).status).toBe(204);
    expect((await call('GET', `${path}?ref=cutover-lock/production`)).status).toBe(404);
    expect((await call('DELETE', `${repoPath}/git/refs/heads/cutover-lock/production`)).status).toBe(422);
    expect(standIn.violations).toEqual([]);
  });
});
