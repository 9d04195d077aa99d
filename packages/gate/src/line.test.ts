import { describe, expect, it } from 'vitest';
import { brokenStatus, lineMark, lineState, nextLine, pullStatus } from './line.js';

const sha = (digit: string) => digit.repeat(40);

describe('lineState', () => {
  it('is green when the latest verdict is a success', () => {
    expect(
      lineState([
        { sha: sha('1'), conclusion: 'success' },
        { sha: sha('2'), conclusion: 'failure' },
      ]),
    ).toEqual({ state: 'green', sha: sha('1') });
  });

  it('is red since the first commit of the current run of failures', () => {
    const history = [
      { sha: sha('1'), conclusion: null },
      { sha: sha('2'), conclusion: 'failure' },
      { sha: sha('3'), conclusion: 'cancelled' },
      { sha: sha('4'), conclusion: 'timed_out' },
      { sha: sha('5'), conclusion: 'success' },
      { sha: sha('6'), conclusion: 'failure' },
    ];
    expect(lineState(history)).toEqual({ state: 'red', sha: sha('2'), since: sha('4') });
  });

  it('is unknown without any verdict (commits still being tested are passed over)', () => {
    expect(lineState([])).toEqual({ state: 'unknown' });
    expect(lineState([{ sha: sha('1') }, { sha: sha('2'), conclusion: 'neutral' }])).toEqual({ state: 'unknown' });
  });
});

describe('the line across pushes', () => {
  it('stays red since the first broken push, and turns green on a green one', () => {
    const first = nextLine({ state: 'green', sha: sha('0') }, sha('1'), 'failure');
    expect(first).toEqual({ state: 'red', sha: sha('1'), since: sha('1') });
    const second = nextLine(first, sha('2'), 'failure');
    expect(second).toEqual({ state: 'red', sha: sha('2'), since: sha('1') });
    expect(nextLine(second, sha('3'), 'success')).toEqual({ state: 'green', sha: sha('3') });
    expect(nextLine({ state: 'unknown' }, sha('4'), 'failure').since).toBe(sha('4'));
  });

  it('reads back the mark a push leaves in the check run’s external id', () => {
    const red = { state: 'red' as const, sha: sha('2'), since: sha('1') };
    expect(lineMark(red)).toBe(`cutover-line:red:${sha('1')}`);
    expect(lineMark({ state: 'green', sha: sha('3') })).toBe('cutover-line:green');
    expect(lineState([{ sha: sha('2'), conclusion: 'failure', mark: lineMark(red) }])).toEqual(red);
    // Without a mark (a run by an older version), the run of failures is walked instead.
    expect(lineState([{ sha: sha('2'), conclusion: 'failure', mark: '' }])).toEqual({ state: 'red', sha: sha('2'), since: sha('2') });
  });
});

describe('cutover/line statuses', () => {
  const link = 'https://github.com/o/r/actions/runs/9';
  it('says since when and links the run', () => {
    expect(brokenStatus('main', sha('a'), link)).toEqual({
      state: 'failure',
      description: `main is broken since aaaaaaa: ${link}`,
      target_url: link,
    });
  });

  it('keeps descriptions within 140 characters', () => {
    expect(brokenStatus('main', sha('a'), `${link}/${'x'.repeat(200)}`).description).toHaveLength(140);
  });

  it('fails a pull request while the line is red, unless it carries the fix label', () => {
    const red = { state: 'red' as const, sha: sha('b'), since: sha('a') };
    expect(pullStatus('main', red, undefined, link).state).toBe('failure');
    expect(pullStatus('main', red, 'fix-the-line', link)).toMatchObject({
      state: 'success',
      description: 'main is broken since aaaaaaa; let through by the fix-the-line label',
    });
    expect(pullStatus('main', { state: 'green', sha: sha('c') }, undefined, link)).toMatchObject({ state: 'success', description: 'main is green at ccccccc' });
    expect(pullStatus('main', { state: 'unknown' }, undefined, link)).toMatchObject({ state: 'success', description: 'no gate verdict on main yet' });
  });
});
