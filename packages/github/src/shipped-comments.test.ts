// "Shipped in" comments against the GitHub stand-in: which pull requests, how many calls, what is
// written, and that nothing here ever throws.
import { fakeSha, startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from './client.js';
import { createDeployment, listDeploymentsWithStatuses, setDeploymentStatus } from './deployments.js';
import { deploymentPayload } from './record.js';
import { parseShippedComment, SHIPPED_MARKER } from './shipped-comment.js';
import { commentRolledBackPullRequests, commentShippedPullRequests, type CommentTally } from './shipped-comments.js';

let gh: GitHubStandIn;
let client: GitHubClient;
const repo = { owner: 'octo-org', repo: 'app' };
const RUN = 'https://github.com/octo-org/app/actions/runs/7';

beforeEach(async () => {
  gh = await startGitHubStandIn();
  client = createGitHubClient(gh.token, { baseUrl: gh.apiUrl, retryBaseMs: 5, attemptTimeoutMs: 2_000 })!;
});
afterEach(async () => {
  await gh.stop();
});

async function deploy(environment: string, version: string, state: 'success' | 'failure' = 'success'): Promise<{ id: number; sha: string }> {
  const sha = fakeSha(version);
  const payload = deploymentPayload({
    kind: 'blue-green',
    version,
    pools: { blue: ['a:1'] },
    router: 'nginx',
    splitBefore: { blue: 0 },
    splitAfter: { blue: 100 },
  });
  const deployment = await createDeployment(client, repo, { ref: sha, environment, payload });
  await setDeploymentStatus(client, repo, deployment.id, { state });
  return { id: deployment.id, sha };
}

/** `count` pull requests squash-merged between two releases: one commit each, oldest first. */
function seedRelease(from: string, to: string, count: number, first = 1): number[] {
  const numbers = Array.from({ length: count }, (_, index) => first + index);
  gh.store.setCompare(
    fakeSha(from),
    fakeSha(to),
    numbers.map((number) => ({ sha: fakeSha(`merge-${number}`), message: `Change ${number} (#${number})` })),
  );
  for (const number of numbers) {
    gh.store.addPull({
      number,
      head: { sha: fakeSha(`head-${number}`), ref: `change-${number}` },
      base: { ref: 'main' },
      title: `Change ${number}`,
      merged: true,
      merge_commit_sha: fakeSha(`merge-${number}`),
    });
  }
  return numbers;
}

const commentsOn = (number: number) => gh.store.comments.filter((comment) => String(comment.html_url).includes(`/pull/${number}#`));
const quiet = { log: () => {} };

describe('commentShippedPullRequests', () => {
  it('comments once on each of 120 pull requests of one release, through every page, in bounded calls', { timeout: 60_000 }, async () => {
    await deploy('staging', '1.3.0');
    const numbers = seedRelease('1.3.0', '1.4.0', 120);
    // #1 already has 101 comments: they take two pages to read, and its comment comes on the second.
    for (let index = 0; index < 101; index++) await client.rest.issues.createComment({ ...repo, issue_number: 1, body: `review ${index}` });
    const shipped = await deploy('staging', '1.4.0');
    gh.requests.length = 0;

    const tally = await commentShippedPullRequests(
      client,
      repo,
      { environment: 'staging', deploymentId: shipped.id, at: '2026-12-03T14:02:00Z', url: RUN },
      quiet,
    );
    expect(tally).toMatchObject<Partial<CommentTally>>({ pulls: 120, created: 120, updated: 0, unchanged: 0, skipped: 0, failed: 0, commitsNotExamined: 0 });
    // 1 page of deployments, 1 status read, 2 compare pages, 120 commits' pull requests,
    // 121 comment pages (#1 has two) and 120 comments.
    expect(tally.calls).toBe(1 + 1 + 2 + 120 + 121 + 120);
    expect(gh.requests).toHaveLength(tally.calls);
    for (const number of numbers) expect(commentsOn(number).filter((comment) => String(comment.body).includes(SHIPPED_MARKER))).toHaveLength(1);
    expect(String(commentsOn(120).at(-1)!.body)).toContain('**Shipped in 1.4.0**: staging 14:02 UTC');

    // Production follows: the same comments, edited.
    await deploy('production', '1.3.0');
    const production = await deploy('production', '1.4.0');
    const after = await commentShippedPullRequests(
      client,
      repo,
      { environment: 'production', deploymentId: production.id, at: '2026-12-03T14:31:00Z', url: RUN },
      quiet,
    );
    expect(after).toMatchObject({ pulls: 120, created: 0, updated: 120, failed: 0 });
    expect(commentsOn(1)).toHaveLength(102);
    expect(String(commentsOn(1).at(-1)!.body)).toContain('**Shipped in 1.4.0**: staging 14:02 UTC, production 14:31 UTC');
    gh.assertNoViolations();
  });

  it('writes nothing on a re-run of the same deployment', async () => {
    await deploy('staging', '1.3.0');
    seedRelease('1.3.0', '1.4.0', 2);
    const shipped = await deploy('staging', '1.4.0');
    const event = { environment: 'staging', deploymentId: shipped.id, at: '2026-12-03T14:02:00Z', url: RUN };
    await commentShippedPullRequests(client, repo, event, quiet);
    const again = await commentShippedPullRequests(client, repo, event, quiet);
    expect(again).toMatchObject({ pulls: 2, created: 0, updated: 0, unchanged: 2 });
    expect(gh.calls('issues/update-comment')).toHaveLength(0);
    expect(gh.calls('issues/create-comment')).toHaveLength(2);
  });

  it('reads no statuses of a deployment the caller read and saw succeed (canary-step, before its rollout); one not seen succeed is read again', async () => {
    await deploy('production', '1.3.0');
    seedRelease('1.3.0', '1.4.0', 1);
    const known = await listDeploymentsWithStatuses(client, repo, { environment: 'production', limit: 1 });
    const shipped = await deploy('production', '1.4.0');
    const event = { environment: 'production', deploymentId: shipped.id, at: '2026-12-03T14:02:00Z', url: RUN };
    let from = gh.requests.length;
    expect(await commentShippedPullRequests(client, repo, event, { ...quiet, known })).toMatchObject({ pulls: 1, created: 1, calls: 5 });
    const operations = (start: number) => gh.requests.slice(start).map((request) => request.operationId);
    expect(operations(from)).toEqual([
      'repos/list-deployments',
      'repos/compare-commits',
      'repos/list-pull-requests-associated-with-commit',
      'issues/list-comments',
      'issues/create-comment',
    ]);
    // Seen in progress: it may have succeeded since.
    from = gh.requests.length;
    const seenInProgress = known.map((deployment) => ({ ...deployment, statuses: [] }));
    expect(await commentShippedPullRequests(client, repo, event, { ...quiet, known: seenInProgress })).toMatchObject({ pulls: 1, unchanged: 1, calls: 5 });
    expect(operations(from).slice(0, 2)).toEqual(['repos/list-deployments', 'repos/list-deployment-statuses']);
    gh.assertNoViolations();
  });

  it('leaves alone a comment someone else wrote with the marker, and writes its own', async () => {
    await deploy('staging', '1.3.0');
    seedRelease('1.3.0', '1.4.0', 1);
    await client.rest.issues.createComment({ ...repo, issue_number: 1, body: `${SHIPPED_MARKER}\nShipped in 9.9.9: production (trust me)` });
    // As anyone can comment on a public repository's pull request: not the app, no write access.
    Object.assign(gh.store.comments[0]!, { user: { ...(gh.store.comments[0]!.user as object), login: 'mallory', type: 'User' }, author_association: 'NONE' });
    const shipped = await deploy('staging', '1.4.0');
    const tally = await commentShippedPullRequests(client, repo, { environment: 'staging', deploymentId: shipped.id, at: '2026-12-03T14:02:00Z' }, quiet);
    expect(tally).toMatchObject({ created: 1, updated: 0 });
    expect(gh.store.comments[0]!.body).toBe(`${SHIPPED_MARKER}\nShipped in 9.9.9: production (trust me)`);
    expect(parseShippedComment(String(gh.store.comments[1]!.body))!.entries.map((entry) => entry.version)).toEqual(['1.4.0']);
  });

  it('comments nothing on a first deployment: nothing to compare with', async () => {
    seedRelease('1.3.0', '1.4.0', 1);
    const first = await deploy('staging', '1.4.0');
    const lines: string[] = [];
    const tally = await commentShippedPullRequests(
      client,
      repo,
      { environment: 'staging', deploymentId: first.id, at: '2026-12-03T14:02:00Z' },
      { log: (line) => lines.push(line) },
    );
    expect(tally).toMatchObject({ pulls: 0, created: 0, calls: 1 });
    expect(lines[0]).toMatch(/^No earlier deployment of staging reached success/);
  });

  it('stops at the first refusal (no pull-requests: write), without throwing', async () => {
    await deploy('staging', '1.3.0');
    seedRelease('1.3.0', '1.4.0', 5);
    const shipped = await deploy('staging', '1.4.0');
    gh.failNext('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 403, { times: 5 });
    const tally = await commentShippedPullRequests(client, repo, { environment: 'staging', deploymentId: shipped.id, at: '2026-12-03T14:02:00Z' }, quiet);
    expect(tally).toMatchObject({ pulls: 5, created: 0, failed: 1, skipped: 4 });
    expect(tally.stopped).toMatch(/403.*pull-requests: write/);
    expect(gh.calls('issues/create-comment')).toHaveLength(1);
  });

  it('stops after three failed calls in a row: an API in trouble is not asked for every pull request', async () => {
    await deploy('staging', '1.3.0');
    seedRelease('1.3.0', '1.4.0', 20);
    const shipped = await deploy('staging', '1.4.0');
    gh.failNext('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 502, { times: 1000 });
    const tally = await commentShippedPullRequests(client, repo, { environment: 'staging', deploymentId: shipped.id, at: '2026-12-03T14:02:00Z' }, quiet);
    expect(tally).toMatchObject({ pulls: 20, created: 0, failed: 3, skipped: 17 });
    expect(tally.stopped).toMatch(/^3 GitHub calls failed in a row/);
    // Three calls, each tried three times by the client (two retries of a 5xx).
    expect(gh.calls('issues/list-comments')).toHaveLength(9);
  });
});

describe('commentRolledBackPullRequests', () => {
  it('marks the comments of the pull requests the rollback took away, in that environment; creates none', async () => {
    await deploy('production', '1.3.0');
    seedRelease('1.3.0', '1.4.0', 2);
    const shipped = await deploy('production', '1.4.0');
    await commentShippedPullRequests(client, repo, { environment: 'production', deploymentId: shipped.id, at: '2026-12-03T14:31:00Z' }, quiet);
    // #3 was never commented on (merged, deployed with comments off): the rollback leaves it so.
    gh.store.setCompare(fakeSha('1.3.0'), fakeSha('1.4.0'), [
      ...gh.store.compare(fakeSha('1.3.0'), fakeSha('1.4.0')).commits,
      { sha: fakeSha('merge-3'), message: 'Change 3' },
    ]);
    gh.store.addPull({
      number: 3,
      head: { sha: fakeSha('head-3'), ref: 'change-3' },
      base: { ref: 'main' },
      merged: true,
      merge_commit_sha: fakeSha('merge-3'),
    });

    const rollback = {
      environment: 'production',
      bad: { sha: fakeSha('1.4.0') },
      good: { sha: fakeSha('1.3.0'), name: '1.3.0' },
      at: '2026-12-03T15:10:00Z',
      url: RUN,
    };
    const tally = await commentRolledBackPullRequests(client, repo, rollback, quiet);
    expect(tally).toMatchObject({ pulls: 3, created: 0, updated: 2, skipped: 1 });
    expect(String(commentsOn(1)[0]!.body)).toContain('production 14:31 UTC (rolled back 15:10 UTC)');
    expect(commentsOn(3)).toHaveLength(0);
    expect(await commentRolledBackPullRequests(client, repo, rollback, quiet)).toMatchObject({ updated: 0, unchanged: 2 });
    gh.assertNoViolations();
  });
});
