import { describe, expect, it } from 'vitest';
import { dispatchInputs, eventFacts, matchEvent, matchesPatterns, parseTriggers, type SimEvent, type Triggers } from './events.js';

const fail = (path: (string | number)[], message: string): never => {
  throw new Error(`on.${path.join('.')}: ${message}`);
};
const triggers = (on: unknown): Triggers => parseTriggers(on, fail);
const workflow = { file: '.github/workflows/deliver.yml', id: 'deliver' };
const starts = (on: unknown, event: SimEvent) => matchEvent(triggers(on), event, workflow);
const push = (ref: string, files?: string[]): SimEvent => ({ name: 'push', ref, sha: 'a'.repeat(40), ...(files ? { files } : {}) });
const pull = (extra: Partial<Extract<SimEvent, { name: 'pull_request' }>> = {}): SimEvent => ({
  name: 'pull_request',
  number: 7,
  head: { sha: 'b'.repeat(40), ref: 'feature' },
  base: { ref: 'main' },
  ...extra,
});

describe('filter patterns (GitHub cheat sheet)', () => {
  it('* stops at /, ** does not, ? and + apply to the character before, [] is a class', () => {
    expect(matchesPatterns('feature/a', ['feature/*'])).toBe(true);
    expect(matchesPatterns('feature/a/b', ['feature/*'])).toBe(false);
    expect(matchesPatterns('feature/a/b', ['feature/**'])).toBe(true);
    expect(matchesPatterns('docs/README.md', ['**.md'])).toBe(true);
    expect(matchesPatterns('README.md', ['**/README.md'])).toBe(true);
    expect(matchesPatterns('v1', ['v1?'])).toBe(true);
    expect(matchesPatterns('v11', ['v1+'])).toBe(true);
    expect(matchesPatterns('v2', ['v[12]'])).toBe(true);
    expect(matchesPatterns('v3', ['v[12]'])).toBe(false);
  });

  it('! patterns exclude, and the last matching pattern decides', () => {
    expect(matchesPatterns('releases/beta', ['releases/**', '!releases/**-alpha'])).toBe(true);
    expect(matchesPatterns('releases/v1-alpha', ['releases/**', '!releases/**-alpha'])).toBe(false);
    expect(matchesPatterns('releases/v1-alpha', ['releases/**', '!releases/**-alpha', 'releases/v1-alpha'])).toBe(true);
  });
});

describe('which workflows an event starts', () => {
  it('push: branch filters, tag filters, and each keeps the other kind of ref out', () => {
    expect(starts({ push: { branches: ['main'] } }, push('refs/heads/main')).starts).toBe(true);
    expect(starts({ push: { branches: ['main'] } }, push('refs/heads/feature'))).toEqual({ starts: false, why: 'branch feature does not match main' });
    expect(starts({ push: { branches: ['main'] } }, push('refs/tags/v1.0.0'))).toEqual({
      starts: false,
      why: 'tag v1.0.0: the workflow filters branches only',
    });
    expect(starts({ push: { tags: ['v*'] } }, push('refs/tags/v1.0.0')).starts).toBe(true);
    expect(starts({ push: { tags: ['v*'] } }, push('refs/heads/main')).starts).toBe(false);
    expect(starts({ push: { 'branches-ignore': ['dependabot/**'] } }, push('refs/heads/dependabot/npm/x')).starts).toBe(false);
    expect(starts('push', push('refs/tags/v1')).starts).toBe(true);
    expect(starts(['push', 'pull_request'], push('refs/heads/any')).starts).toBe(true);
  });

  it('push: paths and paths-ignore over the changed files; an event without files is refused when they matter', () => {
    expect(starts({ push: { paths: ['src/**'] } }, push('refs/heads/main', ['README.md', 'src/a.ts'])).starts).toBe(true);
    expect(starts({ push: { paths: ['src/**'] } }, push('refs/heads/main', ['README.md']))).toEqual({
      starts: false,
      why: 'no changed file matches paths src/**',
    });
    expect(starts({ push: { 'paths-ignore': ['docs/**'] } }, push('refs/heads/main', ['docs/a.md'])).starts).toBe(false);
    expect(starts({ push: { 'paths-ignore': ['docs/**'] } }, push('refs/heads/main', ['docs/a.md', 'src/a.ts'])).starts).toBe(true);
    expect(() => starts({ push: { paths: ['src/**'] } }, push('refs/heads/main'))).toThrow(
      'push event: the workflow filters on paths, and the event lists no changed files (files:)',
    );
  });

  it('pull_request: opened, synchronize and reopened by default, types otherwise; branches are the base branch', () => {
    expect(starts('pull_request', pull()).starts).toBe(true);
    expect(starts('pull_request', pull({ action: 'labeled' }))).toEqual({ starts: false, why: 'activity labeled is not one of opened, synchronize, reopened' });
    expect(starts({ pull_request: { types: ['labeled'] } }, pull({ action: 'labeled' })).starts).toBe(true);
    expect(starts({ pull_request: { branches: ['release/**'] } }, pull()).starts).toBe(false);
  });

  it('workflow_run: by the workflow name, activity type and head branch', () => {
    const completed = (workflowName: string, headBranch = 'main'): SimEvent => ({
      name: 'workflow_run',
      action: 'completed',
      workflow: workflowName,
      runId: 1,
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      headSha: 'c'.repeat(40),
      headBranch,
    });
    const on = { workflow_run: { workflows: ['ci'], types: ['completed'], branches: ['main'] } };
    expect(starts(on, completed('ci')).starts).toBe(true);
    expect(starts(on, completed('lint'))).toEqual({ starts: false, why: 'listens to ci, not lint' });
    expect(starts(on, completed('ci', 'feature'))).toEqual({ starts: false, why: 'branch feature does not match main' });
    expect(starts(on, { ...(completed('ci') as object), action: 'requested' } as SimEvent).starts).toBe(false);
  });

  it('workflow_dispatch: only the workflow dispatched, by file name or id', () => {
    expect(starts('workflow_dispatch', { name: 'workflow_dispatch', workflow: 'deliver.yml' }).starts).toBe(true);
    expect(starts('workflow_dispatch', { name: 'workflow_dispatch', workflow: 'deliver' }).starts).toBe(true);
    expect(starts('workflow_dispatch', { name: 'workflow_dispatch', workflow: 'rollback.yml' }).starts).toBe(false);
  });

  it('dispatch inputs are checked and defaulted as GitHub does', () => {
    const filters = triggers({
      workflow_dispatch: {
        inputs: {
          environment: { type: 'choice', options: ['production', 'staging'], default: 'production' },
          to: { required: false },
          dry: { type: 'boolean' },
          why: { required: true },
        },
      },
    }).events.workflow_dispatch!;
    expect(dispatchInputs(filters, { why: 'bad' }, 'x.yml')).toEqual({ environment: 'production', to: '', dry: false, why: 'bad' });
    expect(dispatchInputs(filters, { why: 'bad', dry: 'true', environment: 'staging' }, 'x.yml')).toMatchObject({ dry: true, environment: 'staging' });
    expect(() => dispatchInputs(filters, { why: 'x', environment: 'prod' }, 'x.yml')).toThrow('input environment "prod" is not one of production, staging');
    expect(() => dispatchInputs(filters, {}, 'x.yml')).toThrow('input why is required');
    expect(() => dispatchInputs(filters, { why: 'x', reason: 'y' }, 'x.yml')).toThrow('unexpected inputs provided: reason');
  });

  it('refuses triggers GitHub refuses, by name', () => {
    expect(() => triggers('pushh')).toThrow('on.pushh: unknown event "pushh"');
    expect(() => triggers({ push: { branch: ['main'] } })).toThrow('on.push.branch: unknown filter "branch" for push');
    expect(() => triggers({ push: { branches: ['main'], 'branches-ignore': ['x'] } })).toThrow('branches and branches-ignore cannot be used together');
    expect(() => triggers({ push: { branches: ['!main'] } })).toThrow('a list of ! patterns needs at least one pattern without !');
    expect(() => triggers({ pull_request: { types: ['merged'] } })).toThrow('unknown activity type "merged" for pull_request');
    expect(() => triggers({ workflow_run: { types: ['completed'] } })).toThrow('workflow_run needs workflows:');
    expect(() => triggers({ schedule: [{ cron: '* * *' }] })).toThrow('expected { cron: "<five fields>" }');
  });
});

describe('event facts', () => {
  const repository = { owner: 'octo-org', repo: 'app', defaultBranch: 'main' };
  const heads = (branch: string) => (branch === 'main' ? 'd'.repeat(40) : undefined);

  it('a pull request runs on its merge commit and refs/pull/N/merge; from another repository it is a fork', () => {
    const facts = eventFacts(
      pull({ mergeSha: 'e'.repeat(40), head: { sha: 'b'.repeat(40), ref: 'feature', repo: 'someone/app' }, labels: ['bug'] }),
      repository,
      heads,
    );
    expect(facts).toMatchObject({ sha: 'e'.repeat(40), ref: 'refs/pull/7/merge', headSha: 'b'.repeat(40), headRef: 'feature', baseRef: 'main', fork: true });
    expect(facts.payload).toMatchObject({
      action: 'opened',
      number: 7,
      pull_request: { labels: [{ name: 'bug' }], head: { repo: { full_name: 'someone/app', fork: true } } },
    });
    expect(eventFacts(pull(), repository, heads).fork).toBe(false);
  });

  it('schedule, dispatch and workflow_run run on the default branch head; workflow_run carries the triggering run', () => {
    expect(eventFacts({ name: 'schedule', cron: '*/15 * * * *' }, repository, heads)).toMatchObject({
      sha: 'd'.repeat(40),
      ref: 'refs/heads/main',
      payload: { schedule: '*/15 * * * *' },
    });
    const run = eventFacts(
      {
        name: 'workflow_run',
        action: 'completed',
        workflow: 'ci',
        runId: 9,
        event: 'push',
        status: 'completed',
        conclusion: 'success',
        headSha: 'c'.repeat(40),
        headBranch: 'main',
      },
      repository,
      heads,
    );
    expect(run).toMatchObject({
      sha: 'd'.repeat(40),
      payload: { workflow_run: { id: 9, conclusion: 'success', head_sha: 'c'.repeat(40), head_branch: 'main', event: 'push' } },
    });
    expect(() => eventFacts({ name: 'workflow_dispatch', workflow: 'x', ref: 'release' }, repository, heads)).toThrow('runs on the head of release; give sha:');
    expect(eventFacts({ name: 'workflow_dispatch', workflow: 'x', inputs: { dry: true } }, repository, heads, { dry: true }).payload).toMatchObject({
      inputs: { dry: 'true' },
    });
  });
});
