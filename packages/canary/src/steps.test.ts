import { describe, expect, it } from 'vitest';
import type { NamedEnvironment } from '@cutover/config';
import { symlinkExpected } from '@cutover/routers';
import { nextAction, planSteps, stepSettings, stepSplit } from './steps.js';

function environment(canary?: NamedEnvironment['canary']): NamedEnvironment {
  return {
    name: 'production',
    router: { kind: 'haproxy', socket: '/s', backend: 'app' },
    pools: { blue: ['127.0.0.1:1'], green: ['127.0.0.1:2'] },
    ...(canary ? { canary } : {}),
  };
}

describe('step settings', () => {
  it('takes the inputs first, which may stop below 100 for a manual gate', () => {
    expect(stepSettings(environment({ steps: [10, 100], 'step-duration': '5m' }), { steps: '5, 25', stepDuration: '30s' })).toEqual({
      weights: [5, 25],
      source: 'steps input',
      stepDuration: 30_000,
    });
  });

  it('falls back to the environment, then to 5,25,50,100 every minute', () => {
    expect(stepSettings(environment({ steps: [10, 100], 'step-duration': '5m' }), { steps: '', stepDuration: '' })).toEqual({
      weights: [10, 100],
      source: 'environments.production.canary.steps',
      stepDuration: 300_000,
    });
    expect(stepSettings(environment(), { steps: '', stepDuration: '' })).toEqual({
      weights: [5, 25, 50, 100],
      source: 'the default steps',
      stepDuration: 60_000,
    });
  });

  it('refuses bad inputs, naming them', () => {
    expect(() => stepSettings(environment(), { steps: '25,10', stepDuration: '' })).toThrow('steps: weights must ascend, but 10 follows 25');
    expect(() => stepSettings(environment(), { steps: '0,50', stepDuration: '' })).toThrow('steps: 0 is outside 1 to 100');
    expect(() => stepSettings(environment(), { steps: 'half', stepDuration: '' })).toThrow('steps: "half" is not a whole number');
    expect(() => stepSettings(environment(), { steps: '', stepDuration: 'soon' })).toThrow(/^step-duration: /);
  });
});

describe('the plan of steps', () => {
  it('takes every step from the start', () => {
    expect(planSteps([5, 25, 50, 100], 0)).toEqual({
      steps: [
        { weight: 5, requested: [5] },
        { weight: 25, requested: [25] },
        { weight: 50, requested: [50] },
        { weight: 100, requested: [100] },
      ],
      skipped: [],
      notes: [],
    });
  });

  it('resumes after the canary weight found on the router', () => {
    expect(planSteps([5, 25, 50, 100], 25).steps.map((step) => step.weight)).toEqual([50, 100]);
    expect(planSteps([5, 25, 50, 100], 25).skipped).toEqual([5, 25]);
    // Between two steps (an earlier run with other steps): the next one above it.
    expect(planSteps([5, 25, 50, 100], 30).steps.map((step) => step.weight)).toEqual([50, 100]);
    expect(planSteps([5, 25], 25).steps).toEqual([]);
  });

  it('rounds weights to whole hosts for symlink releases: at least one host, never all before 100, merged when equal', () => {
    const plan = planSteps([5, 25, 50, 100], 0, 4);
    expect(plan.steps).toEqual([
      { weight: 25, requested: [5, 25], canaryHosts: 1, hosts: 4 },
      { weight: 50, requested: [50], canaryHosts: 2, hosts: 4 },
      { weight: 100, requested: [100], canaryHosts: 4, hosts: 4 },
    ]);
    expect(plan.notes).toEqual(['5%, 25% → 1 of 4 hosts (25%): symlink releases move whole hosts']);
    expect(planSteps([10, 90, 99, 100], 0, 3).steps.map((step) => [step.weight, step.canaryHosts])).toEqual([
      [33, 1],
      [67, 2],
      [100, 3],
    ]);
  });

  it('rounds to weights the symlink router reads back exactly', () => {
    for (const hosts of [2, 3, 4, 5, 7, 10]) {
      for (const step of planSteps([1, 10, 20, 33, 40, 50, 66, 75, 90, 99, 100], 0, hosts).steps) {
        const split = stepSplit('v1', 'v2', step.weight);
        expect(symlinkExpected(split, hosts).v2).toBe(step.weight);
      }
    }
  });

  it('resumes symlink steps after the hosts already moved', () => {
    expect(planSteps([5, 25, 50, 100], 50, 2).steps.map((step) => step.weight)).toEqual([100]);
  });

  it('refuses a symlink canary on one host: it cannot split traffic', () => {
    expect(() => planSteps([50, 100], 0, 1)).toThrow('steps: a canary on 1 host cannot split traffic; it needs at least 2 hosts');
  });
});

describe('after a step', () => {
  it('aborts when the analysis did not pass, promotes at 100, advances, or pauses at the end of partial steps', () => {
    expect(nextAction('unhealthy', 50)).toBe('abort');
    expect(nextAction('unhealthy', undefined)).toBe('abort');
    expect(nextAction('healthy', 50)).toBe('advance');
    expect(nextAction('healthy', 100)).toBe('promote');
    expect(nextAction('healthy', undefined)).toBe('pause');
  });

  it('aborts on not enough data, never advancing or promoting (whatever health.inconclusive says)', () => {
    expect(nextAction('inconclusive', 100)).toBe('abort');
    expect(nextAction('inconclusive', 50)).toBe('abort');
    expect(nextAction('inconclusive', undefined)).toBe('abort');
  });

  it('splits the traffic as {stable: 100 - w, canary: w}, and promotion names the canary alone', () => {
    expect(stepSplit('blue', 'green', 25)).toEqual({ blue: 75, green: 25 });
    expect(stepSplit('blue', 'green', 100)).toEqual({ green: 100 });
  });
});
