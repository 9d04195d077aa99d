import { describe, expect, it } from 'vitest';
import { decide, type DecisionInput } from './decide.js';
import type { AbsoluteJudgement, ComparedJudgement, RequestJudgement } from './requests.js';
import { emptyLookTally, type LookTally } from './values.js';

const base: DecisionInput = {
  elapsedMs: 0,
  durationMs: 10_000,
  deadlineMs: 20_000,
  failureLimit: 3,
  minSamples: 3,
  tallies: [],
  requests: [],
  valueChecks: [],
  target: 'green',
  baseline: 'blue',
};

const absolute = (fields: Partial<AbsoluteJudgement> = {}): AbsoluteJudgement => ({
  requests: 400,
  bad: 0,
  rate: 0,
  bounds: { low: 0, high: 0.015 },
  limit: 0.02,
  broken: false,
  held: true,
  ...fields,
});
const compared = (fields: Partial<ComparedJudgement> = {}): ComparedJudgement => ({
  metric: 'error-rate',
  pairs: 400,
  observed: 0,
  target: 0,
  baseline: 0,
  bounds: { low: -0.01, high: 0.008 },
  limit: 0.01,
  harm: false,
  health: true,
  ...fields,
});
const judgement = (fields: Partial<RequestJudgement> = {}): RequestJudgement => ({
  check: 'web',
  target: absolute(),
  baseline: absolute(),
  errors: compared(),
  ...fields,
});
const tally = (fields: Partial<LookTally> = {}): LookTally => ({ ...emptyLookTally('users'), looks: 5, measured: 5, ...fields });

describe('the decision after each look', () => {
  it('is unhealthy at once when a limit is shown broken, naming the figures', () => {
    const decision = decide({
      ...base,
      requests: [judgement({ target: absolute({ requests: 12, bad: 4, rate: 1 / 3, bounds: { low: 0.06, high: 0.7 }, broken: true, held: false }) })],
    });
    expect(decision).toMatchObject({ action: 'unhealthy', checks: ['web'] });
    expect(decision.reason).toBe('web: 33.3% of 12 requests failed on green, at least 6% (limit 2%)');
  });

  it('says the environment is unhealthy, not the canary alone, when both pools break the limit', () => {
    const broken = absolute({ requests: 100, bad: 30, rate: 0.3, bounds: { low: 0.15, high: 0.45 }, broken: true, held: false });
    const decision = decide({ ...base, requests: [judgement({ target: broken, baseline: broken })] });
    expect(decision.reason).toContain(
      'both pools break the limit: 30% of 100 requests failed on green and 30% of 100 on blue (limit 2%): the environment is unhealthy, not the canary alone',
    );
  });

  it('is unhealthy when the target is shown worse than the baseline beyond the tolerance', () => {
    const decision = decide({
      ...base,
      requests: [judgement({ errors: compared({ harm: true, health: false, target: 0.05, baseline: 0.01, bounds: { low: 0.021, high: 0.06 } }) })],
    });
    expect(decision.reason).toBe('web error rate worse than blue: 5% vs 1%, at least +2.1 points (tolerance +1 points, 400 pairs)');
    const latency = decide({
      ...base,
      requests: [
        judgement({ latency: compared({ metric: 'latency', harm: true, health: false, observed: 1.5, limit: 1.2, bounds: { low: 1.35, high: 1.7 } }) }),
      ],
    });
    expect(latency.reason).toBe('web latency worse than blue: slower than blue ×1.2 in most of 400 pairs (median ratio ×1.5, at least ×1.35)');
  });

  it('counts bad looks over the whole watch: failure-limit of them is unhealthy, in a row or not', () => {
    const decision = decide({ ...base, elapsedMs: 9000, valueChecks: ['users'], tallies: [tally({ looks: 9, badLooks: 3, lastReason: '7 > max 1' })] });
    expect(decision).toMatchObject({ action: 'unhealthy', reason: 'users: 3 bad looks of 9 (7 > max 1; failure-limit 3)' });
  });

  it('is healthy after the duration with every piece of evidence in, saying what showed it', () => {
    const decision = decide({ ...base, elapsedMs: 10_000, requests: [judgement()] });
    expect(decision.action).toBe('healthy');
    expect(decision.reason).toBe(
      'every check held for 10s: web: 0 of 400 failed, at most 1.5% (limit 2%); error rate 0% vs 0%, at most +0.8 points (tolerance +1 points)',
    );
  });

  it('never calls thin data healthy: no harm found is not evidence of health', () => {
    const thin = judgement({
      target: absolute({ requests: 20, held: false, bounds: { low: 0, high: 0.14 } }),
      errors: compared({ pairs: 20, health: false, bounds: { low: -0.1, high: 0.12 } }),
    });
    const during = decide({ ...base, elapsedMs: 5000, requests: [thin] });
    expect(during.action).toBe('continue');
    const after = decide({ ...base, elapsedMs: 12_000, requests: [thin] });
    expect(after).toMatchObject({ action: 'continue', checks: ['web'] });
    expect(after.reason).toBe(
      'watching until the deadline: web: failed share at most 14% so far, limit 2% (20 requests); web error-rate: difference at most +12 points so far, tolerance +1 points (20 pairs)',
    );
    const deadline = decide({ ...base, elapsedMs: 20_000, requests: [thin] });
    expect(deadline.action).toBe('inconclusive');
    expect(deadline.reason).toMatch(/^deadline reached without evidence: web: failed share at most 14% so far/);
  });

  it("waits for a value check's min-samples, and for one failing right now", () => {
    expect(decide({ ...base, elapsedMs: 10_000, valueChecks: ['users'], tallies: [tally({ measured: 2 })] }).reason).toBe(
      'watching until the deadline: users: 2 of 3 looks measured',
    );
    expect(
      decide({ ...base, elapsedMs: 10_000, valueChecks: ['users'], tallies: [tally({ badLooks: 1, failingNow: true, lastReason: 'exit 1' })] }).reason,
    ).toBe('watching until the deadline: users: failing now (1 of 3 bad looks: exit 1)');
  });

  it('is inconclusive when stopped before a verdict, saying what was missing', () => {
    const decision = decide({
      ...base,
      elapsedMs: 3000,
      aborted: true,
      requests: [judgement({ target: absolute({ held: false, requests: 50, bounds: { low: 0, high: 0.08 } }) })],
    });
    expect(decision).toMatchObject({ action: 'inconclusive', checks: ['web'] });
    expect(decision.reason).toBe('stopped before a verdict: web: failed share at most 8% so far, limit 2% (50 requests)');
  });
});
