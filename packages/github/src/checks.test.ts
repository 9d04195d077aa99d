import { startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckRun, fitOutputText, inBatches, updateCheckRun, type Annotation } from './checks.js';
import { createGitHubClient, type GitHubClient } from './client.js';

let standIn: GitHubStandIn;
let client: GitHubClient;
const repo = { owner: 'octo-org', repo: 'app' };
const sha = '1'.repeat(40);

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  client = createGitHubClient(standIn.token, { baseUrl: standIn.apiUrl, retryBaseMs: 5 })!;
});
afterAll(async () => {
  await standIn.stop();
});

function annotations(count: number, from = 0): Annotation[] {
  return Array.from({ length: count }, (_, index) => ({
    path: 'src/checkout.ts',
    start_line: from + index + 1,
    end_line: from + index + 1,
    annotation_level: 'warning',
    message: `error rate above baseline at sample ${from + index + 1}`,
  }));
}

describe('check runs', () => {
  it('sends 120 annotations 50 per request and GitHub keeps all of them', async () => {
    const { id, htmlUrl } = await createCheckRun(client, repo, {
      name: 'cutover/canary',
      headSha: sha,
      title: 'Canary',
      summary: 'Analysing',
      annotations: annotations(120),
    });
    expect(htmlUrl).toBe(`https://github.com/octo-org/app/runs/${id}`);
    const sent = standIn.requests.filter((request) => request.operationId?.startsWith('checks/'));
    expect(sent.map((request) => request.operationId)).toEqual(['checks/create', 'checks/update', 'checks/update']);
    expect(sent.map((request) => (request.body as { output: { annotations: unknown[] } }).output.annotations.length)).toEqual([50, 50, 20]);

    await updateCheckRun(client, repo, id, {
      conclusion: 'failure',
      title: 'Canary failed',
      summary: 'Error rate 4.1 % against 0.3 %',
      annotations: annotations(60, 120),
    });
    const { data } = await client.rest.checks.get({ ...repo, check_run_id: id });
    expect(data).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Canary failed', annotations_count: 180 } });
    const listed = await client.paginate(client.rest.checks.listAnnotations, { ...repo, check_run_id: id, per_page: 100 });
    expect(listed.map((annotation) => annotation.start_line)).toEqual(Array.from({ length: 180 }, (_, index) => index + 1));
    standIn.assertNoViolations();
  });

  it('completes a run created with a conclusion, and refuses annotations without output text', async () => {
    const { id } = await createCheckRun(client, repo, { name: 'cutover/gate', headSha: sha, conclusion: 'success', title: 'Gate', summary: 'All green' });
    expect(standIn.store.checkRuns.find((run) => run.id === id)).toMatchObject({ status: 'completed', conclusion: 'success' });
    await expect(updateCheckRun(client, repo, id, { annotations: annotations(1) })).rejects.toThrow(/annotations need a title and a summary/);
    standIn.assertNoViolations();
  });
});

describe('pure helpers', () => {
  it('cuts lists into batches', () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inBatches([], 50)).toEqual([]);
  });

  it("fits text to GitHub's limit and says it was cut", () => {
    expect(fitOutputText('short', 100)).toBe('short');
    const cut = fitOutputText('x'.repeat(200), 100);
    expect(cut).toHaveLength(100);
    expect(cut).toMatch(/cut to fit GitHub's limit/);
  });
});
