import { describe, expect, it } from 'vitest';
import { eventFacts } from './event.js';

const sha = 'f'.repeat(40);
const repository = { default_branch: 'main' };

describe('eventFacts', () => {
  it('puts a pull request’s check on its head, not the merge commit', () => {
    const payload = {
      repository,
      pull_request: { number: 7, head: { sha: 'a'.repeat(40) }, base: { ref: 'main' }, labels: [{ name: 'bug' }, { name: 'fix-the-line' }] },
    };
    expect(eventFacts('pull_request', payload, sha, 'refs/pull/7/merge')).toEqual({
      event: 'pull_request',
      headSha: 'a'.repeat(40),
      branch: 'main',
      defaultBranch: 'main',
      pullNumber: 7,
      labels: ['bug', 'fix-the-line'],
    });
  });

  it('finds the pull request of a merge group in its queue branch', () => {
    const payload = {
      repository,
      merge_group: { head_sha: 'b'.repeat(40), head_ref: `refs/heads/gh-readonly-queue/main/pr-42-${'c'.repeat(40)}`, base_ref: 'refs/heads/main' },
    };
    expect(eventFacts('merge_group', payload, sha, 'refs/heads/gh-readonly-queue/main/pr-42')).toMatchObject({
      event: 'merge_group',
      headSha: 'b'.repeat(40),
      branch: 'main',
      pullNumber: 42,
    });
  });

  it('reads a push’s branch and previous head, but not the zero sha of a new branch', () => {
    expect(eventFacts('push', { repository, ref: 'refs/heads/main', before: 'd'.repeat(40) }, sha, 'refs/heads/main')).toEqual({
      event: 'push',
      headSha: sha,
      branch: 'main',
      defaultBranch: 'main',
      labels: [],
      before: 'd'.repeat(40),
    });
    expect(eventFacts('push', { ref: 'refs/heads/topic', before: '0'.repeat(40) }, sha, 'refs/heads/topic')).toEqual({
      event: 'push',
      headSha: sha,
      branch: 'topic',
      labels: [],
      defaultBranch: undefined,
    });
  });

  it('takes the ref of other events', () => {
    expect(eventFacts('workflow_dispatch', {}, sha, 'refs/heads/main')).toMatchObject({ event: 'other', headSha: sha, branch: 'main' });
  });
});
