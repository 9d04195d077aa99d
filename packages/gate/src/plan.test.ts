import { describe, expect, it } from 'vitest';
import type { EventFacts } from './event.js';
import { planRecords, type PlanInput } from './plan.js';

const sha = (digit: string) => digit.repeat(40);
const runUrl = 'https://github.com/o/r/actions/runs/5';
const checkRun = { name: 'test-gate', headSha: sha('1'), conclusion: 'failure' as const, title: 't', summary: 's' };
const red = { conclusion: 'failure' as const, reasons: ['1 test failed'], notes: [], letThrough: false };
const green = { conclusion: 'success' as const, reasons: [], notes: [], letThrough: false };
const push = (branch: string): EventFacts => ({ event: 'push', headSha: sha('1'), branch, labels: [] });
const pull = (branch: string): EventFacts => ({ event: 'pull_request', headSha: sha('1'), branch, labels: [], pullNumber: 3 });

const plan = (overrides: Partial<PlanInput>) =>
  planRecords({ facts: push('main'), defaultBranch: 'main', stopTheLine: true, verdict: red, fixLabel: 'fix-the-line', runUrl, checkRun, ...overrides });

describe('planRecords', () => {
  it('a red push to the default branch marks its check run and every open pull request', () => {
    const records = plan({ line: { state: 'red', sha: sha('0'), since: sha('9') } });
    expect(records.checkRun.externalId).toBe(`cutover-line:red:${sha('9')}`);
    expect(records.openPulls).toEqual({
      branch: 'main',
      status: { state: 'failure', description: `main is broken since 9999999: ${runUrl}`, target_url: runUrl },
    });
    expect(records.head).toBeUndefined();
  });

  it('a green push clears the line on every open pull request', () => {
    const records = plan({ verdict: green, line: { state: 'red', sha: sha('0'), since: sha('9') } });
    expect(records.checkRun.externalId).toBe('cutover-line:green');
    expect(records.openPulls?.status).toMatchObject({ state: 'success', description: 'main is green at 1111111' });
  });

  it('a pull request into the default branch gets its own line status', () => {
    const line = { state: 'red' as const, sha: sha('0'), since: sha('9') };
    expect(plan({ facts: pull('main'), line }).head).toEqual({ sha: sha('1'), status: expect.objectContaining({ state: 'failure' }) });
    expect(plan({ facts: pull('main'), line, verdict: { ...green, letThrough: true } }).head?.status).toMatchObject({
      state: 'success',
      description: 'main is broken since 9999999; let through by the fix-the-line label',
    });
    expect(plan({ facts: pull('main'), line }).openPulls).toBeUndefined();
  });

  it('writes only the check run off the default branch, or with stop-the-line false', () => {
    for (const records of [
      plan({ facts: push('topic') }),
      plan({ facts: pull('release') }),
      plan({ stopTheLine: false }),
      plan({ facts: pull('main'), stopTheLine: false }),
    ]) {
      expect(records).toEqual({ checkRun });
    }
  });
});
