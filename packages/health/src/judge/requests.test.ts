import { describe, expect, it } from 'vitest';
import type { PoolLook, RequestOutcome } from '../check.js';
import { addRequestLook, emptyRequestEvidence, judgeRequests, type RequestEvidence } from './requests.js';

const limits = { maxErrorRate: 0.02, latencyFloorMs: 1 };
const levels = { harm: 0.05 / 3, health: 0.05 };
const tolerances = { error: 0.01, latency: 0.2 };

const ok = (latencyMs = 10): RequestOutcome => ({ failed: false, latencyMs });
const failed = (latencyMs = 10): RequestOutcome => ({ failed: true, latencyMs, problem: 'status 500, expected 200' });
const look = (role: PoolLook['role'], requests: RequestOutcome[], at = 0): PoolLook => ({
  check: 'web',
  kind: 'http',
  role,
  pool: role === 'target' ? 'green' : 'blue',
  at,
  outcome: 'pass',
  requests,
});
const many = (count: number, make: (index: number) => RequestOutcome) => Array.from({ length: count }, (_, index) => make(index));

function evidenceOf(target: RequestOutcome[], baseline: RequestOutcome[]): RequestEvidence {
  return addRequestLook(emptyRequestEvidence('web'), [look('target', target), look('baseline', baseline)], limits);
}

describe('pairing the requests of two pools', () => {
  it('scores a pair +1 when only the target failed, -1 when only the baseline did, 0 otherwise', () => {
    const evidence = evidenceOf([failed(), ok(), ok(), failed()], [ok(), failed(), ok(), failed()]);
    expect(evidence.pairs).toEqual({ plus: 1, zero: 2, minus: 1 });
    expect(evidence.target).toMatchObject({ requests: 4, failed: 2 });
  });

  it('carries the requests one pool has in excess to the next look', () => {
    const first = evidenceOf([ok(), ok(), ok()], [ok()]);
    expect(first.pairs.zero).toBe(1);
    expect(first.pending.target).toHaveLength(2);
    const second = addRequestLook(first, [look('baseline', [failed(), ok()])], limits);
    expect(second.pairs).toEqual({ plus: 0, zero: 2, minus: 1 });
    expect(second.pending.target).toHaveLength(0);
  });

  it('pairs requests known only as counts in a random order, keeping every count', () => {
    const counted = (role: PoolLook['role'], total: number, failures: number): PoolLook => ({
      check: 'web',
      kind: 'traffic',
      role,
      pool: role,
      at: 0,
      outcome: 'pass',
      counts: { total, failed: failures },
    });
    const evidence = addRequestLook(emptyRequestEvidence('web'), [counted('target', 1000, 100), counted('baseline', 600, 0)], limits);
    expect(evidence.target).toMatchObject({ requests: 1000, failed: 100 });
    expect(evidence.pairs.plus + evidence.pairs.zero + evidence.pairs.minus).toBe(600);
    // About a tenth of the paired target requests failed: the order was drawn, not sorted.
    expect(evidence.pairs.plus).toBeGreaterThan(30);
    expect(evidence.pairs.plus).toBeLessThan(90);
  });

  it('compares the latencies of pairs that both answered, as ratios, sub-floor latencies at the floor', () => {
    const evidence = evidenceOf([ok(30), ok(0.2), failed(5)], [ok(10), ok(0.6), ok(5)]);
    expect(evidence.ratios).toEqual([1, 3]);
  });

  it('counts a look whose source failed, and takes none of its requests', () => {
    const broken: PoolLook = { check: 'web', kind: 'traffic', role: 'target', pool: 'green', at: 0, outcome: 'source-failure', error: 'socket gone' };
    const evidence = addRequestLook(emptyRequestEvidence('web'), [broken, look('baseline', [ok()])], limits);
    expect(evidence.target).toMatchObject({ requests: 0, sourceFailures: 1, lastProblem: 'socket gone' });
  });
});

describe('judging a request check', () => {
  it('calls a limit broken on 30% failures over a dozen requests', () => {
    const evidence = evidenceOf(
      many(12, (index) => (index % 3 === 0 ? failed() : ok())),
      [],
    );
    const judgement = judgeRequests(evidence, { limits, tolerances, levels, compared: false });
    expect(judgement.target).toMatchObject({ requests: 12, bad: 4, broken: true, held: false });
  });

  it('calls a limit held only on enough clean requests, never on a few', () => {
    const few = judgeRequests(
      evidenceOf(
        many(20, () => ok()),
        [],
      ),
      { limits, tolerances, levels, compared: false },
    );
    expect(few.target).toMatchObject({ broken: false, held: false });
    const enough = judgeRequests(
      evidenceOf(
        many(400, () => ok()),
        [],
      ),
      { limits, tolerances, levels, compared: false },
    );
    expect(enough.target).toMatchObject({ broken: false, held: true });
    expect(enough.target.bounds.high).toBeLessThanOrEqual(0.02);
  });

  it('counts slow answers against the limit, but not as errors in the comparison', () => {
    const slow = many(40, () => ({ failed: false, slow: true, latencyMs: 900 }));
    const judgement = judgeRequests(
      evidenceOf(
        slow,
        many(40, () => ok()),
      ),
      { limits, tolerances, levels, compared: true },
    );
    expect(judgement.target.broken).toBe(true);
    expect(judgement.errors!.observed).toBe(0);
  });

  it('allows no failure at all with max-error-rate 0, and can never show it held', () => {
    const strict = { ...limits, maxErrorRate: 0 };
    expect(judgeRequests(evidenceOf([failed(), ...many(999, () => ok())], []), { limits: strict, tolerances, levels, compared: false }).target.broken).toBe(
      true,
    );
    expect(
      judgeRequests(
        evidenceOf(
          many(10_000, () => ok()),
          [],
        ),
        { limits: strict, tolerances, levels, compared: false },
      ).target.held,
    ).toBe(false);
  });

  it('shows harm when the target fails more than the baseline beyond the tolerance', () => {
    const judgement = judgeRequests(
      evidenceOf(
        many(80, (index) => (index % 4 === 0 ? failed() : ok())),
        many(80, () => ok()),
      ),
      { limits, tolerances, levels, compared: true },
    );
    expect(judgement.errors).toMatchObject({ harm: true, health: false, pairs: 80 });
    expect(judgement.errors!.bounds.low).toBeGreaterThan(0.01);
  });

  it('shows health only with enough pairs: a clean canary beside a clean baseline', () => {
    const thin = judgeRequests(
      evidenceOf(
        many(100, () => ok()),
        many(100, () => ok()),
      ),
      { limits, tolerances, levels, compared: true },
    );
    expect(thin.errors).toMatchObject({ harm: false, health: false });
    const enough = judgeRequests(
      evidenceOf(
        many(500, () => ok()),
        many(500, () => ok()),
      ),
      { limits, tolerances, levels, compared: true },
    );
    expect(enough.errors).toMatchObject({ harm: false, health: true });
    expect(enough.errors!.bounds.high).toBeLessThanOrEqual(0.01);
  });

  it('keeps a canary within the tolerance from being called worse, whatever the data (the tolerance is on the true effect)', () => {
    // 1.5% against 1%: half a point worse, inside the one-point tolerance, over 20,000 pairs.
    const evidence = evidenceOf(
      many(20_000, (index) => (index % 200 < 3 ? failed() : ok())),
      many(20_000, (index) => (index % 100 === 50 ? failed() : ok())),
    );
    expect(judgeRequests(evidence, { limits, tolerances, levels, compared: true }).errors).toMatchObject({ harm: false, health: true });
  });

  it('shows latency harm when most pairs are slower than baseline x 1.2, and health when few are', () => {
    const slow = judgeRequests(
      evidenceOf(
        many(100, () => ok(15)),
        many(100, () => ok(10)),
      ),
      { limits, tolerances, levels, compared: true },
    );
    expect(slow.latency).toMatchObject({ harm: true, health: false, observed: 1.5 });
    expect(slow.latency!.bounds.low).toBeGreaterThan(1.2);
    const same = judgeRequests(
      evidenceOf(
        many(100, (index) => ok(10 + (index % 3))),
        many(100, (index) => ok(10 + ((index + 1) % 3))),
      ),
      { limits, tolerances, levels, compared: true },
    );
    expect(same.latency).toMatchObject({ harm: false, health: true });
    expect(same.latency!.bounds.high).toBeLessThanOrEqual(1.2);
  });

  it('has no latency comparison when the source measures none', () => {
    const counted = (role: PoolLook['role']): PoolLook => ({
      check: 'web',
      kind: 'traffic',
      role,
      pool: role,
      at: 0,
      outcome: 'pass',
      counts: { total: 100, failed: 0 },
    });
    const evidence = addRequestLook(emptyRequestEvidence('web'), [counted('target'), counted('baseline')], limits);
    expect(judgeRequests(evidence, { limits, tolerances, levels, compared: true }).latency).toBeUndefined();
  });
});
