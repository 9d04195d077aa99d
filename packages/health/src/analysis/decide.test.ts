import { describe, expect, it } from 'vitest';
import { makeSample, type Sample } from '../check.js';
import type { Comparison } from './compare.js';
import { decide, type DecisionInput } from './decide.js';
import { addInterval, emptyTally, judgeInterval, type CheckTally } from './interval.js';

const sample = (outcome: Sample['outcome'], fields: Partial<Sample> = {}): Sample =>
  makeSample({ check: 'web', kind: 'http', role: 'target', pool: 'green', outcome, value: 5, at: 0, ...fields });

function tallyOf(...states: Sample['outcome'][][]): CheckTally {
  return states.reduce((tally, outcomes) => addInterval(tally, judgeInterval('web', outcomes.map((o) => sample(o)))), emptyTally('web'));
}

const base: DecisionInput = { elapsedMs: 0, durationMs: 10_000, deadlineMs: 20_000, failureLimit: 3, minSamples: 3, tallies: [] };

describe('judging one interval', () => {
  it('is bad when any target sample fails or its source fails, with the first reason', () => {
    const interval = judgeInterval('web', [sample('pass'), sample('fail', { error: 'status 500', address: 'a:1' }), sample('source-failure', { error: 'ECONNREFUSED' })]);
    expect(interval).toMatchObject({ state: 'bad', valid: 2, failures: 1, sourceFailures: 1, reason: 'status 500 at a:1' });
  });

  it('is good when every target sample passed; baseline samples never make it bad', () => {
    const interval = judgeInterval('web', [sample('pass', { value: 4 }), sample('pass', { value: 6 }), sample('fail', { role: 'baseline', value: 9 })]);
    expect(interval).toMatchObject({ state: 'good', valid: 2, baselineValid: 1, observed: 5, baselineObserved: 9 });
  });

  it('has no data when nothing was measured, and says why', () => {
    expect(judgeInterval('web', [sample('no-data', { error: 'NaN' })])).toMatchObject({ state: 'no-data', valid: 0, reason: 'NaN' });
    expect(judgeInterval('web', [])).toMatchObject({ state: 'no-data', reason: 'no sample' });
  });

  it('counts a source failure as bad: fail closed', () => {
    expect(judgeInterval('web', [sample('source-failure', { error: 'timed out' })])).toMatchObject({ state: 'bad', reason: 'source failure: timed out' });
  });
});

describe('tallies across intervals', () => {
  it('counts bad intervals in a row; a good one resets the run, no data does not', () => {
    expect(tallyOf(['fail'], ['fail']).consecutiveBad).toBe(2);
    expect(tallyOf(['fail'], ['pass'], ['fail']).consecutiveBad).toBe(1);
    expect(tallyOf(['fail'], ['no-data'], ['fail'])).toMatchObject({ consecutiveBad: 2, worstRun: 2, badIntervals: 2, valid: 2 });
  });
});

describe('the decision after each interval', () => {
  it('is unhealthy at failure-limit bad intervals in a row, naming the check and why', () => {
    const decision = decide({ ...base, elapsedMs: 3000, tallies: [tallyOf(['fail'], ['fail'], ['fail'])] });
    expect(decision).toMatchObject({ action: 'unhealthy', checks: ['web'] });
    expect(decision.reason).toContain('web: 3 bad intervals in a row');
  });

  it('keeps watching below the limit', () => {
    expect(decide({ ...base, elapsedMs: 3000, tallies: [tallyOf(['fail'], ['fail'])] }).action).toBe('continue');
  });

  it('is healthy after the duration with enough samples', () => {
    expect(decide({ ...base, elapsedMs: 10_000, tallies: [tallyOf(['pass'], ['pass'], ['pass'])] })).toMatchObject({ action: 'healthy', checks: [] });
  });

  it('never calls too little data healthy: it watches on past the duration', () => {
    const decision = decide({ ...base, elapsedMs: 12_000, tallies: [tallyOf(['pass'], ['no-data'], ['no-data'])] });
    expect(decision).toMatchObject({ action: 'continue', checks: ['web'] });
    expect(decision.reason).toContain('web: 1 of 3 samples needed');
  });

  it('is inconclusive at the deadline without enough data', () => {
    const decision = decide({ ...base, elapsedMs: 20_000, tallies: [tallyOf(['pass'], ['no-data'])] });
    expect(decision).toMatchObject({ action: 'inconclusive', checks: ['web'] });
    expect(decision.reason).toMatch(/^deadline reached without a verdict: web: 1 of 3/);
  });

  it('does not call a check that is failing right now healthy', () => {
    const tallies = [tallyOf(['pass'], ['pass'], ['pass'], ['fail'])];
    expect(decide({ ...base, elapsedMs: 10_000, tallies }).action).toBe('continue');
    expect(decide({ ...base, elapsedMs: 20_000, tallies }).action).toBe('inconclusive');
  });

  it('is inconclusive when stopped before a verdict', () => {
    expect(decide({ ...base, elapsedMs: 1000, tallies: [tallyOf(['pass'])], aborted: true })).toMatchObject({ action: 'inconclusive' });
  });

  const comparison = (fields: Partial<Comparison>): Comparison => ({
    check: 'web',
    metric: 'error-rate',
    targetCount: 100,
    baselineCount: 100,
    target: 0.05,
    baseline: 0.01,
    effect: 0.04,
    tolerance: 0.01,
    pValue: 0.001,
    level: 0.01,
    enoughData: true,
    significant: true,
    beyondTolerance: true,
    failed: true,
    observed: '5% vs 1%',
    threshold: 'not above baseline + 1 points',
    ...fields,
  });

  it('is unhealthy when a comparison finds the target worse', () => {
    const decision = decide({ ...base, elapsedMs: 1000, tallies: [tallyOf(['pass'])], comparisons: [comparison({})], comparedChecks: ['web'] });
    expect(decision).toMatchObject({ action: 'unhealthy', checks: ['web'] });
    expect(decision.reason).toContain('web error-rate worse than baseline: 5% vs 1%');
  });

  it('judges a compared check by comparison, not by its failed probes, and needs baseline samples too', () => {
    const tallies = [tallyOf(['fail'], ['fail'], ['fail'])];
    const fine = comparison({ failed: false, significant: false });
    expect(decide({ ...base, elapsedMs: 3000, tallies, comparisons: [fine], comparedChecks: ['web'] }).action).toBe('continue');
    const decision = decide({ ...base, elapsedMs: 10_000, tallies, comparisons: [fine], comparedChecks: ['web'] });
    expect(decision).toMatchObject({ action: 'continue' });
    expect(decision.reason).toContain('web: 3/0 (baseline) of 3 samples needed');
  });

  it('waits for comparisons to have enough data', () => {
    const tallies = [{ ...tallyOf(['pass'], ['pass'], ['pass']), baselineValid: 3 }];
    const short = comparison({ enoughData: false, failed: false, significant: false, targetCount: 2 });
    expect(decide({ ...base, elapsedMs: 20_000, tallies, comparisons: [short], comparedChecks: ['web'] })).toMatchObject({ action: 'inconclusive' });
    const ready = comparison({ failed: false, significant: false });
    expect(decide({ ...base, elapsedMs: 10_000, tallies, comparisons: [ready], comparedChecks: ['web'] }).action).toBe('healthy');
  });
});
