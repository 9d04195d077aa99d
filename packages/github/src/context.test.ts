import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoContext } from './context.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-context-'));

describe('repoContext', () => {
  it('reads the run from the environment when called', () => {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
    const context = repoContext({
      GITHUB_REPOSITORY: 'octo-org/app',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: '1001',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKFLOW: 'deploy',
      GITHUB_ACTOR: 'octocat',
    });
    expect(context).toEqual({
      owner: 'octo-org',
      repo: 'app',
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      runId: 1001,
      runAttempt: 2,
      serverUrl: 'https://ghe.example.com',
      runUrl: 'https://ghe.example.com/octo-org/app/actions/runs/1001',
      eventName: 'pull_request',
      payload: { pull_request: { number: 7 } },
      workflow: 'deploy',
      actor: 'octocat',
    });
  });

  it('defaults to github.com and an empty payload when there is no event file', () => {
    const context = repoContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '5', GITHUB_EVENT_PATH: join(dir, 'missing.json') });
    expect(context.serverUrl).toBe('https://github.com');
    expect(context.runUrl).toBe('https://github.com/o/r/actions/runs/5');
    expect(context.payload).toEqual({});
    expect(context.runAttempt).toBe(1);
  });

  it("on a workflow_run event, the commit is the triggering run's head, not the default branch's", () => {
    const event = join(dir, 'workflow-run.json');
    const gated = 'b'.repeat(40);
    writeFileSync(event, JSON.stringify({ workflow_run: { head_sha: gated, conclusion: 'success' } }));
    expect(repoContext({ GITHUB_SHA: 'c'.repeat(40), GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: event }).sha).toBe(gated);
    // Only on that event, and only a sha.
    expect(repoContext({ GITHUB_SHA: 'c'.repeat(40), GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event }).sha).toBe('c'.repeat(40));
    writeFileSync(event, JSON.stringify({ workflow_run: { head_sha: 'main; rm -rf /' } }));
    expect(repoContext({ GITHUB_SHA: 'c'.repeat(40), GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: event }).sha).toBe('c'.repeat(40));
  });

  it('names the event file when it is not JSON', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{not json');
    expect(() => repoContext({ GITHUB_EVENT_PATH: broken })).toThrow(`GITHUB_EVENT_PATH ${broken}: not valid JSON`);
  });

  it('reads process.env at call time', () => {
    const before = process.env.GITHUB_REPOSITORY;
    process.env.GITHUB_REPOSITORY = 'later/set';
    try {
      expect(repoContext().owner).toBe('later');
    } finally {
      if (before === undefined) delete process.env.GITHUB_REPOSITORY;
      else process.env.GITHUB_REPOSITORY = before;
    }
  });
});
